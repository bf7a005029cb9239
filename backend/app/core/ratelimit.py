"""Fixed-window rate limits kept in Redis, shared by every API process."""

from __future__ import annotations

import time

import redis

from app.core.events import redis_client


def allow(key: str, *, limit: int, window_s: int = 60) -> bool:
    """Count one hit on `key`; False once it has more than `limit` hits in the current window.
    With Redis away the request is allowed (the database still checks the password)."""
    bucket = f"scenelab:rl:{key}:{int(time.time()) // window_s}"
    try:
        pipe = redis_client().pipeline()
        pipe.incr(bucket)
        pipe.expire(bucket, window_s)
        hits = pipe.execute()[0]
    except redis.RedisError:
        return True
    return int(hits) <= limit
