"""Password hashing, JWTs and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

import redis
from jose import JWTError, jwt
from passlib.context import CryptContext

from app.core.config import settings
from app.core.events import async_redis, redis_client

ALGORITHM = "HS256"
COOKIE_NAME = "access_token"
# bcrypt reads only the first 72 bytes; cut there explicitly so that every bcrypt version behaves alike
# (bcrypt >= 4.1 raises on longer input instead of truncating).
BCRYPT_MAX_BYTES = 72

_context = CryptContext(schemes=["bcrypt"], bcrypt__rounds=settings.bcrypt_rounds, deprecated="auto")
# Checked when an email is unknown, so that a wrong email costs as long as a wrong password.
_DUMMY_HASH = _context.hash("not a real password")


def _bcrypt_input(password: str) -> bytes:
    return password.encode("utf-8")[:BCRYPT_MAX_BYTES]


def hash_password(password: str) -> str:
    return _context.hash(_bcrypt_input(password))


def verify_password(password: str, hashed: str | None) -> bool:
    if hashed is None:
        _context.verify(_bcrypt_input(password), _DUMMY_HASH)
        return False
    return _context.verify(_bcrypt_input(password), hashed)


def create_access_token(user_id: uuid.UUID) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + timedelta(minutes=settings.access_token_minutes),
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


API_TOKEN_PREFIX = "slk_"  # tells an API token from a JWT (and a leaked one is easy to search for)


def new_api_token() -> str:
    """A fresh API token: the prefix and 256 random bits."""
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def is_api_token(token: str) -> bool:
    return token.startswith(API_TOKEN_PREFIX)


def api_token_hash(token: str) -> str:
    """What the database keeps of an API token: a SHA-256 (the token is random, so no slow hash is needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_jti(token_id: uuid.UUID) -> str:
    """The id an API token's live streams are revoked by (as a JWT's `jti` is)."""
    return f"api-token-{token_id}"


def request_token(headers: Mapping[str, str], cookies: Mapping[str, str]) -> str | None:
    """The caller's credential: an `Authorization: Bearer` header (scripts: an API token or a JWT) first, else
    the session cookie (a JWT)."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return cookies.get(COOKIE_NAME) or None


def token_claims(token: str) -> dict | None:
    """The claims of a token we signed that has not expired (logged out or not: see `decode_access_token`)."""
    try:
        return jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM])
    except (JWTError, ValueError, TypeError):
        return None


def _subject(claims: dict | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(claims["sub"]) if claims else None
    except (KeyError, ValueError, TypeError):
        return None


def token_subject(token: str) -> uuid.UUID | None:
    """The user id in a token we signed that has not expired, without asking Redis whether it was logged out:
    for logs, never for access."""
    return _subject(token_claims(token))


def _revoked_key(jti: str) -> str:
    return f"scenelab:revoked:{jti}"


def decode_access_token(token: str) -> uuid.UUID | None:
    """The user id in a valid, unexpired, not logged-out token signed by us; None for anything else
    (tampered, expired, `alg=none`). With Redis away, logged-out tokens still expire on their own."""
    claims = token_claims(token)
    user_id = _subject(claims)
    if claims is None or user_id is None:
        return None
    try:
        if redis_client().exists(_revoked_key(str(claims.get("jti")))):
            return None
    except redis.RedisError:
        pass
    return user_id


def _disabled_key(user_id: object) -> str:
    return f"scenelab:disabled:{user_id}"


async def is_logged_out(claims: dict) -> bool:
    """Whether the token with these claims was logged out or its account disabled since (async, for the event
    streams, which never ask the database; raises RedisError)."""
    keys = (_revoked_key(str(claims.get("jti"))), _disabled_key(claims.get("sub")))
    return bool(await async_redis().exists(*keys))


def end_sessions_of(user_id: uuid.UUID) -> None:
    """Tell open event streams that the account was disabled (every other route reads `disabled_at` itself).
    Kept as long as a token lives; raises RedisError."""
    redis_client().set(_disabled_key(user_id), 1, ex=settings.access_token_minutes * 60)


def new_invite_token() -> str:
    return secrets.token_urlsafe(32)


def invite_digest(token: str) -> str:
    """What is stored of an invitation token: a stolen database lists no usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


def revoke_access_token(token: str) -> None:
    """Log a token out for the rest of its lifetime."""
    claims = token_claims(token)
    if claims and "jti" in claims:
        revoke(claims["jti"], until=claims["exp"])


def revoke(jti: str, *, until: float) -> None:
    """Mark the credential `jti` revoked until `until` (unix seconds): the event streams it opened end."""
    remaining = int(until - datetime.now(UTC).timestamp())
    try:
        redis_client().set(_revoked_key(jti), 1, ex=max(1, remaining))
    except redis.RedisError:
        pass
