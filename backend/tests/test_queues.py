"""Separate queues per job kind: with one worker on the heatmap queue and another on the depth queue, a
user's images are processed while the heatmap worker is stuck in a long job (the scaling layout of the
README: `WORKER_QUEUES=heatmap` on one service or machine, `WORKER_QUEUES=depth` on another).

Both queues get names of their own for this test (the settings the API dispatches with), so workers other
tests started do not take these jobs.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.core.config import settings
from app.core.db import get_engine, session_scope
from app.models import Job, JobKind, JobStatus
from app.worker.celery_app import celery_app
from app.worker.tasks import dispatch
from scripts import images
from tests.conftest import file_tuple, start_worker, stop_process, wait_for_job

pytestmark = pytest.mark.slow


@pytest.fixture
def queues(monkeypatch) -> tuple[str, str]:
    suffix = uuid.uuid4().hex[:6]
    depth, heatmap = f"depth-{suffix}", f"heatmap-{suffix}"
    monkeypatch.setattr(settings, "depth_queue", depth)
    monkeypatch.setattr(settings, "heatmap_queue", heatmap)
    return depth, heatmap


def _hostname(prefix: str) -> str:
    replies = celery_app.control.ping(timeout=1) or []
    return next(name for reply in replies for name in reply if name.startswith(prefix))


def _eventually(probe: Callable[[], Any], *, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while not (result := probe()):
        if time.monotonic() > deadline:
            pytest.fail(f"{probe.__doc__} did not happen within {timeout} s")
        time.sleep(0.3)
    return result


def test_depth_job_completes_while_the_heatmap_worker_is_busy(user, queues):
    depth_queue, heatmap_queue = queues
    user_id = uuid.UUID(user.get("/api/auth/me").json()["id"])
    name = uuid.uuid4().hex[:6]
    workers = [start_worker(queues=heatmap_queue, name=f"heatmap-only-{name}")]
    lock = Session(get_engine())
    try:
        heatmap_host = _hostname(f"heatmap-only-{name}")
        active_queues = celery_app.control.inspect([heatmap_host], timeout=2).active_queues()[heatmap_host]
        assert [queue["name"] for queue in active_queues] == [heatmap_queue]

        # A long video: its job row is locked by this test, so the heatmap task waits on the lock when it claims
        # the job, keeping the heatmap worker's only process busy for as long as the test wants.
        with session_scope() as session:
            long_job = Job(user_id=user_id, kind=JobKind.heatmap, input_name="long.mp4")
            session.add(long_job)
        lock.get(Job, long_job.id, with_for_update=True)
        dispatch(long_job)  # as the upload route does

        def heatmap_worker_busy() -> bool:
            """the heatmap worker taking the long job"""
            active = celery_app.control.inspect([heatmap_host], timeout=2).active() or {}
            return any(
                task["name"] == "scenelab.heatmap" and str(long_job.id) in str(task["args"])
                for task in active.get(heatmap_host, [])
            )

        _eventually(heatmap_worker_busy)

        # A user's images go to the depth queue: the busy heatmap worker never takes them...
        pictures = [file_tuple("a.png", images.png()), file_tuple("b.png", images.png())]
        upload = user.post("/api/jobs/depth", files=pictures)
        assert upload.status_code == 202, upload.text
        job_id = upload.json()["id"]
        time.sleep(2)
        assert user.get(f"/api/jobs/{job_id}").json()["status"] == "queued"

        # ...a worker on the depth queue does, while the long job still holds the other one.
        workers.append(start_worker(queues=depth_queue, name=f"depth-only-{name}"))
        depth_host = _hostname(f"depth-only-{name}")
        done = wait_for_job(user, job_id, timeout=120)
        assert done["status"] == "succeeded" and done["items_done"] == 2, done
        assert heatmap_worker_busy()
        stats = celery_app.control.inspect([depth_host], timeout=2).stats()[depth_host]
        assert stats["total"] == {"scenelab.depth": 1}

        # The long job ends (cancelled here); its task sees a finished job and returns.
        lock.execute(update(Job).where(Job.id == long_job.id).values(status=JobStatus.cancelled))
        lock.commit()

        def heatmap_worker_idle() -> bool:
            """the heatmap worker finishing the long job's task"""
            return not heatmap_worker_busy()

        _eventually(heatmap_worker_idle)
    finally:
        lock.rollback()
        lock.close()
        for worker in workers:
            stop_process(worker)
