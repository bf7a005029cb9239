"""Files without a job: a commit that failed, a job deleted while it ran, folders and temporary files a crash
left behind."""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from app.core.config import settings
from app.core.db import get_engine
from app.worker.tasks import sweep_orphan_files
from scripts import images
from tests.conftest import file_tuple, start_worker, stop_process, wait_for_job

HOUR = 3600


def _folders() -> set[str]:
    return {p.name for root in (settings.depth_maps_dir, settings.videos_dir) if root.is_dir() for p in root.iterdir()}


def _age(path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def failing_commits():
    """A real PostgreSQL trigger that refuses any job named `refused.png` when it is inserted."""
    with get_engine().begin() as connection:
        connection.execute(
            text(
                "CREATE FUNCTION refuse_job() RETURNS trigger AS $$ BEGIN "
                "IF NEW.input_name = 'refused.png' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; "
                "END $$ LANGUAGE plpgsql; "
                "CREATE TRIGGER refuse_job BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION refuse_job()"
            )
        )
    yield
    with get_engine().begin() as connection:
        connection.execute(text("DROP TRIGGER refuse_job ON jobs; DROP FUNCTION refuse_job()"))


def test_files_of_a_job_whose_commit_failed_are_removed(user, failing_commits, monkeypatch):
    monkeypatch.setattr(settings, "depth_queue", "nobody-serves-this")
    before = _folders()
    with TestClient(user.app, cookies=dict(user.cookies), raise_server_exceptions=False) as client:
        failed = client.post("/api/jobs/depth", files=[file_tuple("refused.png", images.png())])
    assert failed.status_code == 500
    assert _folders() == before
    assert user.post("/api/jobs/depth", files=[file_tuple("kept.png", images.png())]).status_code == 202


@pytest.mark.slow
def test_files_of_a_job_deleted_while_it_ran_are_removed(user, monkeypatch):
    queue = f"orphans-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "depth_queue", queue)
    worker = start_worker(queues=queue, name="orphans", DEPTH_BATCH="1")
    try:
        many = [file_tuple(f"p{i}.png", images.png()) for i in range(40)]
        job_id = user.post("/api/jobs/depth", files=many).json()["id"]
        wait_for_job(user, job_id, timeout=90, until=lambda j: j["items_done"] >= 2)
        assert user.delete(f"/api/jobs/{job_id}").status_code == 204
        deadline = time.monotonic() + 30
        while (settings.depth_maps_dir / job_id).exists():  # the run stops at its next write and cleans up
            assert time.monotonic() < deadline, "the deleted job's folder is still there"
            time.sleep(0.2)
        time.sleep(2)
        assert not (settings.depth_maps_dir / job_id).exists()
    finally:
        stop_process(worker)


def test_sweep_removes_old_orphan_folders_and_part_files(user, monkeypatch):
    monkeypatch.setattr(settings, "depth_queue", "nobody-serves-this")
    job_id = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"]
    folder = settings.depth_maps_dir / job_id
    stale_part, fresh_part = folder / ".a_depth.png.x1.part", folder / ".a_depth.png.x2.part"
    stale_part.write_bytes(b"half")
    fresh_part.write_bytes(b"half")
    _age(stale_part, 2 * HOUR)

    old_orphan = settings.videos_dir / str(uuid.uuid4())
    old_orphan.mkdir(parents=True)
    (old_orphan / "input.mp4").write_bytes(b"video")
    _age(old_orphan / "input.mp4", 2 * HOUR)
    _age(old_orphan, 2 * HOUR)
    arriving = settings.depth_maps_dir / str(uuid.uuid4())  # an upload still being stored: no job row yet
    arriving.mkdir()
    (arriving / "b.png").write_bytes(b"new")
    _age(arriving, 2 * HOUR)
    dead_run, recent_run = folder / f".run-{uuid.uuid4()}", folder / f".run-{uuid.uuid4()}"  # killed runs' files
    for scratch, age in ((dead_run, 2 * HOUR), (recent_run, 0)):
        scratch.mkdir()
        (scratch / "a_depth.png").write_bytes(b"unpublished")
        _age(scratch / "a_depth.png", age)
        _age(scratch, age)
    not_a_job = settings.heatmaps_dir / "lost+found"
    not_a_job.mkdir(parents=True, exist_ok=True)

    assert sweep_orphan_files(older_than=timedelta(hours=1)) >= 3
    assert not old_orphan.exists() and not stale_part.exists() and not dead_run.exists()
    assert recent_run.is_dir()  # written to lately
    assert arriving.is_dir() and fresh_part.is_file() and not_a_job.is_dir()
    assert (folder / "a.png").is_file() and user.get(f"/api/jobs/{job_id}").status_code == 200
