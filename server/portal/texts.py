"""The portal's and console's own texts (Vietnamese first); shared words come from app.i18n."""

from __future__ import annotations

from app.i18n import Translator

__all__ = ["Texts"]

_TEXTS: dict[str, tuple[str, str]] = {
    "portal.title": ("Cổng công dân SoHoa", "SoHoa citizen portal"),
    "portal.follow": ("Tra cứu hồ sơ", "Follow a dossier"),
    "portal.code": ("Mã hồ sơ", "Dossier code"),
    "portal.digits": (
        "4–6 số cuối CCCD hoặc số điện thoại",
        "Last 4–6 digits of the CCCD or phone number",
    ),
    "portal.look_up": ("Tra cứu", "Look up"),
    "portal.preapply": ("Nộp trước thành phần hồ sơ", "Pre-apply with photos"),
    "portal.another": ("Tra cứu hồ sơ khác", "Follow another dossier"),
    "portal.procedure": ("Thủ tục: {name}", "Procedure: {name}"),
    "portal.status": ("Trạng thái: {status}", "Status: {status}"),
    "portal.due": ("Hẹn trả kết quả: {when}", "Result due: {when}"),
    "portal.missing": ("Cần bổ sung:", "Please supplement:"),
    "portal.photograph": ("Chụp ảnh: {name}", "Photograph: {name}"),
    "portal.processing": ("Đang xử lý ảnh…", "Processing the photo…"),
    "portal.page_added": ("Đã nhận trang ({n} trang)", "Page received ({n} pages)"),
    "portal.send": ("Gửi bổ sung", "Send the supplement"),
    "portal.sent": (
        "Đã gửi bổ sung. Đơn vị giải quyết đã nhận được.",
        "Supplement sent. The competent unit has it.",
    ),
    "portal.rate": ("Đánh giá sự phục vụ:", "Rate the service:"),
    "portal.satisfied": ("Hài lòng", "Satisfied"),
    "portal.unsatisfied": ("Không hài lòng", "Not satisfied"),
    "portal.rated": ("Cảm ơn bạn đã đánh giá", "Thank you for rating"),
    "portal.upload_failed": ("Tải ảnh lên không thành công: {error}", "Upload failed: {error}"),
    "portal.search_procedure": ("Tìm thủ tục (tên hoặc mã)", "Find a procedure (name or code)"),
    "portal.components": ("Chụp từng thành phần hồ sơ:", "Photograph each component:"),
    "portal.pages": ("{n} trang", "{n} pages"),
    "portal.get_code": ("Nhận mã nộp trước", "Get a pre-application code"),
    "portal.code_issued": (
        "Mã nộp trước: {code}. Mang mã này cùng bản gốc đến bất kỳ Trung tâm phục vụ hành "
        "chính công nào.",
        "Pre-application code: {code}. Bring it with the originals to any service centre.",
    ),
    "portal.need_pages": ("Chưa có trang nào", "No pages yet"),
    "console.title": ("Bảng điều khiển thành phố", "City console"),
    "console.username": ("Tên đăng nhập", "Username"),
    "console.password": ("Mật khẩu", "Password"),
    "console.log_in": ("Đăng nhập", "Log in"),
    "console.queue": ("Hồ sơ của đơn vị", "My unit's dossiers"),
    "console.queue_empty": ("Không có hồ sơ", "No dossiers"),
    "console.overdue": ("Quá hạn", "Overdue"),
    "console.refresh": ("Làm mới", "Refresh"),
    "console.figures": ("Số liệu", "Figures"),
    "console.back": ("Quay lại", "Back"),
    "console.pages": ("Trang đã số hoá: {n}", "Digitised pages: {n}"),
    "console.note": ("Ghi chú / lý do", "Note / reason"),
    "console.to_unit": ("Mã đơn vị nhận", "Receiving unit code"),
    "console.new_due": ("Hạn mới (YYYY-MM-DD)", "New due date (YYYY-MM-DD)"),
    "console.missing": ("Thành phần cần bổ sung", "Components to supplement"),
    "console.done": ("Đã ghi nhận: {step}", "Recorded: {step}"),
    "console.period_from": ("Từ ngày (YYYY-MM-DD)", "From (YYYY-MM-DD)"),
    "console.period_to": ("Đến ngày (YYYY-MM-DD)", "To (YYYY-MM-DD)"),
    "console.show": ("Xem số liệu", "Show figures"),
    "console.export": ("Xuất CSV", "Export CSV"),
    "console.city": ("Toàn thành phố", "Whole city"),
    "figure.unit": ("Đơn vị", "Unit"),
    "figure.received": ("Tiếp nhận", "Received"),
    "figure.finished": ("Đã giải quyết", "Finished"),
    "figure.finished_on_time": ("Giải quyết đúng hạn", "Finished on time"),
    "figure.in_process": ("Đang giải quyết", "In process"),
    "figure.refused": ("Từ chối", "Refused"),
    "figure.stopped": ("Dừng", "Stopped"),
    "figure.on_time_rate": ("Đúng hạn (%)", "On time (%)"),
    "figure.online_rate": ("Trực tuyến (%)", "Online (%)"),
    "figure.dossier_digitisation_rate": ("Số hoá hồ sơ (%)", "Dossiers digitised (%)"),
    "figure.result_digitisation_rate": ("Số hoá kết quả (%)", "Results digitised (%)"),
    "figure.reuse_rate": ("Tái sử dụng (%)", "Reuse (%)"),
    "figure.satisfaction_rate": ("Hài lòng (%)", "Satisfaction (%)"),
    "figure.online_payment_rate": ("Thanh toán trực tuyến (%)", "Paid online (%)"),
}


class Texts:
    """Look a text up by key in `language`, here first and then in the officer app's translations.

    ``t = Texts("en"); t("portal.due", when="03/03/2026")``
    """

    def __init__(self, language: str = "vi"):
        self.language = language
        self._shared = Translator(language)

    def __call__(self, key: str, **params: object) -> str:
        """Return the text for `key` with `params` filled in."""
        pair = _TEXTS.get(key)
        if pair is None:
            return self._shared(key, **params)
        text = pair[1] if self.language == "en" else pair[0]
        return text.format(**params) if params else text
