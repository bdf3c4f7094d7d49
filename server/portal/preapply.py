"""Pre-applications: a citizen photographs a procedure's components at home and gets a code to
bring, with the originals, to any centre; the officer finds the pages by that code and verifies
the originals against them instead of scanning again.

The portal keeps them in its own tables next to the server's (created when it is mounted).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field

from sqlalchemy import Column, Connection, Float, Integer, MetaData, String, Table, Text, select

from core.catalogue import Catalogue
from core.preapplication import PREAPPLICATION_PREFIX, normalise_preapplication_code
from server.portal.errors import UnknownPreApplication

__all__ = [
    "PREAPPLICATION_DAYS",
    "PreApplication",
    "create_tables",
    "find_preapplication",
    "issue_preapplication",
    "normalise_preapplication_code",
]

PREAPPLICATION_DAYS = 30
# Crockford's base 32 without I, L, O, U: nothing to misread when an officer types it.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

metadata = MetaData()

preapplications = Table(
    "portal_preapplications",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("procedure_code", String(60), nullable=False),
    Column("catalogue_version", String(40), nullable=False),
    Column("components", Text, nullable=False),  # JSON: [{component_id, pages: [...]}]
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False, index=True),
    Column("page_count", Integer, nullable=False),
)


def create_tables(conn: Connection) -> None:
    """Create the portal's tables if they are not there yet."""
    metadata.create_all(conn, checkfirst=True)


@dataclass
class PreApplication:
    """A pre-application being put together, or found again by its code."""

    procedure_code: str
    catalogue_version: str
    components: dict[str, list[dict]] = field(default_factory=dict)
    code: str | None = None

    def add_page(self, component_id: str, record: dict) -> None:
        """Add a stored page's record to a component."""
        self.components.setdefault(component_id, []).append(record)

    @property
    def page_count(self) -> int:
        """Return how many pages were photographed."""
        return sum(len(pages) for pages in self.components.values())

    def to_dict(self) -> dict:
        """Return the pre-application as the counter app takes it (RECEIVED components)."""
        return {
            "code": self.code,
            "procedure_code": self.procedure_code,
            "catalogue_version": self.catalogue_version,
            "components": [
                {"component_id": cid, "pages": pages} for cid, pages in self.components.items()
            ],
        }


def _new_code() -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{PREAPPLICATION_PREFIX}-{body[:4]}-{body[4:]}"


def issue_preapplication(
    conn: Connection, draft: PreApplication, catalogue: Catalogue
) -> PreApplication:
    """Store `draft` under a new code and return it with the code set.

    :raises UnknownProcedure: the procedure is not in `catalogue`
    """
    catalogue.get(draft.procedure_code)
    now = time.time()
    draft.code = _new_code()
    conn.execute(
        preapplications.insert().values(
            code=draft.code,
            procedure_code=draft.procedure_code,
            catalogue_version=draft.catalogue_version,
            components=json.dumps(draft.to_dict()["components"], ensure_ascii=False),
            created_at=now,
            expires_at=now + PREAPPLICATION_DAYS * 86400,
            page_count=draft.page_count,
        )
    )
    return draft


def find_preapplication(conn: Connection, code: str) -> PreApplication:
    """Return the pre-application issued under `code`.

    :raises UnknownPreApplication: no such code, or it has expired
    """
    row = conn.execute(
        select(preapplications).where(
            preapplications.c.code == normalise_preapplication_code(code),
            preapplications.c.expires_at > time.time(),
        )
    ).first()
    if row is None:
        raise UnknownPreApplication()
    components = {c["component_id"]: c["pages"] for c in json.loads(row.components)}
    return PreApplication(row.procedure_code, row.catalogue_version, components, row.code)
