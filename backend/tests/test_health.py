"""GET /api/health from a real uvicorn: the worker ping (which waits its whole 0.5 s timeout) is asked at most every
5 s per process, and a failing part is named without saying why (the reason goes to the log)."""

from __future__ import annotations

import time

import httpx

from scripts.devstack import free_port
from tests.conftest import start_api, stop_process


def test_the_worker_ping_is_cached():
    process, base = start_api()
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            client.get("/api/health")  # pings
            started = time.monotonic()
            answers = [client.get("/api/health") for _ in range(5)]
            elapsed = time.monotonic() - started
    finally:
        stop_process(process)
    assert all(answer.status_code == 200 for answer in answers)
    assert elapsed < 1.0, f"5 health checks took {elapsed:.2f} s: each pinged the workers (0.5 s)"


def test_failing_parts_are_named_without_internals():
    nowhere = free_port()
    process, base = start_api(
        DATABASE_URL=f"postgresql://scenelab:secret@127.0.0.1:{nowhere}/scenelab",
        REDIS_URL=f"redis://127.0.0.1:{nowhere}/0",
    )
    try:
        answer = httpx.get(f"{base}/api/health", timeout=60)
    finally:
        stop_process(process)
    assert answer.status_code == 503
    assert answer.json() == {"status": "degraded", "database": "unavailable", "broker": "unavailable", "workers": 0}
