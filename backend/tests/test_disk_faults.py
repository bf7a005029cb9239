"""A full or read-only disk, for real: small tmpfs mounts (needs root; skipped otherwise).

The worker fails the job with a message naming the cause, nothing half-written is listed or served, and the
same worker goes on to the next job. The API answers an upload it cannot store with a clear error, not a 500.
"""

from __future__ import annotations

import io
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from app.core.config import settings
from scripts import media
from tests.conftest import start_worker, stop_process, wait_for_job

pytestmark = pytest.mark.slow
SMALL = "size=16k"


@contextmanager
def tmpfs(path: Path, options: str = SMALL) -> Iterator[Path]:
    """A tiny tmpfs mounted at `path` for the block (read-only with `ro` in `options`)."""
    path.mkdir(parents=True, exist_ok=True)
    command = ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)]
    mounted = subprocess.run(command, capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip() or 'not root'})")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


@pytest.fixture(scope="module")
def video() -> bytes:
    path = Path(f"/tmp/scenelab-disk-{uuid.uuid4().hex[:6]}.mp4")
    try:
        return media.write_video(path, media.default_scene(seconds=2.0)).read_bytes()
    finally:
        path.unlink(missing_ok=True)


def _upload(user, data: bytes) -> dict:
    response = user.post("/api/jobs/heatmap", files={"file": ("walk.mp4", io.BytesIO(data), "video/mp4")})
    assert response.status_code == 202, response.text
    return response.json()


def test_full_or_read_only_results_disk_fails_the_job_clearly_and_the_worker_goes_on(user, video, monkeypatch):
    queue = f"disk-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "heatmap_queue", queue)
    full, read_only, normal = (_upload(user, video)["id"] for _ in range(3))
    with ExitStack() as mounts:
        mounts.enter_context(tmpfs(settings.heatmaps_dir / full))
        mounts.enter_context(tmpfs(settings.heatmaps_dir / read_only, f"ro,{SMALL}"))
        worker = start_worker(queues=queue, name="disk")
        try:
            expected = {
                full: "could not store the results: the results disk is full",
                read_only: "could not store the results: the results disk is read-only",
            }
            for job_id, message in expected.items():
                job = wait_for_job(user, job_id, timeout=120)
                assert job["status"] == "failed" and job["error"] == message, job
                assert [f["name"] for f in job["results"]] == ["input.mp4"], "only the uploaded video stays listed"
                folder = settings.heatmaps_dir / job_id
                assert not [p.name for p in folder.iterdir() if p.name.endswith(".part")], "a temporary file was left"
                for name in ("heatmap.png", "heatmap.npy", "tracks.npz"):
                    assert user.get(f"/api/jobs/{job_id}/files/{name}").status_code == 404
            assert wait_for_job(user, normal, timeout=120)["status"] == "succeeded"  # the same worker, next job
        finally:
            stop_process(worker)


def test_upload_to_a_full_or_read_only_disk_is_refused_clearly(user, video, monkeypatch, tmp_path):
    assert len(video) > 16 * 1024  # does not fit in the tmpfs
    for options, status, message in ((SMALL, 507, "storage disk is full"), (f"ro,{SMALL}", 503, "read-only")):
        with tmpfs(tmp_path / uuid.uuid4().hex, options) as videos:
            monkeypatch.setattr(settings, "videos_dir", videos)
            response = user.post("/api/jobs/heatmap", files={"file": ("walk.mp4", io.BytesIO(video), "video/mp4")})
            assert response.status_code == status, response.text
            assert message in response.json()["detail"]
            assert list(videos.iterdir()) == []  # the partial upload was removed
    assert user.get("/api/jobs").json()["total"] == 0
