"""Accounts from the command line: `python -m app.admin create-user|invite|list-users|disable-user`.

Under compose: `docker compose exec api python -m app.admin invite --url https://your.host`. Under `make run`, run it
from backend/ with the stack's DATABASE_URL and REDIS_URL (`make run` prints them).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import timedelta
from urllib.parse import quote

import redis
from pydantic import ValidationError

from app import crud
from app.core.config import settings
from app.core.db import session_scope
from app.core.security import end_sessions_of
from app.schemas import UserCreate


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        raise SystemExit("the passwords differ")
    return password


def create_user(args: argparse.Namespace) -> None:
    try:
        body = UserCreate(email=args.email, password=_password(args))
    except ValidationError as exc:
        raise SystemExit("; ".join(error["msg"] for error in exc.errors())) from None
    with session_scope() as session:
        if crud.get_user_by_email(session=session, email=body.email):
            raise SystemExit(f"{body.email} has an account already")
        user = crud.create_user(session=session, email=body.email, password=body.password)
        print(f"created {user.email} ({user.id})")


def invite(args: argparse.Namespace) -> None:
    with session_scope() as session:
        token, row = crud.create_invite(session=session, valid_for=timedelta(hours=args.hours))
    print(f"{args.url.rstrip('/')}/register?invite={quote(token)}")
    print(f"single use, valid until {row.expires_at:%Y-%m-%d %H:%M} UTC", file=sys.stderr)
    if settings.registration != "invite":
        note = f"note: REGISTRATION is {settings.registration!r}; the link is needed only while it is 'invite'"
        print(note, file=sys.stderr)


def list_users(args: argparse.Namespace) -> None:
    with session_scope() as session:
        users = crud.list_users(session=session)
    for user in users:
        state = f"disabled {user.disabled_at:%Y-%m-%d}" if user.disabled_at else "active"
        print(f"{user.email}\t{user.id}\tcreated {user.created_at:%Y-%m-%d}\t{state}")
    print(f"{len(users)} users", file=sys.stderr)


def disable_user(args: argparse.Namespace) -> None:
    with session_scope() as session:
        user = crud.disable_user(session=session, email=args.email)
        if user is None:
            raise SystemExit(f"no account for {args.email}")
    try:
        end_sessions_of(user.id)
    except redis.RedisError:
        print("Redis is unavailable: open live streams end when their login expires", file=sys.stderr)
    print(f"disabled {user.email}: it can no longer sign in, and its sessions stopped working")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m app.admin", description="Manage SceneLab accounts.")
    commands = root.add_subparsers(required=True, metavar="command")
    create = commands.add_parser("create-user", help="create an account (asks for the password)")
    create.add_argument("email")
    create.add_argument("--password-stdin", action="store_true", help="read the password from one line of stdin")
    create.set_defaults(run=create_user)
    link = commands.add_parser("invite", help="print a single-use sign-up link")
    link.add_argument("--url", default=f"http://{settings.api_host}:{settings.api_port}", help="the site's address")
    link.add_argument("--hours", type=float, default=72.0, help="how long the link stays valid (default 72)")
    link.set_defaults(run=invite)
    commands.add_parser("list-users", help="every account, oldest first").set_defaults(run=list_users)
    disable = commands.add_parser("disable-user", help="refuse the account's sign-in and end its sessions")
    disable.add_argument("email")
    disable.set_defaults(run=disable_user)
    return root


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main()
