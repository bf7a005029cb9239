"""Data functions: keyword-only, one session passed in, no HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import cast, delete, func, select, text
from sqlalchemy.dialects.postgresql import JSONPATH
from sqlalchemy.orm import Session, lazyload

from app.core import storage
from app.core.security import hash_password, verify_password
from app.ingest import PlannedItem
from app.kinds.depth import DepthSummary, SkippedInput
from app.models import ItemStatus, Job, JobItem, JobKind, JobStatus, User
from app.schemas import Stats


def get_user(*, session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(*, session: Session, email: str) -> User | None:
    """Emails are stored lowercase (`create_user`): compared as stored, so the unique index finds the row."""
    return session.scalar(select(User).where(User.email == email.lower()))


def create_user(*, session: Session, email: str, password: str) -> User:
    user = User(email=email.lower(), hashed_password=hash_password(password))
    session.add(user)
    session.flush()
    return user


def authenticate(*, session: Session, email: str, password: str) -> User | None:
    user = get_user_by_email(session=session, email=email)
    if not verify_password(password, user.hashed_password if user else None):
        return None
    return user


def get_owned_job(*, session: Session, job_id: uuid.UUID, user_id: uuid.UUID) -> Job | None:
    """The job if it exists and belongs to the user; None otherwise (both answer 404)."""
    job = session.get(Job, job_id)
    return job if job is not None and job.user_id == user_id else None


def list_jobs(
    *,
    session: Session,
    user_id: uuid.UUID,
    kind: JobKind | None,
    status: JobStatus | None,
    limit: int,
    offset: int,
) -> tuple[list[Job], int]:
    where = [Job.user_id == user_id]
    if kind is not None:
        where.append(Job.kind == kind)
    if status is not None:
        where.append(Job.status == status)
    total = session.scalar(select(func.count()).select_from(Job).where(*where)) or 0
    rows = session.scalars(  # a page of jobs needs none of their items
        select(Job)
        .options(lazyload(Job.items))
        .where(*where)
        .order_by(Job.created_at.desc(), Job.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return list(rows), total


def job_stats(*, session: Session, user_id: uuid.UUID) -> Stats:
    counts = dict(
        session.execute(select(Job.status, func.count()).where(Job.user_id == user_id).group_by(Job.status)).all()
    )
    by_status = {status.value: counts.get(status, 0) for status in JobStatus}
    return Stats(total=sum(by_status.values()), **by_status)


def active_jobs(*, session: Session, user_id: uuid.UUID) -> int:
    """How many of the user's jobs are queued or running."""
    unfinished = [status for status in JobStatus if not status.finished]
    return (
        session.scalar(select(func.count()).select_from(Job).where(Job.user_id == user_id, Job.status.in_(unfinished)))
        or 0
    )


def stored_bytes(*, session: Session, user_id: uuid.UUID) -> int:
    """Bytes of every file the user's jobs list (inputs and results)."""
    return (
        session.scalar(
            text(
                "SELECT coalesce(sum((r->>'bytes')::bigint), 0) FROM jobs, jsonb_array_elements(jobs.results) AS r "
                "WHERE jobs.user_id = :user_id"
            ),
            {"user_id": user_id},
        )
        or 0
    )


def add_depth_job(*, session: Session, job: Job, planned: list[PlannedItem], input_name: str) -> Job:
    """Add a depth job and its items (inputs already stored in the job's folder by `ingest_depth`)."""
    folder = storage.job_dir(job)
    images = [p for p in planned if p.input_file]
    job.input_name = input_name
    job.items_total = len(images)
    job.items_failed = job.items_done = sum(p.status == ItemStatus.failed for p in images)
    skipped = [SkippedInput(name=p.name, reason=p.error) for p in planned if p.status == ItemStatus.skipped]
    job.summary = DepthSummary(skipped=skipped).model_dump(exclude_unset=True)
    for position, p in enumerate(planned):
        inputs = [storage.describe(folder / p.input_file)] if p.input_file else []
        job.items.append(
            JobItem(
                position=position,
                name=p.name,
                stem=p.stem,
                input_file=p.input_file,
                status=p.status,
                error=p.error,
                results=storage.dump_files(inputs),
            )
        )
    job.results = [stored for item in job.items for stored in item.results]
    session.add(job)
    return job


def mark_cancelled(*, session: Session, job: Job) -> None:
    job.status = JobStatus.cancelled
    job.finished_at = datetime.now(UTC)
    session.flush()


def claim_job(*, session: Session, job_id: uuid.UUID, max_attempts: int) -> Job | None:
    """Lock a queued (or interrupted running) job and start a run of it: running, with a new `run_id`. None if
    there is nothing to do. A job that already started `max_attempts` runs (its worker died each time) is
    failed instead: the caller gets it finished."""
    job = session.get(Job, job_id, with_for_update=True)
    if job is None or job.status.finished:
        return None
    if job.attempts >= max_attempts:
        give_up(job)
        session.flush()
        return job
    now = datetime.now(UTC)
    job.status = JobStatus.running
    job.started_at = job.started_at or now
    job.heartbeat_at = now
    job.attempts += 1
    job.run_id = uuid.uuid4()
    session.flush()
    return job


def give_up(job: Job) -> None:
    """Fail a job that lost every one of its runs (the worker process died each time)."""
    job.status = JobStatus.failed
    job.error = f"gave up after {job.attempts} attempts: the worker died each time (out of memory?)"
    job.finished_at = datetime.now(UTC)
    job.run_id = None


def run_holds_lock(*, session: Session, key: int) -> bool:
    """Whether a session holds the advisory lock `key` (looked up, not taken: a delivery must never miss it)."""
    return bool(
        session.scalar(
            text(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND classid = CAST(:high AS bigint)::oid AND objid = CAST(:low AS bigint)::oid AND objsubid = 1)"
            ),
            {"high": (key >> 32) & 0xFFFFFFFF, "low": key & 0xFFFFFFFF},
        )
    )


def stale_jobs(*, session: Session, heartbeat_before: datetime) -> list[Job]:
    """Queued or running jobs without a heartbeat since `heartbeat_before`, locked (those locked elsewhere skipped)."""
    rows = session.scalars(
        select(Job)
        .where(Job.status.in_([JobStatus.queued, JobStatus.running]), Job.heartbeat_at < heartbeat_before)
        .with_for_update(skip_locked=True)
    )
    return list(rows.all())


def succeeded_jobs(*, session: Session, user_id: uuid.UUID, kind: JobKind) -> list[Job]:
    """The user's succeeded jobs of one kind, oldest first."""
    rows = session.scalars(
        select(Job)
        .where(Job.user_id == user_id, Job.kind == kind, Job.status == JobStatus.succeeded)
        .order_by(Job.created_at)
    )
    return list(rows.all())


def delete_finished_jobs(*, session: Session, finished_before: datetime) -> list[uuid.UUID]:
    """Delete the jobs that finished before `finished_before`; their ids (their files are the caller's)."""
    finished = [status for status in JobStatus if status.finished]
    deleted = session.scalars(
        delete(Job).where(Job.status.in_(finished), Job.finished_at < finished_before).returning(Job.id)
    )
    return list(deleted.all())


def heatmap_inputs_to_delete(*, session: Session, finished_before: datetime | None) -> list[Job]:
    """Finished heatmap jobs (locked, skipping those locked elsewhere) that still list their uploaded video and
    should lose it: those run with `keep_input=false`, and those that finished before `finished_before`."""
    finished = [status for status in JobStatus if status.finished]
    expired = Job.params["keep_input"].as_boolean().is_(False)
    if finished_before is not None:
        expired = expired | (Job.finished_at < finished_before)
    lists_input = func.jsonb_path_exists(
        Job.results, cast(f'$[*] ? (@.name starts with "{storage.VIDEO_INPUT_STEM}.")', JSONPATH)
    )
    query = select(Job).where(Job.kind == JobKind.heatmap, Job.status.in_(finished), expired, lists_input)
    return list(session.scalars(query.with_for_update(skip_locked=True)))
