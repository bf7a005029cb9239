"""What a running job says it is doing: its stage (loading the model, detecting people or estimating depth,
drawing) and, once a tenth of a stage is done, the seconds left. Watched on the owner's live event channel, from a
real worker."""

from __future__ import annotations

import io
import time
import uuid

import pytest

from app.core.config import settings
from app.core.db import session_scope
from app.models import Job, JobKind, JobStage, JobStatus
from app.worker.lifecycle import JobRun, claim
from scripts import images, media
from tests.conftest import file_tuple, owner_events, published, start_worker, stop_process, wait_for_job

pytestmark = pytest.mark.slow


def _job_row(user_id: uuid.UUID) -> uuid.UUID:
    with session_scope() as session:
        job = Job(user_id=user_id, kind=JobKind.heatmap, input_name="walk.mp4")
        session.add(job)
        session.flush()
        return job.id


def _row(job_id: uuid.UUID) -> Job:
    with session_scope() as session:
        job = session.get(Job, job_id)
        assert job is not None
        session.expunge(job)
        return job


def _in_turn(stages: list[str | None]) -> list[str | None]:
    """The stages in the order they came, each once per stay."""
    return [stage for i, stage in enumerate(stages) if i == 0 or stages[i - 1] != stage]


def _user_id(client) -> uuid.UUID:
    return uuid.UUID(client.get("/api/auth/me").json()["id"])


def test_the_time_estimate_comes_once_a_tenth_of_the_stage_is_done_and_goes_with_the_run(user):
    job_id = _job_row(_user_id(user))
    run_id = claim(job_id)
    assert run_id is not None
    run = JobRun(job_id, run_id)
    run.stage(JobStage.detecting)
    run.update(force=True, progress=0.05)
    assert (_row(job_id).stage, _row(job_id).eta_s) == (JobStage.detecting, None)  # 5 % done: too early to say
    time.sleep(0.5)
    run.update(force=True, progress=0.25)
    eta = _row(job_id).eta_s
    # The stage began at progress 0: 0.25 of it in >= 0.5 s, so the remaining 0.75 take >= 1.5 s at that pace.
    assert eta is not None and 1.5 <= eta <= 4.0, eta
    shown = user.get(f"/api/jobs/{job_id}").json()
    assert (shown["stage"], shown["eta_s"]) == ("detecting", eta)

    run.stage(JobStage.drawing)  # a new stage starts its own estimate
    assert (_row(job_id).stage, _row(job_id).eta_s) == (JobStage.drawing, None)
    run.finish(JobStatus.succeeded)
    done = user.get(f"/api/jobs/{job_id}").json()
    assert (done["status"], done["stage"], done["eta_s"]) == ("succeeded", None, None)


def test_a_heatmap_job_goes_through_its_stages_in_order(user, tmp_path, monkeypatch):
    """A worker process of its own: its first job loads the model (the session's worker has it loaded already)."""
    video = media.write_video(tmp_path / "walk.mp4", media.default_scene(seconds=3.0)).read_bytes()
    queue = f"stages-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "heatmap_queue", queue)
    worker = start_worker(queues=queue, name="stages")
    try:
        with owner_events(user) as listener:
            upload = user.post("/api/jobs/heatmap", files={"file": ("walk.mp4", io.BytesIO(video), "video/mp4")})
            assert upload.status_code == 202, upload.text
            job_id = upload.json()["id"]
            done = wait_for_job(user, job_id)
            assert done["status"] == "succeeded", done
            seen = [event["stage"] for event in published(listener, job_id)]
    finally:
        stop_process(worker)
    assert _in_turn(seen) == [None, "loading_model", "detecting", "drawing", None], seen
    # The model load is its own timing, and the processing speed leaves it out.
    timings = done["summary"]["timings_s"]
    assert timings["load"] > 0
    assert done["summary"]["video_seconds_per_second"] == pytest.approx(3.0 / timings["total"], rel=0.01)


def test_a_depth_job_goes_through_its_stages_in_order(user, worker):
    """Loading the model, estimating depth, then drawing the maps on the job's one range."""
    pictures = [file_tuple(f"{name}.png", images.png()) for name in ("a", "b")]
    with owner_events(user) as listener:
        upload = user.post("/api/jobs/depth", files=pictures, data={"normalization": "job"})
        assert upload.status_code == 202, upload.text
        done = wait_for_job(user, upload.json()["id"])
        seen = [event["stage"] for event in published(listener, done["id"])]
    assert done["status"] == "succeeded", done
    assert _in_turn(seen) == [None, "loading_model", "estimating_depth", "drawing", None], seen
