"""The errors of the device vault, each with a Vietnamese message first and an English one second.

::

    VaultError
    ├── VaultNotFound      the data dir holds no vault (never created, or wiped)
    ├── VaultExists        a vault is already in this data dir
    ├── ForeignVault       the database belongs to another device secret or is not a vault
    ├── TamperedData       a ciphertext, blob or audit chain fails its integrity check
    ├── UnlockRefused      the PIN was not accepted
    │   ├── WrongPin       wrong PIN; `failures` says how many in a row
    │   ├── UnlockThrottled  too many failures: wait `retry_after` seconds
    │   └── SlotWiped      too many failures: this officer's key slot is gone
    ├── OfficerError       unknown officer, weak PIN, removing the last officer, ...
    ├── NotFound           no dossier, event or blob with that id or hash
    ├── DossierRejected    the events do not make a valid dossier (wrong dossier, illegal step)
    ├── VaultLocked        the session was locked; unlock again
    └── StorageFull        the disk (or file-size limit) is full; nothing was half-written
"""

from __future__ import annotations

from core.errors import SohoaError

__all__ = [
    "DossierRejected",
    "ForeignVault",
    "NotFound",
    "OfficerError",
    "SlotWiped",
    "StorageFull",
    "TamperedData",
    "UnlockRefused",
    "UnlockThrottled",
    "VaultError",
    "VaultExists",
    "VaultLocked",
    "VaultNotFound",
    "WrongPin",
]


class VaultError(SohoaError):
    """Base of every error the device vault raises."""

    code = "vault_error"


class VaultNotFound(VaultError):
    """The data dir holds no vault: never created, or wiped."""

    code = "vault_not_found"


class VaultExists(VaultError):
    """A vault already exists in this data dir; it is never overwritten."""

    code = "vault_exists"


class ForeignVault(VaultError):
    """The database is not a SoHoa vault, or belongs to another device secret."""

    code = "foreign_vault"


class TamperedData(VaultError):
    """Stored bytes fail their integrity check (bit flip, swapped row, truncated blob)."""

    code = "tampered_data"

    def __init__(self, where: str):
        self.where = where
        super().__init__(
            f"Dữ liệu đã bị thay đổi hoặc hỏng: {where}",
            f"Stored data was altered or is corrupt: {where}",
        )


class UnlockRefused(VaultError):
    """The vault stays locked."""

    code = "unlock_refused"


class WrongPin(UnlockRefused):
    """The PIN does not open this officer's key slot."""

    code = "wrong_pin"

    def __init__(self, failures: int, attempts_left: int):
        self.failures = failures
        self.attempts_left = attempts_left
        super().__init__(
            f"Mã PIN không đúng; còn {attempts_left} lần thử",
            f"Wrong PIN; {attempts_left} attempts left",
        )


class UnlockThrottled(UnlockRefused):
    """Too many wrong PINs in a row: the next try must wait."""

    code = "unlock_throttled"

    def __init__(self, retry_after: float):
        self.retry_after = retry_after
        super().__init__(
            f"Sai PIN quá nhiều lần; thử lại sau {retry_after:.0f} giây",
            f"Too many wrong PINs; try again in {retry_after:.0f} seconds",
        )


class SlotWiped(UnlockRefused):
    """The officer's key slot was erased after too many wrong PINs."""

    code = "slot_wiped"

    def __init__(self) -> None:
        super().__init__(
            "Khoá của cán bộ đã bị xoá do nhập sai PIN quá nhiều lần; cần cấp lại",
            "This officer's key slot was erased after too many wrong PINs; re-enrol the officer",
        )


class OfficerError(VaultError):
    """An officer operation is not allowed (unknown officer, weak PIN, last officer)."""

    code = "officer_error"


class NotFound(VaultError):
    """No dossier, event or blob with that id or hash is in the vault."""

    code = "not_found"

    def __init__(self, kind: str, key: str):
        self.kind = kind
        self.key = key
        super().__init__(f"Không tìm thấy {kind} {key}", f"No {kind} {key} in the vault")


class DossierRejected(VaultError):
    """The events do not make a valid dossier; nothing was written."""

    code = "dossier_rejected"


class VaultLocked(VaultError):
    """The session was locked (or the vault wiped); unlock again."""

    code = "vault_locked"

    def __init__(self) -> None:
        super().__init__("Kho dữ liệu đang khoá", "The vault is locked")


class StorageFull(VaultError):
    """The disk or the file-size limit is full; the write was undone whole."""

    code = "storage_full"

    def __init__(self) -> None:
        super().__init__(
            "Bộ nhớ thiết bị đã đầy; chưa lưu gì, dữ liệu cũ vẫn nguyên vẹn",
            "Device storage is full; nothing was saved and earlier data is intact",
        )
