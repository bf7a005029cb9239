"""Shared fixtures: real PostgreSQL, Redis and a real Celery worker process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis

from scripts import servers

_KEEP = servers.configure_environment()  # before anything imports app.core.config

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app.core import events  # noqa: E402
from app.core.config import settings  # noqa: E402
from app.core.db import get_engine  # noqa: E402
from app.kinds.registry import KINDS  # noqa: E402
from app.worker.celery_app import celery_app  # noqa: E402

BACKEND = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse 42"


def _reset_schema() -> None:
    with get_engine().begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"))
    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], cwd=BACKEND, check=True, capture_output=True)


@pytest.fixture(scope="session", autouse=True)
def database() -> Iterator[None]:
    _reset_schema()
    yield
    get_engine().dispose()
    servers.release(_KEEP)


def start_worker(
    queues: str = ",".join([*(spec.queue(settings) for spec in KINDS.values()), "maintenance", "interactive"]),
    name: str = "test-worker",
    concurrency: int = 1,
    log: Path | None = None,
    loglevel: str = "WARNING",
    preexec_fn: Callable[[], None] | None = None,
    **env: str,
) -> subprocess.Popen:
    """A real `celery worker` process (prefork), waited for until it answers a ping; its output goes to `log`
    when given; `preexec_fn` runs in it before Celery starts (resource limits)."""
    output = log.open("ab") if log else None
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "app.worker.celery_app:celery_app",
            "worker",
            "--loglevel",
            loglevel,
            "--concurrency",
            str(concurrency),
            "--queues",
            queues,
            "--hostname",
            f"{name}-{uuid.uuid4().hex[:6]}@%h",
        ],
        cwd=BACKEND,
        env={**os.environ, **env},
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
        preexec_fn=preexec_fn,
    )
    if output:
        output.close()  # the child holds its own copy
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"celery worker exited with {process.returncode}")
        try:
            replies = celery_app.control.ping(timeout=0.5) or []
        except (OSError, redis.RedisError):  # a pooled connection from before a Redis restart; the next try reconnects
            continue
        if any(name in next(iter(reply)) for reply in replies):
            return process
    process.kill()
    raise RuntimeError("celery worker did not answer a ping within 90 s")


def start_api(*uvicorn_args: str, **env: str) -> tuple[subprocess.Popen, str]:
    """A real uvicorn serving the API on a free port of 127.0.0.1, waited for until /api/health answers; its
    base URL."""
    from scripts.devstack import free_port, wait_until_answers

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port), *uvicorn_args],
        cwd=BACKEND,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(f"{base}/api/health", process, statuses=(200, 503))
    except RuntimeError:
        stop_process(process)
        raise
    return process, base


def bearer_for_new_user(base: str) -> dict[str, str]:
    """Register and sign in a fresh user on the API at `base`; the Authorization header that carries their token."""
    import httpx

    with httpx.Client(base_url=base) as client:
        email = f"user-{uuid.uuid4().hex[:10]}@example.com"
        assert client.post("/api/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
        assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        return {"Authorization": f"Bearer {client.cookies['access_token']}"}


def peak_rss(pid: int) -> int:
    """The process's peak resident memory so far, in bytes (VmHWM)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) * 1024


def stop_process(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture(scope="session")
def worker() -> Iterator[subprocess.Popen]:
    process = start_worker()
    yield process
    stop_process(process)


@pytest.fixture(scope="session")
def app_client() -> Iterator[TestClient]:
    from app.main import app

    with TestClient(app) as client:
        yield client


def signed_in_client(email: str | None = None) -> TestClient:
    """A client logged in (cookie auth) as a freshly registered user; close it when done."""
    from app.main import app

    client = TestClient(app)
    email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
    assert client.post("/api/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
    assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
    client.email = email  # type: ignore[attr-defined]
    return client


@pytest.fixture
def make_user() -> Callable[..., TestClient]:
    """Register a fresh user and return a client logged in as them (cookie auth)."""
    clients: list[TestClient] = []

    def factory(email: str | None = None) -> TestClient:
        clients.append(signed_in_client(email))
        return clients[-1]

    yield factory
    for client in clients:
        client.close()


@pytest.fixture(scope="module")
def module_user() -> Iterator[TestClient]:
    """One fresh user's logged-in client for a whole test module (its jobs made once)."""
    with signed_in_client() as client:
        yield client


@pytest.fixture
def user(make_user) -> TestClient:
    return make_user()


def wait_for_job(
    client: TestClient, job_id: str, *, timeout: float = 120, until: Callable[[dict], bool] | None = None
) -> dict:
    """Poll the job until it has finished (or `until` holds); fail the test on timeout."""
    until = until or (lambda job: job["status"] in ("succeeded", "failed", "cancelled"))
    deadline = time.monotonic() + timeout
    while True:
        job = client.get(f"/api/jobs/{job_id}").json()
        if until(job):
            return job
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} still {job['status']} (progress {job['progress']}) after {timeout} s")
        time.sleep(0.2)


@contextmanager
def owner_events(client: TestClient) -> Iterator[redis.client.PubSub]:
    """Listen, while the block runs, on the live event channel of the client's user (`published` reads it)."""
    listener = redis.Redis.from_url(settings.broker_url).pubsub()
    listener.subscribe(events.channel(uuid.UUID(client.get("/api/auth/me").json()["id"])))
    try:
        yield listener
    finally:
        listener.close()


def published(listener: redis.client.PubSub, job_id: str) -> list[dict]:
    """The events of job `job_id` that reached `listener` (see `owner_events`), in order: each a `JobPublic`."""
    seen = []
    while (message := listener.get_message(timeout=1.0)) is not None:
        if message["type"] == "message" and (event := json.loads(message["data"]))["id"] == job_id:
            seen.append(event)
    return seen


def file_tuple(name: str, data: bytes, content_type: str = "application/octet-stream") -> tuple[str, tuple]:
    return ("files", (name, io.BytesIO(data), content_type))


__all__ = [
    "settings",
    "wait_for_job",
    "file_tuple",
    "owner_events",
    "published",
    "PASSWORD",
    "bearer_for_new_user",
    "peak_rss",
    "start_api",
    "start_worker",
    "stop_process",
]
