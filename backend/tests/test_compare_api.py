"""Comparing two heatmap jobs end to end: real jobs (real worker), their tracks replaced by known ones, then
GET /api/compare and /api/compare/image on the interactive queue: person-seconds, the shared scale, zone deltas,
the difference's colours, 404 for another user's job and 422 for frames of another size."""

from __future__ import annotations

import dataclasses
import io

import cv2
import numpy as np
import pytest

from app.core.config import settings
from app.vision.tracks import Tracks
from scripts import media
from tests import footfall
from tests.conftest import wait_for_job

pytestmark = pytest.mark.slow

DT = footfall.DT
A_PERSON_SECONDS = (27 + 20) * DT  # track 1 seen for 27 samples, track 2 for 20, over 10 s
B_PERSON_SECONDS = 27 * DT  # track 1 alone, over the first 6 s (the job's t_end)


@pytest.fixture(scope="module")
def client(module_user):
    return module_user


@pytest.fixture(scope="module")
def jobs(worker, tmp_path_factory, client):
    """Job ids a (both tracks, 10 s), b (track 1 only, t_end 6 s) and small (a 160x120 frame)."""
    video = media.write_video(tmp_path_factory.mktemp("video") / "scene.mp4", media.default_scene(seconds=2.0))
    ids = []
    for _ in range(3):
        files = {"file": ("walk.mp4", io.BytesIO(video.read_bytes()), "video/mp4")}
        ids.append(
            client.post("/api/jobs/heatmap", files=files, data={"sample_fps": "5", "recap": "false"}).json()["id"]
        )
    for job_id in ids:
        assert wait_for_job(client, job_id, timeout=180)["status"] == "succeeded"
    a, b, small = ids
    footfall.write_known_tracks(settings.heatmaps_dir / a / "tracks.npz")
    footfall.write_known_tracks(settings.heatmaps_dir / b / "tracks.npz")
    tracks = Tracks.load(settings.heatmaps_dir / b / "tracks.npz")
    tracks.select(tracks.track_id == 1).save(settings.heatmaps_dir / b / "tracks.npz")
    tiny = dataclasses.replace(Tracks.empty(width=160, height=120), background=np.zeros((120, 160, 3), np.uint8))
    tiny.save(settings.heatmaps_dir / small / "tracks.npz")
    assert client.post(f"/api/jobs/{a}/render", json={}).status_code == 200  # heatmap.npy from the known tracks
    assert client.post(f"/api/jobs/{b}/render", json={"t_end": 6.0}).status_code == 200
    return a, b, small


def _heat(client, job_id: str) -> np.ndarray:
    return np.load(io.BytesIO(client.get(f"/api/jobs/{job_id}/files/heatmap.npy").content))


def test_compare_states_person_seconds_per_second_on_one_scale(client, jobs):
    a, b, _ = jobs
    response = client.get("/api/compare", params={"a": a, "b": b})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["a"] == pytest.approx(
        {"person_seconds": A_PERSON_SECONDS, "people_unique": 2, "duration_s": 10.0, "person_seconds_per_s": 0.94},
        rel=1e-5,
    )
    assert answer["b"] == pytest.approx(
        {"person_seconds": B_PERSON_SECONDS, "people_unique": 1, "duration_s": 6.0, "person_seconds_per_s": 0.9},
        rel=1e-5,
    )
    # the jobs' own heatmaps (drawn by the redraw): the scale's top is the highest heat per second per 100x100 px
    heat_a, heat_b = _heat(client, a) / 10.0, _heat(client, b) / 6.0
    assert answer["scale_max"] == pytest.approx(max(heat_a.max(), heat_b.max()) * 100 * 100, rel=1e-5)
    assert answer["difference_person_seconds"] == pytest.approx(heat_b.sum() - heat_a.sum(), rel=1e-4)
    assert answer["difference_person_seconds"] == pytest.approx(0.9 - 0.94, abs=1e-5)
    assert answer["zones"] is None  # neither has regions yet
    assert len(answer["colors"]) == 11 and answer["difference_colors"][::10] == ["#1e5ab4", "#c82828"]  # blue, red


def test_zones_named_alike_get_their_deltas(client, jobs):
    a, b, _ = jobs
    for job_id in (a, b):
        assert client.put(f"/api/jobs/{job_id}/regions", json={"zones": [footfall.ENTRANCE]}).status_code == 200
    zones = client.get("/api/compare", params={"a": a, "b": b}).json()["zones"]
    # track 1's feet are inside Entrance for the samples at 1.0 ... 2.8 s in both jobs
    assert zones == [
        {
            "name": "Entrance",
            "a_person_seconds": pytest.approx(10 * DT),
            "b_person_seconds": pytest.approx(10 * DT),
            "difference_person_seconds": pytest.approx(10 * DT / 6 - 10 * DT / 10),
        }
    ]


def test_images_share_the_scale_and_the_difference_diverges(client, jobs):
    a, b, _ = jobs
    images = {}
    for view in ("a", "b", "difference"):
        response = client.get("/api/compare/image", params={"a": a, "b": b, "view": view})
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "image/png"
        images[view] = cv2.imdecode(np.frombuffer(response.content, np.uint8), cv2.IMREAD_COLOR)
        assert images[view].shape[0] == 240 and images[view].shape[1] > 320  # the frame and its legend
    blue, _, red = (int(c) for c in images["difference"][60, 270])  # track 2's path: a only, less in b
    assert blue > red + 60
    blue, _, red = (int(c) for c in images["difference"][150, 80])  # track 1's: 1/6 per second in b, 1/10 in a
    assert red > blue + 30


def test_another_users_job_or_a_missing_one_is_404(client, jobs, make_user):
    a, b, _ = jobs
    stranger = make_user()
    assert stranger.get("/api/compare", params={"a": a, "b": b}).status_code == 404
    assert stranger.get("/api/compare/image", params={"a": a, "b": b, "view": "a"}).status_code == 404
    assert client.get("/api/compare", params={"a": a, "b": "00000000-0000-0000-0000-000000000000"}).status_code == 404


def test_frames_of_another_size_are_422(client, jobs):
    a, _, small = jobs
    for path in ("/api/compare", "/api/compare/image"):
        response = client.get(path, params={"a": a, "b": small})
        assert response.status_code == 422, response.text
        assert "a is 320x240 px, b is 160x120 px" in str(response.json()["detail"])
