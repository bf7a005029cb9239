"""Database engine and sessions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import settings


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    return create_engine(settings.sqlalchemy_url, pool_pre_ping=True, pool_size=10, max_overflow=20)


@lru_cache(maxsize=1)
def _session_factory() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A session that commits on success and rolls back on error (workers, scripts)."""
    session = _session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


@contextmanager
def named_lock(name: str) -> Iterator[None]:
    """Hold a PostgreSQL advisory lock named `name` while the block runs, waiting for it: every process of every
    host that shares the database takes turns. Its two 32-bit keys (from the name's SHA-256) keep it apart from
    the jobs' 64-bit ones; it goes away with the connection if the process dies."""
    digest = hashlib.sha256(name.encode()).digest()
    keys = {"a": int.from_bytes(digest[:4], "big", signed=True), "b": int.from_bytes(digest[4:8], "big", signed=True)}
    with get_engine().connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:a, :b)"), keys)
        connection.commit()  # a session lock: no transaction stays open while the block runs
        try:
            yield
        finally:
            try:
                connection.execute(text("SELECT pg_advisory_unlock(:a, :b)"), keys)
                connection.commit()
            except OperationalError:
                pass  # the connection died (database restarted): the lock went away with it
