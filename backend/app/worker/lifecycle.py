"""A job's life as seen from a worker: claim it, report progress, finish it.

The database is the source of truth: every transition is a committed row update, and every update is
published for the server-sent event stream.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from tenacity import retry, retry_if_exception_type, stop_after_delay, wait_exponential

from app import crud
from app.core import events, storage
from app.core.config import settings
from app.core.db import get_engine, session_scope
from app.core.storage import Folder, JobFiles, StoredFile
from app.models import Job, JobStage, JobStatus
from app.schemas import JobPublic
from app.worker import webhooks

log = logging.getLogger(__name__)
PROGRESS_INTERVAL_S = 0.3
#: Share of a stage's remaining progress done before its time estimate (`eta_s`) is given.
ETA_AFTER = 0.1

# A status write survives the database being away for a while instead of losing the job's result.
db_retry = retry(
    retry=retry_if_exception_type(OperationalError),
    wait=wait_exponential(multiplier=0.2, max=5),
    stop=stop_after_delay(120),
    reraise=True,
)


class Cancelled(Exception):
    """The user cancelled (or deleted) the job, or another run took it over; the task stops at its next
    progress step without writing anything."""


def lock_key(job_id: uuid.UUID) -> int:
    """The job's advisory lock key: 64 bits of its UUID (the random ones of a v4), as a signed bigint."""
    return int.from_bytes(job_id.bytes[8:], "big", signed=True)


@contextmanager
def exclusive(job_id: uuid.UUID) -> Iterator[bool]:
    """Hold a PostgreSQL advisory lock for the job while the block runs: a duplicate delivery of the same
    task sees False and does nothing. The lock goes away with the connection if the worker dies."""
    key = lock_key(job_id)
    with get_engine().connect() as connection:
        got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        try:
            yield got
        finally:
            try:
                if got:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                connection.commit()
            except OperationalError:
                pass  # the connection died (database restarted): the lock went away with it


def finish(
    session: Session, jobs: Sequence[Job], status: JobStatus, *, error: str | Callable[[Job], str] | None = None
) -> None:
    """The one way jobs end (succeeded, failed, cancelled, given up): their final status, `error` (or
    `error(job)`) and finish time, and a webhook message for each job that has a `webhook_url`, committed with
    whatever else `session` holds; then, once committed, each job's event (a client that reacts reads what it
    announced) and its webhook's delivery."""
    now = datetime.now(UTC)
    deliveries = []
    for job in jobs:
        job.status = status
        job.error = error(job) if callable(error) else error
        job.finished_at = now
        job.stage, job.eta_s = None, None
        job.run_id = None  # a finished job has no run: a late write of its last one applies nowhere
        if status == JobStatus.succeeded:
            job.progress = 1.0
        if job.webhook_url:
            crud.webhook_secret(session=session, user_id=job.user_id)  # the receiver can fetch it from now on
            body = webhooks.message(job, at=now)
            deliveries.append(crud.add_webhook_delivery(session=session, job=job, body=body).id)
    session.commit()
    for job in jobs:
        events.publish_job(job.user_id, JobPublic.of(job))
    for delivery_id in deliveries:
        webhooks.enqueue(delivery_id)


@db_retry
def claim(job_id: uuid.UUID) -> uuid.UUID | None:
    """Start a run of a queued (or interrupted running) job: its `run_id`, which every later write of the
    run must still find on the row. None if there is nothing to do, or (the job then fails) when
    `MAX_ATTEMPTS` runs already started: a delivery after that one is a job that keeps killing its worker."""
    with session_scope() as session:
        job = crud.lock_unfinished_job(session=session, job_id=job_id)
        if job is None:
            return None
        if job.attempts >= settings.max_attempts:
            finish(session, [job], JobStatus.failed, error=crud.gave_up)
            return None
        crud.start_run(job)
    events.publish_job(job.user_id, JobPublic.of(job))  # after the commit: a client that reacts reads what it announced
    return job.run_id


class JobRun:
    """Progress writes for one running job, throttled to a few a second; past `time_limit_s` the next
    progress write raises `JobFailed` (Celery's soft limit is a signal that may land where it is swallowed).

    The run writes its files into `output(files)`; each write of the row (and a successful `finish`) publishes
    them as the job's `files` while the row, locked, still carries this run's `run_id`."""

    def __init__(self, job_id: uuid.UUID, run_id: uuid.UUID, *, time_limit_s: float | None = None) -> None:
        self.job_id = job_id
        self.run_id = run_id
        self.time_limit_s = time_limit_s
        self._last_write = 0.0
        self._started = time.perf_counter()
        self.timings: dict[str, float] = {}
        self._stage_start: tuple[float, float] | None = None  # (clock, progress) when the stage began
        self._outputs: dict[uuid.UUID, storage.Scratch] = {}

    def stage(self, stage: JobStage) -> None:
        """Enter a stage (written at once); its time estimate starts afresh."""
        self.update(stage=stage, eta_s=None)

    def _eta(self, progress: float) -> float | None:
        """Seconds left at the current stage's pace, once `ETA_AFTER` of what it started with is done."""
        if self._stage_start is None:
            return None
        clock, start = self._stage_start
        done = progress - start
        if done <= 0 or done < ETA_AFTER * (1.0 - start):
            return None
        return round((time.perf_counter() - clock) * (1.0 - progress) / done, 1)

    def output(self, files: JobFiles) -> Folder:
        """Where this run writes the files it publishes as the job's `files`."""
        if files.job.id not in self._outputs:
            self._outputs[files.job.id] = files.scratch(self.run_id)
        return self._outputs[files.job.id].folder

    def discard_output(self) -> None:
        """Remove what the run wrote and did not publish (it failed, was cancelled or lost the job)."""
        for output in self._outputs.values():
            output.discard()

    def _publish(self) -> None:
        for output in self._outputs.values():
            output.publish()

    @contextmanager
    def timed(self, section: str) -> Iterator[None]:
        """Add the block's wall time to `timings[section]` (seconds)."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[section] = round(self.timings.get(section, 0.0) + time.perf_counter() - start, 4)

    @db_retry
    def update(
        self,
        *,
        force: bool = False,
        progress: float | None = None,
        mutate: Callable[[Job], None] | None = None,
        **fields: Any,
    ) -> None:
        """Write progress, fields and `mutate(job)` in one transaction; raise `Cancelled` if the user
        cancelled (or deleted) the job meanwhile. Plain progress writes are throttled."""
        if self.time_limit_s is not None and time.perf_counter() - self._started > self.time_limit_s:
            raise JobFailed(self.over_time)
        now = time.monotonic()
        if not force and not fields and mutate is None and now - self._last_write < PROGRESS_INTERVAL_S:
            return
        self._last_write = now
        with session_scope() as session:
            job = self._load(session)
            if job.status == JobStatus.cancelled:
                raise Cancelled()
            self._publish()
            if mutate is not None:
                mutate(job)
            if progress is not None:
                job.progress = max(0.0, min(1.0, progress))
            for name, value in fields.items():
                setattr(job, name, value)
            if "stage" in fields:
                self._stage_start = (time.perf_counter(), job.progress)
            else:
                job.eta_s = self._eta(job.progress)
            job.heartbeat_at = datetime.now(UTC)
        events.publish_job(job.user_id, JobPublic.of(job))

    @db_retry
    def finish(
        self, status: JobStatus, *, error: str | None = None, mutate: Callable[[Job], None] | None = None, **fields: Any
    ) -> None:
        with session_scope() as session:
            try:
                job = self._load(session)
            except Cancelled:
                return
            if job.status == JobStatus.cancelled:
                return
            if status == JobStatus.succeeded:
                self._publish()
            if mutate is not None:
                mutate(job)
            for name, value in fields.items():
                setattr(job, name, value)
            job.processing_ms = int((time.perf_counter() - self._started) * 1000)
            finish(session, [job], status, error=error)

    @db_retry
    def storage_allowance(self) -> int:
        """Bytes this job's files may take: the user's storage quota less what their other jobs hold or reserve."""
        with session_scope() as session:
            job = self._load(session)
            others = crud.stored_bytes(session=session, user_id=job.user_id, excluding=job.id)
        return settings.max_stored_bytes_per_user - others

    @property
    def over_time(self) -> str:
        return f"the job took longer than the {self.time_limit_s:,.0f} s allowed for its input"

    def _load(self, session: Session) -> Job:
        """The job's row, locked; `Cancelled` when it is gone (deleted) or no longer this run's."""
        job = session.scalar(select(Job).where(Job.id == self.job_id).with_for_update())
        if job is None:
            raise Cancelled()
        if job.run_id != self.run_id:
            log.warning("run %s of job %s lost the job to another run; it publishes nothing more", self.run_id, job.id)
            raise Cancelled()
        return job


class StorageBudget:
    """The bytes a run's files take, counted as they are written against what its user's quota leaves the job."""

    def __init__(self, run: JobRun, *, written: int) -> None:
        self.run = run
        self.written = written
        self.allowance = run.storage_allowance()

    def refresh(self) -> None:
        """Look again at what the user's other jobs take (they finish, and others start)."""
        self.allowance = self.run.storage_allowance()

    def add(self, files: list[StoredFile]) -> None:
        """Count files just written; `OverQuota` once the job's files pass the allowance."""
        self.written += sum(stored.bytes for stored in files)
        if self.written > self.allowance:
            raise OverQuota()


class JobFailed(Exception):
    """The job cannot succeed; the message is shown to the user as is."""


class OverQuota(JobFailed):
    """The job's files passed its user's storage quota."""

    def __init__(self) -> None:
        super().__init__(
            f"the results passed your storage quota ({settings.max_stored_bytes_per_user:,} bytes) and were removed: "
            "delete some jobs, then upload again"
        )
