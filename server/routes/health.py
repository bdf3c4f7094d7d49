"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from server.db import MIGRATIONS
from server.deps import ContextDep
from server.schema import schema_migrations

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict:
    """Answer while the process is up."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(context: ContextDep) -> JSONResponse:
    """Answer 200 once the database answers and carries every migration, else 503."""
    try:
        with context.db.read() as conn:
            applied = set(conn.scalars(select(schema_migrations.c.version)))
    except SQLAlchemyError:
        return JSONResponse({"status": "unavailable", "reason": "database"}, status_code=503)
    missing = [version for version, _, _ in MIGRATIONS if version not in applied]
    if missing:
        return JSONResponse(
            {"status": "unavailable", "reason": "migrations", "missing": missing}, status_code=503
        )
    return JSONResponse({"status": "ready", "schema_version": max(applied)})
