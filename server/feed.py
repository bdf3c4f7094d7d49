"""The change feed: what each unit and device may see, appended in order and read by cursor.

Publications (catalogue and calendar versions) go to every unit. The server's catalogue is the
shipped one plus every catalogue version published in its database, so a dossier received under
a version the city published is read against that version; its working-day calendar is likewise
the shipped yearly tables with the published ones on top.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from core.calendar import (
    WorkCalendar,
    parse_calendar,
    shipped_tables,
    usable_calendar,
)
from core.catalogue import (
    Catalogue,
    CatalogueHistory,
    history_with,
    load_history,
    shipped_publications,
    usable_history,
)
from server.keys import ServerKeys
from server.schema import changes, publications

__all__ = [
    "PUBLICATION_KINDS",
    "CatalogueVersions",
    "append_command",
    "canonical_json",
    "catalogue_history",
    "list_publications",
    "publish",
    "publish_shipped",
    "read_feed",
    "work_calendar",
]

log = logging.getLogger("sohoa.server")

PUBLICATION_KINDS = ("catalogue", "calendar")


def canonical_json(value: Any) -> str:
    """Return `value` as canonical JSON text: sorted keys, compact, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def append_command(
    conn: Connection, keys: ServerKeys, device_id: str, command: str, detail: dict
) -> dict:
    """Queue a server-signed command (``wipe``) for one device and return it."""
    body = {"command": command, "device_id": device_id, "issued_at": int(time.time()), **detail}
    signed = {**body, "signature": keys.sign(canonical_json(body).encode())}
    conn.execute(
        changes.insert().values(
            unit_code=None, device_id=device_id, kind="command", body=canonical_json(signed)
        )
    )
    return signed


def publish(conn: Connection, kind: str, version: str, body: dict) -> bool:
    """Publish a catalogue or calendar version to every unit; False if it was already out.

    :raises CatalogueError: (core) a catalogue body that does not replay after the versions
      already out, or that names another version; nothing is stored.
    :raises CalendarError: (core) a calendar body `core.calendar.parse_calendar` refuses (422
      ``bad_calendar``); nothing is stored.
    """
    exists = conn.execute(
        select(publications.c.kind).where(
            publications.c.kind == kind, publications.c.version == version
        )
    ).first()
    if exists:
        return False
    if kind == "catalogue":
        rows = _publication_rows(conn, "catalogue")
        usable = _usable("catalogue", rows)
        kept = {v: json.loads(b) for v, b in rows if v in usable}
        history_with({**kept, version: body})
    elif kind == "calendar":
        parse_calendar(version, body)
    conn.execute(
        publications.insert().values(
            kind=kind, version=version, body=canonical_json(body), published_at=time.time()
        )
    )
    item = {"kind": kind, "version": version, "body": body}
    conn.execute(
        changes.insert().values(
            unit_code=None, device_id=None, kind=kind, body=canonical_json(item)
        )
    )
    return True


def publish_shipped(conn: Connection) -> list[str]:
    """Publish each shipped catalogue version and yearly table not out yet; return those now out."""
    catalogues = [(body["version"], body) for _name, body in shipped_publications()]
    tables = [(table.version, table.body()) for table in shipped_tables()]
    return [
        version
        for kind, shipped in (("catalogue", catalogues), ("calendar", tables))
        for version, body in shipped
        if publish(conn, kind, version, body)
    ]


def list_publications(conn: Connection) -> list[dict]:
    """Return every published version as ``{kind, version, body}``, in order of publication."""
    rows = conn.execute(
        select(publications).order_by(
            publications.c.published_at, publications.c.kind, publications.c.version
        )
    ).all()
    return [
        {"kind": row.kind, "version": row.version, "body": json.loads(row.body)} for row in rows
    ]


def _publication_rows(conn: Connection, kind: str) -> tuple[tuple[str, str], ...]:
    rows = conn.execute(
        select(publications.c.version, publications.c.body)
        .where(publications.c.kind == kind)
        .order_by(publications.c.version)
    ).all()
    return tuple((row.version, row.body) for row in rows)


# How a kind's published bodies become one usable whole, and what a body that fails leaves out.
_BUILDERS: dict[str, Callable[[dict[str, Any]], tuple[Any, list]]] = {
    "catalogue": usable_history,
    "calendar": usable_calendar,
}


@lru_cache(maxsize=16)
def _usable(kind: str, rows: tuple[tuple[str, str], ...]) -> Any:
    built, errors = _BUILDERS[kind]({version: json.loads(body) for version, body in rows})
    for error in errors:  # only rows written before bodies were checked can get here
        log.warning("%s publication skipped: %s", kind, error)
    return built


def catalogue_history(conn: Connection) -> CatalogueHistory:
    """Return the shipped catalogue and every version published in this database, replayed."""
    return _usable("catalogue", _publication_rows(conn, "catalogue"))


def work_calendar(conn: Connection) -> WorkCalendar:
    """Return the working-day calendar: shipped yearly tables and those published here on top."""
    return _usable("calendar", _publication_rows(conn, "calendar"))


class CatalogueVersions:
    """Finds catalogue versions during one transaction, reading the database only when needed.

    ``CatalogueVersions(conn).version("2026.1").get("1.001193")``
    """

    def __init__(self, conn: Connection):
        self._conn = conn
        self._shipped = load_history()
        self._published: CatalogueHistory | None = None

    def version(self, version: str) -> Catalogue:
        """Return the catalogue of one version id, shipped or published here.

        :raises UnknownProcedure: (core) no publication has this version id.
        """
        if version in self._shipped:
            return self._shipped.version(version)
        if self._published is None:
            self._published = catalogue_history(self._conn)
        return self._published.version(version)


def read_feed(
    conn: Connection, unit_code: str, device_id: str, cursor: int, limit: int, commands_only: bool
) -> tuple[list[dict], int]:
    """Return the changes after `cursor` that a device of `unit_code` may see, and the new cursor.

    :param commands_only: a device being wiped sees only the commands addressed to it
    """
    mine = changes.c.device_id == device_id
    scope = mine
    if not commands_only:
        everyone = and_(changes.c.unit_code.is_(None), changes.c.device_id.is_(None))
        scope = or_(changes.c.unit_code == unit_code, everyone, mine)
    rows = conn.execute(
        select(changes.c.seq, changes.c.kind, changes.c.body)
        .where(changes.c.seq > cursor, scope)
        .order_by(changes.c.seq)
        .limit(limit)
    ).all()
    items = [{"seq": row.seq, "kind": row.kind, "body": json.loads(row.body)} for row in rows]
    return items, (rows[-1].seq if rows else cursor)
