"""Dependencies that carry the session, the current user and job ownership."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, status
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from app import crud
from app.core.db import session_scope
from app.core.security import (
    COOKIE_NAME,
    api_token_jti,
    decode_access_token,
    is_api_token,
    request_token,
    token_claims,
)
from app.models import Job, User


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


NOT_SIGNED_IN = "not logged in (or the session expired)"
ACCOUNT_DISABLED = "this account is disabled; ask the site's operator"
API_TOKEN_TOUCH = timedelta(minutes=1)  # how stale an API token's `last_used_at` may get: one write a minute at most


def bearer_or_cookie(connection: HTTPConnection) -> str | None:
    return request_token(connection.headers, connection.cookies)


def api_token_claims(secret: str) -> dict[str, Any] | None:
    """An unexpired, unrevoked API token's claims as a JWT would carry them (`sub`, `jti`, `exp`), looked up
    in the database (which records its use); None for any other string. Blocking."""
    with session_scope() as session:
        token = crud.use_api_token(session=session, secret=secret, touch_after=API_TOKEN_TOUCH)
        if token is None:
            return None
        return {"sub": str(token.user_id), "jti": api_token_jti(token.id), "exp": token.expires_at.timestamp()}


def credential_claims(token: str) -> dict[str, Any] | None:
    """The claims of an API token or a JWT (a JWT's revocation is not checked: see `caller_id`). Blocking."""
    return api_token_claims(token) if is_api_token(token) else token_claims(token)


def caller_id(connection: HTTPConnection) -> uuid.UUID | None:
    """The user id of the request's valid, unrevoked credential (an API token or a JWT in the Authorization
    header, or the cookie's JWT), else None. Blocking (PostgreSQL for an API token, Redis for a JWT)."""
    token = bearer_or_cookie(connection)
    if not token:
        return None
    if is_api_token(token):
        claims = api_token_claims(token)
        return uuid.UUID(claims["sub"]) if claims else None
    return decode_access_token(token)


def require_cookie_session(connection: HTTPConnection) -> None:
    """403 unless the cookie (a browser login) authenticates the request: a token cannot mint tokens."""
    if request_token(connection.headers, {}) is not None or is_api_token(connection.cookies.get(COOKIE_NAME, "")):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "API tokens are created from a logged-in browser session, not with a token"
        )


def signed_in_user_id(connection: HTTPConnection) -> uuid.UUID | None:
    """The id of the existing user whose valid token the request carries. Blocking (Redis, PostgreSQL): call it
    from a thread in async code."""
    user_id = caller_id(connection)
    if user_id is None:
        return None
    with session_scope() as session:
        user = crud.get_user(session=session, user_id=user_id)
        return user_id if user is not None and user.disabled_at is None else None


def get_signed_in_user_id(connection: HTTPConnection) -> uuid.UUID:
    """The caller's user id, checked against the database in a session closed before the route runs: for
    long-lived responses, which must not pin a pooled connection."""
    user_id = signed_in_user_id(connection)
    if user_id is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN)
    return user_id


SignedInUserId = Annotated[uuid.UUID, Depends(get_signed_in_user_id)]


def get_current_user_id(connection: HTTPConnection) -> uuid.UUID:
    """The caller's user id from the credential alone: no database session held (an API token's lookup opens
    and closes its own)."""
    user_id = caller_id(connection)
    if user_id is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN)
    return user_id


CurrentUserId = Annotated[uuid.UUID, Depends(get_current_user_id)]


def get_current_user(user_id: CurrentUserId, session: SessionDep) -> User:
    user = crud.get_user(session=session, user_id=user_id)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN)
    if user.disabled_at is not None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, ACCOUNT_DISABLED)
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_owned_job(job_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> Job:
    job = crud.get_owned_job(session=session, job_id=job_id, user_id=user.id)
    if job is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "job not found")
    return job


OwnedJob = Annotated[Job, Depends(get_owned_job)]


def get_detached_owned_job(job_id: uuid.UUID, user_id: CurrentUserId) -> Job:
    """The caller's job, read in a session closed before the route runs: for async routes that wait for a
    worker without holding a pooled database connection."""
    with session_scope() as session:
        return get_owned_job(job_id, get_current_user(user_id, session), session)


DetachedOwnedJob = Annotated[Job, Depends(get_detached_owned_job)]
