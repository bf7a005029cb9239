"""Footfall regions of a heatmap job: zones and lines measured over its stored tracks."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import Response

from app.api.deps import DetachedOwnedJob, OwnedJob
from app.api.interactive import INTERACTIVE_BUSY, ask, within_rate
from app.api.openapi import OWNED_JOB, error, errors
from app.core import storage
from app.core.config import settings
from app.kinds import regions
from app.kinds.regions import Regions, RegionsAnalysis
from app.models import Job
from app.worker.heatmap_edits import REGIONS, edit_refusal

router = APIRouter(tags=["jobs"])
RESPONSES = {
    **OWNED_JOB,
    **error(404, "no such job (or not yours); for GET also: no regions set"),
    **error(409, "not a heatmap job that succeeded, or its stored tracks are gone"),
}


def _require_editable(job: Job) -> None:
    refusal = edit_refusal(job)
    if refusal:
        raise HTTPException(status.HTTP_409_CONFLICT, refusal)


@router.put(
    "/jobs/{job_id:uuid}/regions",
    response_model=RegionsAnalysis,
    responses={
        **RESPONSES,
        **error(429, "more than `REGIONS_PER_MINUTE` analyses in the last minute (with Retry-After)"),
        **error(503, INTERACTIVE_BUSY),
        **errors(507),
    },
)
async def put_regions(job: DetachedOwnedJob, body: Regions) -> Response:
    """Measure zones (people, visits, dwell time, occupancy) and lines (crossings in and out) over the job's
    stored tracks, store them with the job, and write `regions.json`, `zones.csv` and `lines.csv`."""
    await within_rate("regions", job.user_id, limit=settings.regions_per_minute, what="footfall analyses")
    _require_editable(job)
    return await ask(REGIONS, job_id=str(job.id), user_id=str(job.user_id), regions_body=body.model_dump())


@router.get("/jobs/{job_id:uuid}/regions", response_model=RegionsAnalysis, responses=RESPONSES)
def get_regions(job: OwnedJob) -> RegionsAnalysis:
    """The figures of the regions last set with PUT (the job's `regions.json`)."""
    _require_editable(job)
    if job.regions is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no regions have been set for this job")
    try:
        return regions.load_analysis(storage.job_files(job))
    except FileNotFoundError:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "this job's regions.json is gone from disk") from None
