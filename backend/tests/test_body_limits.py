"""Request bodies against a real uvicorn: JSON routes refuse anything past `max_body_bytes` (64 KiB) with a 413, and
the upload routes answer 401 (not signed in) or 403 (foreign origin) before reading the body, so nobody can make
the API read gigabytes without an account. A raw socket sends the body megabyte by megabyte and stops at the
answer: the bytes it managed to send before the answer show how much the API read."""

from __future__ import annotations

import re
import select
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from app.core.config import settings
from tests.conftest import PASSWORD, start_api, stop_process

MiB = 1 << 20
OFFERED = 256 * MiB
# What socket buffers and the last chunks in flight can hold; the old API read all of OFFERED before answering.
READ_AT_MOST = 32 * MiB


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    process, base = start_api()
    yield base
    stop_process(process)


def _send_until_answered(base: str, path: str, headers: dict[str, str], *, chunked: bool) -> tuple[int, bytes, int]:
    """POST up to OFFERED bytes (Content-Length declared, or chunked) until the server answers:
    (status, response head and body start, body bytes sent)."""
    url = urlsplit(base)
    framing = {"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(OFFERED)}
    head = f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n" + "".join(
        f"{name}: {value}\r\n" for name, value in {**headers, **framing}.items()
    )
    chunk = b"x" * MiB
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n" if chunked else chunk
    sent = 0
    with socket.create_connection((url.hostname, url.port), timeout=60) as connection:
        connection.sendall(head.encode() + b"\r\n")
        while sent < OFFERED and not select.select([connection], [], [], 0)[0]:
            try:
                connection.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        answer = _read_response(connection)
    return int(answer.split(b" ", 2)[1]), answer, sent


def _read_response(connection: socket.socket) -> bytes:
    answer = b""
    try:
        while chunk := connection.recv(65536):
            answer += chunk
            head, _, body = answer.partition(b"\r\n\r\n")
            length = re.search(rb"(?im)^content-length: *(\d+)", head)
            if length and len(body) >= int(length.group(1)):
                break
    except ConnectionResetError:  # the server closed with our unread bytes on its side; what came first counts
        pass
    return answer


def _signed_in_cookie(base: str) -> str:
    with httpx.Client(base_url=base) as client:
        email = f"body-{uuid.uuid4().hex[:8]}@example.com"
        assert client.post("/api/auth/register", json={"email": email, "password": PASSWORD}).status_code == 201
        assert client.post("/api/auth/login", json={"email": email, "password": PASSWORD}).status_code == 200
        return f"access_token={client.cookies['access_token']}"


MULTIPART = {"Content-Type": "multipart/form-data; boundary=b"}


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ["/api/jobs/depth", "/api/jobs/heatmap"])
def test_uploads_are_refused_before_the_body_without_sign_in(api, path, chunked):
    status, answer, sent = _send_until_answered(api, path, MULTIPART, chunked=chunked)
    assert status == 401 and b"not logged in" in answer
    assert sent < READ_AT_MOST, f"{sent / MiB:.0f} MiB sent before the 401"


def test_uploads_from_a_foreign_origin_are_refused_before_the_body(api):
    headers = {**MULTIPART, "Cookie": _signed_in_cookie(api), "Origin": "http://evil.example"}
    status, answer, sent = _send_until_answered(api, "/api/jobs/depth", headers, chunked=False)
    assert status == 403 and b"cross-site" in answer
    assert sent < READ_AT_MOST, f"{sent / MiB:.0f} MiB sent before the 403"


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
@pytest.mark.parametrize("path", ["/api/auth/login", "/api/auth/register", f"/api/jobs/{uuid.uuid4()}/render"])
def test_json_bodies_past_the_limit_are_refused_unread(api, path, chunked):
    headers = {"Content-Type": "application/json", "Cookie": _signed_in_cookie(api)}
    status, answer, sent = _send_until_answered(api, path, headers, chunked=chunked)
    assert status == 413 and f"larger than the {settings.max_body_bytes:,} bytes allowed".encode() in answer
    assert sent < READ_AT_MOST, f"{sent / MiB:.0f} MiB sent before the 413"


def test_json_limit_is_the_setting(api):
    padding = settings.max_body_bytes
    with httpx.Client(base_url=api) as client:
        small = client.post("/api/auth/login", json={"email": "a@example.com", "password": "p" * 100})
        big = client.post("/api/auth/login", json={"email": "a@example.com", "password": "p" * padding})
    assert small.status_code == 401
    assert big.status_code == 413 and big.json()["detail"].startswith("the request body is larger than")
