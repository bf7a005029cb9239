"""Health of the API's dependencies."""

from __future__ import annotations

import logging
import threading
import time

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.core.db import get_engine
from app.core.events import redis_client
from app.schemas import Health
from app.worker.celery_app import celery_app

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)
# A worker ping waits its whole timeout for replies: asked at most this often per process, however often
# load balancers and healthchecks call.
WORKER_PING_EVERY_S = 5.0
_worker_ping: dict[str, float] = {"at": float("-inf"), "count": 0}
_worker_ping_lock = threading.Lock()


def _check(name: str, probe) -> str:
    """ "ok" or "unavailable"; why goes to the log, not to whoever asked."""
    try:
        probe()
        return "ok"
    except Exception:  # any failure is reported, never raised
        logger.warning("health check: the %s is unavailable", name, exc_info=True)
        return "unavailable"


def _workers() -> int:
    with _worker_ping_lock:
        if time.monotonic() - _worker_ping["at"] >= WORKER_PING_EVERY_S:
            try:
                _worker_ping["count"] = len(celery_app.control.ping(timeout=0.5) or [])
            except Exception:
                _worker_ping["count"] = 0
            _worker_ping["at"] = time.monotonic()
        return int(_worker_ping["count"])


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health() -> JSONResponse:
    """Database, broker, and how many workers answered a ping (asked at most every 5 s); 503 naming the failing
    part."""

    def database() -> None:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))

    report = {"database": _check("database", database), "broker": _check("broker", redis_client().ping), "workers": 0}
    if report["broker"] == "ok":
        report["workers"] = _workers()
    healthy = report["database"] == "ok" and report["broker"] == "ok"
    body = Health(status="ok" if healthy else "degraded", **report)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
