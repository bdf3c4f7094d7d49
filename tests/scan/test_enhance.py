from PIL import Image, ImageDraw, ImageStat

from scan.enhance import flatten, otsu, skew_angle
from scan.synthetic import font


def _lined_page(shade: bool) -> Image.Image:
    page = Image.new("L", (600, 800), 235)
    draw = ImageDraw.Draw(page)
    for row in range(60, 760, 40):
        draw.text((40, row), "Hồ sơ số hoá đăng ký khai sinh 2025", font=font(24), fill=30)
    if shade:  # light falls off to the right, and a shadow covers the left third
        gradient = (
            Image.linear_gradient("L").rotate(90).resize(page.size).point(lambda v: 255 - v // 2)
        )
        shadow = Image.new("L", page.size, 255)
        shadow.paste(150, (0, 0, 200, 800))
        page = Image.composite(page, Image.new("L", page.size, 0), gradient)
        page = Image.composite(page, Image.new("L", page.size, 0), shadow)
    return page


def test_flatten_turns_shaded_paper_white_and_keeps_ink_dark():
    shaded = _lined_page(shade=True)
    flat = flatten(shaded, dpi=72)
    margins = [flat.crop((0, 0, 30, 800)), flat.crop((570, 0, 600, 800))]
    assert all(ImageStat.Stat(m).mean[0] > 245 for m in margins)
    assert ImageStat.Stat(shaded.crop((570, 0, 600, 800))).mean[0] < 160
    assert flat.histogram()[0:80] and sum(flat.histogram()[0:80]) > 2000  # the text is still ink


def test_flatten_works_on_colour_and_removes_a_cast():
    warm = Image.merge("RGB", [Image.new("L", (200, 200), v) for v in (230, 200, 160)])
    flat = flatten(warm, dpi=50)
    assert flat.mode == "RGB"
    assert all(mean > 250 for mean in ImageStat.Stat(flat).mean)


def test_otsu_splits_two_levels():
    image = Image.new("L", (100, 100), 220)
    image.paste(40, (0, 0, 30, 100))
    assert 40 <= otsu(image) < 220


def test_skew_angle_recovers_a_known_rotation():
    page = _lined_page(shade=False)
    for degrees in (-2.5, 1.3):
        turned = page.rotate(-degrees, Image.Resampling.BILINEAR, fillcolor=235)
        assert abs(skew_angle(turned, 5.0) - degrees) <= 0.2
