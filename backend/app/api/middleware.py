"""Cross-cutting HTTP concerns: upload size, CSRF origin check, security headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.config import settings
from app.core.security import COOKIE_NAME

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MULTIPART_OVERHEAD = 1 << 20
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; frame-ancestors 'none'"
)


class BodyLimit:
    """413 for a request body past the upload limit: at once from Content-Length, else while it streams in,
    so an oversized upload is cut off rather than read whole."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = settings.max_upload_bytes + MULTIPART_OVERHEAD
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, receive, send, limit)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await _too_large(scope, receive, send, limit)


class _TooLarge(Exception):
    pass


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    response = JSONResponse(
        {"detail": f"the upload is larger than the {settings.max_upload_bytes:,} bytes allowed"},
        status_code=413,
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)


def _origin_allowed(request: Request) -> bool:
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source:
        return True  # not a browser form post (scripts, curl); SameSite=Lax covers old browsers
    parts = urlsplit(source)
    origin = f"{parts.scheme}://{parts.netloc}"
    own = f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"
    forwarded = request.headers.get("x-forwarded-host")
    allowed = {own, *settings.trusted_origins}
    if forwarded:
        allowed.add(f"{request.headers.get('x-forwarded-proto', 'https')}://{forwarded}")
    return origin in allowed


def install_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def csrf_and_headers(request: Request, call_next):
        if (
            request.method in UNSAFE_METHODS
            and request.cookies.get(COOKIE_NAME)
            and not request.headers.get("authorization")
            and not _origin_allowed(request)
        ):
            return JSONResponse({"detail": "cross-site request refused (Origin not allowed)"}, status_code=403)
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        docs = request.url.path.startswith("/api/docs")
        response.headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
        return response

    app.add_middleware(BodyLimit)
