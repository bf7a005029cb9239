"""Heatmap jobs end to end: video upload -> real Celery worker (untrained yolov8n) -> results and redraws."""

from __future__ import annotations

import io
import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import httpx
import numpy as np
import pytest
from PIL import Image

from app.core.config import settings
from scripts import images, media
from tests.conftest import (
    file_tuple,
    owner_events,
    published,
    start_api,
    start_worker,
    stop_process,
    wait_for_job,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def scene_mp4(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("video") / "scene.mp4"
    return media.write_video(path, media.default_scene(seconds=3.0)).read_bytes()


def _video(name: str, data: bytes, content_type: str = "video/mp4") -> dict:
    return {"file": (name, io.BytesIO(data), content_type)}


def test_heatmap_job_end_to_end(user, worker, scene_mp4):
    upload = user.post(
        "/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4), data={"sample_fps": "5", "colormap": "magma"}
    )
    assert upload.status_code == 202, upload.text
    job = upload.json()
    assert job["kind"] == "heatmap" and job["input_name"] == "walk.mp4"
    assert (
        job["params"]["sample_fps"] == 5 and job["params"]["anchor"] == "feet" and job["params"]["colormap"] == "magma"
    )
    assert job["params"]["motion_gate"] is True  # on by default

    done = wait_for_job(user, job["id"], timeout=120)
    assert done["status"] == "succeeded", done
    summary = done["summary"]
    assert (
        summary["frames_total"] == 30
        and summary["frames_sampled"] == 15
        and (summary["frames_detected"], summary["frames_reused"]) == (15, 0)  # people walk in every sample
        and summary["duration_s"] == pytest.approx(3.0)
    )
    assert (summary["width"], summary["height"]) == (320, 240)
    assert (
        summary["people_unique"] == 0 and summary["people_peak"] == 0 and summary["people_mean"] == 0
    )  # untrained weights
    assert summary["model"].endswith(".pt") and len(summary["weights_sha256"]) == 64
    assert (summary["backend"], summary["device"]) == ("openvino", "cpu")  # INFERENCE_BACKEND=auto, no GPU

    names = [r["name"] for r in done["results"]]
    assert names == [
        "heatmap.png",
        "heatmap.npy",
        "tracks.png",
        "legend.json",
        "heat_slices.npy",
        "recap.mp4",
        "stats.json",
        "tracks.npz",
        "background.png",
        "input.mp4",
    ]
    heat = np.load(io.BytesIO(user.get(f"/api/jobs/{job['id']}/files/heatmap.npy").content))
    assert heat.dtype == np.float32 and heat.shape == (240, 320) and heat.sum() == 0
    overlay = np.asarray(Image.open(io.BytesIO(user.get(f"/api/jobs/{job['id']}/files/heatmap.png").content)))
    assert overlay.shape[0] == 240 and overlay.shape[1] > 320  # the legend sits on the right
    stats = json.loads(user.get(f"/api/jobs/{job['id']}/files/stats.json").content)
    assert len(stats["people_per_second"]) == 3 and stats["people_unique"] == 0
    legend = json.loads(user.get(f"/api/jobs/{job['id']}/files/legend.json").content)
    assert legend["unit"] == "person-s per 100×100 px" and legend["colormap"] == "magma"
    assert [tick["position"] for tick in legend["ticks"]] == [1.0, 0.75, 0.5, 0.25, 0.0] and len(legend["colors"]) == 11
    assert user.get(f"/api/jobs/{job['id']}/files/input.mp4").content == scene_mp4

    before = user.get(f"/api/jobs/{job['id']}/files/heatmap.png").content
    started = time.perf_counter()
    redrawn = user.post(
        f"/api/jobs/{job['id']}/render", json={"colormap": "jet", "t_start": 1.0, "t_end": 2.5, "opacity": 0.8}
    )
    elapsed = time.perf_counter() - started
    assert redrawn.status_code == 200, redrawn.text
    assert elapsed < 2.0
    params = redrawn.json()["params"]
    assert (params["colormap"], params["t_start"], params["t_end"], params["opacity"]) == ("jet", 1.0, 2.5, 0.8)
    assert params["sample_fps"] == 5  # untouched options stay
    assert user.get(f"/api/jobs/{job['id']}/files/heatmap.png").content != before

    assert user.post(f"/api/jobs/{job['id']}/render", json={"anchor": "elbow"}).status_code == 422
    assert user.post(f"/api/jobs/{job['id']}/render", json={"t_start": 2, "t_end": 1}).status_code == 422
    assert user.post(f"/api/jobs/{job['id']}/render", json={"unknown": 1}).status_code == 422

    folders = [settings.heatmaps_dir / job["id"], settings.videos_dir / job["id"]]
    assert all(f.is_dir() for f in folders)
    assert user.delete(f"/api/jobs/{job['id']}").status_code == 204
    assert not any(f.exists() for f in folders)


def test_render_refuses_depth_and_unfinished_jobs(user, scene_mp4, monkeypatch):
    monkeypatch.setattr(settings, "depth_queue", "nobody-serves-this")  # both jobs stay queued whatever workers run
    monkeypatch.setattr(settings, "heatmap_queue", "nobody-serves-this")
    depth = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()
    assert user.post(f"/api/jobs/{depth['id']}/render", json={}).status_code == 409
    queued = user.post("/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4)).json()
    refused = user.post(f"/api/jobs/{queued['id']}/render", json={})
    assert refused.status_code == 409 and "not been computed" in refused.json()["detail"]
    assert user.get(f"/api/jobs/{queued['id']}").json()["status"] == "queued"
    for job_id in (depth["id"], queued["id"]):
        user.post(f"/api/jobs/{job_id}/cancel")


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "name,make,status,message",
    [
        ("clip.gif", lambda v: b"GIF89a", 415, "not a supported video"),
        ("notes.mp4", lambda v: b"this is a text file, not a video", 400, "not a decodable video"),
        ("empty.mp4", lambda v: b"", 400, "not a decodable video"),
        ("half.mp4", _truncated, 400, "not a decodable video"),
        ("image.mp4", lambda v: images.png(), 400, "not a decodable video"),
    ],
)
def test_bad_videos_are_refused(user, scene_mp4, name, make, status, message):
    stored_before = set(settings.videos_dir.glob("*")) if settings.videos_dir.exists() else set()
    response = user.post("/api/jobs/heatmap", files=_video(name, make(scene_mp4)))
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]
    assert user.get("/api/jobs", params={"kind": "heatmap"}).json()["total"] == 0
    assert (set(settings.videos_dir.glob("*")) if settings.videos_dir.exists() else set()) == stored_before


def test_limits_on_length_and_size(user, scene_mp4, monkeypatch):
    monkeypatch.setattr(settings, "max_video_seconds", 2.0)
    long = user.post("/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4))
    assert long.status_code == 413 and "longer than" in long.json()["detail"]
    monkeypatch.setattr(settings, "max_video_seconds", 3600.0)
    monkeypatch.setattr(settings, "max_video_pixels", 320 * 200)
    big = user.post("/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4))
    assert big.status_code == 413 and "megapixels allowed" in big.json()["detail"]
    monkeypatch.setattr(settings, "max_video_pixels", 320 * 240)
    monkeypatch.setattr(settings, "max_video_frames", 29)
    many = user.post("/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4))
    assert many.status_code == 413 and "30 frames: more than the 29 allowed" in many.json()["detail"]


def test_frame_size_is_refused_before_the_first_frame_is_decoded(user, tmp_path, monkeypatch):
    """A 12-megapixel AVI cut inside its first frame: only its header can be read. The frame size in the
    header refuses it (413) before FFmpeg decodes (here: fails to decode, 400) a frame of that size."""
    path = tmp_path / "big.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (4000, 3000))
    for _ in range(3):
        writer.write(np.full((3000, 4000, 3), 90, np.uint8))
    writer.release()
    data = path.read_bytes()
    first = data.index(b"00dc", data.index(b"movi"))  # the first frame's chunk: id, size, JPEG bytes
    cut = data[: first + 8 + int.from_bytes(data[first + 4 : first + 8], "little") // 3]
    monkeypatch.setattr(settings, "max_video_pixels", 4000 * 3000)
    assert "not a decodable video" in user.post("/api/jobs/heatmap", files=_video("big.avi", cut)).json()["detail"]
    monkeypatch.setattr(settings, "max_video_pixels", 4000 * 3000 - 1)
    refused = user.post("/api/jobs/heatmap", files=_video("big.avi", cut))
    assert refused.status_code == 413 and "4000x3000 pixels" in refused.json()["detail"], refused.text


@pytest.mark.parametrize(
    "field,value",
    [
        ("sample_fps", "-1"),
        ("sample_fps", "1000"),
        ("conf", "2"),
        ("stride", "0"),
        ("anchor", "nose"),
        ("colormap", "rainbow"),
        ("opacity", "1.5"),
    ],
)
def test_invalid_heatmap_params_are_422(user, scene_mp4, field, value):
    assert user.post("/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4), data={field: value}).status_code == 422


def test_truncated_avi_processes_what_decodes(user, worker, tmp_path):
    """An AVI cut short keeps its first frames readable: the job succeeds on them and says so."""
    path = media.write_video(tmp_path / "walk.avi", media.default_scene(seconds=3.0), fourcc="MJPG")
    data = path.read_bytes()
    response = user.post("/api/jobs/heatmap", files=_video("cut.avi", data[: int(len(data) * 0.6)], "video/x-msvideo"))
    assert response.status_code == 202, response.text
    done = wait_for_job(user, response.json()["id"], timeout=120)
    assert done["status"] == "succeeded", done
    assert done["summary"]["truncated"] and done["summary"]["message"]
    assert 0 < done["summary"]["frames_decoded"] < 30 and "truncated" in done["summary"]["message"]


def test_a_truncated_video_progresses_to_done_without_a_jump(user, tmp_path, monkeypatch):
    """The header of an AVI cut in half still counts all its 600 frames. The progress the job publishes follows
    what is read and climbs to done in steps of at most 25 points (by frames alone it stopped under 50 %, then
    jumped to done). A worker of its own detects at 640 px, slow enough for a dozen throttled progress writes even
    on a quiet machine (20 s of video ran in 1.5 s there: three writes)."""
    path = media.write_video(tmp_path / "walk.avi", media.default_scene((640, 480), seconds=60.0), fourcc="MJPG")
    data = path.read_bytes()
    queue = f"progress-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "heatmap_queue", queue)
    worker = start_worker(queues=queue, name="progress", HEATMAP_IMGSZ="640")
    try:
        with owner_events(user) as listener:
            cut = _video("cut.avi", data[: len(data) // 2], "video/x-msvideo")
            response = user.post("/api/jobs/heatmap", files=cut, data={"stride": "1"})
            assert response.status_code == 202, response.text
            done = wait_for_job(user, response.json()["id"], timeout=240)
            progress = [event["progress"] for event in published(listener, done["id"])]
    finally:
        stop_process(worker)
    assert done["status"] == "succeeded" and done["summary"]["truncated"], done
    assert progress == sorted(progress) and progress[-1] == 1.0, progress
    assert max(np.diff(progress)) <= 0.25, progress


def test_redraws_are_rate_limited_per_user(make_user, scene_mp4, monkeypatch):
    monkeypatch.setattr(settings, "heatmap_queue", "nobody-serves-this")
    monkeypatch.setattr(settings, "render_per_minute", 2)
    user, other = make_user(), make_user()
    job = user.post("/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4)).json()
    codes = [user.post(f"/api/jobs/{job['id']}/render", json={}).status_code for _ in range(2)]
    refused = user.post(f"/api/jobs/{job['id']}/render", json={})
    assert codes == [409, 409] and refused.status_code == 429, refused.text
    assert int(refused.headers["Retry-After"]) > 0 and "redraws in a minute" in refused.json()["detail"]
    theirs = other.post("/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4)).json()
    assert other.post(f"/api/jobs/{theirs['id']}/render", json={}).status_code == 409  # a limit per user


@pytest.fixture
def finished_job(user, worker, scene_mp4) -> dict:
    job = wait_for_job(user, user.post("/api/jobs/heatmap", files=_video("walk.mp4", scene_mp4)).json()["id"])
    assert job["status"] == "succeeded", job
    return job


@contextmanager
def row_locked(job_id: str) -> Iterator[None]:
    """The job's row locked by another transaction for the block: a redraw's worker waits for it."""
    from sqlalchemy.orm import Session

    from app.core.db import get_engine
    from app.models import Job

    lock = Session(get_engine())
    lock.get(Job, uuid.UUID(job_id), with_for_update=True)
    try:
        yield
    finally:
        lock.rollback()
        lock.close()


def test_redraws_wait_on_the_event_loop_and_answer_503_when_no_answer_comes(user, finished_job):
    """A real uvicorn process (one event loop, 40 threads for blocking work) with 60 redraws waiting for a worker
    held by the job's row lock: each waits without a thread, so the process still answers at once; each gets
    503 with Retry-After at INTERACTIVE_TIMEOUT_S, and the worker drops the redraws nobody waits for any more."""
    job_id, waiting = finished_job["id"], 60
    env = {"INTERACTIVE_TIMEOUT_S": "8", "INTERACTIVE_MAX_PENDING": "100", "RENDER_PER_MINUTE": "1000"}
    process, base = start_api(**env)
    cookies = dict(user.cookies)
    answers: list[httpx.Response] = []

    def redraw() -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
            answers.append(client.post(f"/api/jobs/{job_id}/render", json={"colormap": "jet"}))

    try:
        with row_locked(job_id):
            threads = [threading.Thread(target=redraw) for _ in range(waiting)]
            for thread in threads:
                thread.start()
            time.sleep(2)
            started = time.perf_counter()
            with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
                assert client.get(f"/api/jobs/{job_id}").status_code == 200
            assert time.perf_counter() - started < 2 and answers == []  # answered while all 60 still wait
            for thread in threads:
                thread.join(30)
        assert len(answers) == waiting
        assert {a.status_code for a in answers} == {503}
        assert all(int(a.headers["Retry-After"]) > 0 for a in answers)
        with httpx.Client(base_url=base, cookies=cookies, timeout=30) as client:
            redrawn = client.post(f"/api/jobs/{job_id}/render", json={"colormap": "plasma"})
        assert redrawn.status_code == 200, redrawn.text
        assert redrawn.json()["params"]["colormap"] == "plasma"
    finally:
        stop_process(process)


def test_at_most_interactive_max_pending_redraws_wait(user, finished_job, monkeypatch):
    """Past `INTERACTIVE_MAX_PENDING` waiting redraws, one more is refused at once with 503; the waiting one
    applies once the worker gets the row."""
    from fastapi.testclient import TestClient

    from app.main import app

    job_id = finished_job["id"]
    monkeypatch.setattr(settings, "interactive_max_pending", 1)
    answers: dict[str, int] = {}

    def redraw() -> None:
        with TestClient(app, cookies=dict(user.cookies)) as client:
            answers["waiting"] = client.post(f"/api/jobs/{job_id}/render", json={"colormap": "inferno"}).status_code

    thread = threading.Thread(target=redraw)
    with row_locked(job_id):
        thread.start()
        time.sleep(1.5)
        started = time.perf_counter()
        busy = user.post(f"/api/jobs/{job_id}/render", json={"colormap": "turbo"})
        assert time.perf_counter() - started < 1.0
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0, busy.text
        assert "busy" in busy.json()["detail"] and answers == {}
    thread.join(30)
    assert answers == {"waiting": 200}
    assert user.get(f"/api/jobs/{job_id}").json()["params"]["colormap"] == "inferno"
