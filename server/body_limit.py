"""Refuse oversized request bodies before any route reads them."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from server.errors import problem_response

__all__ = ["BodyLimit"]


class BodyLimit:
    """ASGI middleware answering 413 when a body under `guarded` declares more than `limit`.

    Paths under an exempt prefix (bundles, tus uploads) enforce their own, larger limits while
    they read, as do surfaces mounted outside `guarded` (the citizen portal); signed routes also
    count the bytes of bodies sent without a length.
    """

    def __init__(self, app: ASGIApp, limit: int, guarded: str, exempt_prefixes: tuple[str, ...]):
        self.app, self.limit = app, limit
        self.guarded, self.exempt_prefixes = guarded, exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] == "http"
            and path.startswith(self.guarded)
            and not path.startswith(self.exempt_prefixes)
        ):
            declared = dict(scope["headers"]).get(b"content-length", b"")
            if declared.isdigit() and int(declared) > self.limit:
                response = problem_response(
                    413,
                    "body_too_large",
                    f"Nội dung quá lớn (tối đa {self.limit} byte)",
                    f"The body is too large (at most {self.limit} bytes)",
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
