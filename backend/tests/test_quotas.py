"""Per-user quotas, time limits derived from the input, and retention of finished jobs."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.core.config import settings
from app.models import Job, JobKind
from app.worker.tasks import delete_expired_jobs, time_limit_s
from scripts import images
from tests.conftest import file_tuple, start_worker, stop_process, wait_for_job


@pytest.fixture
def unserved(monkeypatch) -> None:
    """Jobs stay queued: no worker consumes these queues."""
    monkeypatch.setattr(settings, "depth_queue", f"unserved-{uuid.uuid4().hex[:6]}")
    monkeypatch.setattr(settings, "heatmap_queue", f"unserved-{uuid.uuid4().hex[:6]}")


def _depth(user, name: str = "a.png"):
    return user.post("/api/jobs/depth", files=[file_tuple(name, images.png())])


def test_active_jobs_per_user_are_capped_with_429_and_retry_after(make_user, unserved, monkeypatch):
    monkeypatch.setattr(settings, "max_active_jobs_per_user", 2)
    user, other = make_user(), make_user()
    first, second = _depth(user).json(), _depth(user).json()
    refused = _depth(user)
    assert refused.status_code == 429, refused.text
    assert "2 jobs queued or running" in refused.json()["detail"] and int(refused.headers["Retry-After"]) > 0
    assert _depth(other).status_code == 202  # a quota per user
    assert user.post(f"/api/jobs/{first['id']}/cancel").status_code == 200
    assert _depth(user).status_code == 202
    assert user.get("/api/jobs").json()["total"] == 3 and second["status"] == "queued"


def test_stored_bytes_per_user_are_capped_with_413(user, unserved, monkeypatch):
    one = len(images.png())
    monkeypatch.setattr(settings, "max_stored_bytes_per_user", one * 3 // 2)
    kept = _depth(user).json()
    before = {p.name for p in settings.depth_maps_dir.iterdir()}
    refused = _depth(user, "b.png")
    assert refused.status_code == 413, refused.text
    assert "more than the" in refused.json()["detail"] and "delete some jobs" in refused.json()["detail"]
    assert {p.name for p in settings.depth_maps_dir.iterdir()} == before  # the refused upload left no files
    assert user.get("/api/jobs").json()["total"] == 1
    monkeypatch.setattr(settings, "max_stored_bytes_per_user", one)
    full = _depth(user, "c.png")
    assert full.status_code == 413 and "delete some jobs" in full.json()["detail"]
    assert user.delete(f"/api/jobs/{kept['id']}").status_code == 204
    assert _depth(user, "d.png").status_code == 202


def test_time_limits_follow_the_input(monkeypatch):
    monkeypatch.setattr(settings, "job_time_base_seconds", 600.0)
    monkeypatch.setattr(settings, "heatmap_seconds_per_video_second", 4.0)
    monkeypatch.setattr(settings, "depth_seconds_per_image", 20.0)
    video = Job(kind=JobKind.heatmap, summary={"duration_s": 3600.0}, items_total=0)
    assert time_limit_s(video) == 600 + 4 * 3600
    assert time_limit_s(Job(kind=JobKind.depth, summary={}, items_total=50)) == 600 + 20 * 50


@pytest.mark.slow
def test_a_run_past_its_soft_time_limit_fails_and_the_worker_carries_on(user, monkeypatch):
    queue = f"limits-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "depth_queue", queue)
    worker = start_worker(queues=queue, name="limits", DEPTH_BATCH="1")
    try:
        monkeypatch.setattr(settings, "job_time_base_seconds", 1.0)
        monkeypatch.setattr(settings, "depth_seconds_per_image", 0.0)
        slow = user.post("/api/jobs/depth", files=[file_tuple(f"p{i}.png", images.png(64, 48)) for i in range(300)])
        done = wait_for_job(user, slow.json()["id"], timeout=120)
        assert done["status"] == "failed" and done["error"] == "the job took longer than the 1 s allowed for its input"
        assert done["items_done"] < 300

        monkeypatch.setattr(settings, "job_time_base_seconds", 600.0)
        after = wait_for_job(user, _depth(user).json()["id"], timeout=120)
        assert after["status"] == "succeeded", after
    finally:
        stop_process(worker)


def test_finished_jobs_past_retention_are_deleted_with_their_files(user, unserved, monkeypatch):
    finished, waiting = _depth(user).json(), _depth(user, "b.png").json()
    assert user.post(f"/api/jobs/{finished['id']}/cancel").status_code == 200
    folders = {job_id: settings.depth_maps_dir / job_id for job_id in (finished["id"], waiting["id"])}
    assert all(folder.is_dir() for folder in folders.values())

    monkeypatch.setattr(settings, "job_retention_days", 0)
    assert delete_expired_jobs() == 0  # 0 keeps finished jobs forever
    assert delete_expired_jobs(older_than=timedelta(hours=1)) == 0  # not old enough
    monkeypatch.setattr(settings, "job_retention_days", 1e-9)
    assert delete_expired_jobs() >= 1  # every user's finished jobs, this one included

    assert user.get(f"/api/jobs/{finished['id']}").status_code == 404 and not folders[finished["id"]].exists()
    assert user.get(f"/api/jobs/{waiting['id']}").json()["status"] == "queued" and folders[waiting["id"]].is_dir()
