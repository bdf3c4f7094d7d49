"""HTTP routes for officers to take over a pre-application: its page records, and each page itself,
so the counter checks the originals against them and receives the dossier without scanning again."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from server.audit import append_audit
from server.blobstores import parse_sha256
from server.context import ServerContext
from server.deps import DeviceDep, StaffDep
from server.errors import NotFound
from server.portal.errors import UnknownPreApplication
from server.portal.preapply import PreApplication, find_preapplication

__all__ = ["preapplication_router"]


def preapplication_router(context: ServerContext) -> APIRouter:
    """Return the routes that find pre-applications by code for staff and counter devices."""
    router = APIRouter(prefix="/v1", tags=["portal"])

    def lookup(code: str) -> PreApplication:
        try:
            with context.db.read() as conn:
                return find_preapplication(conn, code)
        except UnknownPreApplication as exc:
            raise NotFound(exc.message_vi, exc.message_en, code=exc.code) from exc

    @router.get("/preapplications/{code}")
    def staff_lookup(code: str, member: StaffDep) -> dict:
        """Return a pre-application's procedure and page records to a staff member."""
        return lookup(code).to_dict()

    @router.get("/device/preapplications/{code}")
    def device_lookup(code: str, signed: DeviceDep) -> dict:
        """Return a pre-application to a counter device, which receives it without re-scanning.

        Its pages are already on the server, so the device lists them in RECEIVED as they are.
        """
        return lookup(code).to_dict()

    @router.get("/device/preapplications/{code}/pages/{sha256}")
    def device_page(code: str, sha256: str, signed: DeviceDep) -> Response:
        """Return one page of the pre-application as stored (the device checks its hash)."""
        found = lookup(code)
        name = parse_sha256(sha256)
        if not any(page["sha256"] == name for pages in found.components.values() for page in pages):
            raise NotFound(
                "Trang không thuộc hồ sơ nộp trước này",
                "The page is not part of this pre-application",
                code="unknown_page",
            )
        with context.db.write() as conn:
            append_audit(
                conn,
                f"device:{signed.device.id}",
                "preapplication.page",
                found.code or "",
                {"sha256": name},
            )
        return Response(context.blobs.read(name), media_type="application/octet-stream")

    return router
