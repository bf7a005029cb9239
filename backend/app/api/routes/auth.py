"""Register, log in, log out, who am I."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response, status
from sqlalchemy.exc import IntegrityError

from app import crud
from app.api.deps import ACCOUNT_DISABLED, CurrentUser, SessionDep, bearer_or_cookie
from app.api.openapi import AUTHENTICATED, error
from app.core import ratelimit
from app.core.config import settings
from app.core.security import COOKIE_NAME, create_access_token, revoke_access_token
from app.models import Invite
from app.schemas import Credentials, Registration, UserCreate, UserPublic, WebhookSecret

router = APIRouter(prefix="/auth", tags=["auth"])
SIGN_IN_ERRORS = error(429, "too many attempts from this address, or for this account from it (with Retry-After)")


def _secure(request: Request) -> bool:
    """Secure cookies when configured, and always when the request came over HTTPS (directly or via a proxy)."""
    return settings.cookie_secure or request.url.scheme == "https"


def _limit(request: Request, email: str, action: str) -> None:
    """Per address, and per account from that address: failures from elsewhere never lock the owner out."""
    client = request.client.host if request.client else "unknown"
    per_ip = ratelimit.allow(f"{action}:ip:{client}", limit=settings.login_attempts_per_minute * 3)
    per_account = ratelimit.allow(
        f"{action}:acct:{email.lower()}:ip:{client}", limit=settings.login_attempts_per_minute
    )
    if not (per_ip and per_account):
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many attempts; wait a minute and try again",
            headers={"Retry-After": str(ratelimit.WINDOW_SECONDS)},
        )


def _admission(session: SessionDep, invite_token: str | None) -> Invite | None:
    """Refuse a sign-up that REGISTRATION does not allow; in `invite` mode, claim its invitation."""
    if settings.registration == "closed":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "registration is closed: ask the site's operator for an account")
    if settings.registration == "open":
        return None
    invite = crud.claim_invite(session=session, token=invite_token) if invite_token else None
    if invite is None and invite_token:
        invalid = "this invitation link is not valid: it was used already, has expired or was mistyped"
        raise HTTPException(status.HTTP_403_FORBIDDEN, invalid)
    if invite is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "registration needs an invitation link")
    return invite


@router.get("/registration", response_model=Registration)
def registration() -> Registration:
    """Whether anyone may create an account (`open`), only with an invitation link (`invite`), or nobody (`closed`)."""
    return Registration(mode=settings.registration)


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    responses={
        **error(403, "registration is closed, or needs a valid invitation (`REGISTRATION`)"),
        **error(409, "an account with this email already exists"),
        **SIGN_IN_ERRORS,
    },
)
def register(body: UserCreate, request: Request, session: SessionDep) -> UserPublic:
    """Create an account: anyone while `REGISTRATION` is `open`, with an unused, unexpired invitation token
    (`invite`, used up by the account it creates) while it is `invite`, nobody while it is `closed`."""
    _limit(request, body.email, "register")
    invite = _admission(session, body.invite)
    if crud.get_user_by_email(session=session, email=body.email):
        raise HTTPException(status.HTTP_409_CONFLICT, "an account with this email already exists")
    try:
        user = crud.create_user(session=session, email=body.email, password=body.password)
        if invite is not None:
            invite.used_by = user.id
        session.commit()
    except IntegrityError:
        session.rollback()
        raise HTTPException(status.HTTP_409_CONFLICT, "an account with this email already exists") from None
    return UserPublic.model_validate(user)


@router.post(
    "/login",
    response_model=UserPublic,
    responses={**error(401, "wrong email or password"), **error(403, "the account is disabled"), **SIGN_IN_ERRORS},
)
def login(body: Credentials, request: Request, response: Response, session: SessionDep) -> UserPublic:
    """Check the credentials and set the `access_token` cookie (HttpOnly, SameSite=Lax)."""
    _limit(request, body.email, "login")
    user = crud.authenticate(session=session, email=body.email, password=body.password)
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "wrong email or password")
    if user.disabled_at is not None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, ACCOUNT_DISABLED)
    response.set_cookie(
        COOKIE_NAME,
        create_access_token(user.id),
        max_age=settings.access_token_minutes * 60,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    return UserPublic.model_validate(user)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(request: Request, response: Response) -> Response:
    """Clear the session cookie and revoke its token, so a copy of it no longer works either."""
    token = bearer_or_cookie(request)
    if token:
        revoke_access_token(token)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax", secure=_secure(request))
    response.status_code = status.HTTP_204_NO_CONTENT
    return response


@router.get("/me", response_model=UserPublic, responses=AUTHENTICATED)
def me(user: CurrentUser) -> UserPublic:
    """The logged-in user."""
    return UserPublic.model_validate(user)


@router.get("/webhook-secret", response_model=WebhookSecret, responses=AUTHENTICATED)
def webhook_secret(user: CurrentUser, session: SessionDep) -> WebhookSecret:
    """The secret your webhooks are signed with (Standard Webhooks), made on the first call."""
    secret = crud.webhook_secret(session=session, user_id=user.id)
    session.commit()
    return WebhookSecret(secret=secret)


@router.post("/webhook-secret", response_model=WebhookSecret, responses=AUTHENTICATED)
def rotate_webhook_secret(user: CurrentUser, session: SessionDep) -> WebhookSecret:
    """A new webhook secret: every message from now on (retries included) is signed with it."""
    secret = crud.webhook_secret(session=session, user_id=user.id, rotate=True)
    session.commit()
    return WebhookSecret(secret=secret)
