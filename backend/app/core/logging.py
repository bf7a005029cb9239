"""Logs for the api and the workers: JSON lines when `LOG_JSON` is true, readable lines otherwise.

Every line logged while a job is being handled carries its `job_id` and `user_id`: the worker binds them
around each task (`app.worker.task_logging`), the API binds the caller's user id and the job id of
`/api/jobs/{job_id}/...` paths around each request (`app.api.middleware.RequestLogContext`).

Example:
    >>> setup_logging()
    >>> with job_context(job_id="3f0c…", user_id="9a1e…"):
    ...     logging.getLogger("app").info("decoded %d images", 3)
    {"time": "…", "level": "INFO", "logger": "app", "message": "decoded 3 images", "job_id": "3f0c…", …}
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any

from app.core.config import settings

_context: ContextVar[Mapping[str, str]] = ContextVar("scenelab_log_context", default=MappingProxyType({}))
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
# (uvicorn's `color_message` repeats the message with terminal colours.)
_RECORD_FIELDS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "context", "taskName", "color_message"}
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s%(context)s: %(message)s"


class ContextFilter(logging.Filter):
    """Copy the bound context (job_id, user_id, task_id) onto each record passing the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        bound = _context.get()
        data = getattr(record, "data", None)  # Celery's "Task … received" line, logged before any task context
        if "job_id" not in bound and isinstance(data, dict) and (found := _UUID.search(str(data.get("args", "")))):
            bound = {**bound, "job_id": found.group(0)}
        for key, value in bound.items():
            setattr(record, key, value)
        record.context = f" [{' '.join(f'{key}={value}' for key, value in bound.items())}]" if bound else ""
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, process, the bound context, extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        line.update((key, value) for key, value in vars(record).items() if key not in _RECORD_FIELDS)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, default=str, ensure_ascii=False)


class _Handler(logging.StreamHandler):
    """Our root handler (told apart from handlers others installed), writing to the current `sys.stderr`."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def setup_logging(level: str | int = "INFO") -> None:
    """Send every logger's records through one stderr handler on the root logger. Safe to call again."""
    handler = _Handler()
    handler.setFormatter(JsonFormatter() if settings.log_json else logging.Formatter(TEXT_FORMAT))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Handler)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn and celery attach their own handlers; route them through ours instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access", "celery"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


@contextmanager
def job_context(**fields: str) -> Iterator[None]:
    """Add `fields` (job_id, user_id, …) to every line logged inside the block."""
    token = _context.set({**_context.get(), **fields})
    try:
        yield
    finally:
        _context.reset(token)


def bind(fields: Mapping[str, str]) -> None:
    """Replace the bound context with `fields` until the next `bind` (for code without a `with` block around
    it, such as Celery's task_prerun/task_postrun receivers)."""
    _context.set(MappingProxyType(dict(fields)))
