"""Structured logs: JSON lines carrying job_id and user_id, in the API and in a real worker process."""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api.middleware import RequestLogContext
from app.core.db import session_scope
from app.core.logging import ContextFilter, JsonFormatter, job_context
from app.core.security import create_access_token
from app.models import Job, JobKind, JobStatus
from app.worker.task_logging import bind_task_job, unbind_task_job
from app.worker.tasks import TASKS
from tests.conftest import start_worker, stop_process


def _record(message: str, **fields: object) -> logging.LogRecord:
    return logging.makeLogRecord({"name": "app.test", "levelname": "INFO", "msg": message, **fields})


def test_json_lines_carry_context_extras_and_exceptions():
    record = _record("decoded %d images", args=(3,), frames=7)
    with job_context(job_id="j-1", user_id="u-1"):
        ContextFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "decoded 3 images" and line["level"] == "INFO" and line["logger"] == "app.test"
    assert line["job_id"] == "j-1" and line["user_id"] == "u-1" and line["frames"] == 7
    assert line["time"].endswith("+00:00")

    try:
        raise ValueError("boom")
    except ValueError:
        failed = json.loads(JsonFormatter().format(_record("failed", exc_info=sys.exc_info())))
    assert "ValueError: boom" in failed["exception"]


def _new_job(user_id: uuid.UUID) -> uuid.UUID:
    with session_scope() as session:
        job = Job(user_id=user_id, kind=JobKind.depth, input_name="nothing.zip")
        session.add(job)
        session.flush()
        return job.id


def test_task_signals_bind_the_job_and_its_owner(user):
    user_id = uuid.UUID(user.get("/api/auth/me").json()["id"])
    job_id = _new_job(user_id)
    inside, outside = _record("inside"), _record("outside")
    bind_task_job(task_id="t-1", args=(str(job_id),))
    ContextFilter().filter(inside)
    unbind_task_job()
    ContextFilter().filter(outside)
    assert (inside.job_id, inside.user_id, inside.task_id) == (str(job_id), str(user_id), "t-1")
    assert not hasattr(outside, "job_id")


def test_api_requests_bind_the_caller_and_the_path_job():
    probe = FastAPI()
    probe.add_middleware(RequestLogContext)
    seen: list[dict[str, str | None]] = []

    @probe.get("/api/jobs/{job_id}")
    def endpoint(job_id: str) -> None:
        record = _record("x")
        ContextFilter().filter(record)
        seen.append({"job_id": getattr(record, "job_id", None), "user_id": getattr(record, "user_id", None)})

    user_id, job_id = uuid.uuid4(), str(uuid.uuid4())
    with TestClient(probe) as client:
        client.get(f"/api/jobs/{job_id}", headers={"Authorization": f"Bearer {create_access_token(user_id)}"})
        client.get(f"/api/jobs/{job_id}", headers={"Authorization": "Bearer forged"})
    assert seen == [{"job_id": job_id, "user_id": str(user_id)}, {"job_id": job_id, "user_id": None}]


def test_worker_writes_json_lines_with_job_and_user(user, tmp_path):
    """A real worker on a private queue, LOG_JSON=true: every line about the job names the job and its owner."""
    user_id = uuid.UUID(user.get("/api/auth/me").json()["id"])
    job_id = _new_job(user_id)
    queue = f"logtest-{uuid.uuid4().hex[:8]}"
    TASKS[JobKind.depth].apply_async(args=[str(job_id)], queue=queue)
    log_file = tmp_path / "worker.log"
    process = start_worker(queues=queue, name=queue, log=log_file, loglevel="INFO", LOG_JSON="true")
    try:
        deadline = time.monotonic() + 120
        while True:
            with session_scope() as session:
                status = session.get(Job, job_id).status
            if status not in (JobStatus.queued, JobStatus.running) or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        time.sleep(0.5)  # the task's own success line follows the status write
    finally:
        stop_process(process)
    assert status not in (JobStatus.queued, JobStatus.running), log_file.read_text()[-3000:]
    lines = [json.loads(text) for text in log_file.read_text().splitlines() if text.startswith("{")]
    job_lines = [line for line in lines if line.get("job_id") == str(job_id)]
    assert job_lines, log_file.read_text()[-3000:]
    received, *in_task = job_lines  # the pool's parent logs "received" before the task (and its context) starts
    assert received["message"].endswith("received")
    assert in_task and all(line["user_id"] == str(user_id) and line["task_id"] for line in in_task)
    assert any(f"scenelab.depth[{in_task[0]['task_id']}] succeeded" in line["message"] for line in in_task)
