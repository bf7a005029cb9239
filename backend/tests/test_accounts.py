"""Accounts: REGISTRATION modes on a real uvicorn, invitations and disabled accounts through the real CLI
(`python -m app.admin`), and the site-wide cap on live event streams."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from sqlalchemy import text

from app.core.db import get_engine
from scripts.devstack import RedisServer, start_redis
from tests.conftest import BACKEND, PASSWORD, start_api, stop_process

KEEPALIVE_S = 0.5


def admin(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        [sys.executable, "-m", "app.admin", *args],
        cwd=BACKEND,
        input=stdin,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _email() -> str:
    return f"acct-{uuid.uuid4().hex[:10]}@example.com"


def _register(base: str, email: str, invite: str | None = None) -> httpx.Response:
    body = {"email": email, "password": PASSWORD, **({"invite": invite} if invite is not None else {})}
    return httpx.post(f"{base}/api/auth/register", json=body, timeout=30)


def _invite_token(**env: str) -> str:
    made = admin("invite", "--url", "https://scenelab.example.org", **env)
    assert made.returncode == 0, made.stderr
    link = urlsplit(made.stdout.strip())
    assert (link.netloc, link.path) == ("scenelab.example.org", "/register") and "single use" in made.stderr
    return parse_qs(link.query)["invite"][0]


def _api(mode: str, **env: str) -> Iterator[str]:
    process, base = start_api(REGISTRATION=mode, LOGIN_ATTEMPTS_PER_MINUTE="1000", **env)
    yield base
    stop_process(process)


@pytest.fixture(scope="module")
def invite_only() -> Iterator[str]:
    yield from _api("invite", EVENT_KEEPALIVE_SECONDS=str(KEEPALIVE_S))


@pytest.fixture(scope="module")
def closed() -> Iterator[str]:
    yield from _api("closed")


def test_invite_mode_needs_a_single_use_link_from_the_cli(invite_only):
    assert httpx.get(f"{invite_only}/api/auth/registration").json() == {"mode": "invite"}
    refused = _register(invite_only, _email())
    assert refused.status_code == 403 and "needs an invitation" in refused.json()["detail"]
    assert _register(invite_only, _email(), invite="made-up").status_code == 403

    token = _invite_token()
    with get_engine().connect() as db:  # only the token's SHA-256 is kept
        stored = db.execute(text("SELECT token_sha256 FROM invites WHERE used_at IS NULL")).scalars().all()
    assert hashlib.sha256(token.encode()).hexdigest() in stored and token not in stored
    email = _email()
    assert _register(invite_only, email, invite=token).status_code == 201
    again = _register(invite_only, _email(), invite=token)
    assert again.status_code == 403 and "used already" in again.json()["detail"]
    signed_in = httpx.post(f"{invite_only}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
    assert signed_in.status_code == 200


def test_an_invitation_is_not_used_up_by_a_sign_up_that_fails(invite_only):
    token, taken = _invite_token(), _email()
    assert _register(invite_only, taken, invite=token).status_code == 201
    second = _invite_token()
    assert _register(invite_only, taken, invite=second).status_code == 409  # email taken: rolled back
    assert _register(invite_only, _email(), invite=second).status_code == 201


def test_one_invitation_makes_one_account_under_concurrent_sign_ups(invite_only):
    token = _invite_token()
    answers: list[int] = []
    threads = [
        threading.Thread(target=lambda: answers.append(_register(invite_only, _email(), invite=token).status_code))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [201] + [403] * 7


def test_an_expired_invitation_is_refused(invite_only):
    made = admin("invite", "--hours", "0.0003")  # about a second
    token = parse_qs(urlsplit(made.stdout.strip()).query)["invite"][0]
    time.sleep(1.5)
    expired = _register(invite_only, _email(), invite=token)
    assert expired.status_code == 403 and "expired" in expired.json()["detail"]


def test_closed_registration_leaves_account_creation_to_the_cli(closed):
    assert httpx.get(f"{closed}/api/auth/registration").json() == {"mode": "closed"}
    assert _register(closed, _email(), invite=_invite_token()).status_code == 403  # not even with a link
    email = _email()
    created = admin("create-user", email, "--password-stdin", stdin=PASSWORD + "\n")
    assert created.returncode == 0 and f"created {email}" in created.stdout
    assert admin("create-user", email, "--password-stdin", stdin=PASSWORD + "\n").returncode != 0
    weak = admin("create-user", _email(), "--password-stdin", stdin="short\n")
    assert weak.returncode != 0 and "at least 8 characters" in weak.stderr
    signed_in = httpx.post(f"{closed}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
    assert signed_in.status_code == 200
    listed = admin("list-users")
    assert listed.returncode == 0 and any(line.startswith(f"{email}\t") for line in listed.stdout.splitlines())


def test_a_disabled_account_cannot_sign_in_and_its_sessions_stop(invite_only):
    email = _email()
    assert _register(invite_only, email, invite=_invite_token()).status_code == 201
    with httpx.Client(base_url=invite_only, timeout=30) as browser:
        assert browser.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        token = browser.cookies["access_token"]
        with browser.stream("GET", "/api/jobs/events") as events:
            lines = events.iter_lines()
            assert next(lines) == "retry: 3000"
            disabled = admin("disable-user", email)
            assert disabled.returncode == 0, disabled.stderr
            started = time.monotonic()
            for _ in lines:  # keep-alive pings every KEEPALIVE_S: the stream must end soon after
                assert time.monotonic() - started < 10 * KEEPALIVE_S + 5, "the stream outlived the account"
        assert browser.get("/api/auth/me").status_code == 401
        bearer = httpx.get(f"{invite_only}/api/jobs", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert bearer.status_code == 401 and "disabled" in bearer.json()["detail"]
        assert browser.get("/api/jobs/events").status_code == 401
        upload = browser.post("/api/jobs/depth", files={"files": ("a.png", b"x" * 10)})
        assert upload.status_code == 401
        refused = browser.post("/api/auth/login", json={"email": email, "password": PASSWORD})
        assert refused.status_code == 403 and "disabled" in refused.json()["detail"]
    listed = admin("list-users").stdout.splitlines()
    assert any(line.startswith(f"{email}\t") and "disabled" in line for line in listed)
    assert admin("disable-user", "nobody@example.com").returncode != 0


# --- the site-wide cap on live streams ---

STREAMS_TOTAL = 3


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory) -> Iterator[RedisServer]:
    server = start_redis(tmp_path_factory.mktemp("accounts-redis"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def capped(own_redis) -> Iterator[str]:
    yield from _api(
        "open",
        REDIS_URL=own_redis.url,
        EVENT_KEEPALIVE_SECONDS=str(KEEPALIVE_S),
        MAX_EVENT_STREAMS_TOTAL=str(STREAMS_TOTAL),
    )


def test_live_streams_are_capped_across_users(capped):
    clients = [httpx.Client(base_url=capped, timeout=30) for _ in range(STREAMS_TOTAL + 1)]
    try:
        for client in clients:
            email = _email()
            assert client.post("/api/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
            assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        streams = [client.stream("GET", "/api/jobs/events") for client in clients[:STREAMS_TOTAL]]
        opened = [stream.__enter__() for stream in streams]
        assert [response.status_code for response in opened] == [200] * STREAMS_TOTAL
        over = clients[-1].get("/api/jobs/events")
        assert over.status_code == 503 and int(over.headers["retry-after"]) > 0
        assert "live streams" in over.json()["detail"]
        streams[0].__exit__(None, None, None)  # a closed tab frees its place
        deadline = time.monotonic() + 10
        while (answer := clients[-1].stream("GET", "/api/jobs/events").__enter__()).status_code != 200:
            answer.close()
            assert time.monotonic() < deadline, "the closed stream's place was never freed"
            time.sleep(0.2)
        answer.close()
        for stream in streams[1:]:
            stream.__exit__(None, None, None)
    finally:
        for client in clients:
            client.close()
