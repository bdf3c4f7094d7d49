"""The citizen document store (kho dữ liệu): digitised documents and results by CCCD and type.

A later dossier reuses what is already digitised instead of scanning it again. Documents are
indexed as events are accepted; every lookup is authorised by the caller and written to the
hash-chained audit log in the same transaction.
"""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import Connection, select

from core.errors import SohoaError
from core.events import Event, EventType
from server.audit import append_audit
from server.devices import Device
from server.feed import CatalogueVersions, canonical_json
from server.schema import documents

__all__ = [
    "document_rows",
    "find_document_page",
    "find_documents",
    "find_documents_for_device",
]


def _component_types(
    catalogues: CatalogueVersions, version: str, procedure_code: str
) -> dict[str, str]:
    try:
        procedure = catalogues.version(version).get(procedure_code)
    except SohoaError:
        return {}
    return {c.id: c.document_type for c in procedure.components if c.document_type}


def _row(
    cccd: str, document_type: str, event: Event, pages: list[dict[str, Any]], is_result: bool
) -> dict[str, Any]:
    return {
        "cccd": cccd,
        "document_type": document_type,
        "dossier_id": event.dossier_id,
        "event_id": event.id,
        "pages": canonical_json(pages),
        "is_result": is_result,
        "stored_at": time.time(),
    }


def document_rows(state: Any, event: Event, catalogues: CatalogueVersions) -> list[dict[str, Any]]:
    """Return the document-store rows an accepted event brings (component pages, results)."""
    cccd = (state.applicant or {}).get("cccd")
    if not cccd:
        return []
    payload = event.payload
    if event.type is EventType.RESULT_READY:
        result = payload["result"]
        if result["digitised"] and result["pages"]:
            return [_row(cccd, result["document_type"], event, result["pages"], True)]
        return []
    if event.type is EventType.RECEIVED:
        parts = payload["components"]
    elif event.type is EventType.PAGES_ADDED:
        parts = [payload]
    else:
        return []
    types = _component_types(catalogues, state.catalogue_version, state.procedure_code)
    pages_by_type: dict[str, list[dict[str, Any]]] = {}
    for part in parts:
        document_type = types.get(part["component_id"])
        if document_type and part["pages"]:
            pages_by_type.setdefault(document_type, []).extend(part["pages"])
    return [_row(cccd, kind, event, pages, False) for kind, pages in pages_by_type.items()]


def find_documents(
    conn: Connection, actor: str, cccd: str, document_type: str | None, purpose: str
) -> list[dict]:
    """Return a citizen's stored documents (newest first) and audit the lookup.

    Call inside a write transaction, so the lookup and its audit entry stand or fall together.
    """
    query = select(documents).where(documents.c.cccd == cccd).order_by(documents.c.seq.desc())
    if document_type is not None:
        query = query.where(documents.c.document_type == document_type)
    found = [
        {
            "document_type": row.document_type,
            "dossier_id": row.dossier_id,
            "event_id": row.event_id,
            "pages": json.loads(row.pages),
            "is_result": row.is_result,
            "stored_at": row.stored_at,
        }
        for row in conn.execute(query)
    ]
    append_audit(
        conn,
        actor,
        "documents.lookup",
        cccd,
        {"document_type": document_type, "purpose": purpose, "found": len(found)},
    )
    return found


def _document(row: Any) -> dict:
    return {
        "document_type": row.document_type,
        "dossier_id": row.dossier_id,
        "event_id": row.event_id,
        "pages": json.loads(row.pages),
        "is_result": row.is_result,
        "stored_at": row.stored_at,
    }


def find_documents_for_device(
    conn: Connection,
    device: Device,
    cccd: str,
    document_types: list[str] | None,
    reason: dict[str, str],
) -> list[dict]:
    """Return a citizen's stored documents for a counter device and audit the lookup.

    Any unit may receive a boundary-free dossier for any citizen, so every active device may
    ask; what stops abuse is the audit entry naming the device, its unit and the stated reason.
    Call inside a write transaction, as :func:`find_documents`.
    """
    query = select(documents).where(documents.c.cccd == cccd).order_by(documents.c.seq.desc())
    if document_types:
        query = query.where(documents.c.document_type.in_(document_types))
    found = [_document(row) for row in conn.execute(query)]
    detail = {"unit": device.unit_code, "document_types": document_types, "found": len(found)}
    append_audit(conn, f"device:{device.id}", "documents.lookup", cccd, {**reason, **detail})
    return found


def find_document_page(
    conn: Connection, device: Device, cccd: str, sha256: str, reason: dict[str, str]
) -> dict | None:
    """Return the stored page `sha256` of one of the citizen's documents (None if it is not one).

    The attempt is audited whether or not the page belongs to the citizen.
    """
    query = select(documents).where(
        documents.c.cccd == cccd, documents.c.pages.contains(sha256, autoescape=True)
    )
    page = next(
        (
            page
            for row in conn.execute(query)
            for page in json.loads(row.pages)
            if page["sha256"] == sha256
        ),
        None,
    )
    detail = {"unit": device.unit_code, "sha256": sha256, "found": page is not None}
    append_audit(conn, f"device:{device.id}", "documents.page", cccd, {**reason, **detail})
    return page
