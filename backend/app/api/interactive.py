"""Routes that answer with interactive work (`app.worker.interactive`): rate-limited per user, at most
`INTERACTIVE_MAX_PENDING` waiting across the site, each awaited on the event loop (no thread, no database
connection held) for up to `INTERACTIVE_TIMEOUT_S`."""

from __future__ import annotations

import base64
import json
import math
import time
import uuid
from functools import partial
from typing import Any

import anyio
from fastapi import HTTPException, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from redis import RedisError
from starlette.concurrency import run_in_threadpool

from app.core import ratelimit
from app.core.config import settings
from app.core.events import async_redis
from app.worker.interactive import interactive_task, reply_key

PENDING_KEY = "scenelab:interactive:pending"
INTERACTIVE_BUSY = (
    "no answer within `INTERACTIVE_TIMEOUT_S`, or `INTERACTIVE_MAX_PENDING` redraws and analyses are waiting "
    "already, or the task queue is away (with Retry-After)"
)
BUSY_RETRY_AFTER_S = 5
POLL_S = 2.0  # each wait on the reply is shorter than the Redis client's 5 s socket timeout
TIME_LIMIT_GRACE_S = 30  # past the soft limit, the worker process running it is killed


async def within_rate(kind: str, user_id: uuid.UUID, *, limit: int, what: str) -> None:
    """429 past `limit` requests of `kind` by the user in the last minute."""
    if not await run_in_threadpool(ratelimit.allow, f"{kind}:{user_id}", limit=limit):
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            f"more than {limit} {what} in a minute: wait a little",
            headers={"Retry-After": str(ratelimit.WINDOW_SECONDS)},
        )


def _busy(detail: str, retry_after_s: float = BUSY_RETRY_AFTER_S) -> HTTPException:
    return HTTPException(
        status.HTTP_503_SERVICE_UNAVAILABLE, detail, headers={"Retry-After": str(math.ceil(retry_after_s))}
    )


async def ask(name: str, **kwargs: Any) -> Response:
    """Run the interactive operation `name` on a worker and answer with its reply: the JSON body (200), its
    refusal (4xx, 422 with validation errors), or 503 with Retry-After when the site already has
    `INTERACTIVE_MAX_PENDING` requests waiting or no reply came within `INTERACTIVE_TIMEOUT_S`."""
    return _response(await _reply(name, kwargs))


async def ask_png(name: str, **kwargs: Any) -> Response:
    """`ask` for an operation whose body is a base64-encoded PNG: answered as the image."""
    reply = await _reply(name, kwargs)
    _response(reply)  # raises its refusal
    return Response(base64.b64decode(reply["body"]), media_type="image/png")


async def _reply(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    timeout_s, request_id = settings.interactive_timeout_s, uuid.uuid4().hex
    client = async_redis()
    try:
        if not await _claim(request_id, timeout_s):
            raise _busy("the server is busy with other redraws and analyses: try again in a few seconds")
        try:
            send = partial(
                interactive_task.apply_async,
                args=[name, reply_key(request_id), kwargs, math.ceil(timeout_s)],
                queue=settings.interactive_queue,
                expires=timeout_s,
                soft_time_limit=timeout_s,
                time_limit=timeout_s + TIME_LIMIT_GRACE_S,
            )
            await run_in_threadpool(send)  # kombu publishes synchronously
            reply = await _wait_for_reply(reply_key(request_id), timeout_s)
        finally:
            with anyio.CancelScope(shield=True):  # also when the client went away
                await client.zrem(PENDING_KEY, request_id)
    except (RedisError, OSError):
        raise _busy("the task queue is unavailable right now: try again in a few seconds") from None
    if reply is None:
        raise _busy(f"no answer within {timeout_s:g} s: the server is busy, try again later")
    return reply


async def _claim(request_id: str, timeout_s: float) -> bool:
    """Count one more waiting request, unless `INTERACTIVE_MAX_PENDING` are waiting already. A claim older
    than the timeout (its API process died) no longer counts."""
    now, client = time.time(), async_redis()
    async with client.pipeline() as pipe:
        pipe.zremrangebyscore(PENDING_KEY, 0, now - timeout_s - TIME_LIMIT_GRACE_S)
        pipe.zadd(PENDING_KEY, {request_id: now})
        pipe.zcard(PENDING_KEY)
        pipe.expire(PENDING_KEY, math.ceil(timeout_s) + TIME_LIMIT_GRACE_S)
        pending = (await pipe.execute())[2]
    if pending > settings.interactive_max_pending:
        await client.zrem(PENDING_KEY, request_id)
        return False
    return True


async def _wait_for_reply(key: str, timeout_s: float) -> dict[str, Any] | None:
    deadline, client = time.monotonic() + timeout_s, async_redis()
    while (remaining := deadline - time.monotonic()) > 0:
        popped = await client.blpop([key], timeout=min(remaining, POLL_S))
        if popped is not None:
            reply: dict[str, Any] = json.loads(popped[1])
            return reply
    return None


def _response(reply: dict[str, Any]) -> Response:
    code = reply["status"]
    if code == status.HTTP_200_OK:
        return Response(reply["body"], media_type="application/json")
    if code == status.HTTP_422_UNPROCESSABLE_CONTENT:
        raise RequestValidationError(reply["detail"])
    if code == status.HTTP_503_SERVICE_UNAVAILABLE:
        raise _busy(reply["detail"])
    raise HTTPException(code, reply["detail"])
