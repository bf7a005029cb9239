"""Live job streams (GET /api/jobs/events) against a real uvicorn with a Redis of its own: a stalled Redis never
stalls the event loop (no synchronous Redis call in the logging middleware or the stream route), each user has
at most MAX_EVENT_STREAMS_PER_USER open streams, and a stream ends when its token logs out, expires or
(an API token) is revoked."""

from __future__ import annotations

import os
import signal
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from jose import jwt

from app.core.config import settings
from app.core.security import ALGORITHM
from scripts.devstack import RedisServer, start_redis
from tests.conftest import PASSWORD, start_api, stop_process

KEEPALIVE_S = 0.5
STREAMS_PER_USER = 2


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory) -> Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("events-redis"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def api(own_redis) -> Iterator[str]:
    process, base = start_api(
        REDIS_URL=own_redis.url,
        EVENT_KEEPALIVE_SECONDS=str(KEEPALIVE_S),
        MAX_EVENT_STREAMS_PER_USER=str(STREAMS_PER_USER),
    )
    yield base
    stop_process(process)


@pytest.fixture
def client(api) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api, timeout=30) as signed_in:
        email = f"events-{uuid.uuid4().hex[:8]}@example.com"
        assert signed_in.post("/api/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
        assert signed_in.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        yield signed_in


def _seconds_until_the_stream_ends(lines: Iterator[str], *, at_most: float) -> float:
    started = time.monotonic()
    for _ in lines:  # keep-alive pings come every KEEPALIVE_S, so the deadline is checked that often
        if time.monotonic() - started > at_most:
            pytest.fail(f"the stream was still open after {at_most} s")
    return time.monotonic() - started


def test_a_stream_ends_when_its_token_logs_out(client):
    with client.stream("GET", "/api/jobs/events") as events:
        lines = events.iter_lines()
        assert next(lines) == "retry: 3000"
        assert client.post("/api/auth/logout").status_code == 204
        assert _seconds_until_the_stream_ends(lines, at_most=5) < 5


def test_a_stream_ends_when_its_token_expires(client):
    user_id = client.get("/api/auth/me").json()["id"]
    now = datetime.now(UTC)
    token = jwt.encode(
        {"sub": user_id, "jti": uuid.uuid4().hex, "iat": now, "exp": now + timedelta(seconds=2)},
        settings.secret_key,
        algorithm=ALGORITHM,
    )
    client.cookies.clear()
    with client.stream("GET", "/api/jobs/events", headers={"Authorization": f"Bearer {token}"}) as events:
        lines = events.iter_lines()
        assert next(lines) == "retry: 3000"
        assert _seconds_until_the_stream_ends(lines, at_most=8) < 4


def test_open_streams_are_capped_per_user(client):
    with client.stream("GET", "/api/jobs/events") as first, client.stream("GET", "/api/jobs/events") as second:
        open_lines = [first.iter_lines(), second.iter_lines()]  # (a dropped line iterator closes its stream)
        assert [next(lines) for lines in open_lines] == ["retry: 3000"] * 2
        with client.stream("GET", "/api/jobs/events") as refused:  # a stream, should it be let through
            assert refused.status_code == 429
            assert f"more than {STREAMS_PER_USER} live streams" in refused.read().decode()
            assert int(refused.headers["retry-after"]) >= 1
    deadline = time.monotonic() + 5  # the closed streams are released as their server side notices
    while True:
        with client.stream("GET", "/api/jobs/events") as again:
            if again.status_code == 200:
                break
        assert time.monotonic() < deadline, "closed streams still counted"
        time.sleep(0.2)


def test_a_stalled_redis_never_stalls_other_requests(api, client, own_redis):
    """Requests that need Redis wait for it (in threads); one that does not is answered at once meanwhile."""
    cookies = dict(client.cookies)
    waiting = [
        threading.Thread(target=httpx.get, args=(f"{api}{path}",), kwargs={"cookies": cookies, "timeout": 30})
        for path in ("/api/auth/me", "/api/jobs", "/api/jobs/events")
    ]
    os.kill(own_redis.process.pid, signal.SIGSTOP)
    try:
        for thread in waiting:
            thread.start()
        time.sleep(0.5)  # they are all waiting on Redis now
        started = time.monotonic()
        answer = httpx.get(f"{api}/api/openapi.json", timeout=30)
        elapsed = time.monotonic() - started
    finally:
        os.kill(own_redis.process.pid, signal.SIGCONT)
        for thread in waiting:
            thread.join(30)
    assert answer.status_code == 200
    assert elapsed < 1, f"an unrelated request waited {elapsed:.1f} s for a stalled Redis"


def test_a_stream_opened_with_an_api_token_ends_when_the_token_is_revoked(api, client):
    token = client.post("/api/tokens", json={"name": "stream"}).json()
    with httpx.Client(base_url=api, timeout=30, headers={"Authorization": f"Bearer {token['token']}"}) as script:
        with script.stream("GET", "/api/jobs/events") as events:
            lines = events.iter_lines()
            assert next(lines) == "retry: 3000"
            assert client.delete(f"/api/tokens/{token['id']}").status_code == 204
            assert _seconds_until_the_stream_ends(lines, at_most=5) < 5
