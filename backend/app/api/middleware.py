"""Cross-cutting HTTP concerns: body size (and sign-in before an upload is read), CSRF origin check, security
headers, log context, request metrics."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.deps import NOT_SIGNED_IN, bearer_or_cookie, signed_in_user_id
from app.core.asgi import HttpMiddleware
from app.core.config import settings
from app.core.logging import job_context
from app.core.metrics import REQUEST_SECONDS
from app.core.security import COOKIE_NAME, request_token, token_subject
from app.kinds.registry import KINDS

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
MULTIPART_OVERHEAD = 1 << 20
REFUSED_BODY_DRAIN = 1 << 20
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# Swagger UI (app/api/docs.py): its assets come from the API itself; its page starts it with an inline script.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'"
)


# The only routes that take big bodies (multipart uploads); every other body is at most `max_body_bytes`.
UPLOAD_ROUTES = {("POST", f"/api/jobs/{kind.value}") for kind in KINDS}


class BodyLimit(HttpMiddleware):
    """413 for a body past its route's limit: at once from Content-Length, else while it streams in, so an
    oversized body is cut off rather than read whole. Uploads come from signed-in users only: a 401 before
    a byte of the body is read."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        upload = (scope["method"], scope["path"]) in UPLOAD_ROUTES
        if upload and await run_in_threadpool(signed_in_user_id, HTTPConnection(scope)) is None:
            await _refuse(scope, receive, send, 401, NOT_SIGNED_IN)
            return
        limit = settings.max_upload_bytes + MULTIPART_OVERHEAD if upload else settings.max_body_bytes
        detail = _too_large_detail(upload)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(scope, receive, send, 413, detail)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge(detail)
            return message

        await self.app(scope, counting_receive, send)


def _too_large_detail(upload: bool) -> str:
    if upload:
        return f"the upload is larger than the {settings.max_upload_bytes:,} bytes allowed"
    return f"the request body is larger than the {settings.max_body_bytes:,} bytes allowed"


class _TooLarge(HTTPException):
    """Raised from the body stream while the route parses it: FastAPI passes HTTP exceptions met while parsing
    on (any other error would become a vague 400)."""

    def __init__(self, detail: str) -> None:
        super().__init__(413, detail, headers={"Connection": "close"})


async def _refuse(scope: Scope, receive: Receive, send: Send, status_code: int, detail: str) -> None:
    """Answer and close the connection without reading more than `REFUSED_BODY_DRAIN` bytes of the body.

    That much is read and dropped first: a server that closes a socket with unread data resets it, and a proxy
    still sending a small body would then answer 502 instead of passing this answer on."""
    drained = 0
    more = True
    while more and drained < REFUSED_BODY_DRAIN:
        message = await receive()
        drained += len(message.get("body", b""))
        more = message["type"] == "http.request" and message.get("more_body", False)
    response = JSONResponse({"detail": detail}, status_code=status_code, headers={"Connection": "close"})
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
            and request_token(request.headers, {}) is None  # the cookie authenticates it, not a Bearer header
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


_JOB_PATH = re.compile(r"^/api/jobs/([0-9a-fA-F-]{36})(?:/|$)")


class RequestLogContext(HttpMiddleware):
    """Binds `user_id` (from a valid token) and `job_id` (from the path) to every line logged for a request."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        fields: dict[str, str] = {}
        if match := _JOB_PATH.match(scope["path"]):
            fields["job_id"] = match.group(1)
        token = bearer_or_cookie(HTTPConnection(scope))
        if token and (user_id := token_subject(token)):  # the signature alone: no Redis call on the event loop
            fields["user_id"] = str(user_id)
        with job_context(**fields):
            await self.app(scope, receive, send)


class RequestMetrics(HttpMiddleware):
    """ASGI middleware observing `REQUEST_SECONDS` per route template (`unmatched` when no route matched)."""

    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app)
        self._routes: list[RouteContext] | None = None

    def _template(self, scope: Scope) -> str:
        """The path template the router picks (a method mismatch still names its route), as in `/api/jobs/{job_id}`."""
        if self._routes is None:
            self._routes = list(iter_route_contexts(scope["app"].routes))
        partial: str | None = None
        for route in self._routes:
            match, _ = route.matches(scope)
            if match == Match.FULL and route.path_format:
                return route.path_format  # without convertors: `{job_id}`, not `{job_id:uuid}`
            if match == Match.PARTIAL and partial is None:
                partial = route.path_format
        return partial or "unmatched"

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        start = time.perf_counter()
        status, streaming = 500, False

        async def observed_send(message: Message) -> None:
            nonlocal status, streaming
            if message["type"] == "http.response.start":
                status = message["status"]
                streaming = any(
                    name == b"content-type" and value.startswith(b"text/event-stream")
                    for name, value in message.get("headers", [])
                )
            await send(message)

        try:
            await self.app(scope, receive, observed_send)
        finally:
            if not streaming:
                elapsed = time.perf_counter() - start
                REQUEST_SECONDS.labels(scope["method"], self._template(scope), str(status)).observe(elapsed)


def install_middleware(app: FastAPI) -> None:
    app.add_middleware(CsrfAndHeaders)
    app.add_middleware(BodyLimit)
