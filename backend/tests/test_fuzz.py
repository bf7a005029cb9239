"""Schemathesis over the whole OpenAPI surface, authenticated, against the in-process app: no 5xx.

Path ids are drawn from generated values and from real jobs of the fuzzing user (a finished depth job and a
finished heatmap job), so the routes get past their 404 and exercise renders, archives and files. Each call
carries a fresh Bearer token: a fuzzed logout revokes only its own. Generation is derandomized, so CI
is repeatable; SCENELAB_FUZZ_EXAMPLES raises the number of examples per operation for a longer hunt.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from app.core.security import create_access_token
from app.main import app
from scripts import images, media
from tests.conftest import PASSWORD, file_tuple, wait_for_job

pytestmark = pytest.mark.slow
EXAMPLES = int(os.environ.get("SCENELAB_FUZZ_EXAMPLES", "25"))

# The event stream never ends by design: it is exercised by its own tests, not by a fuzzer waiting on it.
schema = schemathesis.openapi.from_asgi("/api/openapi.json", app).exclude(path="/api/jobs/events")
REAL_JOBS: list[str] = []  # filled by the `owner` fixture before any case is generated


@schema.hook
def flatmap_path_parameters(context, path_parameters: dict | None) -> st.SearchStrategy:
    if not isinstance(path_parameters, dict) or "job_id" not in path_parameters:
        return st.just(path_parameters)
    if context.operation.method.upper() == "DELETE":
        return st.just(path_parameters)  # deleting the shared real jobs would starve the other operations
    ids = st.sampled_from([path_parameters["job_id"], *REAL_JOBS])
    return ids.map(lambda job_id: {**path_parameters, "job_id": job_id})


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
def test_no_server_errors(case, owner):
    headers = {"Authorization": f"Bearer {create_access_token(owner)}"}
    case.call_and_validate(headers=headers, checks=[not_a_server_error])
