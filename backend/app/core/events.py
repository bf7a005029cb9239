"""Job change events over Redis pub/sub, so any API process sees any worker's updates."""

from __future__ import annotations

import asyncio
import time
import uuid
import weakref
from collections.abc import AsyncIterator
from functools import lru_cache
from typing import Literal

import anyio
import redis
import redis.asyncio as aioredis
from pydantic import BaseModel

from app.core.config import settings


def channel(user_id: uuid.UUID) -> str:
    return f"scenelab:jobs:{user_id}"


@lru_cache(maxsize=1)
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.broker_url, socket_timeout=5, socket_connect_timeout=5)


def publish_job(user_id: uuid.UUID, job: BaseModel) -> None:
    """Send `job` (its API shape) to the owner's streams. Best effort: a lost event is recovered by the client's
    next fetch; the database holds the truth."""
    try:
        redis_client().publish(channel(user_id), job.model_dump_json())
    except redis.RedisError:
        pass


_async_clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aioredis.Redis] = weakref.WeakKeyDictionary()


def async_redis() -> aioredis.Redis:
    """The async client of the running event loop: one connection pool shared by every stream it serves."""
    loop = asyncio.get_running_loop()
    client = _async_clients.get(loop)
    if client is None:
        client = _async_clients[loop] = aioredis.Redis.from_url(
            settings.broker_url, socket_timeout=5, socket_connect_timeout=5
        )
    return client


async def job_events(user_id: uuid.UUID, *, keepalive_s: float) -> AsyncIterator[str | None]:
    """Yield each published job payload for `user_id`; None every `keepalive_s` without one."""
    pubsub = async_redis().pubsub()
    await pubsub.subscribe(channel(user_id))
    try:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=keepalive_s)
            yield message["data"].decode() if message else None
    finally:
        with anyio.CancelScope(shield=True):  # also when the client went away and the stream was cancelled
            await pubsub.aclose()  # its connection goes back to the pool


def _streams_key(user_id: uuid.UUID) -> str:
    return f"scenelab:streams:{user_id}"


ALL_STREAMS_KEY = "scenelab:streams:all"
StreamClaim = Literal["claimed", "user_full", "site_full"]


async def claim_stream(
    user_id: uuid.UUID, stream_id: str, *, limit: int, total_limit: int, stale_s: float
) -> StreamClaim:
    """Count an open event stream of the user and of the site, across API processes; not counted past `limit`
    (the user's) or `total_limit` (everyone's). A stream not refreshed for `stale_s` (its process died) no
    longer counts."""
    keys, now = (_streams_key(user_id), ALL_STREAMS_KEY), time.time()
    async with async_redis().pipeline() as pipe:
        for key in keys:
            pipe.zremrangebyscore(key, 0, now - stale_s)
            pipe.zadd(key, {stream_id: now})
            pipe.zcard(key)
            pipe.expire(key, int(stale_s) + 1)
        results = await pipe.execute()
    user_streams, all_streams = results[2], results[6]
    if user_streams <= limit and all_streams <= total_limit:
        return "claimed"
    await release_stream(user_id, stream_id)
    return "user_full" if user_streams > limit else "site_full"


async def refresh_stream(user_id: uuid.UUID, stream_id: str, *, stale_s: float) -> None:
    async with async_redis().pipeline() as pipe:
        for key in (_streams_key(user_id), ALL_STREAMS_KEY):
            pipe.zadd(key, {stream_id: time.time()})
            pipe.expire(key, int(stale_s) + 1)
        await pipe.execute()


async def release_stream(user_id: uuid.UUID, stream_id: str) -> None:
    """Best effort, and done even while the stream is being cancelled; a stream not released goes stale."""
    with anyio.CancelScope(shield=True):
        try:
            async with async_redis().pipeline() as pipe:
                pipe.zrem(_streams_key(user_id), stream_id)
                pipe.zrem(ALL_STREAMS_KEY, stream_id)
                await pipe.execute()
        except redis.RedisError:
            pass
