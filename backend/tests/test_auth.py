"""Accounts and sessions: register, log in, me, log out, tokens."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from jose import jwt

from app.core.config import settings
from app.core.security import ALGORITHM, COOKIE_NAME
from tests.conftest import PASSWORD


def _email() -> str:
    return f"a-{uuid.uuid4().hex[:10]}@example.com"


def test_register_login_me_logout(app_client):
    email = _email()
    created = app_client.post("/api/auth/register", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201
    assert set(created.json()) == {"id", "email", "created_at"}

    login = app_client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert login.status_code == 200
    cookie = login.headers["set-cookie"]
    assert f"{COOKIE_NAME}=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert f"Max-Age={settings.access_token_minutes * 60}" in cookie
    assert app_client.get("/api/auth/me").json()["email"] == email

    assert app_client.post("/api/auth/logout").status_code == 204
    assert app_client.get("/api/auth/me").status_code == 401


def test_email_taken_is_409(app_client):
    email = _email()
    assert app_client.post("/api/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
    again = app_client.post("/api/auth/register", json={"email": email.upper(), "password": PASSWORD})
    assert again.status_code == 409
    assert "already exists" in again.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "not-an-email", "password": PASSWORD},
        {"email": "x@example.com", "password": "short1"},
        {"email": "x@example.com", "password": "onlyletters"},
        {"email": "x@example.com", "password": "1234567890"},
        {"email": "x@example.com"},
    ],
)
def test_invalid_registration_is_422(app_client, body):
    assert app_client.post("/api/auth/register", json=body).status_code == 422


def test_unknown_email_and_wrong_password_answer_alike(app_client, user):
    unknown = app_client.post("/api/auth/login", json={"email": _email(), "password": PASSWORD})
    wrong = app_client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD + "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()


def test_long_password_is_no_server_error(app_client):
    email, password = _email(), "Ab1-" * 25  # 100 bytes: past bcrypt's 72
    assert app_client.post("/api/auth/register", json={"email": email, "password": password}).status_code == 201
    assert app_client.post("/api/auth/login", json={"email": email, "password": password}).status_code == 200
    assert app_client.post("/api/auth/login", json={"email": email, "password": "x" * 300}).status_code == 422


def test_nul_in_password_is_422_not_a_server_error(app_client, user):  # found by the fuzzer: bcrypt refuses NUL
    for route, email in (("register", _email()), ("login", user.email)):
        response = app_client.post(f"/api/auth/{route}", json={"email": email, "password": "Ab1-\0-xyz"})
        assert response.status_code == 422 and "NUL" in response.text


def test_bearer_header_works_for_scripts(app_client, user):
    token = user.cookies[COOKIE_NAME]
    app_client.cookies.clear()
    response = app_client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json()["email"] == user.email


def _claims(user_client) -> dict:
    payload = user_client.cookies[COOKIE_NAME].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_tampered_expired_and_unsigned_tokens_are_refused(app_client, user):
    claims = _claims(user)
    forged = jwt.encode(claims, "another secret", algorithm=ALGORITHM)
    expired = jwt.encode(
        {**claims, "exp": datetime.now(UTC) - timedelta(seconds=1)}, settings.secret_key, algorithm=ALGORITHM
    )
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    unsigned = f"{header}.{body}."
    for token in (forged, expired, unsigned, "garbage"):
        app_client.cookies.clear()
        assert app_client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def _client_from(host: str) -> TestClient:
    from app.main import app

    return TestClient(app, client=(host, 40000))


def _address() -> str:
    return f"10.0.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_login_lockout_is_per_account_and_address(user, monkeypatch):
    """Guessing from one address locks that address out of the account, never its owner elsewhere."""
    monkeypatch.setattr(settings, "login_attempts_per_minute", 3)
    with _client_from(_address()) as guesser:
        codes = [
            guesser.post("/api/auth/login", json={"email": user.email, "password": "wrong-pass-1"}).status_code
            for _ in range(5)
        ]
        assert codes == [401, 401, 401, 429, 429]
        refused = guesser.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        assert refused.status_code == 429 and "too many attempts" in refused.json()["detail"]
        assert refused.headers["retry-after"] == "60"
    with _client_from(_address()) as owner:
        assert owner.post("/api/auth/login", json={"email": user.email, "password": PASSWORD}).status_code == 200


def test_login_is_rate_limited_per_ip(monkeypatch):
    monkeypatch.setattr(settings, "login_attempts_per_minute", 2)
    with _client_from(_address()) as client:
        codes = [
            client.post("/api/auth/login", json={"email": _email(), "password": PASSWORD}).status_code for _ in range(8)
        ]
    assert codes[:6] == [401] * 6 and codes[6:] == [429, 429]


def test_every_job_route_needs_a_login(app_client):
    app_client.cookies.clear()
    job = str(uuid.uuid4())
    for method, path in [
        ("get", "/api/jobs"),
        ("get", "/api/stats"),
        ("get", f"/api/jobs/{job}"),
        ("get", "/api/jobs/events"),
        ("post", f"/api/jobs/{job}/cancel"),
        ("delete", f"/api/jobs/{job}"),
        ("get", "/api/jobs/archive"),
    ]:
        assert getattr(app_client, method)(path).status_code == 401, path


def test_cross_site_form_post_with_cookie_is_refused(user):
    response = user.post("/api/auth/logout", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    assert user.post("/api/auth/logout", headers={"Origin": "http://testserver"}).status_code == 204


def test_an_authorization_header_that_is_not_bearer_does_not_skip_the_csrf_check(user):
    """A browser sends Basic credentials it remembers on its own: with the cookie doing the authenticating, the
    Origin is still checked."""
    basic = {"Origin": "https://evil.example", "Authorization": "Basic dXNlcjpwYXNzd29yZA=="}
    assert user.post("/api/auth/logout", headers=basic).status_code == 403
    assert user.get("/api/auth/me").status_code == 200  # still signed in


def test_logout_revokes_the_token_itself(app_client, user):
    token = user.cookies[COOKIE_NAME]
    assert user.post("/api/auth/logout").status_code == 204
    app_client.cookies.clear()
    assert app_client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_cookie_is_secure_over_https(user):
    from app.main import app

    with TestClient(app, base_url="https://testserver") as client:
        client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        response = client.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
        assert "Secure" in response.headers["set-cookie"]
    plain = user.post("/api/auth/login", json={"email": user.email, "password": PASSWORD})
    assert "Secure" not in plain.headers["set-cookie"]


def test_login_finds_the_account_through_the_email_index(app_client, user):
    """The lookup a login runs, explained by PostgreSQL with sequential scans ruled out: it uses the unique index
    (a lower(email) comparison could only scan the table). Any letter case still signs in."""
    from sqlalchemy import event

    from app.core.db import get_engine

    engine = get_engine()
    lookups: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if "FROM users" in statement and "email" in statement.split("WHERE", 1)[-1]:
            lookups.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        login = app_client.post("/api/auth/login", json={"email": user.email.upper(), "password": PASSWORD})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert login.status_code == 200
    (statement, parameters), *_ = lookups
    with engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))
    assert "Index" in plan and "Seq Scan" not in plan, plan
