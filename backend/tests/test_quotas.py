"""Per-user and server-wide quotas (checked and reserved under a lock: concurrent uploads through a real uvicorn),
time limits derived from the input, and retention of finished jobs."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta

import httpx
import pytest

from app import crud
from app.core.config import settings
from app.core.db import session_scope
from app.kinds import depth
from app.models import Job, JobKind
from app.worker.tasks import delete_expired_jobs, time_limit_s
from scripts import images
from tests.conftest import bearer_for_new_user, file_tuple, start_api, start_worker, stop_process, wait_for_job


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


def _job_bytes(width: int = 64, height: int = 48) -> int:
    """What one `_depth` upload reserves: its PNG and its results' estimate."""
    return len(images.png(width, height)) + depth.output_bytes(width, height, point_cloud=False)


def test_stored_bytes_per_user_are_capped_with_413(user, unserved, monkeypatch):
    one = _job_bytes()
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


def test_the_quota_counts_the_results_an_upload_will_produce(user, unserved, monkeypatch):
    """A 64 MP PNG of a few KiB makes ~0.6 GB of depth results (NPY, two PNGs, point cloud): the quota counts them
    from the upload on."""
    photo = images.png(8000, 8000)
    expected = len(photo) + depth.output_bytes(8000, 8000, point_cloud=True)
    assert expected > 500 * len(photo)
    monkeypatch.setattr(settings, "max_stored_bytes_per_user", expected - 1)
    form = {"point_cloud": "true"}
    refused = user.post("/api/jobs/depth", files=[file_tuple("big.png", photo)], data=form)
    assert refused.status_code == 413 and "results estimated from the upload" in refused.json()["detail"]
    assert f"would store {expected:,} bytes" in refused.json()["detail"]
    monkeypatch.setattr(settings, "max_stored_bytes_per_user", expected)
    assert user.post("/api/jobs/depth", files=[file_tuple("big.png", photo)], data=form).status_code == 202


@pytest.mark.slow
def test_a_run_whose_results_pass_the_quota_fails_with_them_removed(make_user, monkeypatch):
    """The worker counts what it writes: here its quota (lowered after the upload was admitted) holds the inputs
    and about two images' results; the job fails, every result is removed, the worker serves the next job."""
    queue = f"quota-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "depth_queue", queue)
    photos = [file_tuple(f"p{i}.png", images.png(320, 240)) for i in range(6)]
    inputs = sum(len(part[1][1].getvalue()) for part in photos)
    npy = 320 * 240 * 4
    worker = start_worker(
        queues=queue, name="quota", DEPTH_BATCH="1", MAX_STORED_BYTES_PER_USER=str(inputs + 5 * npy // 2)
    )
    try:
        user, other = make_user(), make_user()
        job = user.post("/api/jobs/depth", files=photos).json()
        done = wait_for_job(user, job["id"])
        after = wait_for_job(other, _depth(other).json()["id"])
    finally:
        stop_process(worker)
    assert done["status"] == "failed", done
    assert done["error"].startswith("the results passed your storage quota")
    items = user.get(f"/api/jobs/{job['id']}/items").json()["items"]
    assert [len(item["results"]) for item in items] == [1] * 6  # each its input alone
    assert sum(item["status"] == "failed" for item in items) >= 2
    on_disk = sorted(path.name for path in (settings.depth_maps_dir / job["id"]).iterdir())
    assert on_disk == sorted(f"p{i}.png" for i in range(6))
    assert [f["name"] for f in done["results"]] == [f"p{i}.png" for i in range(6)]
    assert after["status"] == "succeeded", after


def _concurrent_uploads(base: str, users: list[dict[str, str]]) -> list[httpx.Response]:
    """One depth upload per entry of `users` (Authorization headers), all sent at the same moment."""
    start = threading.Barrier(len(users))
    photo = images.png()

    def upload(headers: dict[str, str]) -> httpx.Response:
        start.wait()
        return httpx.post(f"{base}/api/jobs/depth", headers=headers, files={"files": ("a.png", photo)}, timeout=60)

    with ThreadPoolExecutor(len(users)) as pool:
        return list(pool.map(upload, users))


@contextmanager
def _api(**env: str) -> Iterator[str]:
    """A real uvicorn with two processes whose depth jobs stay queued (no worker consumes their queue)."""
    process, base = start_api("--workers", "2", DEPTH_QUEUE=f"unserved-{uuid.uuid4().hex[:6]}", **env)
    try:
        yield base
    finally:
        stop_process(process)


CONCURRENT = 12


def test_concurrent_uploads_never_pass_the_active_job_limit():
    """12 uploads at once against a limit of 2: each checks and reserves under the user's lock (before: 9 queued)."""
    with _api(MAX_ACTIVE_JOBS_PER_USER="2") as base:
        headers = bearer_for_new_user(base)
        answers = _concurrent_uploads(base, [headers] * CONCURRENT)
        listed = httpx.get(f"{base}/api/jobs", headers=headers).json()["total"]
    codes = sorted(answer.status_code for answer in answers)
    assert codes == [202] * 2 + [429] * (CONCURRENT - 2), [answer.text for answer in answers]
    assert listed == 2


def test_concurrent_uploads_never_store_more_than_the_byte_quota():
    quota = _job_bytes() * 7 // 2
    with _api(MAX_STORED_BYTES_PER_USER=str(quota)) as base:
        headers = bearer_for_new_user(base)
        answers = _concurrent_uploads(base, [headers] * CONCURRENT)
        jobs = httpx.get(f"{base}/api/jobs", headers=headers).json()["items"]
        user_id = uuid.UUID(httpx.get(f"{base}/api/auth/me", headers=headers).json()["id"])
    assert sorted(answer.status_code for answer in answers) == [202] * 3 + [413] * (CONCURRENT - 3)
    with session_scope() as session:
        stored = crud.stored_bytes(session=session, user_id=user_id)
    on_disk = sum(path.stat().st_size for job in jobs for path in (settings.depth_maps_dir / job["id"]).iterdir())
    assert len(jobs) == 3 and on_disk <= stored <= quota


def test_concurrent_uploads_of_many_users_never_pass_the_server_wide_limit():
    with session_scope() as session:
        active = crud.active_jobs(session=session, user_id=None)
    with _api(MAX_ACTIVE_JOBS_TOTAL=str(active + 3)) as base:
        answers = _concurrent_uploads(base, [bearer_for_new_user(base) for _ in range(CONCURRENT)])
    assert sorted(answer.status_code for answer in answers) == [202] * 3 + [503] * (CONCURRENT - 3)
    busy = next(answer for answer in answers if answer.status_code == 503)
    assert "as many jobs queued or running as it takes" in busy.json()["detail"]
    assert int(busy.headers["Retry-After"]) > 0


def test_time_limits_follow_the_input(monkeypatch):
    monkeypatch.setattr(settings, "job_time_base_seconds", 600.0)
    monkeypatch.setattr(settings, "heatmap_seconds_per_video_second", 4.0)
    monkeypatch.setattr(settings, "depth_seconds_per_image", 20.0)
    monkeypatch.setattr(settings, "max_video_seconds", 7200.0)
    video = Job(kind=JobKind.heatmap, summary={"duration_s": 3600.0, "frames_total": 90_000}, items_total=0)
    assert time_limit_s(video) == 600 + 4 * 3600
    # No frame count in the container: no known duration, so the longest video decoding accepts bounds the run.
    uncounted = Job(kind=JobKind.heatmap, summary={"duration_s": 0.0, "frames_total": 0}, items_total=0)
    assert time_limit_s(uncounted) == 600 + 4 * 7200
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
    delete_expired_jobs(older_than=timedelta(hours=1))  # other tests' jobs may be older: this one is not
    assert user.get(f"/api/jobs/{finished['id']}").status_code == 200 and folders[finished["id"]].is_dir()
    monkeypatch.setattr(settings, "job_retention_days", 1e-9)
    assert delete_expired_jobs() >= 1  # every user's finished jobs, this one included

    assert user.get(f"/api/jobs/{finished['id']}").status_code == 404 and not folders[finished["id"]].exists()
    assert user.get(f"/api/jobs/{waiting['id']}").json()["status"] == "queued" and folders[waiting["id"]].is_dir()
