"""Password hashing and JWTs."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from jose import JWTError, jwt
from passlib.context import CryptContext

from app.core.config import settings

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
    now = datetime.now(timezone.utc)
    claims = {"sub": str(user_id), "iat": now, "exp": now + timedelta(minutes=settings.access_token_minutes)}
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(token: str) -> uuid.UUID | None:
    """The user id in a valid, unexpired token signed by us; None for anything else (incl. alg=none)."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[ALGORITHM])
        return uuid.UUID(claims["sub"])
    except (JWTError, KeyError, ValueError, TypeError):
        return None
