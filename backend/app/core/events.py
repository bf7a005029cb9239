"""Job change events over Redis pub/sub, so any API process sees any worker's updates."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from functools import lru_cache

import redis
import redis.asyncio as aioredis

from app.core.config import settings


def channel(user_id: uuid.UUID) -> str:
    return f"scenelab:jobs:{user_id}"


@lru_cache(maxsize=1)
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.broker_url, socket_timeout=5, socket_connect_timeout=5)


def publish_job(user_id: uuid.UUID, payload: str) -> None:
    """Best effort: a lost event is recovered by the client's next fetch; the database holds the truth."""
    try:
        redis_client().publish(channel(user_id), payload)
    except redis.RedisError:
        pass


async def job_events(user_id: uuid.UUID, *, keepalive_s: float = 15.0) -> AsyncIterator[str | None]:
    """Yield each published job payload for `user_id`; None every `keepalive_s` without one."""
    client = aioredis.Redis.from_url(settings.broker_url)
    pubsub = client.pubsub()
    await pubsub.subscribe(channel(user_id))
    try:
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=keepalive_s)
            yield message["data"].decode() if message else None
    finally:
        await pubsub.aclose()
        await client.aclose()
