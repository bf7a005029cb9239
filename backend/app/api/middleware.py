"""Cross-cutting HTTP concerns: upload size, CSRF origin check, security headers."""

from __future__ import annotations

from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from app.core.asgi import HttpMiddleware
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


class BodyLimit(HttpMiddleware):
    """413 for a request body past the upload limit: at once from Content-Length, else while it streams in,
    so an oversized upload is cut off rather than read whole."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = settings.max_upload_bytes + MULTIPART_OVERHEAD
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(scope, receive, send)
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

        await self.app(scope, counting_receive, send)


def _too_large_detail() -> str:
    return f"the upload is larger than the {settings.max_upload_bytes:,} bytes allowed"


class _TooLarge(HTTPException):
    """Raised from the body stream while the route parses it: FastAPI passes HTTP exceptions met while parsing
    on (any other error would become a vague 400)."""

    def __init__(self) -> None:
        super().__init__(413, _too_large_detail(), headers={"Connection": "close"})


async def _too_large(scope: Scope, receive: Receive, send: Send) -> None:
    response = JSONResponse({"detail": _too_large_detail()}, status_code=413, headers={"Connection": "close"})
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


class CsrfAndHeaders(HttpMiddleware):
    """Refuse cookie-authenticated state-changing requests from foreign origins; add the security headers.

    Plain ASGI (not `@app.middleware`): the body stream passes through untouched, so `BodyLimit`'s 413 raised
    while a route reads it reaches FastAPI as is rather than wrapped in an exception group.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        if (
            request.method in UNSAFE_METHODS
            and request.cookies.get(COOKIE_NAME)
            and not request.headers.get("authorization")
            and not _origin_allowed(request)
        ):
            refused = JSONResponse({"detail": "cross-site request refused (Origin not allowed)"}, status_code=403)
            await refused(scope, receive, self._with_headers(scope, send))
            return
        await self.app(scope, receive, self._with_headers(scope, send))

    @staticmethod
    def _with_headers(scope: Scope, send: Send) -> Send:
        csp = DOCS_CSP if scope["path"].startswith("/api/docs") else CSP

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "same-origin")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Content-Security-Policy", csp)
            await send(message)

        return send_with_headers


def install_middleware(app: FastAPI) -> None:
    app.add_middleware(CsrfAndHeaders)
    app.add_middleware(BodyLimit)
