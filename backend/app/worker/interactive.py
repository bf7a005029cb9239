"""Interactive work: computations a user waits for (a redraw, a footfall analysis), run by workers on a queue of
their own (`INTERACTIVE_QUEUE`), so they never wait behind hour-long jobs and never run in the API.

An operation is a function registered with `@operation(name)`: it takes JSON-able keyword arguments and returns
its answer's JSON body, or raises `Refused`. The API sends `scenelab.interactive` (the operation's name, a
reply key, the arguments) and awaits the reply that the task pushes to that Redis list (there is no result
backend): see `app.api.interactive.ask`. A reply is `{"status": 200, "body": "<json>"}` or
`{"status": <4xx/5xx>, "detail": <message, or validation errors for 422>}`.
"""

from __future__ import annotations

import errno
import json
import logging
import math
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis
from celery.exceptions import SoftTimeLimitExceeded

from app.core.events import redis_client
from app.worker.celery_app import celery_app

log = logging.getLogger(__name__)
TASK_NAME = "scenelab.interactive"
REPLY_PREFIX = "scenelab:reply:"
_DISK_ERRORS = {
    errno.ENOSPC: (507, "the results disk is full; nothing was saved"),
    errno.EDQUOT: (507, "the results disk quota is exceeded; nothing was saved"),
    errno.EFBIG: (507, "a result file is larger than the system allows; nothing was saved"),
    errno.EROFS: (503, "the results disk is read-only; nothing was saved"),
}

Operation = Callable[..., str]
OPERATIONS: dict[str, Operation] = {}
_deadline = math.inf  # time.time() when the route of the request this process runs stops waiting


class Refused(Exception):
    """An answer other than 200: its status code and detail (FastAPI's validation errors for a 422)."""

    def __init__(self, status_code: int, detail: str | list[dict[str, Any]]) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail


def operation(name: str) -> Callable[[Operation], Operation]:
    """Register an operation under `name` (what `ask` names)."""

    def register(function: Operation) -> Operation:
        OPERATIONS[name] = function
        return function

    return register


def seconds_left() -> float:
    """Seconds until the route of the running request stops waiting (inf outside one): bound any wait by it."""
    return _deadline - time.time()


def reply_key(request_id: str) -> str:
    return REPLY_PREFIX + request_id


def _answer(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    try:
        return {"status": 200, "body": OPERATIONS[name](**kwargs)}
    except Refused as exc:
        return {"status": exc.status_code, "detail": exc.detail}
    except SoftTimeLimitExceeded:
        return {"status": 503, "detail": "the server took too long over this; nothing was changed, try again later"}
    except OSError as exc:
        if exc.errno in _DISK_ERRORS:
            status, detail = _DISK_ERRORS[exc.errno]
            return {"status": status, "detail": detail}
        log.exception("interactive %s failed", name)
    except Exception:
        log.exception("interactive %s failed", name)
    return {"status": 500, "detail": "internal error; the operators' log has the details"}


# Acknowledged on receipt: a request that killed its worker (out of memory) is not delivered again. A request
# whose route stopped waiting (`expires`) is dropped unrun.
@celery_app.task(name=TASK_NAME, acks_late=False)
def interactive_task(name: str, reply_to: str, kwargs: dict[str, Any], reply_ttl_s: int) -> None:
    global _deadline
    expires = interactive_task.request.expires  # when the route stops waiting
    _deadline = datetime.fromisoformat(expires).timestamp() if expires else math.inf
    try:
        reply = json.dumps(_answer(name, kwargs))
    finally:
        _deadline = math.inf
    try:
        pipe = redis_client().pipeline()
        pipe.rpush(reply_to, reply)
        pipe.expire(reply_to, reply_ttl_s)
        pipe.execute()
    except redis.RedisError:
        log.warning("could not reply to interactive %s; its route answers 503 when it stops waiting", name)
