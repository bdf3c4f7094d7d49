"""Dossier summaries, blind-index search and paged lists, without plaintext on disk.

A dossier's plaintext columns (code, status, dates) exist only to filter and sort; what a list
shows comes from the summary box (AES-GCM under the dossier's key), so an edited column cannot
change what an officer sees. Names and CCCD numbers are found through blind indexes: keyed
HMAC-SHA256 truncated to 16 bits, so each bucket holds other values too (by design: the index
alone does not single out a person); every candidate is decrypted and compared.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from core.dossier import DossierState
from core.text import tokens
from storage import crypto
from storage.keyring import Keyring

__all__ = ["OPEN_STATUSES", "DossierPage", "DossierSearch", "DossierSummary"]

OPEN_STATUSES = ("received", "supplement_requested", "in_processing")


@dataclass(frozen=True)
class DossierSummary:
    """What a dossier list row shows, decrypted and authenticated."""

    id: str
    code: str
    status: str
    procedure_code: str
    applicant_name: str
    applicant_cccd: str
    received_at: datetime
    due_at: datetime
    unsynced: bool


@dataclass(frozen=True)
class DossierPage:
    """One page of a dossier list; pass `next_after` as `after` for the next page."""

    items: list[DossierSummary]
    next_after: str | None


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class DossierSearch:
    """Summaries, search and lists over the dossiers of one unlocked vault."""

    def __init__(self, db: Database, keyring: Keyring, clock_ms: Callable[[], int]):
        self._db = db
        self._keys = keyring
        self._clock_ms = clock_ms

    def _summary_columns(self, dossier_id: str, key: bytes, state: DossierState) -> dict:
        summary = {
            "code": state.code,
            "status": str(state.status),
            "procedure_code": state.procedure_code,
            "applicant_name": state.applicant.get("name", ""),
            "applicant_cccd": state.applicant.get("cccd", ""),
            "received_at": _utc(state.received_at),
            "due_at": _utc(state.due_at),
        }
        box = self._keys.seal(key, json.dumps(summary).encode(), "dossiers", "summary", dossier_id)
        return {
            "code": state.code,
            "status": str(state.status),
            "received_at": summary["received_at"],
            "due_at": summary["due_at"],
            "summary_box": box,
        }

    def _reindex(self, dossier_id: str, state: DossierState) -> None:
        self._db.execute("DELETE FROM search WHERE dossier_id = ?", [dossier_id])
        rows = {("name", self._token("name", t)) for t in tokens(state.applicant.get("name", ""))}
        cccd = _digits(state.applicant.get("cccd", ""))
        if cccd:
            rows.add(("cccd", self._token("cccd", cccd)))
        received_at = _utc(state.received_at)
        self._db.table("search").insert_all(
            (
                {"kind": k, "token": t, "received_at": received_at, "dossier_id": dossier_id}
                for k, t in rows
            ),
            ignore=True,
        )

    def _token(self, kind: str, value: str) -> int:
        return crypto.blind_index(self._keys.derived(f"index|{kind}"), value)

    def _load(self, ids: list[str]) -> list[DossierSummary]:
        """Decrypt the summaries of `ids`, in that order."""
        if not ids:
            return []
        rows = {
            row["id"]: row
            for row in self._db.query(
                "SELECT id, wrapped_key, summary_box, unsynced"
                f" FROM dossiers WHERE id IN ({','.join('?' * len(ids))})",
                ids,
            )
        }
        return [self._summary(rows[i]) for i in ids if i in rows]

    def _summary(self, row: dict) -> DossierSummary:
        key = self._keys.unwrap(row["wrapped_key"], "dossiers.wrapped_key")
        data = json.loads(
            self._keys.open(key, row["summary_box"], "dossiers", "summary", row["id"])
        )
        return DossierSummary(
            id=row["id"],
            code=data["code"],
            status=data["status"],
            procedure_code=data["procedure_code"],
            applicant_name=data["applicant_name"],
            applicant_cccd=data["applicant_cccd"],
            received_at=datetime.fromisoformat(data["received_at"]),
            due_at=datetime.fromisoformat(data["due_at"]),
            unsynced=bool(row["unsynced"]),
        )

    def _ids(self, sql: str, params: list) -> list[str]:
        return [row[0] for row in self._db.execute(sql, params).fetchall()]

    def find_by_code(self, code: str) -> DossierSummary | None:
        """Return the dossier with this code, or None."""
        found = self._load(self._ids("SELECT id FROM dossiers WHERE code = ?", [code]))
        return found[0] if found else None

    def find_by_cccd(self, cccd: str) -> list[DossierSummary]:
        """Return the dossiers whose applicant has this CCCD number, newest first."""
        wanted = _digits(cccd)
        candidates = self._ids(
            "SELECT dossier_id FROM search WHERE kind = 'cccd' AND token = ?"
            " ORDER BY received_at DESC, dossier_id DESC",
            [self._token("cccd", wanted)],
        )
        return [s for s in self._load(candidates) if _digits(s.applicant_cccd) == wanted]

    def find_by_name(self, text: str, limit: int = 50) -> list[DossierSummary]:
        """Return up to `limit` dossiers, newest first, whose applicant has every word of `text`.

        Diacritics and case do not matter ("nguyen van an" finds "Nguyễn Văn An").
        """
        words = tokens(text)
        if not words:
            return []
        numbers = {self._token("name", w) for w in words}
        # Walk the rarest word's bucket newest first and keep dossiers that have the other
        # words too, a page at a time: a common surname costs one page, not one per dossier.
        sizes = {
            n: self._db.execute(
                "SELECT count(*) FROM search WHERE kind = 'name' AND token = ?", [n]
            ).fetchone()[0]
            for n in numbers
        }
        rarest = min(numbers, key=lambda n: (sizes[n], n))
        others = sorted(numbers - {rarest})
        sql = "SELECT s.dossier_id FROM search s WHERE s.kind = 'name' AND s.token = ?"
        if others:
            sql += (
                " AND (SELECT count(*) FROM search t WHERE t.dossier_id = s.dossier_id"
                f" AND t.kind = 'name' AND t.token IN ({','.join('?' * len(others))})) = ?"
            )
        sql += " ORDER BY s.received_at DESC, s.dossier_id DESC LIMIT ? OFFSET ?"
        found: list[DossierSummary] = []
        offset = 0
        while len(found) < limit:
            ids = self._ids(
                sql, [rarest, *others, *([len(others)] if others else []), limit, offset]
            )
            wanted = set(words)
            found += [s for s in self._load(ids) if wanted <= set(tokens(s.applicant_name))]
            if len(ids) < limit:
                break
            offset += limit
        return found[:limit]

    def _conditions(
        self,
        due_before: datetime | None,
        overdue: bool,
        unsynced: bool,
        received_since: datetime | None,
    ) -> tuple[list[str], list]:
        """The WHERE terms and parameters of the filters other than status."""
        where, params = [], []
        if due_before is not None:
            where.append("d.due_at < ?")
            params.append(_utc(due_before))
        if overdue:
            where.append("d.due_at < ?")
            params.append(_utc(datetime.fromtimestamp(self._clock_ms() / 1000, UTC)))
        if unsynced:
            where.append("d.unsynced = 1")
        if received_since is not None:
            where.append("d.received_at >= ?")
            params.append(_utc(received_since))
        return where, params

    def list(
        self,
        *,
        status: str | Sequence[str] | None = None,
        due_before: datetime | None = None,
        overdue: bool = False,
        unsynced: bool = False,
        after: str | None = None,
        limit: int = 50,
    ) -> DossierPage:
        """Return one page of dossiers, newest received first, with optional filters.

        :param status: one status or several.
        :param overdue: only open dossiers (received, awaiting supplement, in processing)
          whose due time has passed.
        :param after: the `next_after` of the previous page.
        """
        where, params = self._conditions(due_before, overdue, unsynced, None)
        if after is not None:
            received_at, _, last_id = after.partition("|")
            where.append("(d.received_at, d.id) < (?, ?)")
            params += [received_at, last_id]
        statuses = _statuses(status, overdue)
        # Each walk reads one index newest first and stops after a page: the few unsynced
        # dossiers have their own index; a status filter walks that status's part of the status
        # index (one walk per status, merged); anything else walks the list index, which holds
        # every filter column.
        if unsynced:
            walks = [("dossiers_unsynced", _status_terms(statuses))]
        elif statuses is not None:
            walks = [("dossiers_status", (["d.status = ?"], [s])) for s in statuses]
        else:
            walks = [("dossiers_list", ([], []))]
        rows = []
        for index, (terms, values) in walks:
            rows += self._db.execute(
                f"SELECT d.id, d.received_at FROM dossiers d INDEXED BY {index}"
                f" WHERE {' AND '.join(['1 = 1', *where, *terms])}"
                " ORDER BY d.received_at DESC, d.id DESC LIMIT ?",
                [*params, *values, limit],
            ).fetchall()
        rows = sorted(rows, key=lambda row: (row[1], row[0]), reverse=True)[:limit]
        items = self._load([row[0] for row in rows])
        next_after = f"{rows[-1][1]}|{rows[-1][0]}" if len(rows) == limit else None
        return DossierPage(items, next_after)

    def count(
        self,
        *,
        status: str | Sequence[str] | None = None,
        due_before: datetime | None = None,
        overdue: bool = False,
        unsynced: bool = False,
        received_since: datetime | None = None,
    ) -> int:
        """Return how many dossiers match the filters of `list` and were received since a time.

        Without filters, every dossier of the vault is counted.
        """
        where, params = self._conditions(due_before, overdue, unsynced, received_since)
        terms, values = _status_terms(_statuses(status, overdue))
        return self._db.execute(
            f"SELECT count(*) FROM dossiers d WHERE {' AND '.join(['1 = 1', *where, *terms])}",
            [*params, *values],
        ).fetchone()[0]

    def due_soonest(self, before: datetime, limit: int) -> list[DossierSummary]:
        """Return up to `limit` open dossiers due before `before`, soonest first."""
        rows = []
        for status in OPEN_STATUSES:  # each walk reads the due index in due order, a page long
            rows += self._db.execute(
                "SELECT id, due_at FROM dossiers INDEXED BY dossiers_due"
                " WHERE status = ? AND due_at < ? ORDER BY due_at, id LIMIT ?",
                [status, _utc(before), limit],
            ).fetchall()
        rows = sorted(rows, key=lambda row: (row[1], row[0]))[:limit]
        return self._load([row[0] for row in rows])


def _statuses(status: str | Sequence[str] | None, overdue: bool) -> tuple[str, ...] | None:
    """The statuses a filter lets through, or None for any."""
    wanted = None if status is None else (status,) if isinstance(status, str) else tuple(status)
    if overdue:
        wanted = tuple(s for s in wanted or OPEN_STATUSES if s in OPEN_STATUSES)
    return wanted


def _status_terms(statuses: tuple[str, ...] | None) -> tuple[list[str], list]:
    if statuses is None:
        return [], []
    return [f"d.status IN ({','.join('?' * len(statuses))})"], list(statuses)


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
