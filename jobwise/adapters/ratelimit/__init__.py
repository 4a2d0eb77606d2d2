"""Rate limiting: Redis when ``REDIS_URL`` is set, else in-process.

``RateLimiter.hit`` answers "may this key spend another unit now?" (a
sliding-window log); ``FailureThrottle`` locks a key out, with exponential
backoff, after repeated failures such as wrong passwords. With Redis, every
process shares the same counts; in-process, each process counts on its own.
"""

from jobwise.adapters.ratelimit.base import (
    Attempt,
    Decision,
    FailureThrottle,
    RateLimiter,
    RateLimiterUnavailable,
    ThrottlePolicy,
)
from jobwise.adapters.ratelimit.memory import MemoryFailureThrottle, MemoryRateLimiter
from jobwise.adapters.ratelimit.redis import RedisFailureThrottle, RedisRateLimiter


def create_rate_limiter(redis_url: str | None) -> RateLimiter:
    """A Redis limiter for ``redis_url``, or an in-process one when it is None or empty.

    Nothing connects here: the first hit does.
    """
    if redis_url:
        return RedisRateLimiter(redis_url)
    return MemoryRateLimiter()


def create_failure_throttle(
    redis_url: str | None, policy: ThrottlePolicy | None = None
) -> FailureThrottle:
    """A Redis throttle for ``redis_url``, or an in-process one when it is None or empty."""
    if redis_url:
        return RedisFailureThrottle(redis_url, policy)
    return MemoryFailureThrottle(policy)


__all__ = [
    "Attempt",
    "Decision",
    "FailureThrottle",
    "MemoryFailureThrottle",
    "MemoryRateLimiter",
    "RateLimiter",
    "RateLimiterUnavailable",
    "RedisFailureThrottle",
    "RedisRateLimiter",
    "ThrottlePolicy",
    "create_failure_throttle",
    "create_rate_limiter",
]
