"""Floor calibration of a heatmap job: frame pixels to floor metres, measured over its stored tracks."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.exceptions import RequestValidationError

from app.api.deps import OwnedJob, SessionDep, stored_tracks
from app.api.openapi import OWNED_JOB, error
from app.api.routes.regions import require_heatmap
from app.core import events, storage
from app.core.storage import StoredFile
from app.kinds import floor, regions
from app.kinds.floor import Calibration, CalibrationAnswer
from app.models import Job
from app.schemas import JobPublic
from app.vision.floor import DegenerateCalibration
from app.vision.tracks import Tracks

router = APIRouter(tags=["jobs"])
RESPONSES = {
    **OWNED_JOB,
    **error(404, "no such job (or not yours); for GET also: no calibration set"),
    **error(409, "not a heatmap job that succeeded, or its stored tracks are gone"),
}


@router.put("/jobs/{job_id:uuid}/calibration", response_model=CalibrationAnswer, responses=RESPONSES)
def put_calibration(job: OwnedJob, session: SessionDep, body: Calibration) -> CalibrationAnswer:
    """Map frame pixels to floor metres with a homography fitted to 4-20 point pairs (422 when they are degenerate
    or do not pair up), measure walking speeds from the stored tracks' foot points, and write `floor_heatmap.npy`
    (person-seconds per m² on `cell_m` cells), `floor_heatmap.png` and `calibration.json`."""
    require_heatmap(job)
    session.refresh(job, with_for_update=True)  # one writer of the job's results at a time
    tracks = stored_tracks(job)
    errors = body.frame_errors(tracks.width, tracks.height)
    if errors:
        raise RequestValidationError(errors)
    try:
        answer, written = floor.calibrate(storage.job_dir(job), tracks, body)
    except (DegenerateCalibration, ValueError) as exc:
        raise RequestValidationError([{"loc": ("body",), "msg": str(exc), "type": "value_error"}]) from None
    files = floor.with_files(storage.stored_files(job.results), written)
    job.results = storage.dump_files(_remeasure_zones(job, tracks, files))
    session.commit()
    events.publish_job(job.user_id, JobPublic.of(job))
    return answer


@router.get("/jobs/{job_id:uuid}/calibration", response_model=CalibrationAnswer, responses=RESPONSES)
def get_calibration(job: OwnedJob) -> CalibrationAnswer:
    """The figures of the calibration last set with PUT."""
    require_heatmap(job)
    stored = floor.load(storage.job_dir(job))
    if stored is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no calibration has been set for this job")
    return stored.answer


@router.delete("/jobs/{job_id:uuid}/calibration", status_code=status.HTTP_204_NO_CONTENT, responses=RESPONSES)
def delete_calibration(job: OwnedJob, session: SessionDep) -> None:
    """Remove the calibration and its files (`floor_heatmap.npy`, `floor_heatmap.png`, `calibration.json`)."""
    require_heatmap(job)
    session.refresh(job, with_for_update=True)
    floor.delete(storage.job_dir(job))
    files = floor.with_files(storage.stored_files(job.results), [])
    job.results = storage.dump_files(_remeasure_zones(job, stored_tracks(job), files) if job.regions else files)
    session.commit()
    events.publish_job(job.user_id, JobPublic.of(job))


def _remeasure_zones(job: Job, tracks: Tracks, files: list[StoredFile]) -> list[StoredFile]:
    """The job's files with its regions measured again (their zones' `area_m2` follows the calibration)."""
    if job.regions is None:
        return files
    folder = storage.job_dir(job)
    stored = regions.Regions.model_validate(job.regions)
    homography = floor.homography_in(folder)
    _, measured = regions.measure(folder, tracks, stored, anchor=job.params["anchor"], homography=homography)
    return regions.with_files(files, measured)
