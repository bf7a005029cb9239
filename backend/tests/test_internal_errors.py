"""An unexpected error inside a job: the user reads a plain message, the operators' log has the details."""

from __future__ import annotations

import uuid

import pytest

from app.core.config import settings
from scripts import images
from tests.conftest import file_tuple, start_worker, stop_process, wait_for_job

pytestmark = pytest.mark.slow


def test_an_internal_error_shows_no_exception_text_or_path(user, tmp_path, monkeypatch):
    broken = tmp_path / "broken-weights.pt"
    broken.write_bytes(b"not a checkpoint")  # loading it raises deep inside torch, naming the file
    queue = f"internal-{uuid.uuid4().hex[:6]}"
    monkeypatch.setattr(settings, "depth_queue", queue)
    log = tmp_path / "worker.log"
    worker = start_worker(queues=queue, name="internal", log=log, DEPTH_MODEL=str(broken))
    try:
        response = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())])
        assert response.status_code == 202, response.text
        job = wait_for_job(user, response.json()["id"], timeout=120)
    finally:
        stop_process(worker)
    assert job["status"] == "failed"
    assert job["error"].startswith("internal error while processing"), job["error"]
    assert str(tmp_path) not in job["error"] and "Error" not in job["error"], job["error"]
    assert job["id"] in job["error"]  # what to quote to the operators
    assert str(broken) in log.read_text()  # ... whose log names the cause
