"""API tokens for scripts: created from a browser session only, shown once and stored hashed, accepted as
`Authorization: Bearer` on every route (an upload too), listed with their last use, revoked at once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from app.core.db import session_scope
from app.core.security import api_token_hash
from app.models import ApiToken
from scripts import images
from tests.conftest import file_tuple


@pytest.fixture
def script() -> Iterator[TestClient]:
    """A client without the cookie: what a script is."""
    from app.main import app

    with TestClient(app) as client:
        yield client


def _create(user: TestClient, name: str = "ci", **body: object) -> dict:
    created = user.post("/api/tokens", json={"name": name, **body})
    assert created.status_code == 201, created.text
    return created.json()


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_token_is_shown_once_stored_hashed_and_works_on_every_route(user, script):
    before = datetime.now(UTC)
    created = _create(user, "nightly export", expires_days=7)
    assert set(created) == {"id", "name", "token", "created_at", "expires_at"}
    token = created["token"]
    assert token.startswith("slk_") and len(token) > 40 and created["name"] == "nightly export"
    expires = datetime.fromisoformat(created["expires_at"])
    assert timedelta(days=7) <= expires - before < timedelta(days=7, minutes=1)
    with session_scope() as session:
        stored = session.get(ApiToken, uuid.UUID(created["id"]))
        assert stored.token_hash == api_token_hash(token) and token not in stored.token_hash

    listed = user.get("/api/tokens").json()["items"]
    assert listed == [{k: v for k, v in created.items() if k != "token"} | {"last_used_at": None}]

    assert script.get("/api/auth/me", headers=_bearer(token)).json()["email"] == user.email
    upload = script.post("/api/jobs/depth", files=[file_tuple("a.png", images.png(32, 24))], headers=_bearer(token))
    assert upload.status_code == 202, upload.text
    job_id = upload.json()["id"]
    assert script.post(f"/api/jobs/{job_id}/cancel", headers=_bearer(token)).status_code == 200
    assert user.get(f"/api/jobs/{job_id}").json()["status"] == "cancelled"  # the same user's job
    assert script.get("/api/jobs", headers=_bearer(token)).json()["total"] == 1

    used = user.get("/api/tokens").json()["items"][0]["last_used_at"]
    assert used is not None and datetime.fromisoformat(used) >= before


def test_a_revoked_token_is_refused_at_once(user, script):
    token = _create(user)
    assert script.get("/api/jobs", headers=_bearer(token["token"])).status_code == 200
    assert user.delete(f"/api/tokens/{token['id']}").status_code == 204
    assert script.get("/api/jobs", headers=_bearer(token["token"])).status_code == 401
    refused = script.post(
        "/api/jobs/depth", files=[file_tuple("a.png", images.png(8, 8))], headers=_bearer(token["token"])
    )
    assert refused.status_code == 401
    assert user.get("/api/tokens").json()["items"] == []
    assert user.delete(f"/api/tokens/{token['id']}").status_code == 404


def test_an_expired_token_is_refused(user, script):
    token = _create(user)
    with session_scope() as session:
        session.execute(
            update(ApiToken)
            .where(ApiToken.id == uuid.UUID(token["id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert script.get("/api/auth/me", headers=_bearer(token["token"])).status_code == 401


def test_only_a_cookie_session_creates_tokens(user, script):
    token = _create(user)["token"]
    refused = script.post("/api/tokens", json={"name": "from a token"}, headers=_bearer(token))
    assert refused.status_code == 403 and "browser session" in refused.json()["detail"]
    script.cookies.set("access_token", token)  # a token in the cookie is no browser session either
    assert script.post("/api/tokens", json={"name": "from a cookie"}).status_code == 403
    assert [t["name"] for t in user.get("/api/tokens").json()["items"]] == ["ci"]


def test_tokens_are_their_owners_alone(make_user, script):
    owner, other = make_user(), make_user()
    token = _create(owner)
    job = owner.post("/api/jobs/depth", files=[file_tuple("a.png", images.png(8, 8))]).json()
    owner.post(f"/api/jobs/{job['id']}/cancel")
    assert other.get("/api/tokens").json()["items"] == []
    assert other.delete(f"/api/tokens/{token['id']}").status_code == 404
    other_token = _create(other)["token"]
    assert script.get(f"/api/jobs/{job['id']}", headers=_bearer(other_token)).status_code == 404
    assert script.get("/api/jobs", headers=_bearer(token["token"])).json()["total"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 101},
        {"name": "ci", "expires_days": 0},
        {"name": "ci", "expires_days": 10_000},
    ],
)
def test_token_requests_are_checked(user, body):
    assert user.post("/api/tokens", json=body).status_code == 422


def test_tokens_per_user_are_capped(user, monkeypatch):
    from app.core.config import settings

    monkeypatch.setattr(settings, "max_api_tokens_per_user", 2)
    _create(user, "one"), _create(user, "two")
    refused = user.post("/api/tokens", json={"name": "three"})
    assert refused.status_code == 409 and "revoke one" in refused.json()["detail"]
    with session_scope() as session:
        assert len(session.scalars(select(ApiToken).where(ApiToken.name == "three")).all()) == 0
