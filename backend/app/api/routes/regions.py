"""Footfall regions of a heatmap job: zones and lines measured over its stored tracks."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.exceptions import RequestValidationError

from app.api.deps import OwnedJob, SessionDep, stored_tracks
from app.api.openapi import OWNED_JOB, error
from app.core import events, storage
from app.kinds import floor, regions
from app.kinds.regions import Regions, RegionsAnalysis
from app.models import Job, JobKind, JobStatus
from app.schemas import JobPublic

router = APIRouter(tags=["jobs"])
RESPONSES = {
    **OWNED_JOB,
    **error(404, "no such job (or not yours); for GET also: no regions set"),
    **error(409, "not a heatmap job that succeeded, or its stored tracks are gone"),
}


def require_heatmap(job: Job) -> None:
    if job.kind != JobKind.heatmap:
        raise HTTPException(status.HTTP_409_CONFLICT, "only heatmap jobs have footfall regions and a floor calibration")
    if job.status != JobStatus.succeeded:
        raise HTTPException(status.HTTP_409_CONFLICT, "the heatmap has not been computed yet")


@router.put("/jobs/{job_id:uuid}/regions", response_model=RegionsAnalysis, responses=RESPONSES)
def put_regions(job: OwnedJob, session: SessionDep, body: Regions) -> RegionsAnalysis:
    """Measure zones (people, visits, dwell time, occupancy) and lines (crossings in and out) over the job's
    stored tracks, store them with the job, and write `regions.json`, `zones.csv` and `lines.csv`."""
    require_heatmap(job)
    session.refresh(job, with_for_update=True)  # one writer of the job's results at a time
    folder = storage.job_dir(job)
    tracks = stored_tracks(job)
    errors = body.frame_errors(tracks.width, tracks.height)
    if errors:
        raise RequestValidationError(errors)
    homography = floor.homography_in(folder)
    analysis, written = regions.measure(folder, tracks, body, anchor=job.params["anchor"], homography=homography)
    job.regions = body.model_dump()
    job.results = storage.dump_files(regions.with_files(storage.stored_files(job.results), written))
    session.commit()
    events.publish_job(job.user_id, JobPublic.of(job))
    return analysis


@router.get("/jobs/{job_id:uuid}/regions", response_model=RegionsAnalysis, responses=RESPONSES)
def get_regions(job: OwnedJob) -> RegionsAnalysis:
    """The figures of the regions last set with PUT (the job's `regions.json`)."""
    require_heatmap(job)
    if job.regions is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no regions have been set for this job")
    try:
        return regions.load_analysis(storage.job_dir(job))
    except FileNotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this job's regions.json is gone from disk") from None
