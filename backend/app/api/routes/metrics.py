"""Prometheus scrape endpoint, at `/metrics` beside (not under) `/api`: compose's nginx proxies only `/api`,
so it is reachable on the internal network and the API's own port, never through the public site."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from app.core.metrics import exposition

router = APIRouter(tags=["operations"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def metrics() -> Response:
    """Prometheus metrics: request latency, jobs by kind and status, queue depth, job durations."""
    return Response(exposition(), media_type=CONTENT_TYPE_LATEST)
