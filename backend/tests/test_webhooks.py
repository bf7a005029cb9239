"""Webhooks per Standard Webhooks: a job that ends tells its `webhook_url` through a real worker, signed with the
user's secret (verified with the `standardwebhooks` package, as a receiver would), retried after a failure with
the same message id, refused for private addresses unless allowed, and shown on the job."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks import Webhook

from app.core import webhooks
from app.core.config import settings
from app.worker.webhooks import post
from scripts import images
from tests.conftest import file_tuple, wait_for_job


@dataclass
class Receiver:
    """A real HTTP server on 127.0.0.1 that records each POST and answers the next of `answers` (then 204)."""

    url: str = ""
    answers: list[int] = field(default_factory=list)
    redirect_to: str | None = None
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def wait_for(self, count: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            if time.monotonic() > deadline:
                pytest.fail(f"{len(self.received)} of {count} webhook requests arrived within {timeout} s")
            time.sleep(0.05)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["content-length"]))
            state.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
            if state.redirect_to:
                self.send_response(307)
                self.send_header("location", state.redirect_to)
            else:
                self.send_response(state.answers.pop(0) if state.answers else 204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/scenelab"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _depth_job(user, **form: str) -> dict:
    answer = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png(32, 24))], data=form)
    assert answer.status_code == 202, answer.text
    return answer.json()


def _verified(user, headers: dict[str, str], body: bytes) -> dict:
    secret = user.get("/api/auth/webhook-secret").json()["secret"]
    return Webhook(secret).verify(body, headers)


def test_a_finished_job_is_posted_signed_to_its_webhook(user, worker, receiver):
    job = _depth_job(user, webhook_url=receiver.url)
    assert job["webhook_url"] == receiver.url and job["webhook_deliveries"] == []
    done = wait_for_job(
        user, job["id"], until=lambda j: [d["status"] for d in j["webhook_deliveries"]] == ["delivered"]
    )
    assert done["status"] == "succeeded"
    receiver.wait_for(1)
    headers, body = receiver.received[0]
    message = _verified(user, headers, body)  # raises unless the signature and timestamp hold
    assert message["type"] == "job.finished" and message["data"]["id"] == job["id"]
    assert message["data"]["status"] == "succeeded" and message["data"]["results"]
    assert set(message["data"]) == set(done)  # the job as GET /api/jobs/{id} shows it
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 120
    delivery = done["webhook_deliveries"][0]
    assert delivery["id"] == headers["webhook-id"] and delivery["attempts"] == 1 and delivery["last_status_code"] == 204
    with pytest.raises(Exception, match="signature"):  # another secret does not verify it
        Webhook(webhooks.new_secret()).verify(body, headers)


def test_a_failed_delivery_is_retried_with_the_same_message_id(user, worker, receiver):
    receiver.answers = [500]
    job = _depth_job(user, webhook_url=receiver.url)
    assert user.post(f"/api/jobs/{job['id']}/cancel").status_code == 200  # a cancel ends a job too
    receiver.wait_for(2)
    (first, first_body), (second, second_body) = receiver.received
    assert first["webhook-id"] == second["webhook-id"] and first_body == second_body
    assert _verified(user, second, second_body)["data"]["status"] == "cancelled"
    done = wait_for_job(user, job["id"], until=lambda j: j["webhook_deliveries"][0]["status"] == "delivered")
    delivery = done["webhook_deliveries"][0]
    assert delivery["attempts"] == 2 and delivery["last_status_code"] == 204 and delivery["last_error"] is None


def test_a_rotated_secret_signs_the_next_messages(user, worker, receiver):
    old = user.get("/api/auth/webhook-secret").json()["secret"]
    assert old.startswith("whsec_") and user.get("/api/auth/webhook-secret").json()["secret"] == old
    new = user.post("/api/auth/webhook-secret").json()["secret"]
    assert new != old
    job = _depth_job(user, webhook_url=receiver.url)
    user.post(f"/api/jobs/{job['id']}/cancel")
    receiver.wait_for(1)
    headers, body = receiver.received[0]
    assert json.loads(body)["data"]["id"] == job["id"]
    Webhook(new).verify(body, headers)
    with pytest.raises(Exception, match="signature"):
        Webhook(old).verify(body, headers)


def test_redirects_are_followed_and_checked(receiver, monkeypatch):
    secret = webhooks.new_secret()
    receiver.redirect_to = "http://no-such-host.invalid/hook"
    status, error = post(receiver.url, msg_id="msg_1", body=b"{}", secret=secret)
    assert status is None and "does not resolve" in error
    receiver.redirect_to = "/elsewhere"
    status, error = post(receiver.url, msg_id="msg_2", body=b"{}", secret=secret)
    assert error == "more than 3 redirects" and len(receiver.received) == 1 + 4  # the first call and 3 redirects


def test_private_addresses_are_refused_unless_allowed(user, receiver, monkeypatch):
    monkeypatch.setattr(settings, "webhook_allow_private", False)
    for url in (receiver.url, "http://localhost:9/x", "http://10.1.2.3/x", "http://[::1]/x", "http://169.254.169.254/"):
        refused = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png(8, 8))], data={"webhook_url": url})
        assert refused.status_code == 422, url
        assert "private or loopback" in refused.json()["detail"][0]["msg"]
    status, error = post(receiver.url, msg_id="msg_1", body=b"{}", secret=webhooks.new_secret())
    assert status is None and "private or loopback" in error and receiver.received == []  # at delivery too


@pytest.mark.parametrize("url", ["ftp://example.com/x", "not a url", "http:///x", "x" * 2049])
def test_webhook_urls_are_checked(user, url):
    refused = user.post("/api/jobs/depth", files=[file_tuple("a.png", images.png(8, 8))], data={"webhook_url": url})
    assert refused.status_code == 422
