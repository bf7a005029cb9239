"""An 8K heatmap job's redraw (`POST /render`) through a real uvicorn API runs on the interactive worker: the
API's peak resident memory stays flat while the worker's pool process draws the full-resolution images."""

from __future__ import annotations

import time
import uuid

import httpx
import psutil
import pytest

from app.core.config import MiB
from scripts import media
from tests.conftest import bearer_for_new_user, peak_rss, start_api, start_worker, stop_process

pytestmark = pytest.mark.slow

API_GROWTH = 64 * MiB  # what a request may add to the API's peak: routing, authenticating and waiting only


def _pool_peak(worker) -> int:
    return max(peak_rss(child.pid) for child in psutil.Process(worker.pid).children())


def test_an_8k_redraw_leaves_the_api_flat(tmp_path):
    video = media.write_video(tmp_path / "8k.mp4", media.default_scene(size_wh=(7680, 4320), fps=5.0, seconds=1.0))
    queues = {"HEATMAP_QUEUE": f"heat-{uuid.uuid4().hex[:6]}", "INTERACTIVE_QUEUE": f"ask-{uuid.uuid4().hex[:6]}"}
    heat = start_worker(queues=queues["HEATMAP_QUEUE"], name="heat-8k", **queues)
    ask = start_worker(queues=queues["INTERACTIVE_QUEUE"], name="ask-8k", WORKER_MAX_MEMORY_PER_CHILD="0", **queues)
    api, base = start_api(INTERACTIVE_TIMEOUT_S="600", **queues)
    try:
        with httpx.Client(base_url=base, headers=bearer_for_new_user(base), timeout=700) as client:
            with video.open("rb") as data:
                upload = client.post("/api/jobs/heatmap", files={"file": ("8k.mp4", data, "video/mp4")})
            assert upload.status_code == 202, upload.text
            job_id = upload.json()["id"]
            deadline = time.monotonic() + 600
            while (job := client.get(f"/api/jobs/{job_id}").json())["status"] not in ("succeeded", "failed"):
                assert time.monotonic() < deadline, job
                time.sleep(0.5)
            assert job["status"] == "succeeded", job
            api_before, ask_before = peak_rss(api.pid), _pool_peak(ask)
            started = time.monotonic()
            redrawn = client.post(f"/api/jobs/{job_id}/render", json={"colormap": "jet", "opacity": 0.8})
            seconds = time.monotonic() - started
            assert redrawn.status_code == 200, redrawn.text
            assert redrawn.json()["params"]["colormap"] == "jet"
            api_growth, ask_peak = peak_rss(api.pid) - api_before, _pool_peak(ask)
    finally:
        for process in (api, ask, heat):
            stop_process(process)
    print(
        f"\n8K redraw in {seconds:.1f} s: API peak +{api_growth / MiB:.0f} MiB (of {api_before / MiB:.0f}), "
        f"interactive pool process peak {ask_peak / MiB:.0f} MiB (before {ask_before / MiB:.0f})"
    )
    assert api_growth <= API_GROWTH
