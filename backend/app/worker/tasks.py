"""Celery tasks: each takes only a job id, and is safe to run twice."""

from __future__ import annotations

import errno
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.core import storage
from app.core.config import settings
from app.core.db import session_scope
from app.models import Job, JobKind, JobStatus
from app.worker.celery_app import celery_app
from app.worker.depth_job import run_depth_job
from app.worker.heatmap_job import run_heatmap_job
from app.worker.lifecycle import Cancelled, JobFailed, JobRun, claim, exclusive

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3
_DISK_ERRORS = {errno.ENOSPC: "the results disk is full", errno.EROFS: "the results disk is read-only",
                errno.EDQUOT: "the results disk quota is exceeded", errno.EACCES: "the results folder is not writable"}


def _run(job_id: str, process: Callable[[uuid.UUID, JobRun], None]) -> None:
    job_uuid = uuid.UUID(job_id)
    with exclusive(job_uuid) as mine:
        if not mine or not claim(job_uuid):
            return
        run = JobRun(job_uuid)
        try:
            process(job_uuid, run)
        except Cancelled:
            _remove_files_if_deleted(job_uuid)
        except JobFailed as exc:
            run.finish(JobStatus.failed, error=str(exc))
        except Exception as exc:
            reason = _DISK_ERRORS.get(exc.errno or 0) if isinstance(exc, OSError) else None
            if reason:
                run.finish(JobStatus.failed, error=f"could not store the results: {reason}")
                return
            log.exception("job %s failed", job_id)
            run.finish(JobStatus.failed, error=f"internal error while processing ({exc.__class__.__name__}: {exc})")


def _remove_files_if_deleted(job_id: uuid.UUID) -> None:
    """A job deleted while it ran may have had files written after the API removed its folders."""
    with session_scope() as session:
        if session.get(Job, job_id) is None:
            storage.delete_job_files(job_id)


@celery_app.task(name="scenelab.depth")
def depth_task(job_id: str) -> None:
    _run(job_id, run_depth_job)


@celery_app.task(name="scenelab.heatmap")
def heatmap_task(job_id: str) -> None:
    _run(job_id, run_heatmap_job)


TASK_BY_KIND = {JobKind.depth: depth_task, JobKind.heatmap: heatmap_task}


def queue_for(kind: JobKind) -> str:
    return settings.depth_queue if kind == JobKind.depth else settings.heatmap_queue


def dispatch(job: Job) -> None:
    """Enqueue a committed job; if the broker is away the sweeper enqueues it later."""
    try:
        TASK_BY_KIND[job.kind].apply_async(args=[str(job.id)], queue=queue_for(job.kind))
    except Exception:
        log.warning("could not enqueue job %s; the sweeper will retry", job.id, exc_info=True)


@celery_app.task(name="scenelab.sweep")
def sweep_task() -> int:
    return sweep_stale_jobs()


def sweep_stale_jobs(*, stale_after: timedelta | None = None) -> int:
    """Re-dispatch jobs stuck in queued/running past the timeout; fail those that used up their attempts."""
    if stale_after is None:
        stale_after = timedelta(seconds=settings.job_stale_seconds)
    cutoff = datetime.now(UTC) - stale_after
    with session_scope() as session:
        stale = session.scalars(
            select(Job)
            .where(Job.status.in_([JobStatus.queued, JobStatus.running]), Job.heartbeat_at < cutoff)
            .with_for_update(skip_locked=True)
        ).all()
        to_dispatch = []
        for job in stale:
            if job.attempts >= MAX_ATTEMPTS:
                job.status = JobStatus.failed
                job.error = f"gave up after {job.attempts} attempts: the worker stopped each time (out of memory?)"
                job.finished_at = datetime.now(UTC)
            else:
                job.heartbeat_at = datetime.now(UTC)
                to_dispatch.append(job)
        session.flush()
    for job in to_dispatch:
        dispatch(job)
    return len(stale)
