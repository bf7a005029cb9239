"""Dependencies that carry the session, the current user and job ownership."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, status
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from app import crud
from app.core.db import session_scope
from app.core.security import decode_access_token, request_token
from app.models import Job, User


def get_session() -> Iterator[Session]:
    with session_scope() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


NOT_SIGNED_IN = "not logged in (or the session expired)"


def bearer_or_cookie(connection: HTTPConnection) -> str | None:
    return request_token(connection.headers, connection.cookies)


def caller_id(connection: HTTPConnection) -> uuid.UUID | None:
    """The user id of the request's valid, unrevoked token (Authorization header or cookie), else None."""
    token = bearer_or_cookie(connection)
    return decode_access_token(token) if token else None


def signed_in_user_id(connection: HTTPConnection) -> uuid.UUID | None:
    """The id of the existing user whose valid token the request carries. Blocking (Redis, PostgreSQL): call it
    from a thread in async code."""
    user_id = caller_id(connection)
    if user_id is None:
        return None
    with session_scope() as session:
        return user_id if crud.get_user(session=session, user_id=user_id) else None


def get_current_user_id(connection: HTTPConnection) -> uuid.UUID:
    """The caller's user id from the token alone: no database session."""
    user_id = caller_id(connection)
    if user_id is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN)
    return user_id


CurrentUserId = Annotated[uuid.UUID, Depends(get_current_user_id)]


def get_current_user(user_id: CurrentUserId, session: SessionDep) -> User:
    user = crud.get_user(session=session, user_id=user_id)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, NOT_SIGNED_IN)
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
