"""Heat over time and privacy through the real stack: a real worker writes the slices and the recap; without its
input a job still redraws and measures regions; the sweep deletes expired inputs."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.core.config import settings
from app.core.db import session_scope
from app.models import Job
from app.vision.heat import block_sum
from app.worker.tasks import delete_expired_inputs
from scripts import media
from tests import footfall
from tests.conftest import wait_for_job
from tests.mp4 import mp4_facts

pytestmark = pytest.mark.slow
REGIONS = {"zones": [footfall.ENTRANCE], "lines": [footfall.DOOR]}


@pytest.fixture(scope="module")
def scene_mp4(tmp_path_factory) -> bytes:
    return media.write_video(
        tmp_path_factory.mktemp("video") / "scene.mp4", media.default_scene(seconds=3.0)
    ).read_bytes()


def _run(client: TestClient, video: bytes, **options: str) -> dict:
    files = {"file": ("walk.mp4", io.BytesIO(video), "video/mp4")}
    job = client.post("/api/jobs/heatmap", files=files, data={"sample_fps": "5", **options})
    assert job.status_code == 202, job.text
    done = wait_for_job(client, job.json()["id"], timeout=180)
    assert done["status"] == "succeeded", done
    return done


def _npy(client: TestClient, job_id: str, name: str) -> np.ndarray:
    response = client.get(f"/api/jobs/{job_id}/files/{name}")
    assert response.status_code == 200, response.text
    return np.load(io.BytesIO(response.content))


def test_a_job_writes_time_slices_and_a_recap_that_browsers_play(user, worker, scene_mp4):
    done = _run(user, scene_mp4)
    job_id = done["id"]
    names = [r["name"] for r in done["results"]]
    assert "heat_slices.npy" in names and "recap.mp4" in names and "recap" in done["summary"]["timings_s"]
    stats = json.loads(user.get(f"/api/jobs/{job_id}/files/stats.json").content)
    assert stats["slice_s"] == 1.0 and stats["params"]["recap"] is True
    slices = _npy(user, job_id, "heat_slices.npy")
    assert slices.dtype == np.float32 and slices.shape == (3, 60, 80)  # 3 s in 1 s slices, a quarter of 320x240

    recap = user.get(f"/api/jobs/{job_id}/files/recap.mp4")
    assert recap.headers["content-type"] == "video/mp4"
    facts = mp4_facts(recap.content)
    assert (facts.codec, facts.pix_fmt) == ("h264", "yuv420p")
    assert facts.width % 2 == 0 and facts.height % 2 == 0 and (facts.width, facts.height) == (320, 240)
    assert 0 < facts.duration_s <= 30 and facts.duration_s == pytest.approx(3.0, abs=0.2)  # no longer than the video
    assert facts.top_boxes.index("moov") < facts.top_boxes.index("mdat")  # +faststart

    footfall.write_known_tracks(settings.heatmaps_dir / job_id / "tracks.npz")  # 10 s with two people walking
    redrawn = user.post(f"/api/jobs/{job_id}/render", json={"mode": "all", "radius": 0.5})
    assert redrawn.status_code == 200, redrawn.text
    heat, slices = _npy(user, job_id, "heatmap.npy"), _npy(user, job_id, "heat_slices.npy")
    assert slices.shape == (10, 60, 80) and heat.sum() == pytest.approx(5.4 + 4.0, rel=1e-4)  # 27 + 20 samples of 0.2 s
    np.testing.assert_allclose(slices.sum(axis=0), block_sum(heat, 4), rtol=1e-4, atol=1e-6)
    assert slices.sum(axis=(1, 2))[:4] == pytest.approx([2.0, 2.0, 2.0, 2.0], rel=1e-4)  # both walk for 4 s

    windowed = user.post(f"/api/jobs/{job_id}/render", json={"t_start": 2.0, "t_end": 5.0})
    assert windowed.status_code == 200
    heat, slices = _npy(user, job_id, "heatmap.npy"), _npy(user, job_id, "heat_slices.npy")
    np.testing.assert_allclose(slices.sum(axis=0), block_sum(heat, 4), rtol=1e-4, atol=1e-6)
    assert not slices[:2].any() and not slices[5:].any() and (slices[2:5].sum(axis=(1, 2)) > 0).all()


def test_without_its_input_a_job_still_redraws_and_measures_regions(user, worker, scene_mp4):
    done = _run(user, scene_mp4, keep_input="false", recap="false", blur_people="false")
    job_id = done["id"]
    names = [r["name"] for r in done["results"]]
    assert "input.mp4" not in names and "recap.mp4" not in names and "heat_slices.npy" in names
    assert not (settings.videos_dir / job_id).exists()
    assert user.get(f"/api/jobs/{job_id}/files/input.mp4").status_code == 404
    params = done["params"]
    assert (params["keep_input"], params["recap"], params["blur_people"]) == (False, False, False)

    footfall.write_known_tracks(settings.heatmaps_dir / job_id / "tracks.npz")
    assert user.post(f"/api/jobs/{job_id}/render", json={"colormap": "jet"}).status_code == 200
    measured = user.put(f"/api/jobs/{job_id}/regions", json=REGIONS)
    assert measured.status_code == 200, measured.text
    assert measured.json()["zones"][0]["people"] == 1
    archive = user.get(f"/api/jobs/{job_id}/archive")
    assert archive.status_code == 200 and b"input.mp4" not in archive.content


def test_the_sweep_deletes_inputs_past_their_retention(user, worker, scene_mp4):
    kept, expired = _run(user, scene_mp4, recap="false"), _run(user, scene_mp4, recap="false")
    with session_scope() as session:
        session.get(Job, expired["id"]).finished_at = datetime.now(UTC) - timedelta(hours=3)
    assert delete_expired_inputs(older_than=timedelta(hours=2)) == 1
    assert delete_expired_inputs(older_than=timedelta(hours=2)) == 0  # once

    after = user.get(f"/api/jobs/{expired['id']}").json()
    assert "input.mp4" not in [r["name"] for r in after["results"]] and "tracks.npz" in [
        r["name"] for r in after["results"]
    ]
    assert not (settings.videos_dir / expired["id"]).exists()
    assert user.post(f"/api/jobs/{expired['id']}/render", json={"opacity": 0.3}).status_code == 200
    assert user.get(f"/api/jobs/{kept['id']}/files/input.mp4").content == scene_mp4  # not expired yet
    assert delete_expired_inputs() == 0  # INPUT_RETENTION_HOURS=0 keeps inputs
