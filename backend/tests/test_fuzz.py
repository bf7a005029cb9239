"""Schemathesis over the whole OpenAPI surface with every check it has, authenticated, against the in-process
app: no 5xx, every answer (status, media type, headers, body) as documented, 405 with the full `Allow`,
schema-valid requests accepted and schema-invalid ones refused.

Path ids are drawn from generated values and from real jobs of the fuzzing user (a finished depth job and a
finished heatmap job), so the routes get past their 404 and exercise renders, archives and files. Upload parts
are real files of the media types the schema names for them (the schema cannot say "a decodable video").
Each call carries a fresh Bearer token: a fuzzed logout revokes only its own. Generation is derandomized, so
CI is repeatable; SCENELAB_FUZZ_EXAMPLES raises the number of examples per operation for a longer hunt.
"""

from __future__ import annotations

import io
import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image
from schemathesis.checks import CHECKS, load_all_checks

from app.core.security import create_access_token
from app.ingest import DEPTH_MEDIA_TYPES, VIDEO_MEDIA_TYPES
from app.main import app
from scripts import images, media
from tests.conftest import PASSWORD, file_tuple, wait_for_job

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("SCENELAB_FUZZ_EXAMPLES", "25"))

load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())

# The event stream never ends by design: it is exercised by its own tests, not by a fuzzer waiting on it.
schema = schemathesis.openapi.from_asgi("/api/openapi.json", app).exclude(path="/api/jobs/events")
# Rules across fields or on the job's video, beyond what a schema says, answered with a 422 naming the rule:
# regions must be at least one in all, named apart, inside the job's frame and more than a point; a time window's
# `t_end` must come after its `t_start`; an upload's `webhook_url` must resolve to an address it may reach; a
# calibration needs one world point per image point, inside the frame and not all on a line. Their 422 is checked
# like any answer, but not as a refusal of valid data.
ACROSS_FIELDS = {
    "PUT /api/jobs/{job_id}/regions",
    "POST /api/jobs/heatmap",
    "POST /api/jobs/depth",
    "POST /api/jobs/{job_id}/render",
    "PUT /api/jobs/{job_id}/calibration",
}
WITHOUT_POSITIVE_DATA_ACCEPTANCE = [check for check in ALL_CHECKS if check.__name__ != "positive_data_acceptance"]
UPLOADS = {"/api/jobs/depth", "/api/jobs/heatmap"}
REAL_JOBS: list[str] = []  # filled by the `owner` fixture before any case is generated


def _image(fmt: str) -> bytes:
    return images.encode(Image.fromarray(images.gradient_rgb(32, 24)), fmt)


def _video() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return media.write_video(Path(folder) / "tiny.mp4", media.default_scene((64, 48), seconds=0.3)).read_bytes()


SAMPLES = {
    "image/png": _image("PNG"), "image/jpeg": _image("JPEG"), "image/webp": _image("WEBP"), "image/bmp": _image("BMP"),
    "image/tiff": _image("TIFF"), "application/zip": images.zip_of({"a.png": images.png()}),
    **dict.fromkeys(VIDEO_MEDIA_TYPES, _video()),  # FFmpeg probes the content, not the name
}  # fmt: skip
for _media_type in (*DEPTH_MEDIA_TYPES, *VIDEO_MEDIA_TYPES):  # a real file of each media type the schema names
    schemathesis.openapi.media_type(_media_type, st.just(SAMPLES[_media_type]))


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict | None) -> st.SearchStrategy:
    if not isinstance(path_parameters, dict) or "job_id" not in path_parameters:
        return st.just(path_parameters)
    if context.operation.method.upper() == "DELETE":
        return st.just(path_parameters)  # deleting the shared real jobs would starve the other operations
    ids = st.sampled_from([path_parameters["job_id"], *REAL_JOBS])
    return ids.map(lambda job_id: {**path_parameters, "job_id": job_id})


@schema.hook
def filter_body(context, body) -> bool:
    """An empty form field counts as left out (as a browser sends an untouched one), so it is no value to refuse."""
    fields = getattr(body, "body", body)
    return not (context.operation.path in UPLOADS and isinstance(fields, dict) and "" in fields.values())


@pytest.fixture(scope="module")
def owner(worker, tmp_path_factory) -> Iterator[uuid.UUID]:
    user = TestClient(app)
    credentials = {"email": f"fuzz-{uuid.uuid4().hex[:8]}@example.com", "password": PASSWORD}
    assert user.post("/api/auth/register", json=credentials).status_code == 201
    assert user.post("/api/auth/login", json=credentials).status_code == 200
    video_path = tmp_path_factory.mktemp("fuzz") / "walk.mp4"
    video = media.write_video(video_path, media.default_scene(seconds=1.0)).read_bytes()
    created = [
        user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]),
        user.post("/api/jobs/heatmap", files={"file": ("walk.mp4", io.BytesIO(video), "video/mp4")}),
    ]
    for response in created:
        assert response.status_code == 202, response.text
        assert wait_for_job(user, response.json()["id"], timeout=120)["status"] == "succeeded"
        REAL_JOBS.append(response.json()["id"])
    yield uuid.UUID(user.get("/api/auth/me").json()["id"])
    for job in user.get("/api/jobs", params={"limit": 200}).json()["items"]:  # the worker has other tests to serve
        user.delete(f"/api/jobs/{job['id']}")
    REAL_JOBS.clear()
    user.close()


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_schema_tells_the_truth(case, owner):
    if isinstance(case.body, dict) and isinstance(case.body.get("files"), bytes):
        # Schemathesis draws a single part for an array field with an `encoding`, and sends it without a file name.
        case.body["files"] = [case.body["files"]]
    headers = {"Authorization": f"Bearer {create_access_token(owner)}"}
    response = case.call(headers=headers)
    refused_across_fields = case.operation.label in ACROSS_FIELDS and response.status_code == 422
    checks = WITHOUT_POSITIVE_DATA_ACCEPTANCE if refused_across_fields else ALL_CHECKS
    case.validate_response(response, checks=checks, headers=headers, transport_kwargs={"headers": headers})
