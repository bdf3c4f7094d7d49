"""The error tree shared by every SoHoa package.

Every error a user can meet carries a Vietnamese message first and an English one second::

    SohoaError
    ├── SettingsError            core.settings: flet.toml is missing a key or holds a bad value
    ├── CatalogueError           core.catalogue: bad catalogue data (file, procedure, field)
    ├── UnknownProcedure         core.catalogue: no procedure with that code in this version
    ├── FeeError                 core.catalogue: a fee asked for an impossible page/copy count
    ├── RoutingError             core.catalogue: no competent unit from the applicant's data
    ├── UnknownUnit              core.units: no administrative unit with that code
    ├── CalendarError            core.calendar: a bad row in a yearly schedule table
    ├── DossierCodeError         core.codes: a malformed dossier code or issuer state
    │   └── CodeSpaceExhausted   core.codes: a device used up its daily sequence slot
    ├── IdentityError            core.identity: a CCCD number or chip-card QR payload is wrong
    ├── BadId                    core.ids: not a UUIDv7
    ├── ClockError               core.clock: a malformed hybrid logical clock reading
    ├── IllegalTransition        core.lifecycle: the lifecycle forbids this event now
    ├── WireFormatError          core.wire: an event on the wire is malformed
    ├── SignatureFormatError     core.signing: malformed signature headers
    ├── ScanError                scan.errors (and subclasses there)
    ├── VaultError               storage.errors (and subclasses there)
    ├── SyncError                sync.errors (and subclasses there)
    └── ServerProblem            server.errors (and subclasses there)

Each package defines its own subclasses in its own ``errors.py``.
"""

from __future__ import annotations

__all__ = ["SohoaError"]


class SohoaError(Exception):
    """Base of every SoHoa error: a Vietnamese message, an English one, and a machine code."""

    code: str = "error"

    def __init__(self, message_vi: str, message_en: str | None = None, *, code: str | None = None):
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        if code is not None:
            self.code = code
        super().__init__(f"{self.message_vi} / {self.message_en}")

    def message(self, language: str = "vi") -> str:
        """Return the message in `language` ("vi" or "en")."""
        return self.message_en if language == "en" else self.message_vi
