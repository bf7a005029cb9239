"""Celery tasks: each takes only a job id, and is safe to run twice."""

from __future__ import annotations

import errno
import logging
import pkgutil
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from celery import Task, current_task
from celery.exceptions import SoftTimeLimitExceeded
from sqlalchemy import select

from app import crud, kinds
from app.core import events, storage
from app.core.config import settings
from app.core.db import session_scope
from app.core.events import redis_client
from app.kinds import KindSpec
from app.kinds.registry import KINDS
from app.models import Job, JobKind, JobStatus
from app.schemas import JobPublic
from app.worker import webhooks
from app.worker.celery_app import celery_app
from app.worker.lifecycle import Cancelled, JobFailed, JobRun, claim, db_retry, exclusive, finish, lock_key

log = logging.getLogger(__name__)
UNACKED_KEY = "unacked"  # kombu's Redis transport: messages delivered and not yet acknowledged
BROKER_PAGE = 1000
_DISK_ERRORS = {
    errno.ENOSPC: "the results disk is full",
    errno.EROFS: "the results disk is read-only",
    errno.EDQUOT: "the results disk quota is exceeded",
    errno.EACCES: "the results folder is not writable",
}


def _run(job_id: str, process: Callable[[uuid.UUID, JobRun], None]) -> None:
    job_uuid = uuid.UUID(job_id)
    with exclusive(job_uuid) as mine:
        run_id = claim(job_uuid) if mine else None
        if run_id is None:
            return
        _, soft_limit = current_task.request.timelimit or (None, None)
        run = JobRun(job_uuid, run_id, time_limit_s=soft_limit)
        try:
            process(job_uuid, run)
        except Cancelled:
            pass
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
            # Exception text can name paths and internals: the user gets the job id to quote, the log the rest.
            error = f"internal error while processing; the operators' log has the details (job {job_id})"
            run.finish(JobStatus.failed, error=error)
        finally:
            run.discard_output()
            _remove_files_if_deleted(job_uuid)


@db_retry
def _remove_files_if_deleted(job_id: uuid.UUID) -> None:
    """A job deleted while it ran may have had files written after the API removed its folders."""
    with session_scope() as session:
        if session.get(Job, job_id) is None:
            storage.delete_job_files(job_id)


def _kind_task(spec: KindSpec[Any]) -> Task:
    """The Celery task that runs the kind's jobs (`scenelab.<kind>`), calling its runner."""
    runner = pkgutil.resolve_name(spec.runner)

    @celery_app.task(name=spec.task_name)
    def run(job_id: str) -> None:
        _run(job_id, runner)

    return run


TASKS: dict[JobKind, Task] = {kind: _kind_task(spec) for kind, spec in KINDS.items()}


def time_limit_s(job: Job) -> float:
    """Seconds a run of the job may take before it fails: a base plus what its input should take."""
    return round(settings.job_time_base_seconds + kinds.spec(job.kind).run_seconds(job), 1)


def dispatch(job: Job) -> None:
    """Enqueue a committed job; if the broker is away the sweeper enqueues it later."""
    soft = time_limit_s(job)
    try:
        TASKS[job.kind].apply_async(
            args=[str(job.id)],
            queue=kinds.spec(job.kind).queue(settings),
            soft_time_limit=soft,
            time_limit=soft + settings.job_time_grace_seconds,
        )
    except Exception:
        log.warning("could not enqueue job %s; the sweeper will retry", job.id, exc_info=True)


@celery_app.task(name="scenelab.sweep")
def sweep_task() -> int:
    return (
        len(sweep_stale_jobs())
        + delete_expired_jobs()
        + delete_expired_inputs()
        + sweep_orphan_files()
        + webhooks.resend_overdue()
    )


def delete_expired_inputs(*, older_than: timedelta | None = None) -> int:
    """Delete the uploaded videos of finished jobs (of the kinds that keep one) run with `keep_input=false` or
    finished longer than `INPUT_RETENTION_HOURS` ago, from disk and from the jobs' results (their tracks keep every
    redraw and analysis possible). Returns how many it deleted."""
    if older_than is None and settings.input_retention_hours:
        older_than = timedelta(hours=settings.input_retention_hours)
    cutoff = datetime.now(UTC) - older_than if older_than is not None else None
    with session_scope() as session:
        jobs = crud.inputs_to_delete(session=session, finished_before=cutoff)
        for job in jobs:
            job.results = [row for row in job.results if not storage.is_video_input(job, row["name"])]
            storage.job_files(job).delete_video_input()  # under the row's lock: no redraw lists it meanwhile
        published = [(job.user_id, JobPublic.of(job)) for job in jobs]
    for user_id, public in published:
        events.publish_job(user_id, public)
    if jobs:
        log.info("deleted the uploaded videos of %d jobs", len(jobs))
    return len(jobs)


def sweep_orphan_files(*, older_than: timedelta | None = None) -> int:
    """Remove job folders that no job row names (a commit that failed, a process that died between writing and
    deleting), temporary `.part` files and the scratch folders of runs that no longer hold their job (a run
    killed or taken over), once nothing has written to them for `ORPHAN_FILES_AFTER_SECONDS`: an upload still
    arriving has no row yet. Returns how many folders and files it removed."""
    cutoff = time.time() - (older_than or timedelta(seconds=settings.orphan_files_after_seconds)).total_seconds()
    stored = storage.stored_jobs()
    with session_scope() as session:
        rows = session.execute(select(Job.id, Job.run_id, Job.status).where(Job.id.in_(stored))).all()
    known = {row.id for row in rows}
    live_runs = {row.run_id for row in rows if row.status == JobStatus.running}
    removed = 0
    for job_id in stored:
        try:
            if job_id not in known:
                removed += storage.remove_orphan(job_id, written_before=cutoff)
            else:
                removed += storage.remove_leftovers(job_id, live_runs=live_runs, written_before=cutoff)
        except FileNotFoundError:  # removed meanwhile (the job was deleted)
            continue
    return removed


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


def sweep_stale_jobs(*, stale_after: timedelta | None = None) -> set[uuid.UUID]:
    """Re-dispatch jobs stuck in queued/running past the timeout, or fail those that used up their attempts;
    leave alone a job whose run still holds its lock (a live worker) and a queued job whose message is still
    in the broker (a long queue, not a lost message). Returns the ids of the jobs it re-dispatched or failed."""
    if stale_after is None:
        stale_after = timedelta(seconds=settings.job_stale_seconds)
    cutoff = datetime.now(UTC) - stale_after
    with session_scope() as session:
        stale = crud.stale_jobs(session=session, heartbeat_before=cutoff)
        queued = [job for job in stale if job.status == JobStatus.queued]
        queues = {kinds.spec(job.kind).queue(settings) for job in queued}
        waiting = _waiting_in_broker(queues, {str(job.id) for job in queued})
        swept = [
            job
            for job in stale
            if str(job.id) not in waiting and not crud.run_holds_lock(session=session, key=lock_key(job.id))
        ]
        to_dispatch = [job for job in swept if job.attempts < settings.max_attempts]
        for job in to_dispatch:
            job.heartbeat_at = datetime.now(UTC)
        finish(session, [job for job in swept if job not in to_dispatch], JobStatus.failed, error=crud.gave_up)
    for job in to_dispatch:  # after the commit
        events.publish_job(job.user_id, JobPublic.of(job))
    for job in to_dispatch:
        dispatch(job)
    return {job.id for job in swept}


def _waiting_in_broker(queues: set[str], job_ids: set[str]) -> set[str]:
    """Which of `job_ids` have a message in the broker: waiting in one of `queues` or delivered to a worker
    that has not acknowledged it yet. Messages name their job id in plain text (the `argsrepr` header)."""
    if not job_ids:
        return set()
    try:
        client = redis_client()
        found = _named(client.hvals(UNACKED_KEY), job_ids)
        for queue in queues:
            for start in range(0, client.llen(queue), BROKER_PAGE):
                if found == job_ids:
                    return found
                found |= _named(client.lrange(queue, start, start + BROKER_PAGE - 1), job_ids - found)
    except redis.RedisError:
        log.warning("could not read the broker's queues; stale queued jobs are dispatched again", exc_info=True)
        return set()
    return found


def _named(messages: list[bytes | str], job_ids: set[str]) -> set[str]:
    raw = [message.encode() if isinstance(message, str) else message for message in messages]
    return {job_id for job_id in job_ids if any(job_id.encode() in message for message in raw)}
