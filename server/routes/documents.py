"""The citizen document store: look up digitised documents by CCCD, every lookup audited."""

from __future__ import annotations

from fastapi import APIRouter, Query

from server.deps import ContextDep, StaffDep
from server.documents import find_documents

router = APIRouter(prefix="/v1", tags=["documents"])

CCCD_PATTERN = r"^\d{12}$"


@router.get("/documents")
def staff_lookup(
    member: StaffDep,
    context: ContextDep,
    cccd: str = Query(pattern=CCCD_PATTERN),
    purpose: str = Query(min_length=3, max_length=200),
    document_type: str | None = Query(default=None, max_length=100),
) -> dict:
    """Return a citizen's documents for a staff member (who states why; the log keeps it)."""
    with context.db.write() as conn:
        found = find_documents(conn, f"staff:{member.username}", cccd, document_type, purpose)
    return {"cccd": cccd, "documents": found}
