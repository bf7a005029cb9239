"""Interactive operations on a succeeded heatmap job, from its stored tracks (no detection re-run): redraw it
with other drawing options (`POST /render`), measure footfall regions (`PUT /regions`), and calibrate its floor
(`PUT` and `DELETE /calibration`); and compare two of them (`GET /api/compare`, `/api/compare/image`)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

from psycopg.errors import LockNotAvailable
from pydantic import ValidationError
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app import kinds
from app.core import events, storage
from app.core.db import session_scope
from app.core.storage import StoredFile
from app.kinds import compare, floor, heatmap, regions
from app.models import Job, JobStatus
from app.schemas import JobPublic
from app.vision.floor import Homography
from app.vision.tracks import Anchor, Tracks
from app.worker.interactive import Refused, operation, seconds_left

RENDER = "render"
REGIONS = "regions"
CALIBRATE = "calibrate"
UNCALIBRATE = "uncalibrate"
COMPARE = "compare"
COMPARE_IMAGE = "compare_image"
LOCK_WAIT_MAX_S = 600.0


def edit_refusal(job: Job) -> str | None:
    """Why the job cannot be redrawn nor given regions (a 409), or None."""
    if not kinds.spec(job.kind).redrawable:
        return "only heatmap jobs can be redrawn or have footfall regions"
    if job.status != JobStatus.succeeded:
        return "the heatmap has not been computed yet"
    return None


def _locked_job(session: Session, job_id: str, user_id: str) -> Job:
    """The user's job, its row locked (one rewrite of its files at a time), ready to edit. The lock is waited
    for during half the request's time left at most (then 503): PostgreSQL ends the wait cleanly."""
    wait_ms = max(1, int(min(seconds_left() / 2, LOCK_WAIT_MAX_S) * 1000))
    session.execute(text("SELECT set_config('lock_timeout', :wait, true)"), {"wait": f"{wait_ms}ms"})
    try:
        job = session.get(Job, uuid.UUID(job_id), with_for_update=True)
    except OperationalError as exc:
        if isinstance(exc.orig, LockNotAvailable):
            raise Refused(503, "another change to this job is still running: try again in a few seconds") from None
        raise
    if job is None or job.user_id != uuid.UUID(user_id):
        raise Refused(404, "job not found")  # deleted since the route looked
    refusal = edit_refusal(job)
    if refusal:
        raise Refused(409, refusal)
    return job


def _tracks(job: Job) -> Tracks:
    try:
        return heatmap.load_tracks(storage.job_files(job))
    except FileNotFoundError:
        raise Refused(409, "this job's stored tracks are missing; upload the video again") from None


def _tracks_framing(job: Job, body: regions.Regions | floor.Calibration) -> Tracks:
    """The job's tracks, once every point of `body` is inside their frame (else 422)."""
    tracks = _tracks(job)
    errors = body.frame_errors(tracks.width, tracks.height)
    if errors:
        raise Refused(422, errors)
    return tracks


def _options(job: Job) -> heatmap.HeatmapOptions:
    """The job's stored options (409 when they break a rule made since they were stored)."""
    try:
        return heatmap.HeatmapOptions.model_validate(job.params)
    except ValidationError:
        raise Refused(409, f"job {job.id}'s options break a rule made since: redraw it first") from None


def _invalid(exc: ValidationError) -> Refused:
    return Refused(422, [dict(e) for e in exc.errors(include_url=False, include_context=False, include_input=False)])


@operation(RENDER)
def redraw(*, job_id: str, user_id: str, changes: dict[str, Any]) -> str:
    """The job (`JobPublic` JSON) with its images drawn with `changes` to its options, and its regions'
    figures and files measured again when it has regions (they follow the anchor)."""
    with session_scope() as session:
        job = _locked_job(session, job_id, user_id)
        try:
            options = heatmap.HeatmapOptions.model_validate({**job.params, **changes})
        except ValidationError as exc:
            raise _invalid(exc) from None
        tracks = _tracks(job)
        files = storage.job_files(job)
        homography = floor.homography_in(files)
        with files.written_together(_zones_again(job, tracks, homography, anchor=options.anchor)) as region_files:
            drawn = {f.name: f for f in [*heatmap.render_files(files, tracks, options, homography), *region_files]}
            job.params = options.model_dump()
            job.results = storage.dump_files([drawn.get(f.name, f) for f in storage.stored_files(job.results)])
            session.commit()
        public = JobPublic.of(job)
    events.publish_job(job.user_id, public)
    return public.model_dump_json()


@operation(REGIONS)
def measure_regions(*, job_id: str, user_id: str, regions_body: dict[str, Any]) -> str:
    """The `RegionsAnalysis` JSON of the regions over the job's tracks, stored with the job with its files."""
    body = regions.Regions.model_validate(regions_body)
    with session_scope() as session:
        job = _locked_job(session, job_id, user_id)
        tracks = _tracks_framing(job, body)
        files = storage.job_files(job)
        homography = floor.homography_in(files)
        analysis, measured = regions.measure(tracks, body, anchor=job.params["anchor"], homography=homography)
        with files.written_together(measured) as written:
            job.regions = body.model_dump()
            job.results = storage.dump_files(regions.with_files(storage.stored_files(job.results), written))
            session.commit()
        public = JobPublic.of(job)
    events.publish_job(job.user_id, public)
    return analysis.model_dump_json(by_alias=True)


@operation(CALIBRATE)
def calibrate(*, job_id: str, user_id: str, calibration: dict[str, Any]) -> str:
    """The `CalibrationAnswer` JSON of the calibration over the job's tracks; its files written with the job's,
    the heatmap's legends redrawn in person-s per m², and its regions' zones measured again (their `area_m2`)."""
    body = floor.Calibration.model_validate(calibration)
    with session_scope() as session:
        job = _locked_job(session, job_id, user_id)
        tracks = _tracks_framing(job, body)
        try:
            answer, drawn = floor.calibrate(tracks, body)
        except ValueError as exc:  # DegenerateCalibration included
            raise Refused(422, [{"loc": ["body"], "msg": str(exc), "type": "value_error"}]) from None
        homography = floor.homography_of(body)
        files = storage.job_files(job)
        with files.written_together(drawn | _zones_again(job, tracks, homography)) as written:
            redrawn = heatmap.render_heat(files, tracks, _options(job), homography)  # its legend in m²
            job.results = storage.dump_files(_with_written(job, [*written, *redrawn]))
            session.commit()
        public = JobPublic.of(job)
    events.publish_job(job.user_id, public)
    return answer.model_dump_json()


@operation(UNCALIBRATE)
def uncalibrate(*, job_id: str, user_id: str) -> str:
    """`null`: the job's calibration and its files removed, the heatmap's legends per 100 x 100 px again, and its
    regions' zones measured again (no `area_m2`). Refused with 404 when the job has no calibration."""
    with session_scope() as session:
        job = _locked_job(session, job_id, user_id)
        files = storage.job_files(job)
        if floor.load(files) is None:
            raise Refused(404, "no calibration has been set for this job")
        tracks = _tracks(job)
        zones = _zones_again(job, tracks, None) if job.regions is not None else {}
        with files.written_together(zones) as written:
            redrawn = heatmap.render_heat(files, tracks, _options(job), None)  # its legend per 100 x 100 px again
            job.results = storage.dump_files(_with_written(job, [*written, *redrawn], drop=floor.FILES))
            session.commit()
        floor.delete(files)
        public = JobPublic.of(job)
    events.publish_job(job.user_id, public)
    return "null"


def _zones_again(
    job: Job, tracks: Tracks, homography: Homography | None, *, anchor: Anchor | None = None
) -> dict[str, bytes]:
    """The job's region files measured again with `homography`, at `anchor` (default: the job's); none without
    regions."""
    if job.regions is None:
        return {}
    try:
        stored = regions.Regions.model_validate(job.regions)
    except ValidationError:  # set before a rule that they break
        raise Refused(409, "this job's footfall regions break a rule made since: set them again") from None
    return regions.measure(tracks, stored, anchor=anchor or job.params["anchor"], homography=homography)[1]


def _with_written(job: Job, written: list[StoredFile], *, drop: tuple[str, ...] = ()) -> list[StoredFile]:
    """The job's result list with `written` replacing the files of the same names (appended when new), less `drop`."""
    replaced = {f.name for f in written} | set(drop)
    return [f for f in storage.stored_files(job.results) if f.name not in replaced] + written


def _compared(session: Session, job_id: str, user_id: str) -> compare.Side:
    """The user's succeeded heatmap job, ready to compare (404 for any other job)."""
    job = session.get(Job, uuid.UUID(job_id))
    if job is None or job.user_id != uuid.UUID(user_id) or edit_refusal(job):
        raise Refused(404, f"job {job_id} not found among your succeeded heatmap jobs")
    return compare.side(storage.job_files(job), _tracks(job), _options(job), has_regions=job.regions is not None)


def _pair(a: str, b: str, user_id: str) -> tuple[compare.Side, compare.Side]:
    """Both jobs, 422 when their frames differ in size."""
    with session_scope() as session:
        first, second = _compared(session, a, user_id), _compared(session, b, user_id)
    if first.rate.shape != second.rate.shape:
        (ah, aw), (bh, bw) = first.rate.shape, second.rate.shape
        message = f"the jobs' frames differ in size: a is {aw}x{ah} px, b is {bw}x{bh} px"
        raise Refused(422, [{"loc": ["query", "b"], "msg": message, "type": "value_error"}])
    return first, second


@operation(COMPARE)
def compare_jobs(*, a: str, b: str, user_id: str) -> str:
    """The `Comparison` JSON of the user's heatmap jobs `a` and `b`."""
    return compare.comparison(*_pair(a, b, user_id)).model_dump_json()


@operation(COMPARE_IMAGE)
def compare_image(*, a: str, b: str, user_id: str, view: compare.View) -> str:
    """The PNG of `view` of the comparison, base64-encoded (the reply is JSON)."""
    return base64.b64encode(compare.image(*_pair(a, b, user_id), view)).decode()
