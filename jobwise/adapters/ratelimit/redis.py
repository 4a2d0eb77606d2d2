"""Rate limiting shared by every process through Redis (``REDIS_URL``).

Each decision is one Lua script, which Redis runs atomically: concurrent hits
from any number of processes see each other's stamps, so "limit" means the
same across the fleet. Time is the Redis server's ``TIME``, read inside the
script, so app servers with drifting clocks still agree on every window.

A key's stamps live in a sorted set (score = microseconds since the epoch, an
integer a Lua double holds exactly); keys expire one window after their last
stamp, so idle keys cost nothing.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import ExponentialBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import RedisError, ResponseError

from jobwise.adapters.ratelimit.base import (
    MAX_TRACKED_FAILURES,
    Attempt,
    Decision,
    RateLimiterUnavailable,
    ThrottlePolicy,
    check_hit,
)
from jobwise.adapters.redis_pool import pooled_client

MICROS = 1_000_000

# Shared by both scripts. Stamps are members as well as scores; two stamps in
# the same microsecond get the next free one, a drift of a microsecond.
_PRELUDE = """
local function now_us()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local function stamp(key, at, count)
  local member
  for _ = 1, count do
    while redis.call('ZSCORE', key, string.format('%.0f', at)) do at = at + 1 end
    member = string.format('%.0f', at)
    redis.call('ZADD', key, at, member)
  end
  return member
end
local function expire_after(key, us)
  redis.call('PEXPIRE', key, math.ceil(us / 1000))
end
"""

# KEYS[1] stamps; ARGV limit, window (us), cost -> {allowed, remaining, retry_after (us)}
_HIT = (
    _PRELUDE
    + """
local key, limit, window, cost = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local now = now_us()
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local used = redis.call('ZCARD', key)
if used + cost > limit then
  local rank = used + cost - limit - 1
  local freeing = redis.call('ZRANGE', key, rank, rank, 'WITHSCORES')
  -- Capped: a stamp bumped a microsecond into the future must not exceed the window.
  return {0, limit - used, math.min(tonumber(freeing[2]) + window - now, window)}
end
stamp(key, now, cost)
expire_after(key, window)
return {1, limit - used - cost, 0}
"""
)

# KEYS[1] failure stamps, KEYS[2] lock (holds locked-until, us)
# ARGV mode, window, max failures, base lock, max lock (us), max tracked; mode is
# 'record' (count a failure), 'check', or 'attempt' (refuse if locked, else count)
# -> {allowed, remaining, retry_after (us), stamp}; the lock rule mirrors ThrottlePolicy.
_THROTTLE = (
    _PRELUDE
    + """
local failures, lock, mode = KEYS[1], KEYS[2], ARGV[1]
local window, max_failures = tonumber(ARGV[2]), tonumber(ARGV[3])
local base_lock, max_lock, keep = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local now = now_us()
redis.call('ZREMRANGEBYSCORE', failures, '-inf', now - window)
local locked_until = tonumber(redis.call('GET', lock) or '0')
if mode == 'attempt' and locked_until > now then return {0, 0, locked_until - now, ''} end
local member = ''
if mode == 'record' or mode == 'attempt' then
  member = stamp(failures, now, 1)
  local extra = redis.call('ZCARD', failures) - keep
  if extra > 0 then redis.call('ZREMRANGEBYRANK', failures, 0, extra - 1) end
  expire_after(failures, window)
  local count = redis.call('ZCARD', failures)
  if count >= max_failures then
    local lock_for = math.min(base_lock * 2 ^ math.min(count - max_failures, 64), max_lock)
    if now + lock_for > locked_until then
      locked_until = now + lock_for
      redis.call('SET', lock, string.format('%.0f', locked_until), 'PX', math.ceil(lock_for / 1000))
    end
  end
end
local remaining = math.max(0, max_failures - redis.call('ZCARD', failures))
if mode == 'attempt' then return {1, remaining, 0, member} end
if locked_until > now then return {0, 0, locked_until - now, member} end
return {1, remaining, 0, member}
"""
)

# KEYS[1] failure stamps, KEYS[2] lock; ARGV stamp, max failures: an attempt that
# succeeded takes back its failure, and the lock too once below the threshold.
_FORGIVE = """
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then redis.call('DEL', KEYS[2]) end
return 1
"""

# What an unreachable or hanging Redis looks like from redis-py and asyncio.
_LOST = (RedisError, OSError, TimeoutError)


def _client(url: str, timeout: float) -> Redis:
    # Short timeouts and few retries: a rate-limit check sits in front of every
    # request, so a Redis outage must surface in well under a second.
    return pooled_client(
        url,
        timeout=timeout,
        socket_connect_timeout=timeout,
        socket_timeout=timeout,
        retry=Retry(ExponentialBackoff(cap=0.25, base=0.05), retries=2),
    )


def _decision(reply: list[Any]) -> Decision:
    allowed, remaining, retry_us = (int(value) for value in reply[:3])
    return Decision(bool(allowed), remaining, retry_us / MICROS)


def _micros(seconds: float) -> int:
    return max(1, math.ceil(seconds * MICROS))


class _RedisScripts:
    """One client and its scripts; every call bounded by ``timeout``."""

    def __init__(self, url: str, timeout: float) -> None:
        self._client = _client(url, timeout)
        self._timeout = timeout

    async def run(self, script: AsyncScript, keys: list[str], args: list[int | str]) -> Decision:
        return _decision(await self.call(script, keys, args))

    async def call(self, script: AsyncScript, keys: list[str], args: list[int | str]) -> Any:
        try:
            async with asyncio.timeout(self._timeout):
                return await script(keys=keys, args=args)
        except ResponseError:
            raise  # A bug in a script, not an outage: never hide it as one.
        except _LOST as error:
            raise RateLimiterUnavailable(f"redis rate limiter: {error!r}") from error

    def register(self, source: str) -> AsyncScript:
        return self._client.register_script(source)

    async def delete(self, *keys: str) -> None:
        try:
            async with asyncio.timeout(self._timeout):
                await self._client.delete(*keys)
        except _LOST as error:
            raise RateLimiterUnavailable(f"redis rate limiter: {error!r}") from error

    async def close(self) -> None:
        await self._client.aclose()


class RedisRateLimiter:
    """The sliding-window log of ``jobwise.adapters.ratelimit.base``, shared through Redis."""

    def __init__(
        self, url: str, *, prefix: str = "jobwise:ratelimit:", timeout: float = 1.0
    ) -> None:
        self._redis = _RedisScripts(url, timeout)
        self._script = self._redis.register(_HIT)
        self._prefix = prefix

    async def hit(self, key: str, limit: int, window_seconds: float, cost: int = 1) -> Decision:
        check_hit(limit, window_seconds, cost)
        window = _micros(window_seconds)
        decision = await self._redis.run(self._script, [self._prefix + key], [limit, window, cost])
        return decision

    async def close(self) -> None:
        await self._redis.close()


class RedisFailureThrottle:
    """``ThrottlePolicy`` enforced across processes; the lock is one Redis key with a TTL."""

    def __init__(
        self,
        url: str,
        policy: ThrottlePolicy | None = None,
        *,
        prefix: str = "jobwise:throttle:",
        timeout: float = 1.0,
    ) -> None:
        self.policy = policy or ThrottlePolicy()
        self._redis = _RedisScripts(url, timeout)
        self._script = self._redis.register(_THROTTLE)
        self._forgive = self._redis.register(_FORGIVE)
        self._prefix = prefix

    async def attempt(self, key: str) -> Attempt:
        reply = await self._redis.call(self._script, self._keys(key), self._args("attempt"))
        token = reply[3].decode() if isinstance(reply[3], bytes) else str(reply[3])
        return Attempt(_decision(reply), token or None)

    async def forgive(self, key: str, token: str) -> None:
        await self._redis.call(self._forgive, self._keys(key), [token, self.policy.max_failures])

    async def record_failure(self, key: str) -> Decision:
        return await self._redis.run(self._script, self._keys(key), self._args("record"))

    async def check(self, key: str) -> Decision:
        return await self._redis.run(self._script, self._keys(key), self._args("check"))

    async def reset(self, key: str) -> None:
        await self._redis.delete(*self._keys(key))

    async def close(self) -> None:
        await self._redis.close()

    def _args(self, mode: str) -> list[int | str]:
        policy = self.policy
        return [
            mode,
            _micros(policy.window_seconds),
            policy.max_failures,
            _micros(policy.base_lock_seconds),
            _micros(policy.max_lock_seconds),
            MAX_TRACKED_FAILURES,
        ]

    def _keys(self, key: str) -> list[str]:
        # One hash tag for both, so they land in the same slot on a Redis Cluster.
        base = f"{self._prefix}{{{key}}}"
        return [f"{base}:failures", f"{base}:lock"]
