"""The FastAPI application: the REST API under /api and the built SPA at /."""

from __future__ import annotations

import errno
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool

from app.api import docs, openapi
from app.api.middleware import RequestLogContext, RequestMetrics, install_middleware
from app.api.routes import auth, compare, floor, health, jobs, metrics, regions, tokens
from app.core import storage
from app.core.config import settings
from app.core.db import check_connection_budget
from app.core.logging import setup_logging

setup_logging()


def _operation_id(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Refuse to start when DATABASE_MAX_CONNECTIONS cannot fit in PostgreSQL (with the database away, start
    anyway: /api/health says so, and requests answer 503 until it is back)."""
    try:
        await run_in_threadpool(check_connection_budget)
    except OperationalError:
        logging.getLogger(__name__).warning("the database is unavailable: its connection limit was not checked")
    yield


app = FastAPI(
    lifespan=lifespan,
    title="SceneLab",
    summary="People-movement heatmaps from video and depth maps from images.",
    version="1.0.0",
    openapi_url="/api/openapi.json",
    docs_url=None,  # app.api.docs serves it, without a CDN
    redoc_url=None,
    generate_unique_id_function=_operation_id,
)
openapi.install(app)
docs.install(app)
install_middleware(app)
app.add_middleware(RequestLogContext)
app.add_middleware(RequestMetrics)

api = APIRouter(prefix="/api", responses=openapi.UNAVAILABLE)
api.include_router(auth.router)
api.include_router(jobs.router)
api.include_router(regions.router)
api.include_router(floor.router)
api.include_router(compare.router)
api.include_router(tokens.router)
api.include_router(health.router)
app.include_router(api)
app.include_router(metrics.router)  # /metrics, outside /api


@app.exception_handler(OperationalError)
async def database_unavailable(request: Request, exc: OperationalError) -> JSONResponse:
    return JSONResponse(
        {"detail": "the database is unavailable right now; try again in a few seconds"}, status_code=503
    )


_STORAGE_FAULTS = {errno.ENOSPC: (507, "full"), errno.EDQUOT: (507, "over its quota"), errno.EROFS: (503, "read-only")}


@app.exception_handler(OSError)
async def storage_unavailable(request: Request, exc: OSError) -> JSONResponse:
    """An upload or redraw that cannot be written: say why instead of a bare 500."""
    fault = _STORAGE_FAULTS.get(exc.errno or 0)
    if fault is None:
        raise exc
    status_code, state = fault
    detail = f"the storage disk is {state}: nothing was saved; try again later"
    return JSONResponse({"detail": detail}, status_code=status_code)


async def file_storage_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The bucket (`STORAGE=s3`) cannot be reached or refused the request: a 503 instead of a bare 500."""
    logging.getLogger(__name__).warning("file storage error on %s %s: %s", request.method, request.url.path, exc)
    detail = "the file storage is unavailable right now: nothing was saved; try again in a few seconds"
    return JSONResponse({"detail": detail}, status_code=503)


for _remote_error in storage.REMOTE_ERRORS:
    app.add_exception_handler(_remote_error, file_storage_unavailable)


@app.get("/{path:path}", include_in_schema=False, response_model=None)
def spa(path: str, request: Request) -> Response:
    """The single-page app: real files from the build, index.html for every client-side route."""
    if path.startswith("api/") or path == "api":
        return openapi.method_not_allowed(request)
    dist = settings.frontend_dist.resolve()
    candidate = (dist / path).resolve()
    if path and candidate.is_file() and candidate.is_relative_to(dist):
        return FileResponse(candidate)
    index = dist / "index.html"
    if index.is_file():
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
    return JSONResponse(
        {"detail": "the web app is not built; run `make run` or `npm run build` in frontend/"}, status_code=404
    )
