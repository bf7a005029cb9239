"""Jobs: create, list, inspect, download, cancel, delete, and a live stream of changes."""

from __future__ import annotations

import math
import time
import uuid
from functools import partial
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, ValidationError
from redis import RedisError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app import crud, kinds
from app.api.deps import (
    NOT_SIGNED_IN,
    CurrentUser,
    DetachedOwnedJob,
    OwnedJob,
    SessionDep,
    SignedInUserId,
    bearer_or_cookie,
    credential_claims,
)
from app.api.interactive import INTERACTIVE_BUSY, ask, within_rate
from app.api.openapi import AUTHENTICATED, OWNED_JOB, UPLOAD, error, errors, file_answer, upload
from app.core import events, storage, webhooks
from app.core.archive import stream_zip
from app.core.config import settings
from app.core.security import is_logged_out
from app.ingest import Rejected, upload_name
from app.kinds.depth import DepthOptions
from app.kinds.heatmap import HeatmapOptions, RenderUpdate
from app.models import WEBHOOK_URL_LENGTH, Job, JobKind, JobStatus, User
from app.schemas import JOB_MODELS, AnyJobPublic, ItemPublic, ItemsPage, JobPublic, JobsPage, Stats, result_files
from app.worker.heatmap_edits import RENDER, edit_refusal
from app.worker.lifecycle import finish
from app.worker.tasks import dispatch

router = APIRouter(tags=["jobs"], responses=AUTHENTICATED)
P = TypeVar("P", bound=BaseModel)
QUOTA_RETRY_AFTER_S = 30


def _rejected(exc: Rejected) -> HTTPException:
    return HTTPException(exc.status_code, exc.detail)


def _check_quotas(session: Session, user_id: uuid.UUID, *, new_bytes: int = 0) -> None:
    """429 at the user's active-job limit, 503 at the server's, 413 when the user's jobs already fill their storage
    quota or `new_bytes` more would pass it."""
    active = crud.active_jobs(session=session, user_id=user_id)
    if active >= settings.max_active_jobs_per_user:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"you have {active} jobs queued or running, the most allowed at once: wait for one to finish",
            headers={"Retry-After": str(QUOTA_RETRY_AFTER_S)},
        )
    if crud.active_jobs(session=session, user_id=None) >= settings.max_active_jobs_total:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "the server has as many jobs queued or running as it takes: try again later",
            headers={"Retry-After": str(QUOTA_RETRY_AFTER_S)},
        )
    used = crud.stored_bytes(session=session, user_id=user_id)
    if used >= settings.max_stored_bytes_per_user or used + new_bytes > settings.max_stored_bytes_per_user:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"your jobs would store {used + new_bytes:,} bytes (results estimated from the upload), more than the "
            f"{settings.max_stored_bytes_per_user:,} allowed: delete some jobs first",
        )


def _admit(session: Session, job: Job, *, output_bytes: int) -> None:
    """Check the quotas again under the user's lock, reserving the job's inputs and estimated results, and commit
    the job in the same transaction; its files are removed when it is refused or the commit fails."""
    job.reserved_bytes = sum(stored["bytes"] for stored in job.results) + output_bytes
    try:
        with session.no_autoflush:  # the new job is not among those it is checked against
            crud.lock_quotas(session=session, user_id=job.user_id)
            _check_quotas(session, job.user_id, new_bytes=job.reserved_bytes)
        session.commit()  # committed before the task is enqueued: no worker races the transaction
    except BaseException:
        session.rollback()
        storage.delete_job_files(job.id)
        raise


def _options_or_422(model: type[P], values: dict[str, object]) -> P:
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        raise RequestValidationError(
            exc.errors(include_url=False, include_context=False, include_input=False)
        ) from None


def _json(model: BaseModel) -> Response:
    """`model` as the response body, without FastAPI dumping and validating it again against the route's
    `response_model` (which still documents it): a third of a job list's time."""
    return Response(model.model_dump_json(), media_type="application/json")


# Both upload routes take it: told when the job ends.
WebhookUrl = Annotated[
    str | None,
    Form(
        max_length=WEBHOOK_URL_LENGTH,
        description="an http(s) URL told when the job ends: a `job.finished` message signed per Standard Webhooks",
    ),
]


def _webhook_url_or_422(url: str | None) -> str | None:
    """The webhook URL, once its host resolves to addresses it may reach; 422 saying why not otherwise."""
    if not url:
        return None
    try:
        webhooks.resolve(url)
    except webhooks.RefusedUrl as exc:
        raise RequestValidationError(
            [{"loc": ("body", "webhook_url"), "msg": str(exc), "type": "value_error"}]
        ) from None
    return url


def _create_job(
    session: Session, user: User, kind: JobKind, options: BaseModel, webhook_url: str | None, files: list[UploadFile]
) -> JobPublic:
    """Store the upload as a new job of `kind` (its spec's ingest rule), admit it under the quotas and queue it."""
    spec = kinds.spec(kind)
    _check_quotas(session, user.id)  # an early answer before the upload is stored; `_admit` decides
    job = Job(
        id=uuid.uuid4(),
        user_id=user.id,
        kind=kind,
        params=options.model_dump(),
        webhook_url=_webhook_url_or_422(webhook_url),
    )
    uploads = [(upload_name(f.filename, f.content_type, spec.upload.fallback_name), f.file) for f in files]
    try:
        output_bytes = spec.ingest(job, uploads, options)
    except Rejected as exc:
        raise _rejected(exc) from None
    session.add(job)
    _admit(session, job, output_bytes=output_bytes)
    events.publish_job(job.user_id, JobPublic.of(job))
    dispatch(job)
    return JobPublic.of(job)


def _attachment_name(job: Job) -> str:
    return f"scenelab-{job.kind.value}-{str(job.id)[:8]}.zip"


def _upload(kind: JobKind, **constraints: int) -> Any:
    """The upload field of `kind`'s route: its description and media types from its spec."""
    spec = kinds.spec(kind)
    return upload(spec.upload.description, spec.upload.media_types, **constraints)


@router.post(
    "/jobs/depth", status_code=status.HTTP_202_ACCEPTED, response_model=JOB_MODELS[JobKind.depth], responses=UPLOAD
)
def create_depth_job(
    user: CurrentUser,
    session: SessionDep,
    files: Annotated[list[UploadFile], _upload(JobKind.depth, min_length=1)],
    options: Annotated[DepthOptions, Form()],
    webhook_url: WebhookUrl = None,
) -> JobPublic:
    """Queue depth maps for one or more images. Near is bright in the colour preview; the 16-bit PNG runs
    linearly from 0 (nearest, `min_m`) to 65535 (farthest, `max_m`), the range each `<stem>_depth.json` states."""
    return _create_job(session, user, JobKind.depth, options, webhook_url, files)


@router.post(
    "/jobs/heatmap", status_code=status.HTTP_202_ACCEPTED, response_model=JOB_MODELS[JobKind.heatmap], responses=UPLOAD
)
def create_heatmap_job(
    user: CurrentUser,
    session: SessionDep,
    file: Annotated[UploadFile, _upload(JobKind.heatmap)],
    options: Annotated[HeatmapOptions, Form()],
    webhook_url: WebhookUrl = None,
) -> JobPublic:
    """Queue a heatmap of where people moved in a video (person-seconds per pixel)."""
    return _create_job(session, user, JobKind.heatmap, options, webhook_url, [file])


@router.get("/jobs", response_model=JobsPage)
def list_jobs(
    user: CurrentUser,
    session: SessionDep,
    kind: JobKind | None = None,
    status_: Annotated[JobStatus | None, Query(alias="status")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=999_999_999)] = 0,
    cursor: Annotated[str | None, Query(pattern=r"^\d{1,9}$", description="the `next` of the previous page")] = None,
) -> Response:
    """The user's jobs, newest first."""
    start = int(cursor) if cursor is not None else offset
    jobs, total = crud.list_jobs(session=session, user_id=user.id, kind=kind, status=status_, limit=limit, offset=start)
    following = start + len(jobs)
    return _json(
        JobsPage(items=[JobPublic.of(j) for j in jobs], total=total, next=str(following) if following < total else None)
    )


@router.get(
    "/jobs/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}},
        **error(429, "`MAX_EVENT_STREAMS_PER_USER` streams are open already (with Retry-After)"),
        **error(503, "live updates are unavailable (Redis is away), or `MAX_EVENT_STREAMS_TOTAL` streams are open"),
    },
)
async def job_events(request: Request, user_id: SignedInUserId) -> StreamingResponse:
    """Server-sent events: one `job` event (a Job as JSON) per status or progress change of your jobs. The stream
    ends when the login expires, logs out or its account is disabled; at most `MAX_EVENT_STREAMS_PER_USER` are
    open at once per user, `MAX_EVENT_STREAMS_TOTAL` in all."""
    # The user id only (a sync dependency: run in a thread, off the event loop, its session closed before the
    # stream starts): a stream lasts as long as the browser tab, and a session held that long would pin one
    # pooled connection.
    claims = await run_in_threadpool(credential_claims, bearer_or_cookie(request) or "")
    if claims is None:  # expired since the dependency looked
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN)
    keepalive, limit = settings.event_keepalive_seconds, settings.max_event_streams_per_user
    stream_id, stale_after = uuid.uuid4().hex, 3 * keepalive
    try:
        claim = await events.claim_stream(
            user_id, stream_id, limit=limit, total_limit=settings.max_event_streams_total, stale_s=stale_after
        )
    except RedisError:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "live updates are unavailable right now") from None
    retry = {"Retry-After": str(math.ceil(stale_after))}
    if claim == "user_full":
        full = f"more than {limit} live streams are open; close a tab and try again"
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS, full, retry)
    if claim == "site_full":
        busy = "the server has as many live streams open as it serves; try again in a minute"
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, busy, retry)

    async def stream():
        try:
            yield "retry: 3000\n: connected\n\n"
            async for payload in events.job_events(user_id, keepalive_s=min(keepalive, claims["exp"] - time.time())):
                if await request.is_disconnected():
                    break
                # The last line says why the stream ended.
                if time.time() >= claims["exp"]:
                    yield ": ended: login expired\n\n"
                    break
                if await is_logged_out(claims):
                    yield ": ended: logged out\n\n"
                    break
                if payload is None:
                    await events.refresh_stream(user_id, stream_id, stale_s=stale_after)
                yield f"event: job\ndata: {payload}\n\n" if payload else ": ping\n\n"
        except RedisError:
            yield ": ended: live updates unavailable\n\n"  # the browser reconnects after `retry`
        finally:
            await events.release_stream(user_id, stream_id)

    return StreamingResponse(
        stream(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    )


@router.get("/jobs/archive", response_class=StreamingResponse, responses=file_answer("application/zip"))
def archive_all(user: CurrentUser, session: SessionDep, kind: JobKind = JobKind.depth) -> StreamingResponse:
    """Every result file of your finished jobs of one kind, as one streamed ZIP (a folder per job)."""
    jobs = crud.succeeded_jobs(session=session, user_id=user.id, kind=kind)
    files = [
        (f"{job.id}/{f.name}", partial(storage.job_files(job).open, f.name))
        for job in jobs
        for f in storage.stored_files(job.results)
    ]
    return StreamingResponse(
        stream_zip(files),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="scenelab-all-{kind.value}.zip"'},
    )


@router.get("/jobs/{job_id:uuid}", response_model=AnyJobPublic, responses=OWNED_JOB)
def get_job(job: OwnedJob) -> Response:
    """One job."""
    return _json(JobPublic.of(job))


@router.get("/jobs/{job_id:uuid}/items", response_model=ItemsPage, responses=OWNED_JOB)
def get_items(job: OwnedJob) -> ItemsPage:
    """The inputs of a depth job, each with its status, error and result files."""
    return ItemsPage(
        items=[
            ItemPublic(
                name=i.name, stem=i.stem, status=i.status, error=i.error, results=result_files(job.id, i.results)
            )
            for i in job.items
        ]
    )


@router.get(
    "/jobs/{job_id:uuid}/files/{name}",
    response_class=Response,
    responses={
        **OWNED_JOB,
        **file_answer("*/*", description="the file, with its own media type"),
        302: {"description": "with `STORAGE=s3`: a redirect to a short-lived presigned URL of the file"},
    },
)
def get_file(job: OwnedJob, name: str, download: bool = False) -> Response:
    """One result file. Images open inline unless `download=true`. With `STORAGE=s3` the answer is a redirect (302)
    to a presigned URL of the file that lives `S3_URL_EXPIRES_SECONDS`: its bytes come from the bucket."""
    stored = {f.name: f for f in storage.stored_files([*job.results, *(row for i in job.items for row in i.results)])}
    if name not in stored:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such file in this job")
    inline = stored[name].media_type.startswith("image/") and not download
    try:
        return storage.job_files(job).response(stored[name], inline=inline)
    except FileNotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "the file is gone from storage") from None


@router.get(
    "/jobs/{job_id:uuid}/archive",
    response_class=StreamingResponse,
    responses={**OWNED_JOB, **error(409, "not finished"), **file_answer("application/zip")},
)
def archive_job(job: OwnedJob) -> StreamingResponse:
    """Every result file of the job as one streamed ZIP."""
    if not job.status.finished:
        raise HTTPException(status.HTTP_409_CONFLICT, "the job has not finished yet")
    stored = storage.job_files(job)
    files = [(f.name, partial(stored.open, f.name)) for f in storage.stored_files(job.results)]
    return StreamingResponse(
        stream_zip(files),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{_attachment_name(job)}"'},
    )


@router.post(
    "/jobs/{job_id:uuid}/render",
    response_model=AnyJobPublic,
    responses={
        **OWNED_JOB,
        **error(409, "not a finished heatmap job, or its stored tracks are gone"),
        **error(429, "more than `RENDER_PER_MINUTE` redraws in the last minute (with Retry-After)"),
        **error(503, INTERACTIVE_BUSY),
        **errors(507),
    },
)
async def render_job(job: DetachedOwnedJob, body: RenderUpdate | None = None) -> Response:
    """Redraw a heatmap job's images from its stored tracks with other options (no detection re-run), and
    its footfall regions' files when it has regions (their figures follow the anchor)."""
    await within_rate("render", job.user_id, limit=settings.render_per_minute, what="redraws")
    refusal = edit_refusal(job)
    if refusal:
        raise HTTPException(status.HTTP_409_CONFLICT, refusal)
    changes = body.model_dump(exclude_unset=True) if body else {}
    _options_or_422(HeatmapOptions, {**job.params, **changes})  # refused here without a trip to a worker
    return await ask(RENDER, job_id=str(job.id), user_id=str(job.user_id), changes=changes)


@router.post(
    "/jobs/{job_id:uuid}/cancel", response_model=AnyJobPublic, responses={**OWNED_JOB, **error(409, "already finished")}
)
def cancel_job(job: OwnedJob, session: SessionDep) -> JobPublic:
    """Cancel a queued or running job; a running task stops at its next progress step."""
    session.refresh(job, with_for_update=True)
    if job.status.finished:
        raise HTTPException(status.HTTP_409_CONFLICT, f"the job has already {job.status.value}")
    finish(session, [job], JobStatus.cancelled)
    return JobPublic.of(job)


@router.delete("/jobs/{job_id:uuid}", status_code=status.HTTP_204_NO_CONTENT, responses=OWNED_JOB)
def delete_job(job: OwnedJob, session: SessionDep) -> None:
    """Delete the job and every file it has stored (a running job is stopped)."""
    job_id = job.id
    session.refresh(job, with_for_update=True)  # the job's row before its items, in the order a run locks them
    session.delete(job)
    session.commit()
    storage.delete_job_files(job_id)


@router.get("/stats", response_model=Stats)
def stats(user: CurrentUser, session: SessionDep) -> Stats:
    """How many of your jobs are in each status."""
    return crud.job_stats(session=session, user_id=user.id)
