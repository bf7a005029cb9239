"""Standard Webhooks (https://www.standardwebhooks.com): a user's signing secret, a message's signature, and
which addresses a webhook may reach (public ones only, unless `WEBHOOK_ALLOW_PRIVATE`)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import secrets
import socket
from dataclasses import dataclass

import httpx

from app.core.config import settings

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 24


def new_secret() -> str:
    """A signing secret as the specification writes it: `whsec_` and the base64 of random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    digest = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class RefusedUrl(ValueError):
    """A webhook URL that may not be called; the message says why."""


@dataclass(frozen=True)
class Target:
    """Where to send a request: the URL with the checked IP address in place of the host name (so that a
    second lookup cannot answer another address), the host name for TLS and the Host header with its port."""

    url: httpx.URL
    host: str
    netloc: str


def _allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # (an IPv6 scope id is no part of the address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(url: str) -> Target:
    """The address to send `url`'s request to, once its host resolves to addresses that may be called only:
    `RefusedUrl` for another scheme, a host that does not resolve, or one with a private, loopback,
    link-local or otherwise non-public address (unless `WEBHOOK_ALLOW_PRIVATE`)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        raise RefusedUrl("the webhook URL is not a valid URL") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise RefusedUrl("the webhook URL must be an http:// or https:// URL with a host")
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = [str(info[4][0]) for info in socket.getaddrinfo(parsed.host, port, type=socket.SOCK_STREAM)]
    except (socket.gaierror, UnicodeError):
        raise RefusedUrl(f"the webhook host {parsed.host} does not resolve") from None
    if not settings.webhook_allow_private and not all(_allowed(address) for address in addresses):
        raise RefusedUrl(f"the webhook host {parsed.host} has a private or loopback address: refused")
    pinned = parsed.copy_with(host=addresses[0].split("%", 1)[0])
    return Target(url=pinned, host=parsed.host, netloc=parsed.netloc.decode("ascii"))
