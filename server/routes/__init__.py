"""One router per resource; :data:`ROUTERS` is what ``create_app`` mounts."""

from __future__ import annotations

from server.routes import (
    admin,
    blobs,
    bundles,
    device_documents,
    documents,
    dossiers,
    enrolment,
    events,
    feed,
    figures,
    health,
    staff,
)

__all__ = ["ROUTERS"]

ROUTERS = (
    health.router,
    blobs.router,
    enrolment.router,
    events.router,
    feed.router,
    staff.router,
    admin.router,
    dossiers.router,
    documents.router,
    device_documents.router,
    figures.router,
    bundles.router,
)
