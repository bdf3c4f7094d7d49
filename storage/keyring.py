"""The keys of an unlocked vault, held in memory only and forgotten on lock."""

from __future__ import annotations

from storage import crypto
from storage.errors import VaultLocked

__all__ = ["Keyring"]


class Keyring:
    """The vault key and the keys derived from the vault's root key, for one unlocked session.

    The vault key wraps per-dossier and per-blob keys and the root key; the root key (random,
    wrapped by the vault key, so rotation rewraps it instead of re-encrypting data) gives the
    blind-index, settings and audit keys.
    """

    def __init__(self, vault_key: bytes, root_key: bytes, vault_id: str, unit_code: str):
        self.vault_id = vault_id
        self.unit_code = unit_code
        self._vault_key: bytes | None = vault_key
        self._root_key: bytes | None = root_key
        self._derived: dict[str, bytes] = {}

    @property
    def vault_key(self) -> bytes:
        """The vault key.

        :raises VaultLocked: after `forget`.
        """
        if self._vault_key is None:
            raise VaultLocked()
        return self._vault_key

    def derived(self, label: str) -> bytes:
        """Return the root-derived key for one purpose (``index``, ``kv``, ``audit``)."""
        if self._root_key is None:
            raise VaultLocked()
        if label not in self._derived:
            self._derived[label] = crypto.derive_key(self._root_key, f"sohoa-root|{label}")
        return self._derived[label]

    @property
    def unlocked(self) -> bool:
        """Whether the keys are still held."""
        return self._vault_key is not None

    def aad(self, table: str, column: str, record: str) -> bytes:
        """Return the associated data for a value of this vault's unit."""
        return crypto.associated_data(table, column, record, self.unit_code)

    def seal(self, key: bytes, plaintext: bytes, table: str, column: str, record: str) -> bytes:
        """Encrypt one value bound to its table, column and record."""
        return crypto.seal(key, plaintext, self.aad(table, column, record))

    def open(self, key: bytes, box: bytes, table: str, column: str, record: str) -> bytes:
        """Decrypt one value.

        :raises TamperedData: when it was altered or moved from another place.
        """
        return crypto.open_box(key, box, self.aad(table, column, record), f"{table}.{column}")

    def unwrap(self, wrapped: bytes, where: str) -> bytes:
        """Unwrap a per-record key under the vault key."""
        return crypto.unwrap_key(self.vault_key, wrapped, where)

    def replace_vault_key(self, vault_key: bytes) -> None:
        """Use a rotated vault key from now on."""
        self._vault_key = vault_key

    def forget(self) -> None:
        """Drop every key (Python cannot zero memory; the objects become garbage)."""
        self._vault_key = None
        self._root_key = None
        self._derived.clear()
