"""Database engine and sessions."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.core.config import CELERY_PROCESS_CONNECTIONS, settings

# Connections this process may hold: an API process's share of DATABASE_MAX_CONNECTIONS unless `celery_process`
# said otherwise before the engine was made.
_pool = {"connections": settings.api_process_connections}


def celery_process() -> None:
    """Size this process's pool for a Celery process (one task at a time); before the first `get_engine`."""
    _pool["connections"] = CELERY_PROCESS_CONNECTIONS


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    connections = _pool["connections"]
    pool_size = max(1, connections // 2)  # kept open; the rest opened under load and closed after
    return create_engine(
        settings.sqlalchemy_url, pool_pre_ping=True, pool_size=pool_size, max_overflow=connections - pool_size
    )


def usable_server_connections() -> int:
    """How many connections PostgreSQL accepts from ordinary roles (max_connections less the reserved ones)."""
    query = (
        "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
        " - coalesce(current_setting('reserved_connections', true)::int, 0)"
    )
    with get_engine().connect() as connection:
        return int(connection.execute(text(query)).scalar_one())


def check_connection_budget() -> None:
    """Refuse to serve when DATABASE_MAX_CONNECTIONS is more than the server accepts: past it, connections fail
    under load instead of waiting for a free one in the pool."""
    usable = usable_server_connections()
    if settings.database_max_connections > usable:
        raise RuntimeError(
            f"DATABASE_MAX_CONNECTIONS={settings.database_max_connections} is more than the {usable} connections "
            "PostgreSQL accepts (max_connections less its reserved ones): lower it, or raise max_connections"
        )


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
