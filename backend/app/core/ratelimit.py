"""Sliding-window rate limits kept in Redis, shared by every API process."""

from __future__ import annotations

import time
import uuid

import redis

from app.core.events import redis_client

WINDOW_SECONDS = 60


def allow(key: str, *, limit: int, window_s: int = WINDOW_SECONDS) -> bool:
    """Count one hit on `key`; False while it has had more than `limit` hits in the last `window_s`.
    With Redis away the request is allowed (the password is still checked)."""
    now = time.time()
    bucket = f"scenelab:rl:{key}"
    try:
        pipe = redis_client().pipeline()
        pipe.zremrangebyscore(bucket, 0, now - window_s)
        pipe.zadd(bucket, {uuid.uuid4().hex: now})
        pipe.zcard(bucket)
        pipe.expire(bucket, window_s)
        hits = pipe.execute()[2]
    except redis.RedisError:
        return True
    return int(hits) <= limit
