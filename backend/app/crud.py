"""Data functions: keyword-only, one session passed in, no HTTP."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import cast, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import JSONPATH
from sqlalchemy.orm import Session, lazyload

from app.core import storage, webhooks
from app.core.security import (
    api_token_hash,
    hash_password,
    invite_digest,
    new_api_token,
    new_invite_token,
    verify_password,
)
from app.ingest import PlannedItem
from app.kinds.depth import DepthSummary, SkippedInput
from app.models import (
    ApiToken,
    DeliveryStatus,
    Invite,
    ItemStatus,
    Job,
    JobItem,
    JobKind,
    JobStatus,
    User,
    WebhookDelivery,
)
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


def list_users(*, session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.created_at)))


def disable_user(*, session: Session, email: str) -> User | None:
    user = get_user_by_email(session=session, email=email)
    if user is not None and user.disabled_at is None:
        user.disabled_at = datetime.now(UTC)
    return user


def create_invite(*, session: Session, valid_for: timedelta) -> tuple[str, Invite]:
    """A new single-use invitation: its token (shown once, never stored) and its row."""
    token = new_invite_token()
    invite = Invite(token_sha256=invite_digest(token), expires_at=datetime.now(UTC) + valid_for)
    session.add(invite)
    session.flush()
    return token, invite


def claim_invite(*, session: Session, token: str) -> Invite | None:
    """Mark the invitation used, in one statement: of two sign-ups racing for it, one gets it. None when it is
    unknown, used or expired. Rolled back with the sign-up that claimed it."""
    now = datetime.now(UTC)
    return session.scalar(
        update(Invite)
        .where(Invite.token_sha256 == invite_digest(token), Invite.used_at.is_(None), Invite.expires_at > now)
        .values(used_at=now)
        .returning(Invite)
    )


def webhook_secret(*, session: Session, user_id: uuid.UUID, rotate: bool = False) -> str:
    """The user's webhook signing secret, made on first use (or anew with `rotate`) under the user's row lock."""
    user = session.get(User, user_id)
    assert user is not None
    if rotate or user.webhook_secret is None:
        session.refresh(user, with_for_update=True)
        if rotate or user.webhook_secret is None:
            user.webhook_secret = webhooks.new_secret()
    assert user.webhook_secret is not None
    return user.webhook_secret


def add_webhook_delivery(*, session: Session, job: Job, body: str) -> WebhookDelivery:
    """A pending message to the job's webhook URL."""
    assert job.webhook_url is not None
    now = datetime.now(UTC)
    delivery = WebhookDelivery(url=job.webhook_url, body=body, created_at=now, next_attempt_at=now, attempts=0)
    job.webhook_deliveries.append(delivery)
    session.flush()
    return delivery


def overdue_deliveries(*, session: Session, due_before: datetime) -> list[uuid.UUID]:
    """Pending webhook deliveries whose next attempt was due before `due_before` (their message was lost)."""
    rows = session.scalars(
        select(WebhookDelivery.id).where(
            WebhookDelivery.status == DeliveryStatus.pending, WebhookDelivery.next_attempt_at < due_before
        )
    )
    return list(rows.all())


def api_tokens(*, session: Session, user_id: uuid.UUID, lock: bool = False) -> list[ApiToken]:
    """The user's API tokens, newest first; `lock` takes the user's row first, so that a count made of them
    holds until the commit."""
    if lock:
        session.get(User, user_id, with_for_update=True)
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc(), ApiToken.id)
    )
    return list(rows.all())


def create_api_token(*, session: Session, user_id: uuid.UUID, name: str, expires_days: int) -> tuple[ApiToken, str]:
    """A new token row and the token itself (the only time it is seen: the row keeps its hash)."""
    secret = new_api_token()
    now = datetime.now(UTC)
    token = ApiToken(
        user_id=user_id,
        name=name,
        token_hash=api_token_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=expires_days),
    )
    session.add(token)
    session.flush()
    return token, secret


def delete_api_token(*, session: Session, user_id: uuid.UUID, token_id: uuid.UUID) -> ApiToken | None:
    """Delete the user's token; the row it was, or None when it is not theirs (or gone)."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user_id:
        return None
    session.delete(token)
    return token


def use_api_token(*, session: Session, secret: str, touch_after: timedelta) -> ApiToken | None:
    """The unexpired token `secret` is, its `last_used_at` brought up to date when older than `touch_after`
    (one write per token and interval, not per request); None for an unknown or expired token."""
    now = datetime.now(UTC)
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == api_token_hash(secret), ApiToken.expires_at > now)
    )
    if token is not None and (token.last_used_at is None or token.last_used_at < now - touch_after):
        token.last_used_at = now
    return token


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


_UNFINISHED = ", ".join(f"'{status.value}'" for status in JobStatus if not status.finished)  # as SQL literals
# Orders every job creation's final check against the global cap (`MAX_ACTIVE_JOBS_TOTAL`); any constant key.
_ALL_JOBS_LOCK = 0x5CE7E1AB


def lock_quotas(*, session: Session, user_id: uuid.UUID) -> None:
    """Hold the user's row and the all-users advisory lock until the transaction ends, so that a check of the
    quotas and the job it admits are one step: concurrent uploads queue here, each seeing the ones before."""
    session.execute(select(User.id).where(User.id == user_id).with_for_update())
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ALL_JOBS_LOCK})


def active_jobs(*, session: Session, user_id: uuid.UUID | None) -> int:
    """How many of the user's jobs (everyone's with None) are queued or running."""
    unfinished = [status for status in JobStatus if not status.finished]
    where = [Job.status.in_(unfinished), *([Job.user_id == user_id] if user_id is not None else [])]
    return session.scalar(select(func.count()).select_from(Job).where(*where)) or 0


def stored_bytes(*, session: Session, user_id: uuid.UUID, excluding: uuid.UUID | None = None) -> int:
    """Bytes the user's jobs (but `excluding`) hold: the files each lists (inputs and results), and for a queued
    or running job at least its `reserved_bytes` (the results it is expected to write)."""
    return (
        session.scalar(
            text(
                "SELECT coalesce(sum(greatest("
                "(SELECT coalesce(sum((r->>'bytes')::bigint), 0) FROM jsonb_array_elements(jobs.results) AS r), "
                f"CASE WHEN jobs.status IN ({_UNFINISHED}) THEN jobs.reserved_bytes ELSE 0 END)), 0) "
                "FROM jobs WHERE jobs.user_id = :user_id AND jobs.id IS DISTINCT FROM :excluding"
            ),
            {"user_id": user_id, "excluding": excluding},
        )
        or 0
    )


def add_depth_job(*, session: Session, job: Job, planned: list[PlannedItem], input_name: str) -> Job:
    """Add a depth job and its items (inputs already stored by `ingest_depth`)."""
    images = [p for p in planned if p.input_file]
    job.input_name = input_name
    job.items_total = len(images)
    job.items_failed = job.items_done = sum(p.status == ItemStatus.failed for p in images)
    skipped = [SkippedInput(name=p.name, reason=p.error) for p in planned if p.status == ItemStatus.skipped]
    job.summary = DepthSummary(skipped=skipped).model_dump(exclude_unset=True)
    for position, p in enumerate(planned):
        job.items.append(
            JobItem(
                position=position,
                name=p.name,
                stem=p.stem,
                input_file=p.input_file.name if p.input_file else None,
                status=p.status,
                error=p.error,
                results=storage.dump_files([p.input_file] if p.input_file else []),
            )
        )
    job.results = [stored for item in job.items for stored in item.results]
    session.add(job)
    return job


def lock_unfinished_job(*, session: Session, job_id: uuid.UUID) -> Job | None:
    """The job's row, locked, if it is queued or running (an interrupted run); None otherwise."""
    job = session.get(Job, job_id, with_for_update=True)
    return None if job is None or job.status.finished else job


def start_run(job: Job) -> None:
    """Start a run of the job: running, with a new `run_id` that the run's writes must still find on the row."""
    now = datetime.now(UTC)
    job.status = JobStatus.running
    job.started_at = job.started_at or now
    job.heartbeat_at = now
    job.attempts += 1
    job.run_id = uuid.uuid4()
    job.stage, job.eta_s = None, None  # the new run says its own


def gave_up(job: Job) -> str:
    """The error of a job that lost every one of its runs (the worker process died each time)."""
    return f"gave up after {job.attempts} attempts: the worker died each time (out of memory?)"


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
