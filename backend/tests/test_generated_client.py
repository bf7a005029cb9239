"""A Python client generated from `/api/openapi.json` with openapi-python-client at test time runs a whole
session against a real API server process (uvicorn) backed by the session's worker, PostgreSQL and Redis:
register, log in, upload a depth job and a heatmap job with options, poll them, download results."""

from __future__ import annotations

import enum
import importlib
import io
import subprocess
import sys
import time
import typing
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie
from types import ModuleType

import httpx
import pytest

from scripts import images, media
from tests.conftest import PASSWORD, start_api, stop_process

pytestmark = pytest.mark.slow
PACKAGE = "scenelab_client"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def live_api(worker) -> Iterator[str]:
    process, base = start_api()
    yield base
    stop_process(process)


@pytest.fixture(scope="module")
def client(live_api, tmp_path_factory) -> Iterator[ModuleType]:
    """The package openapi-python-client generates from the live schema, imported from a temporary folder."""
    folder = tmp_path_factory.mktemp("generated")
    schema = folder / "openapi.json"
    schema.write_bytes(httpx.get(f"{live_api}/api/openapi.json").raise_for_status().content)
    config = folder / "config.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run: the code is imported, not read
    generated = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(schema), "--meta", "none",
         "--output-path", str(folder / PACKAGE), "--config", str(config)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "Warning" not in generated.stdout, f"the generator could not read all of the schema:\n{generated.stdout}"
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def _typed(model: type, field: str, value: object) -> object:
    """`value` as the generated model types `field`: a member of its enum where the schema has one."""
    for kind in typing.get_args(typing.get_type_hints(model)[field]):
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            return kind(value)
    return value


def _options(model: type, **values: object) -> dict[str, object]:
    return {field: _typed(model, field, value) for field, value in values.items()}


def _finished(poll, job_id: uuid.UUID, timeout: float = 180):
    deadline = time.monotonic() + timeout
    while (job := poll(job_id)).status.value in ("queued", "running"):
        if time.monotonic() > deadline:
            pytest.fail(f"job {job_id} still {job.status.value} after {timeout} s")
        time.sleep(0.3)
    return job


def test_a_generated_client_runs_a_whole_session(client, live_api, tmp_path):
    from scenelab_client import models
    from scenelab_client.api.auth import auth_login, auth_me, auth_register
    from scenelab_client.api.jobs import (
        jobs_create_depth_job,
        jobs_create_heatmap_job,
        jobs_delete_job,
        jobs_get_file,
        jobs_get_job,
        jobs_list_jobs,
    )
    from scenelab_client.types import File

    anonymous = client.Client(base_url=live_api)
    email = f"generated-{uuid.uuid4().hex[:8]}@example.com"
    user = auth_register.sync(client=anonymous, body=models.UserCreate(email=email, password=PASSWORD))
    assert isinstance(user, models.UserPublic) and user.email == email
    wrong = auth_login.sync(client=anonymous, body=models.Credentials(email=email, password=PASSWORD + "x"))
    assert isinstance(wrong, models.ErrorMessage) and wrong.detail == "wrong email or password"
    login = auth_login.sync_detailed(client=anonymous, body=models.Credentials(email=email, password=PASSWORD))
    assert login.status_code == 200
    token = SimpleCookie(login.headers["set-cookie"])["access_token"].value
    me = client.AuthenticatedClient(base_url=live_api, token=token, timeout=httpx.Timeout(60))
    assert auth_me.sync(client=me).id == user.id

    depth_body = models.BodyJobsCreateDepthJob
    depth = jobs_create_depth_job.sync(
        client=me,
        body=depth_body(
            files=[File(payload=io.BytesIO(images.png()), file_name="room.png", mime_type="image/png")],
            **_options(depth_body, colormap="gray"),
        ),
    )
    assert isinstance(depth, models.DepthJobPublic), depth
    video = media.write_video(tmp_path / "walk.mp4", media.default_scene(seconds=1.0)).read_bytes()
    heatmap_body = models.BodyJobsCreateHeatmapJob
    options = {"colormap": "jet", "anchor": "center", "mode": "movement", "normalization": "max", "opacity": 0.4,
               "sample_fps": 4.0}  # fmt: skip
    heatmap = jobs_create_heatmap_job.sync(
        client=me,
        body=heatmap_body(
            file=File(payload=io.BytesIO(video), file_name="walk.mp4", mime_type="video/mp4"),
            **_options(heatmap_body, **options),
        ),
    )
    assert isinstance(heatmap, models.HeatmapJobPublic), heatmap

    def poll(job_id: uuid.UUID):
        return jobs_get_job.sync(client=me, job_id=job_id)

    depth_done = _finished(poll, depth.id)
    heatmap_done = _finished(poll, heatmap.id)
    assert depth_done.status.value == "succeeded", depth_done.error
    assert heatmap_done.status.value == "succeeded", heatmap_done.error
    # The answer is typed per kind (a union on `kind`), its options by the kind's options model.
    assert isinstance(depth_done, models.DepthJobPublic) and isinstance(heatmap_done, models.HeatmapJobPublic)
    assert depth_done.params.colormap == models.DepthOptionsColormap.GRAY
    assert {name: heatmap_done.params.to_dict()[name] for name in options} == options

    names = {result.name for result in heatmap_done.results}
    assert {"heatmap.png", "heatmap.npy", "stats.json"} <= names
    png = jobs_get_file.sync_detailed(client=me, job_id=heatmap.id, name="heatmap.png", download=True)
    assert png.status_code == 200 and png.content.startswith(PNG_SIGNATURE)
    assert png.headers["content-disposition"].startswith("attachment")
    depth16 = jobs_get_file.sync_detailed(client=me, job_id=depth.id, name="room_depth16.png")
    assert depth16.status_code == 200 and depth16.content.startswith(PNG_SIGNATURE)
    missing = jobs_get_file.sync(client=me, job_id=depth.id, name="nothing.png")
    assert isinstance(missing, models.ErrorMessage) and "no such file" in missing.detail

    page = jobs_list_jobs.sync(client=me)
    assert {job.id for job in page.items} == {depth.id, heatmap.id}
    assert jobs_delete_job.sync_detailed(client=me, job_id=depth.id).status_code == 204
