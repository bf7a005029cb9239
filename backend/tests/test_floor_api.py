"""Floor calibration end to end: a real heatmap job (real worker), its tracks replaced by known ones, then
PUT/GET/DELETE /api/jobs/{id}/calibration, the floor heatmap's sum, and zones in m²."""

from __future__ import annotations

import io

import numpy as np
import pytest

from app.core.config import settings
from scripts import media
from tests import footfall
from tests.conftest import wait_for_job

pytestmark = pytest.mark.slow

# The frame's left half at 40 px per metre: 4 m x 6 m.
LEFT_HALF = {
    "image_points": [[0, 0], [160, 0], [160, 240], [0, 240]],
    "world_points": [[0, 0], [4, 0], [4, 6], [0, 6]],
    "cell_m": 0.5,
}


@pytest.fixture(scope="module")
def job(worker, tmp_path_factory, module_user):
    client = module_user
    video = media.write_video(tmp_path_factory.mktemp("video") / "scene.mp4", media.default_scene(seconds=2.0))
    files = {"file": ("walk.mp4", io.BytesIO(video.read_bytes()), "video/mp4")}
    job_id = client.post("/api/jobs/heatmap", files=files, data={"sample_fps": "5", "recap": "false"}).json()["id"]
    assert wait_for_job(client, job_id, timeout=180)["status"] == "succeeded"
    footfall.write_known_tracks(settings.heatmaps_dir / job_id / "tracks.npz")
    return client, job_id


def test_calibration_measures_walking_in_metres_and_writes_the_floor_heatmap(job):
    client, job_id = job
    assert client.get(f"/api/jobs/{job_id}/calibration").status_code == 404
    response = client.put(f"/api/jobs/{job_id}/calibration", json=LEFT_HALF)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {"reprojection_error_px", "area_m2", "speed_mps", "distance_m"}
    assert answer["reprojection_error_px"] < 1e-3 and answer["area_m2"] == pytest.approx(24.0)
    # track 1: 50 px/s = 1.25 m/s over 26 steps of 10 px; track 2: 20 px/s = 0.5 m/s over 19 steps of 4 px
    assert answer["speed_mps"]["median"] == pytest.approx(0.875, abs=1e-3)
    assert answer["speed_mps"]["p90"] == pytest.approx(0.5 + 0.9 * 0.75, abs=1e-3)
    assert answer["distance_m"] == pytest.approx(6.5 + 1.9, abs=1e-3)
    assert client.get(f"/api/jobs/{job_id}/calibration").json() == answer

    names = [r["name"] for r in client.get(f"/api/jobs/{job_id}").json()["results"]]
    assert {"floor_heatmap.npy", "floor_heatmap.png", "calibration.json"} <= set(names)
    heat = np.load(io.BytesIO(client.get(f"/api/jobs/{job_id}/files/floor_heatmap.npy").content))
    assert heat.dtype == np.float32 and heat.shape == (12, 8)
    # Σ floor × cell area = the person-seconds whose feet are inside: track 1's 11 samples up to x = 151 px
    assert heat.sum() * 0.5**2 == pytest.approx(11 * 0.2, rel=1e-5)
    png = client.get(f"/api/jobs/{job_id}/files/floor_heatmap.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"

    zones = client.put(f"/api/jobs/{job_id}/regions", json={"zones": [footfall.ENTRANCE]})
    assert zones.status_code == 200 and zones.json()["zones"][0]["area_m2"] == pytest.approx(6.25)  # 100 px squared
    per_m2 = client.get(f"/api/jobs/{job_id}/files/legend.json").json()
    assert (per_m2["unit"], per_m2["px_per_m2"]) == ("person-s per m²", pytest.approx(1600))  # 40 px per metre

    assert client.delete(f"/api/jobs/{job_id}/calibration").status_code == 204
    assert client.get(f"/api/jobs/{job_id}/calibration").status_code == 404
    after = client.get(f"/api/jobs/{job_id}").json()["results"]
    assert not {"floor_heatmap.npy", "floor_heatmap.png", "calibration.json"} & {r["name"] for r in after}
    assert client.get(f"/api/jobs/{job_id}/regions").json()["zones"][0]["area_m2"] is None
    per_100_px = client.get(f"/api/jobs/{job_id}/files/legend.json").json()
    assert (per_100_px["unit"], per_100_px["px_per_m2"]) == ("person-s per 100×100 px", None)
    # One scale in two units: a m² is 1,600 px here, 0.16 of 100 x 100 px.
    values = [tick["value"] for tick in per_100_px["ticks"]]
    expected = [value * 0.16 for value in values]
    assert values[0] > 0 and [tick["value"] for tick in per_m2["ticks"]] == pytest.approx(expected, rel=1e-4)


@pytest.mark.parametrize(
    "change,message",
    [
        ({"world_points": [[0, 0], [4, 0], [4, 6], [0, 6], [2, 3]]}, "4 image points but 5 world points"),
        ({"image_points": [[0, 0], [10, 0], [20, 0]], "world_points": [[0, 0], [1, 0], [1, 1]]}, "at least 4"),
        ({"image_points": [[0, 0], [50, 50], [100, 100], [150, 150]]}, "on one line"),
        ({"world_points": [[0, 0], [1, 0], [1, 0], [0, 6]]}, "on one line"),
        ({"image_points": [[0, 0], [400, 0], [160, 240], [0, 240]]}, "outside the 320x240 frame"),
        ({"cell_m": 0}, "greater than 0"),
    ],
)
def test_degenerate_or_mismatched_points_are_422(job, change, message):
    client, job_id = job
    response = client.put(f"/api/jobs/{job_id}/calibration", json={**LEFT_HALF, **change})
    assert response.status_code == 422, response.text
    assert message in str(response.json()["detail"])


def test_another_users_job_is_404(job, make_user):
    _, job_id = job
    stranger = make_user()
    assert stranger.put(f"/api/jobs/{job_id}/calibration", json=LEFT_HALF).status_code == 404
    assert stranger.get(f"/api/jobs/{job_id}/calibration").status_code == 404
    assert stranger.delete(f"/api/jobs/{job_id}/calibration").status_code == 404
