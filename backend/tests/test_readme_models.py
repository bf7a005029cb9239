"""The README's Models section tells an operator about HEATMAP_PERSON_CLASSES, and what a heatmap job does
without it is what the README says: it fails at once, naming the classes the detector has."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest

from app.core.config import settings
from scripts import media
from tests.conftest import start_worker, stop_process, wait_for_job

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"


def _models_section() -> str:
    text = README.read_text()
    return text[text.index("### Models") : text.index("\n### ", text.index("### Models") + 1)]


def test_a_detector_without_the_person_class_fails_as_the_readme_says(user, tmp_path, monkeypatch):
    section = _models_section()
    assert "HEATMAP_PERSON_CLASSES" in section
    said = re.search(r'"(the people detector is misconfigured: the model has no class named) person', section)
    assert said, "the Models section quotes the error a job gets"

    queue = f"person-classes-{uuid.uuid4().hex[:6]}"  # the session's worker, which finds people, must not take it
    monkeypatch.setattr(settings, "heatmap_queue", queue)
    worker = start_worker(queues=queue, name="person-classes-worker", HEATMAP_PERSON_CLASSES="pedestrian")
    try:
        video = media.write_video(tmp_path / "walk.mp4", media.default_scene(seconds=1.0)).read_bytes()
        upload = user.post("/api/jobs/heatmap", files={"file": ("walk.mp4", io.BytesIO(video), "video/mp4")})
        assert upload.status_code == 202, upload.text
        done = wait_for_job(user, upload.json()["id"])
    finally:
        stop_process(worker)
    assert done["status"] == "failed"
    assert done["error"].startswith(f"{said.group(1)} pedestrian (it has ["), done["error"]
