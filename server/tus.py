"""The tus 1.0.0 upload endpoint: resumable, checksummed uploads that end up as verified blobs.

Extensions: creation, creation-with-upload, checksum (sha256, sha1), termination, expiration.
Every upload declares the SHA-256 of the whole blob in ``Upload-Metadata`` (key ``sha256``); the
blob enters the store only when all bytes are in and hash to it. Refusals are problem+json
bodies with a machine-readable ``reason`` and Vietnamese and English messages.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from server.blobstores import (
    CHECKSUMS,
    BlobStore,
    ChunkWriter,
    OffsetMismatch,
    TusVersionUnsupported,
    Upload,
    UploadArea,
    UploadLocked,
    UploadProblem,
    UploadTooLarge,
    WrongContentType,
    encode_metadata,
    header_int,
    parse_checksum,
    parse_metadata,
    parse_sha256,
)
from server.errors import ServerProblem, problem_response

__all__ = ["TUS_EXTENSIONS", "TUS_VERSION", "tus_router"]

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,creation-with-upload,checksum,termination,expiration"
OFFSET_STREAM = "application/offset+octet-stream"
LOCK_WAIT_SECONDS = 10.0
LOCK_POLL_SECONDS = 0.05
PURGE_EVERY = timedelta(minutes=5)
BODY_IDLE_SECONDS = 30.0


class _TusRoute(APIRoute):
    """Checks Tus-Resumable, answers refusals as problem+json, and stamps Tus-Resumable."""

    def get_route_handler(self) -> Callable[[Request], Awaitable[Response]]:
        endpoint = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != (
                    TUS_VERSION
                ):
                    raise TusVersionUnsupported(
                        "Máy chủ chỉ hỗ trợ tus 1.0.0 (thiếu hoặc sai Tus-Resumable)",
                        "Only tus 1.0.0 is supported (Tus-Resumable missing or different)",
                        headers={"Tus-Version": TUS_VERSION},
                    )
                response = await endpoint(request)
            except ServerProblem as problem:
                response = problem_response(
                    problem.status,
                    problem.code,
                    problem.message_vi,
                    problem.message_en,
                    problem.headers,
                )
            response.headers["Tus-Resumable"] = TUS_VERSION
            return response

        return handle


def tus_router(
    store: BlobStore,
    upload_dir: Path,
    *,
    authorize: Callable[..., Any],
    max_size: int,
    expiration: timedelta,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    body_timeout: float = BODY_IDLE_SECONDS,
) -> APIRouter:
    """Build the tus endpoint; mount it with ``app.include_router(router, prefix="/files")``.

    :param store: where finished, verified uploads go
    :param upload_dir: where unfinished uploads are kept (survives restarts)
    :param authorize: a FastAPI dependency returning the caller's identity (a stable value such
        as the device id: its ``str()`` is recorded); an upload is visible only to its creator
    :param max_size: the largest Upload-Length accepted, in bytes
    :param expiration: how long an upload may sit untouched before it is deleted
    :param clock: the current time (tests move it forward)
    :param body_timeout: seconds a PATCH body may stall before it counts as cut off, so a dead
        mobile connection does not hold the upload's lock for ever
    """
    area = UploadArea(upload_dir, store)
    router = APIRouter(route_class=_TusRoute)
    caller_identity = Depends(authorize)
    last_purge = [datetime.min.replace(tzinfo=UTC)]

    @router.options("/", status_code=204)
    @router.options("/{upload_id}", status_code=204)
    async def discover() -> Response:
        """Advertise the tus version, extensions, size limit and checksum algorithms."""
        return Response(status_code=204, headers=_discovery_headers(max_size))

    @router.post("/", status_code=201)
    async def create(request: Request, caller: Any = caller_identity) -> Response:
        """Start an upload (creation); a body, if any, is its first chunk."""
        length = header_int(request.headers, "Upload-Length")
        if length > max_size:
            raise UploadTooLarge(
                f"Tệp dài {length} byte, vượt giới hạn {max_size} byte",
                f"Upload-Length {length} exceeds the limit of {max_size} bytes",
            )
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        if "sha256" not in metadata:
            raise UploadProblem(
                "Upload-Metadata phải có khoá sha256 (mã băm của cả tệp)",
                "Upload-Metadata must carry sha256, the hash of the whole blob",
                code="missing_sha256",
            )
        sha256 = parse_sha256(metadata["sha256"])
        has_body = _has_body(request.headers)
        now = clock()
        if now - last_purge[0] >= PURGE_EVERY:
            last_purge[0] = now
            await run_in_threadpool(area.purge_expired, now)
        upload = await run_in_threadpool(
            lambda: area.create(
                str(caller),
                length=length,
                sha256=sha256,
                expires_at=now + expiration,
                metadata=metadata,
            )
        )
        base = str(request.url.replace(query=None)).rstrip("/")
        location = {"Location": f"{base}/{upload.id}"}
        if has_body and not upload.complete:
            try:
                async with _locked(area, upload.id):
                    upload = await _receive(area, upload, request, now + expiration, body_timeout)
            except UploadProblem as refused:
                # The upload exists even though its first chunk was refused: say where.
                refused.headers.update(location)
                raise
        return Response(status_code=201, headers={**location, **_progress_headers(upload)})

    @router.head("/{upload_id}")
    async def offset(upload_id: str, caller: Any = caller_identity) -> Response:
        """Say how many bytes the server holds (never cached)."""
        # Looking the upload up before locking keeps unknown ids from creating lock files.
        area.get(upload_id, str(caller), clock())
        async with _locked(area, upload_id):
            upload = await run_in_threadpool(area.settle, area.get(upload_id, str(caller), clock()))
        headers = {
            **_progress_headers(upload),
            "Upload-Length": str(upload.length),
            "Upload-Metadata": encode_metadata(upload.metadata),
            "Cache-Control": "no-store",
        }
        return Response(status_code=200, headers=headers)

    @router.patch("/{upload_id}", status_code=204)
    async def append(upload_id: str, request: Request, caller: Any = caller_identity) -> Response:
        """Append a chunk at Upload-Offset, checking its Upload-Checksum if sent."""
        if request.headers.get("Content-Type", "").split(";")[0].strip() != OFFSET_STREAM:
            raise WrongContentType(
                f"PATCH phải có Content-Type {OFFSET_STREAM}",
                f"PATCH needs Content-Type {OFFSET_STREAM}",
            )
        claimed = header_int(request.headers, "Upload-Offset")
        area.get(upload_id, str(caller), clock())
        async with _locked(area, upload_id):
            upload = area.get(upload_id, str(caller), clock())
            if not upload.complete:
                if claimed != upload.offset:
                    raise OffsetMismatch(
                        f"Upload-Offset {claimed} khác {upload.offset} byte máy chủ đang giữ",
                        f"Upload-Offset {claimed} differs from the {upload.offset} bytes held",
                        headers={"Upload-Offset": str(upload.offset)},
                    )
                upload = await _receive(area, upload, request, clock() + expiration, body_timeout)
        return Response(status_code=204, headers=_progress_headers(upload))

    @router.delete("/{upload_id}", status_code=204)
    async def terminate(upload_id: str, caller: Any = caller_identity) -> Response:
        """Abandon an upload and free its space (termination)."""
        area.get(upload_id, str(caller), clock())
        async with _locked(area, upload_id):
            area.get(upload_id, str(caller), clock())
            area.remove(upload_id)
        return Response(status_code=204)

    return router


async def _receive(
    area: UploadArea, upload: Upload, request: Request, expires: datetime, body_timeout: float
) -> Upload:
    """Write the request body as the next chunk of `upload`; settle it if it is now whole.

    A body cut off by the client is kept up to where it stopped, unless it carried a checksum
    (then it cannot be verified and is dropped); either way the offset stays truthful.
    """
    declared = request.headers.get("Content-Length")
    if declared and declared.isdigit() and upload.offset + int(declared) > upload.length:
        raise UploadTooLarge(
            "Dữ liệu vượt quá độ dài đã khai báo (Upload-Length)",
            "The body runs past the declared Upload-Length",
        )
    checksum = parse_checksum(request.headers.get("Upload-Checksum"))
    writer = area.writer(upload, checksum)
    if not await _copy_body(request, writer, body_timeout) and checksum:
        writer.discard()
        return upload
    upload = await run_in_threadpool(writer.commit, expires)
    return await run_in_threadpool(area.settle, upload)


async def _copy_body(request: Request, writer: ChunkWriter, body_timeout: float) -> bool:
    """Copy the body into `writer`; False when the client hung up or fell silent."""
    pieces = request.stream().__aiter__()
    while True:
        try:
            piece = await asyncio.wait_for(anext(pieces), body_timeout)
        except StopAsyncIteration:
            return True
        except (ClientDisconnect, TimeoutError):
            return False
        writer.write(piece)


@asynccontextmanager
async def _locked(area: UploadArea, upload_id: str) -> AsyncIterator[None]:
    """Hold the upload's lock, waiting a little for a request that is finishing with it."""
    waited = 0.0
    while (lock := area.try_lock(upload_id)) is None:
        if waited >= LOCK_WAIT_SECONDS:
            raise UploadLocked(
                "Một yêu cầu khác đang ghi vào phiên tải lên này", "Another request is writing it"
            )
        await asyncio.sleep(LOCK_POLL_SECONDS)
        waited += LOCK_POLL_SECONDS
    try:
        yield
    finally:
        lock.release()


def _has_body(headers: Mapping[str, str]) -> bool:
    """Whether a creation request carries its first chunk (creation-with-upload)."""
    has_body = headers.get("Content-Length", "0") != "0" or "Transfer-Encoding" in headers
    if has_body and headers.get("Content-Type", "").split(";")[0].strip() != OFFSET_STREAM:
        raise WrongContentType(
            f"Dữ liệu kèm yêu cầu tạo phải có Content-Type {OFFSET_STREAM}",
            f"A body sent with creation needs Content-Type {OFFSET_STREAM}",
        )
    return has_body


def _progress_headers(upload: Upload) -> dict[str, str]:
    """Upload-Offset, plus Upload-Expires while the upload is unfinished."""
    headers = {"Upload-Offset": str(upload.offset)}
    if not upload.complete:
        headers["Upload-Expires"] = format_datetime(upload.expires_at.astimezone(UTC), usegmt=True)
    return headers


def _discovery_headers(max_size: int) -> dict[str, str]:
    return {
        "Tus-Version": TUS_VERSION,
        "Tus-Extension": TUS_EXTENSIONS,
        "Tus-Max-Size": str(max_size),
        "Tus-Checksum-Algorithm": ",".join(CHECKSUMS),
    }
