"""Celery signal receivers for the logs: Celery leaves logging to `app.core.logging`, and every line of a task
carries its task id, job id and the job owner's user id (every job task takes `job_id` first)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.core.db import get_engine
from app.core.logging import bind, setup_logging
from app.models import Job


def celery_setup_logging(loglevel: str | int | None = None, **_: object) -> None:
    """Receiver of `celery.signals.setup_logging`: Celery then leaves logging to us."""
    setup_logging(loglevel or "INFO")


def bind_task_job(
    task_id: str, args: tuple[Any, ...] = (), kwargs: Mapping[str, Any] | None = None, **_: object
) -> None:
    """Receiver of `task_prerun`: bind task id, job id and the job owner's user id for the task's lines."""
    job_id = (kwargs or {}).get("job_id") or (args[0] if args else None)
    fields = {"task_id": task_id}
    if job_id:
        fields["job_id"] = str(job_id)
        user_id = _job_owner(str(job_id))
        if user_id:
            fields["user_id"] = user_id
    bind(fields)


def unbind_task_job(**_: object) -> None:
    """Receiver of `task_postrun`."""
    bind({})


def _job_owner(job_id: str) -> str | None:
    try:
        with get_engine().connect() as connection:
            owner = connection.scalar(select(Job.user_id).where(Job.id == uuid.UUID(job_id)))
    except (ValueError, SQLAlchemyError):  # not a UUID, or the database is away: log without the user id
        return None
    return str(owner) if owner else None
