"""Clean synthetic Vietnamese documents (a form, a certificate, an ID card) with known text."""

from __future__ import annotations

import math
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = [
    "A4_MM",
    "CARD_MM",
    "draw_card",
    "draw_certificate",
    "draw_form",
    "draw_photo_print",
    "font",
]

_FONT_DIRS = (
    Path(__file__).resolve().parents[2] / "assets" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
)
A4_MM = (210.0, 297.0)
CARD_MM = (85.6, 54.0)

FORMS = {
    "form": {
        "code": "H31.39-251127-0042",
        "name": "Nguyễn Thị Hồng Nhung",
        "cccd": "031095001234",
        "birth": "12/05/1995",
        "address": "Số 18 ngõ 42 phố Lạch Tray, phường Gia Viên",
    },
    "other": {
        "code": "H31.39-251127-0057",
        "name": "Trần Văn Đức Phương",
        "cccd": "031188004567",
        "birth": "03/09/1988",
        "address": "Thôn Đông, xã Thủy Nguyên, huyện Thủy Nguyên",
    },
}
BODY = (
    "Kính gửi: Ủy ban nhân dân phường Gia Viên",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây.",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên",
    "đây là đúng sự thật, được sự thỏa thuận nhất trí của",
    "các bên liên quan theo quy định pháp luật. Tôi chịu",
    "hoàn toàn trách nhiệm trước pháp luật về nội dung",
    "cam đoan của mình và xin gửi kèm các giấy tờ sau.",
)


def font(size_px: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Return DejaVu Sans (bold if asked) at `size_px`, from assets/fonts or the system."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size_px)
    raise FileNotFoundError(f"{name} not found in {', '.join(map(str, _FONT_DIRS))}")


def _px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def _signature(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float, rng: random.Random) -> None:
    points = []
    for step in range(60):
        t = step / 59
        wobble = math.sin(t * 11 + rng.random()) * 0.35 + math.sin(t * 29) * 0.15
        points.append((x + t * 260 * scale, y + wobble * 60 * scale))
    draw.line(points, fill=(25, 45, 170), width=max(2, round(3 * scale)), joint="curve")


def _seal(page: Image.Image, centre: tuple[int, int], radius: int) -> None:
    layer = Image.new("L", page.size, 0)
    draw = ImageDraw.Draw(layer)
    cx, cy = centre
    for r, width in ((radius, max(3, radius // 18)), (int(radius * 0.72), max(2, radius // 30))):
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=width)
    star = [
        (
            cx + radius * 0.3 * f * math.sin(a * math.pi / 5),
            cy - radius * 0.3 * f * math.cos(a * math.pi / 5),
        )
        for a, f in ((i, 1.0 if i % 2 == 0 else 0.45) for i in range(10))
    ]
    draw.polygon(star, fill=255)
    red = Image.new("RGB", page.size, (200, 30, 40))
    page.paste(red, (0, 0), layer.point(lambda v: v * 200 // 255))


def draw_form(dpi: int = 250, variant: str = "form") -> tuple[Image.Image, dict[str, str]]:
    """Draw a clean A4 Vietnamese form; return it and its text (body lines and key fields)."""
    data = FORMS[variant]
    width, height = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    page = Image.new("RGB", (width, height), (250, 249, 246))
    draw = ImageDraw.Draw(page)
    pt = dpi / 72
    left, right = _px(30, dpi), width - _px(20, dpi)
    body, bold, note = font(round(13 * pt)), font(round(13 * pt), True), font(round(10 * pt))
    y = _px(20, dpi)
    for text, face in (
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", font(round(12 * pt), True)),
        ("Độc lập - Tự do - Hạnh phúc", bold),
        ("", bold),
        ("TỜ KHAI ĐĂNG KÝ KHAI SINH", font(round(15 * pt), True)),
    ):
        draw.text(((left + right) / 2, y), text, font=face, fill=(20, 20, 20), anchor="ma")
        y += round(22 * pt)
    fields = {
        "code": f"Mã hồ sơ: {data['code']}",
        "name": f"Họ và tên người yêu cầu: {data['name']}",
        "cccd": f"Số định danh cá nhân: {data['cccd']}",
        "birth": f"Ngày sinh: {data['birth']}",
        "address": f"Nơi cư trú: {data['address']}",
    }
    lines = [*BODY[:1], *fields.values(), *BODY[1:]]
    for text in lines:
        draw.text((left, y), text, font=body, fill=(25, 25, 25))
        y += round(20 * pt)
    y += round(8 * pt)
    cells = (("STT", "Giấy tờ kèm theo", "Số bản"), ("1", "Giấy chứng sinh", "01"))
    col = (left, left + _px(20, dpi), right - _px(35, dpi), right)
    row_h = round(22 * pt)
    for r, row in enumerate(cells):
        for c, text in enumerate(row):
            draw.rectangle(
                (col[c], y + r * row_h, col[c + 1], y + (r + 1) * row_h),
                outline=(30, 30, 30),
                width=2,
            )
            draw.text((col[c] + 10, y + r * row_h + row_h // 5), text, font=body, fill=(25, 25, 25))
    y += len(cells) * row_h + round(14 * pt)
    notes = ("Ghi chú: Người yêu cầu xuất trình bản chính giấy tờ tùy thân.",)
    for text in notes:
        draw.text((left, y), text, font=note, fill=(40, 40, 40))
        y += round(16 * pt)
    sign_x = (left + right) // 2 + _px(10, dpi)
    draw.text(
        (sign_x, y + round(6 * pt)),
        "Hải Phòng, ngày 27 tháng 11 năm 2025",
        font=note,
        fill=(30, 30, 30),
    )
    draw.text(
        (sign_x + _px(20, dpi), y + round(24 * pt)), "Người yêu cầu", font=bold, fill=(20, 20, 20)
    )
    _seal(page, (sign_x + _px(5, dpi), y + _px(32, dpi)), _px(17, dpi))
    _signature(draw, sign_x + _px(20, dpi), y + _px(34, dpi), dpi / 200, random.Random(variant))
    text = {
        "body": "\n".join(lines + list(notes)),
        **{k: data[k] for k in ("code", "cccd", "birth")},
    }
    return page, text


def draw_certificate(dpi: int = 250) -> tuple[Image.Image, dict[str, str]]:
    """Draw a colour document: the form inside a crimson and gold certificate border."""
    page, text = draw_form(dpi, "form")
    draw = ImageDraw.Draw(page)
    band, inset = _px(9, dpi), _px(6, dpi)
    box = (inset, inset, page.width - inset, page.height - inset)
    draw.rectangle(box, outline=(180, 30, 50), width=band)
    for k in range(3):
        edge = inset + band // 4 * (k + 1)
        draw.rectangle(
            (edge, edge, page.width - edge, page.height - edge), outline=(230, 180, 40), width=2
        )
    return page, text


def draw_photo_print(dpi: int = 200) -> tuple[Image.Image, dict[str, str]]:
    """Draw an A4 photo print: smooth colour gradients and large shapes, no text."""
    width, height = _px(A4_MM[0], dpi), _px(A4_MM[1], dpi)
    ramp = Image.linear_gradient("L")
    across = ramp.rotate(90).resize((width, height))
    photo = Image.merge(
        "RGB", [ramp.resize((width, height)), across, Image.new("L", across.size, 120)]
    )
    draw = ImageDraw.Draw(photo)
    draw.ellipse((width * 0.18, height * 0.21, width * 0.79, height * 0.73), fill=(210, 170, 140))
    draw.rectangle((0, height * 0.77, width, height), fill=(60, 90, 40))
    return photo.filter(ImageFilter.GaussianBlur(dpi / 25)), {"body": ""}


def draw_card(dpi: int = 400) -> tuple[Image.Image, dict[str, str]]:
    """Draw the front of a citizen identity card (CCCD) with a light guilloche background."""
    width, height = _px(CARD_MM[0], dpi), _px(CARD_MM[1], dpi)
    card = Image.new("RGB", (width, height), (214, 232, 236))
    draw = ImageDraw.Draw(card)
    for k in range(0, width, max(4, width // 90)):
        wave = [(k + 30 * math.sin(y / 40 + k), y) for y in range(0, height, 8)]
        draw.line(wave, fill=(180, 205, 222), width=2)
    pt = dpi / 72
    draw.rectangle((_px(4, dpi), _px(14, dpi), _px(26, dpi), _px(44, dpi)), fill=(160, 170, 180))
    draw.text(
        (width // 2, _px(4, dpi)),
        "CĂN CƯỚC CÔNG DÂN",
        font=font(round(9 * pt), True),
        fill=(170, 20, 30),
        anchor="ma",
    )
    fields = {"cccd": "031095001234", "name": "NGUYỄN THỊ HỒNG NHUNG", "birth": "12/05/1995"}
    y = _px(15, dpi)
    for label, value in (
        ("Số / No.:", fields["cccd"]),
        ("Họ và tên:", fields["name"]),
        ("Ngày sinh:", fields["birth"]),
    ):
        draw.text(
            (_px(30, dpi), y),
            f"{label} {value}",
            font=font(round(7 * pt), True),
            fill=(20, 20, 30),
        )
        y += _px(9, dpi)
    return card, {"body": "", **fields}
