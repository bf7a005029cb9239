"""Floor calibration of a heatmap job: frame pixels to floor metres, measured over its stored tracks on the
interactive queue (`app.worker.heatmap_edits`)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import Response

from app.api.deps import DetachedOwnedJob, OwnedJob
from app.api.interactive import INTERACTIVE_BUSY, ask, within_rate
from app.api.openapi import OWNED_JOB, error, errors
from app.core import storage
from app.core.config import settings
from app.kinds import floor
from app.kinds.floor import Calibration, CalibrationAnswer
from app.worker.heatmap_edits import CALIBRATE, UNCALIBRATE, edit_refusal

router = APIRouter(tags=["jobs"])
RESPONSES = {
    **OWNED_JOB,
    **error(404, "no such job (or not yours); for GET and DELETE also: no calibration set"),
    **error(409, "not a heatmap job that succeeded, or its stored tracks are gone"),
}
EDIT_RESPONSES = {
    **RESPONSES,
    **error(429, "more than `REGIONS_PER_MINUTE` calibrations in the last minute (with Retry-After)"),
    **error(503, INTERACTIVE_BUSY),
    **errors(507),
}


async def _editable(job: DetachedOwnedJob) -> None:
    await within_rate("calibration", job.user_id, limit=settings.regions_per_minute, what="floor calibrations")
    refusal = edit_refusal(job)
    if refusal:
        raise HTTPException(status.HTTP_409_CONFLICT, refusal)


@router.put("/jobs/{job_id:uuid}/calibration", response_model=CalibrationAnswer, responses=EDIT_RESPONSES)
async def put_calibration(job: DetachedOwnedJob, body: Calibration) -> Response:
    """Map frame pixels to floor metres with a homography fitted to 4-20 point pairs (422 when they are degenerate
    or do not pair up), measure walking speeds from the stored tracks' foot points, and write `floor_heatmap.npy`
    (person-seconds per m² on `cell_m` cells), `floor_heatmap.png` and `calibration.json`; `heatmap.png` and
    `legend.json` are redrawn with their legend in person-seconds per m². Zones of the job's regions get their
    `area_m2`."""
    await _editable(job)
    return await ask(CALIBRATE, job_id=str(job.id), user_id=str(job.user_id), calibration=body.model_dump())


@router.get("/jobs/{job_id:uuid}/calibration", response_model=CalibrationAnswer, responses=RESPONSES)
def get_calibration(job: OwnedJob) -> CalibrationAnswer:
    """The figures of the calibration last set with PUT."""
    refusal = edit_refusal(job)
    if refusal:
        raise HTTPException(status.HTTP_409_CONFLICT, refusal)
    stored = floor.load(storage.job_files(job))
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no calibration has been set for this job")
    return stored.answer


@router.delete("/jobs/{job_id:uuid}/calibration", status_code=status.HTTP_204_NO_CONTENT, responses=EDIT_RESPONSES)
async def delete_calibration(job: DetachedOwnedJob) -> Response:
    """Remove the calibration and its files (the heatmap's legend is per 100×100 px again); zones of the job's
    regions lose their `area_m2`."""
    await _editable(job)
    await ask(UNCALIBRATE, job_id=str(job.id), user_id=str(job.user_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)
