"""Forms 01–06 of Circular 03/2025 Appendix I as PDF: one header, one QR, one layout each."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from fpdf import FPDF

from core.lifecycle import FORM_TITLES

__all__ = [
    "FONT_DIR",
    "SlipComponent",
    "ReceiptSlip",
    "FormNotice",
    "ControlRow",
    "qr_payload",
    "qr_png",
    "build_receipt_pdf",
    "build_notice_pdf",
    "build_control_slip_pdf",
]

FONT_DIR = Path(__file__).resolve().parent.parent / "assets" / "fonts"
CENTRE = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG\nBỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"
A5, A4 = (148, 210), (210, 297)
MARGIN = 8
RETURN_PLACES = {"counter": "Bộ phận Một cửa (tại quầy)", "post": "Qua dịch vụ bưu chính công ích"}


@dataclass(frozen=True)
class SlipComponent:
    """One line of the components table: the document and how many pages were digitised."""

    name: str
    pages: int


@dataclass(frozen=True)
class ReceiptSlip:
    """Everything printed on form 01."""

    unit_name: str
    dossier_code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    cccd: str
    address: str
    phone: str
    components: tuple[SlipComponent, ...]
    received_at: datetime
    due_at: datetime
    fee_vnd: int
    officer_name: str
    return_method: str = "counter"
    return_address: str = ""
    number: str = "01"


@dataclass(frozen=True)
class FormNotice:
    """Forms 02–05: a titled notice to the applicant, its paragraphs written by the caller."""

    number: str
    unit_name: str
    dossier_code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    cccd: str
    issued_at: datetime
    due_at: datetime
    officer_name: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class ControlRow:
    """One hand-off on form 06: who gave the dossier to whom, when, and how it stood."""

    from_unit: str
    to_unit: str
    at: datetime
    result: str
    note: str


def qr_payload(form: ReceiptSlip | FormNotice) -> str:
    """The QR content: dossier code, procedure code, applicant id and the document name."""
    return json.dumps(
        {
            "ma_ho_so": form.dossier_code,
            "ma_tthc": form.procedure_code,
            "so_dinh_danh": form.cccd,
            "ten_giay_to": FORM_TITLES[form.number][0],
            "ngay_hen": form.due_at.isoformat(),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def qr_png(text: str, scale: int = 4) -> bytes:
    """Encode `text` as a QR code (ISO/IEC 18004, level M) in a PNG image."""
    buffer = io.BytesIO()
    segno.make(text, error="m", micro=False).save(buffer, kind="png", scale=scale, border=1)
    return buffer.getvalue()


def _when(moment: datetime) -> str:
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def _start(form: ReceiptSlip | FormNotice, issued_at: datetime, size: tuple[int, int]) -> FPDF:
    """A page of `size` with the shared header: QR top-left, centre, motto, title, code."""
    pdf = FPDF(orientation="P", unit="mm", format=size)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_font("DejaVu", "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    title = FORM_TITLES[form.number][0]
    pdf.set_title(f"{title} {form.dossier_code}")
    pdf.set_creator("SoHoa")
    pdf.add_page()
    pdf.image(io.BytesIO(qr_png(qr_payload(form))), x=MARGIN, y=MARGIN, w=24, h=24)
    left_x, width = MARGIN + 26, size[0] - 2 * MARGIN - 26
    left_w = width / 2
    pdf.set_xy(left_x, MARGIN)
    pdf.set_font("DejaVu", "B", 6)  # the longest header line just fits half of an A5 line
    pdf.multi_cell(left_w, 3.2, f"{CENTRE}\n{form.unit_name.upper()}", align="C")
    pdf.set_x(left_x)
    pdf.set_font("DejaVu", "", 7.5)
    pdf.cell(left_w, 4, f"Số: {form.dossier_code}", align="C")
    pdf.set_xy(left_x + left_w, MARGIN)
    pdf.set_font("DejaVu", "B", 6)
    motto = "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    pdf.multi_cell(width - left_w, 3.2, motto, align="C")
    pdf.set_x(left_x + left_w)
    pdf.set_font("DejaVu", "", 7)
    day = f"ngày {issued_at:%d} tháng {issued_at:%m} năm {issued_at:%Y}"
    pdf.cell(width - left_w, 5, day, align="C")
    pdf.set_xy(MARGIN, max(pdf.get_y() + 6, MARGIN + 26))
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 5, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(0, 5, f"Mã hồ sơ: {form.dossier_code}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    return pdf


def _line(pdf: FPDF, text: str) -> None:
    pdf.multi_cell(0, 4.2, text, new_x="LMARGIN", new_y="NEXT")


def _signatures(pdf: FPDF, applicant: str, officer: str) -> None:
    pdf.ln(2)
    top, half = pdf.get_y(), (pdf.w - 2 * MARGIN) / 2
    for column, (role, name) in enumerate(
        (("NGƯỜI NỘP HỒ SƠ", applicant), ("NGƯỜI TIẾP NHẬN HỒ SƠ", officer))
    ):
        x = MARGIN + column * half
        pdf.set_font("DejaVu", "B", 8)
        pdf.set_xy(x, top)
        pdf.cell(half, 4, role, align="C")
        pdf.set_font("DejaVu", "", 7)
        pdf.set_xy(x, top + 4)
        pdf.cell(half, 4, "(Ký và ghi rõ họ tên)", align="C")
        pdf.set_font("DejaVu", "", 8)
        pdf.set_xy(x, top + 18)
        pdf.cell(half, 4, name, align="C")


def build_receipt_pdf(slip: ReceiptSlip) -> bytes:
    """Render form 01 for `slip` on A5 portrait and return the PDF bytes."""
    pdf = _start(slip, slip.received_at, A5)
    _line(pdf, f"{slip.unit_name} tiếp nhận hồ sơ của: {slip.applicant_name}")
    _line(pdf, f"Số định danh cá nhân (CCCD): {slip.cccd}")
    _line(pdf, f"Địa chỉ: {slip.address}")
    _line(pdf, f"Số điện thoại: {slip.phone or '—'}")
    _line(pdf, f"Nội dung yêu cầu giải quyết: {slip.procedure_name} ({slip.procedure_code})")
    _line(pdf, "1. Thành phần hồ sơ nộp gồm:")
    with pdf.table(col_widths=(10, 96, 26), text_align=("CENTER", "LEFT", "CENTER")) as table:
        table.row(("TT", "Tên giấy tờ", "Số trang số hoá"))
        for number, component in enumerate(slip.components, start=1):
            table.row((str(number), component.name, str(component.pages)))
    pdf.ln(1)
    _line(pdf, "2. Số lượng hồ sơ: 01 bộ")
    _line(pdf, f"3. Thời gian nhận hồ sơ: {_when(slip.received_at)}")
    _line(pdf, f"4. Thời gian trả kết quả giải quyết hồ sơ: {_when(slip.due_at)}")
    place = RETURN_PLACES.get(slip.return_method, slip.return_method)
    if slip.return_method == "post" and slip.return_address:
        place += f": {slip.return_address}"
    _line(pdf, f"5. Đăng ký nhận kết quả tại: {place}")
    _line(pdf, f"6. Phí, lệ phí: {_money(slip.fee_vnd)}")
    _signatures(pdf, slip.applicant_name, slip.officer_name)
    return bytes(pdf.output())


def build_notice_pdf(notice: FormNotice) -> bytes:
    """Render one of forms 02–05 on A5 portrait and return the PDF bytes."""
    pdf = _start(notice, notice.issued_at, A5)
    _line(pdf, f"Kính gửi: {notice.applicant_name} (CCCD {notice.cccd})")
    _line(pdf, f"Hồ sơ: {notice.procedure_name} ({notice.procedure_code})")
    for paragraph in notice.paragraphs:
        _line(pdf, paragraph)
    _signatures(pdf, notice.applicant_name, notice.officer_name)
    return bytes(pdf.output())


def build_control_slip_pdf(notice: FormNotice, rows: tuple[ControlRow, ...]) -> bytes:
    """Render form 06 on A4 portrait, one table row per hand-off, and return the PDF bytes."""
    pdf = _start(notice, notice.issued_at, A4)
    _line(pdf, f"Người nộp hồ sơ: {notice.applicant_name} (CCCD {notice.cccd})")
    _line(pdf, f"Hồ sơ: {notice.procedure_name} ({notice.procedure_code})")
    _line(pdf, f"Hẹn trả kết quả: {_when(notice.due_at)}")
    pdf.ln(1)
    widths = (44, 40, 24, 24, 22, 40)
    with pdf.table(col_widths=widths, text_align="LEFT") as table:
        table.row(
            ("Tên cơ quan, đơn vị", "Thời gian giao, nhận", "Người giao", "Người nhận")
            + ("Kết quả giải quyết", "Ghi chú")
        )
        for row in rows:
            units = f"1. Giao: {row.from_unit}\n2. Nhận: {row.to_unit}"
            table.row((units, _when(row.at), "", "", row.result, row.note))
    return bytes(pdf.output())
