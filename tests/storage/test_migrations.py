"""Vault migrations run whole or not at all (sqlite-utils keeps a script inside the
migration's transaction), and keep what the vault held."""

from __future__ import annotations

import sqlite3

import pytest

from storage import Vault
from storage.errors import ForeignVault

KINDS_MIGRATION = "m003_publication_kinds"


def _back_to_one_kind(path, rows: list[tuple]) -> None:
    """Rewrite the catalogue table as it was before publications had kinds, holding `rows`."""
    old = sqlite3.connect(path)
    with old:
        old.execute("DROP TABLE catalogue")
        # No NOT NULL on body here, so a damaged row can make the migration fail half-way.
        old.execute(
            "CREATE TABLE catalogue (version TEXT PRIMARY KEY, body BLOB,"
            " stored_ms INTEGER NOT NULL)"
        )
        old.executemany("INSERT INTO catalogue VALUES (?, ?, ?)", rows)
        old.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [KINDS_MIGRATION])
    old.close()


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_catalogue_rows_become_catalogue_publications(vault, kit):
    path = vault.data_dir / "vault.db"
    vault.close()
    _back_to_one_kind(path, [("2025.1", b'{"version": "2025.1"}', 1)])
    reopened = Vault.open(vault.data_dir, kdf_cost=kit.TEST_KDF_COST)
    assert reopened.catalogue.versions() == ["2025.1"]
    assert reopened.catalogue.versions(kind="calendar") == []
    reopened.close()


def test_a_migration_that_fails_half_way_leaves_the_vault_as_it_was(vault, kit):
    path = vault.data_dir / "vault.db"
    vault.close()
    _back_to_one_kind(path, [("2025.1", b"{}", 1), ("2025.2", None, 2)])
    with pytest.raises(ForeignVault):
        Vault.open(vault.data_dir, kdf_cost=kit.TEST_KDF_COST)
    # The table made by the migration's first statement went with the failed insert.
    assert "catalogue_kinds" not in _tables(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM catalogue").fetchone() == (2,)
