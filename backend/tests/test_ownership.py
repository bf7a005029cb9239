"""Another user's job is a 404 on every route; file names cannot leave the job's folder."""

from __future__ import annotations

import pytest

from scripts import images
from tests.conftest import file_tuple, wait_for_job

ROUTES = [
    ("get", "/api/jobs/{id}"),
    ("get", "/api/jobs/{id}/items"),
    ("get", "/api/jobs/{id}/files/a.png"),
    ("get", "/api/jobs/{id}/files/a_depth.png"),
    ("get", "/api/jobs/{id}/archive"),
    ("post", "/api/jobs/{id}/render"),
    ("put", "/api/jobs/{id}/regions"),
    ("get", "/api/jobs/{id}/regions"),
    ("post", "/api/jobs/{id}/cancel"),
    ("delete", "/api/jobs/{id}"),
]


@pytest.fixture(scope="module")
def owner_job(worker):
    from fastapi.testclient import TestClient

    from app.main import app
    from tests.conftest import PASSWORD

    with TestClient(app) as owner:
        owner.post("/api/auth/register", json={"email": "owner@example.com", "password": PASSWORD})
        owner.post("/api/auth/login", json={"email": "owner@example.com", "password": PASSWORD})
        job_id = owner.post("/api/jobs/depth", files=[file_tuple("a.png", images.png())]).json()["id"]
        assert wait_for_job(owner, job_id)["status"] == "succeeded"
        yield owner, job_id


@pytest.mark.parametrize("method,path", ROUTES)
def test_other_users_job_is_404(owner_job, make_user, method, path):
    owner, job_id = owner_job
    intruder = make_user()
    response = getattr(intruder, method)(path.format(id=job_id), **({"json": {}} if method in ("post", "put") else {}))
    assert response.status_code == 404, (method, path, response.text)
    assert owner.get(f"/api/jobs/{job_id}").json()["status"] == "succeeded"  # untouched
    assert intruder.get("/api/jobs").json()["total"] == 0
    assert intruder.get("/api/stats").json()["total"] == 0


@pytest.mark.parametrize(
    "name", ["..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "%2E%2E", "a.png%00.txt", "nonexistent.png"]
)
def test_file_names_cannot_escape(owner_job, name):
    owner, job_id = owner_job
    assert owner.get(f"/api/jobs/{job_id}/files/{name}").status_code == 404


def test_all_results_archive_holds_only_own_jobs(owner_job, make_user):
    intruder = make_user()
    import io
    import zipfile

    archive = intruder.get("/api/jobs/archive", params={"kind": "depth"})
    assert archive.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(archive.content)).namelist() == []
