"""The dossier lifecycle: which event may happen in which status, where it leads, which form.

::

    received ──supplement_requested──▶ supplement_requested ──supplemented──▶ received
       │  ├──refused──▶ refused
       │  └──processing_started──▶ in_processing ──handed_over / extended──▶ in_processing
       │                             ├──stopped──▶ stopped
       │                             └──result_ready──▶ result_ready ──returned──▶ returned

Guidance to supplement a dossier is given once, in writing (Decree 118 one-stop practice, as the
Cà Mau centre states it): a second supplement request for the same dossier is refused.
"""

from __future__ import annotations

from enum import StrEnum

from core.errors import SohoaError
from core.events import EventType

__all__ = [
    "ALLOWED_EVENTS",
    "EVENT_LABELS",
    "FORM_FOR_EVENT",
    "FORM_TITLES",
    "NEXT_STATUS",
    "STATUS_LABELS",
    "IllegalTransition",
    "Status",
]


class Status(StrEnum):
    """Where a dossier stands."""

    RECEIVED = "received"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    REFUSED = "refused"
    IN_PROCESSING = "in_processing"
    STOPPED = "stopped"
    RESULT_READY = "result_ready"
    RETURNED = "returned"


class IllegalTransition(SohoaError):
    """The lifecycle forbids this event in the dossier's current status; the message says why."""

    code = "illegal_transition"


STATUS_LABELS: dict[Status, tuple[str, str]] = {
    Status.RECEIVED: ("đã tiếp nhận", "received"),
    Status.SUPPLEMENT_REQUESTED: ("chờ bổ sung", "awaiting supplement"),
    Status.REFUSED: ("đã từ chối", "refused"),
    Status.IN_PROCESSING: ("đang giải quyết", "in processing"),
    Status.STOPPED: ("đã dừng giải quyết", "stopped"),
    Status.RESULT_READY: ("đã có kết quả", "result ready"),
    Status.RETURNED: ("đã trả kết quả", "returned"),
}

EVENT_LABELS: dict[EventType, tuple[str, str]] = {
    EventType.RECEIVED: ("tiếp nhận", "receive"),
    EventType.FIELDS_EDITED: ("sửa thông tin", "edit fields of"),
    EventType.PAGES_ADDED: ("thêm trang scan", "add pages to"),
    EventType.SUPPLEMENT_REQUESTED: ("yêu cầu bổ sung", "request a supplement for"),
    EventType.SUPPLEMENTED: ("nhận bổ sung", "take the supplement for"),
    EventType.REFUSED: ("từ chối", "refuse"),
    EventType.PROCESSING_STARTED: ("chuyển giải quyết", "start processing"),
    EventType.HANDED_OVER: ("chuyển giao", "hand over"),
    EventType.EXTENDED: ("gia hạn", "extend"),
    EventType.STOPPED: ("dừng giải quyết", "stop"),
    EventType.RESULT_READY: ("ghi nhận kết quả", "record the result of"),
    EventType.RETURNED: ("trả kết quả", "return"),
    EventType.FEE_PAID: ("thu phí", "take the fee for"),
    EventType.RATED: ("đánh giá", "rate"),
}

FORM_FOR_EVENT: dict[EventType, str] = {
    EventType.RECEIVED: "01",
    EventType.SUPPLEMENT_REQUESTED: "02",
    EventType.REFUSED: "03",
    EventType.EXTENDED: "04",
    EventType.STOPPED: "05",
    # The control slip's first row is the hand-off from the one-stop desk to processing.
    EventType.PROCESSING_STARTED: "06",
    EventType.HANDED_OVER: "06",
}

FORM_TITLES: dict[str, tuple[str, str]] = {
    "01": ("Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "Receipt and appointment slip"),
    "02": ("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Supplement request"),
    "03": ("Phiếu từ chối tiếp nhận giải quyết hồ sơ", "Refusal slip"),
    "04": (
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        "Apology and extension request",
    ),
    "05": ("Thông báo dừng giải quyết hồ sơ", "Notice of stopping processing"),
    "06": ("Phiếu kiểm soát quá trình giải quyết hồ sơ", "Processing-control slip"),
}

_OPEN = {EventType.FIELDS_EDITED, EventType.PAGES_ADDED, EventType.FEE_PAID}

ALLOWED_EVENTS: dict[Status, frozenset[EventType]] = {
    Status.RECEIVED: frozenset(
        _OPEN | {EventType.SUPPLEMENT_REQUESTED, EventType.REFUSED, EventType.PROCESSING_STARTED}
    ),
    Status.SUPPLEMENT_REQUESTED: frozenset(_OPEN | {EventType.SUPPLEMENTED}),
    Status.IN_PROCESSING: frozenset(
        _OPEN
        | {
            EventType.HANDED_OVER,
            EventType.EXTENDED,
            EventType.STOPPED,
            EventType.RESULT_READY,
        }
    ),
    Status.RESULT_READY: frozenset({EventType.RETURNED, EventType.FEE_PAID, EventType.RATED}),
    Status.RETURNED: frozenset({EventType.FEE_PAID, EventType.RATED}),
    Status.REFUSED: frozenset({EventType.RATED}),
    Status.STOPPED: frozenset({EventType.RATED}),
}

NEXT_STATUS: dict[EventType, Status] = {
    EventType.RECEIVED: Status.RECEIVED,
    EventType.SUPPLEMENT_REQUESTED: Status.SUPPLEMENT_REQUESTED,
    EventType.SUPPLEMENTED: Status.RECEIVED,
    EventType.REFUSED: Status.REFUSED,
    EventType.PROCESSING_STARTED: Status.IN_PROCESSING,
    EventType.STOPPED: Status.STOPPED,
    EventType.RESULT_READY: Status.RESULT_READY,
    EventType.RETURNED: Status.RETURNED,
}
