"""The errors of the sync engine, each with a Vietnamese message first and an English one second.

::

    SyncError
    ├── Offline              the city server cannot be reached (no link, cut connection)
    │   └── TimedOut         the link is up but too slow: the request did not finish in time
    ├── ServerRefused        the server answered with an error status and a reason
    │   ├── ClockSkewed      the server refused the request time (401 with X-Server-Time)
    │   ├── UploadGone       a tus upload expired or was removed (404/410)
    │   └── OffsetMismatch   a tus chunk was sent at an offset the server does not hold (409)
    ├── ChecksumMismatch     the server discarded a chunk whose SHA-256 did not match (460)
    ├── NotEnrolled          this data directory holds no enrolled device yet
    └── UnknownDevice        a server at a new address does not know this device
"""

from __future__ import annotations

from core.errors import SohoaError

__all__ = [
    "ChecksumMismatch",
    "ClockSkewed",
    "NotEnrolled",
    "Offline",
    "OffsetMismatch",
    "ServerRefused",
    "SyncError",
    "TimedOut",
    "UnknownDevice",
    "UploadGone",
]


class SyncError(SohoaError):
    """Base of every error the sync engine raises."""

    code = "sync_error"


class Offline(SyncError):
    """The city server cannot be reached right now; trying again later is safe."""

    code = "offline"

    def __init__(self, detail: str):
        self.detail = detail
        super().__init__(
            f"Không kết nối được máy chủ thành phố ({detail})",
            f"Cannot reach the city server ({detail})",
        )


class TimedOut(Offline):
    """A request did not finish within its timeout; smaller chunks may get through."""

    code = "timed_out"


class ServerRefused(SyncError):
    """The server answered a request with an error status."""

    code = "server_refused"

    def __init__(self, status: int, reason: str, *, method: str = "", path: str = ""):
        self.status = status
        self.reason = reason
        self.method = method
        self.path = path
        super().__init__(
            f"Máy chủ từ chối {method} {path}: {status} {reason}".replace("  ", " "),
            f"The server refused {method} {path}: {status} {reason}".replace("  ", " "),
        )


class ClockSkewed(ServerRefused):
    """The server refused the signature time; `server_time` is its clock in unix seconds."""

    code = "clock_skewed"

    def __init__(self, server_time: int, *, method: str = "", path: str = ""):
        self.server_time = server_time
        super().__init__(401, f"clock skew, server time {server_time}", method=method, path=path)


class UnknownDevice(SyncError):
    """The server at a new address does not know this device: it is not the device's city."""

    code = "unknown_device"

    def __init__(self, url: str):
        self.url = url
        super().__init__(
            f"Máy chủ {url} không nhận ra thiết bị này; đó không phải máy chủ thành phố đã đăng ký",
            f"The server at {url} does not know this device; it is not the city it enrolled with",
        )


class UploadGone(ServerRefused):
    """The tus upload no longer exists on the server; it must be created again."""

    code = "upload_gone"


class OffsetMismatch(ServerRefused):
    """The server holds a different offset for the tus upload than the one sent."""

    code = "offset_mismatch"


class ChecksumMismatch(SyncError):
    """The server discarded a chunk because its SHA-256 did not match the bytes it received."""

    code = "checksum_mismatch"

    def __init__(self, url: str, offset: int):
        self.url = url
        self.offset = offset
        super().__init__(
            f"Khối dữ liệu tại vị trí {offset} bị hỏng trên đường truyền; sẽ gửi lại",
            f"The chunk at offset {offset} was corrupted in transit; it will be sent again",
        )


class NotEnrolled(SyncError):
    """The data directory holds no enrolled device."""

    code = "not_enrolled"

    def __init__(self, data_dir: str):
        self.data_dir = data_dir
        super().__init__(
            f"Thiết bị chưa được đăng ký ({data_dir}); chạy 'sohoa device enroll URL MÃ' trước",
            f"This device is not enrolled ({data_dir}); run 'sohoa device enroll URL CODE' first",
        )
