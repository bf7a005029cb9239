"""API tokens for scripts: create (from a browser session), list, revoke."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, HTTPException, status

from app import crud
from app.api.deps import CurrentUser, SessionDep, require_cookie_session
from app.api.openapi import AUTHENTICATED, error
from app.core.config import settings
from app.core.security import api_token_jti, revoke
from app.schemas import ApiTokenCreate, ApiTokenCreated, ApiTokenPublic, ApiTokensPage

router = APIRouter(prefix="/tokens", tags=["tokens"], responses=AUTHENTICATED)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiTokenCreated,
    dependencies=[Depends(require_cookie_session)],
    responses={
        **error(403, "the request carries a token, not the browser session's cookie"),
        **error(409, "you hold `MAX_API_TOKENS_PER_USER` tokens already"),
    },
)
def create_token(body: ApiTokenCreate, user: CurrentUser, session: SessionDep) -> ApiTokenCreated:
    """A new API token, valid `expires_days` days. The answer is the only time the token is shown: only its
    hash is stored. Send it as `Authorization: Bearer <token>`."""
    held = len(crud.api_tokens(session=session, user_id=user.id, lock=True))
    if held >= settings.max_api_tokens_per_user:
        raise HTTPException(
            status.HTTP_409_CONFLICT, f"you hold {held} API tokens, the most allowed: revoke one you no longer use"
        )
    token, secret = crud.create_api_token(
        session=session, user_id=user.id, name=body.name, expires_days=body.expires_days
    )
    session.commit()
    return ApiTokenCreated(
        id=token.id, name=token.name, token=secret, created_at=token.created_at, expires_at=token.expires_at
    )


@router.get("", response_model=ApiTokensPage)
def list_tokens(user: CurrentUser, session: SessionDep) -> ApiTokensPage:
    """Your API tokens, newest first, without the tokens themselves."""
    tokens = crud.api_tokens(session=session, user_id=user.id)
    return ApiTokensPage(items=[ApiTokenPublic.model_validate(t) for t in tokens])


@router.delete(
    "/{token_id:uuid}", status_code=status.HTTP_204_NO_CONTENT, responses=error(404, "no such token (or not yours)")
)
def revoke_token(token_id: uuid.UUID, user: CurrentUser, session: SessionDep) -> None:
    """Revoke a token: its next request is a 401, and the event streams it opened end."""
    token = crud.delete_api_token(session=session, user_id=user.id, token_id=token_id)
    if token is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no such token")
    session.commit()
    revoke(api_token_jti(token.id), until=token.expires_at.timestamp())
