"""Health of the API's dependencies."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.core.db import get_engine
from app.core.events import redis_client
from app.schemas import Health
from app.worker.celery_app import celery_app

router = APIRouter(tags=["health"])


def _check(probe) -> str:
    try:
        probe()
        return "ok"
    except Exception as exc:  # any failure is reported by name, never raised
        return f"unavailable: {exc.__class__.__name__}"


@router.get("/health", response_model=Health, responses={503: {"model": Health}})
def health() -> JSONResponse:
    """Database, broker, and how many workers answer a ping; 503 naming the failing part."""

    def database() -> None:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT 1"))

    report = {"database": _check(database), "broker": _check(redis_client().ping), "workers": 0}
    if report["broker"] == "ok":
        try:
            report["workers"] = len(celery_app.control.ping(timeout=0.5) or [])
        except Exception:
            report["workers"] = 0
    healthy = report["database"] == "ok" and report["broker"] == "ok"
    body = Health(status="ok" if healthy else "degraded", **report)
    return JSONResponse(body.model_dump(), status_code=200 if healthy else 503)
