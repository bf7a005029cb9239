"""Celery tasks: each takes only a job id, and is safe to run twice."""

from __future__ import annotations

import errno
import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from celery import current_task
from celery.exceptions import SoftTimeLimitExceeded

from app import crud
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
        _, soft_limit = current_task.request.timelimit or (None, None)
        run = JobRun(job_uuid, time_limit_s=soft_limit)
        try:
            process(job_uuid, run)
        except Cancelled:
            _remove_files_if_deleted(job_uuid)
        except JobFailed as exc:
            run.finish(JobStatus.failed, error=str(exc))
        except SoftTimeLimitExceeded:
            run.finish(JobStatus.failed, error=run.over_time)
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


def time_limit_s(job: Job) -> float:
    """Seconds a run of the job may take before it fails: a base plus what its input should take."""
    if job.kind == JobKind.heatmap:
        expected = float(job.summary.get("duration_s") or 0) * settings.heatmap_seconds_per_video_second
    else:
        expected = job.items_total * settings.depth_seconds_per_image
    return round(settings.job_time_base_seconds + expected, 1)


def dispatch(job: Job) -> None:
    """Enqueue a committed job; if the broker is away the sweeper enqueues it later."""
    soft = time_limit_s(job)
    try:
        TASK_BY_KIND[job.kind].apply_async(
            args=[str(job.id)], queue=queue_for(job.kind), soft_time_limit=soft,
            time_limit=soft + settings.job_time_grace_seconds,
        )
    except Exception:
        log.warning("could not enqueue job %s; the sweeper will retry", job.id, exc_info=True)


@celery_app.task(name="scenelab.sweep")
def sweep_task() -> int:
    return sweep_stale_jobs() + delete_expired_jobs()


def delete_expired_jobs(*, older_than: timedelta | None = None) -> int:
    """Delete finished jobs (and their files) that finished longer than `JOB_RETENTION_DAYS` ago."""
    if older_than is None:
        if not settings.job_retention_days:
            return 0
        older_than = timedelta(days=settings.job_retention_days)
    cutoff = datetime.now(UTC) - older_than
    with session_scope() as session:
        expired = crud.delete_finished_jobs(session=session, finished_before=cutoff)
    for job_id in expired:
        storage.delete_job_files(job_id)
    if expired:
        log.info("deleted %d finished jobs past their retention", len(expired))
    return len(expired)


def sweep_stale_jobs(*, stale_after: timedelta | None = None) -> int:
    """Re-dispatch jobs stuck in queued/running past the timeout; fail those that used up their attempts."""
    if stale_after is None:
        stale_after = timedelta(seconds=settings.job_stale_seconds)
    cutoff = datetime.now(UTC) - stale_after
    with session_scope() as session:
        stale = crud.stale_jobs(session=session, heartbeat_before=cutoff)
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
