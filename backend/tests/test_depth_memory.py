"""A depth job of eight 64 MP photos, through the API and a real Celery worker, stays under `WORKER_JOB_MEMORY`:
the peak resident memory of the worker's pool process (the model and runtime included) is measured."""

from __future__ import annotations

import subprocess
import time
import uuid

import psutil
import pytest

from app.core.config import GiB, MiB, settings
from scripts import images
from tests.conftest import file_tuple, peak_rss, start_worker, stop_process, wait_for_job

pytestmark = pytest.mark.slow

WIDTH, HEIGHT = 9216, 6912  # 63.7 MP, 4:3: within the default MAX_IMAGE_PIXELS (64,000,000)
PHOTOS = 8
JOB_MEMORY = 2 * GiB  # WORKER_JOB_MEMORY's default


def _record_pool_peaks(worker: subprocess.Popen, peaks: dict[int, int]) -> None:
    """The peak resident memory (VmHWM) so far of each of the worker's pool processes (prefork children), by pid."""
    for child in psutil.Process(worker.pid).children():
        try:
            peaks[child.pid] = max(peaks.get(child.pid, 0), peak_rss(child.pid))
        except (FileNotFoundError, ProcessLookupError):  # a pool process that has just exited
            continue


def test_eight_64_mp_photos_stay_under_the_job_memory(user, monkeypatch, tmp_path):
    queue = f"depth-memory-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "depth_queue", queue)
    photo = images.write_photo_jpeg(tmp_path / "photo.jpg", WIDTH, HEIGHT).read_bytes()  # 14 MiB, 3 s to make
    # One pool process that is never replaced (WORKER_MAX_MEMORY_PER_CHILD=0): its peak covers the whole job.
    worker = start_worker(
        queues=queue, name="depth-memory", WORKER_JOB_MEMORY=str(JOB_MEMORY), WORKER_MAX_MEMORY_PER_CHILD="0"
    )
    peaks: dict[int, int] = {}
    try:
        _record_pool_peaks(worker, peaks)
        idle = max(peaks.values())
        started = time.monotonic()
        upload = user.post(
            "/api/jobs/depth", files=[file_tuple(f"photo{i}.jpg", photo, "image/jpeg") for i in range(PHOTOS)]
        )
        assert upload.status_code == 202, upload.text
        job_id = upload.json()["id"]
        done = wait_for_job(
            user,
            job_id,
            timeout=900,
            until=lambda job: _record_pool_peaks(worker, peaks) or job["status"] in ("succeeded", "failed"),
        )
        _record_pool_peaks(worker, peaks)
        seconds = time.monotonic() - started
        assert done["status"] == "succeeded" and (done["items_done"], done["items_failed"]) == (PHOTOS, 0), done
        described = user.get(f"/api/jobs/{job_id}/files/photo{PHOTOS - 1}_depth.json").json()
        assert (described["width"], described["height"]) == (WIDTH, HEIGHT)
        assert user.delete(f"/api/jobs/{job_id}").status_code == 204  # 2.5 GB of results
    finally:
        stop_process(worker)

    assert len(peaks) == 1, peaks  # the one pool process ran the whole job
    peak = max(peaks.values())
    print(
        f"\n{PHOTOS} x {WIDTH}x{HEIGHT} photos in {seconds:.0f} s: pool process peak RSS {peak / MiB:.0f} MiB "
        f"(idle {idle / MiB:.0f} MiB), WORKER_JOB_MEMORY {JOB_MEMORY / MiB:.0f} MiB; "
        f"timings {done['summary'].get('timings_s')}"
    )
    assert peak <= JOB_MEMORY, f"peak RSS {peak / MiB:.0f} MiB over WORKER_JOB_MEMORY {JOB_MEMORY / MiB:.0f} MiB"
