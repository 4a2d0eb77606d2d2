"""The rate-limit contract: the same cases against the in-process and Redis backends.

Memory backends run on a fake clock, so "time passes" is instant and exact.
Redis backends read the server's own clock inside the Lua scripts, which a test
cannot set; so there "time passes" by ageing what the scripts stored instead
(``age_redis_keys``): every stamp, lock and TTL of the test's key is moved back
by the advanced time, instantly and exactly. The only real time left is round
trips, which can only shorten a measured ``retry_after``: assertions allow
``slack`` (5 s) for them, and every window and lock is long enough (10 s and
up) that the slack cannot blur what a case checks. The Redis cases run against
a real ``redis-server`` this module starts on its own port.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest
from redis.asyncio import Redis

from jobwise.adapters.ratelimit import (
    Decision,
    FailureThrottle,
    MemoryFailureThrottle,
    MemoryRateLimiter,
    RateLimiter,
    RateLimiterUnavailable,
    RedisFailureThrottle,
    RedisRateLimiter,
    ThrottlePolicy,
    create_failure_throttle,
    create_rate_limiter,
)
from jobwise.adapters.ratelimit.memory import SWEEP_INTERVAL
from tests.support.redis_server import RedisServer, _free_port

FAST = ThrottlePolicy(max_failures=5, window_seconds=60, base_lock_seconds=10, max_lock_seconds=40)
"""The default rule, scaled down so that a lock reaches its cap in three doublings."""
WINDOW = 60.0
"""The limiter's window in the cases that let time pass."""
REDIS_TIMEOUT = 10.0
REDIS_SLACK = 5.0
"""Real time a loaded machine may spend on round trips within one case."""

# KEYS[1] one key the scripts of jobwise.adapters.ratelimit.redis wrote; ARGV[1] microseconds.
# Stamps (zset scores) and locked-until (a string) are Redis TIME in microseconds:
# moving them back, and the key's TTL with them, is the same as that time passing.
_AGE = """
local key, us = KEYS[1], tonumber(ARGV[1])
local ttl = redis.call('PTTL', key)
local kind = redis.call('TYPE', key).ok
if kind == 'zset' then
  local stamps = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  for i = 1, #stamps, 2 do
    redis.call('ZADD', key, string.format('%.0f', tonumber(stamps[i + 1]) - us), stamps[i])
  end
elseif kind == 'string' then
  redis.call('SET', key, string.format('%.0f', tonumber(redis.call('GET', key)) - us))
end
if ttl >= 0 then
  local left = ttl - us / 1000
  if left <= 0 then redis.call('DEL', key) else redis.call('PEXPIRE', key, math.ceil(left)) end
end
return kind
"""


Closable = TypeVar("Closable", RateLimiter, FailureThrottle)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Backend:
    """One backend under test; each ``limiter()`` is a new client, as if in another process."""

    limiter: Callable[[], RateLimiter]
    throttle: Callable[[ThrottlePolicy], FailureThrottle]
    advance: Callable[[float], Awaitable[None]]
    slack: float
    """How much real time a Redis round trip may eat from a measured ``retry_after``."""


async def age_redis_keys(client: Redis, key: str, seconds: float) -> None:
    """Make ``seconds`` pass for every Redis key holding ``key`` (``key-other`` too)."""
    # Test keys are "test-" and hex: nothing in them is special to a SCAN pattern.
    script = client.register_script(_AGE)
    names = [name async for name in client.scan_iter(match=f"*{key}*", count=1000)]
    for name in names:
        kind = await script(keys=[name], args=[round(seconds * 1_000_000)])
        assert kind in (b"zset", b"string", b"none"), (name, kind)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def backend(request: pytest.FixtureRequest, key: str) -> AsyncIterator[Backend]:
    made: list[RateLimiter | FailureThrottle] = []

    def keep(thing: Closable) -> Closable:
        made.append(thing)
        return thing

    if request.param == "redis":
        url = request.getfixturevalue("redis_server").url
        ager = Redis.from_url(url, socket_timeout=REDIS_TIMEOUT)

        async def age(seconds: float) -> None:
            await age_redis_keys(ager, key, seconds)

        yield Backend(
            # A client timeout a loaded machine cannot meet by accident (the default 1 s
            # failed a burst of 100 attempts under load): these cases are about the rules.
            limiter=lambda: keep(RedisRateLimiter(url, timeout=REDIS_TIMEOUT)),
            throttle=lambda policy: keep(RedisFailureThrottle(url, policy, timeout=REDIS_TIMEOUT)),
            advance=age,
            slack=REDIS_SLACK,
        )
        await ager.aclose()
    else:
        clock = FakeClock()
        # In-process state cannot cross processes: one instance stands for "the process".
        shared = MemoryRateLimiter(clock=clock)
        throttles: dict[ThrottlePolicy, MemoryFailureThrottle] = {}

        def throttle(policy: ThrottlePolicy) -> FailureThrottle:
            made = throttles.setdefault(policy, MemoryFailureThrottle(policy, clock=clock))
            return keep(made)

        async def advance(seconds: float) -> None:
            clock.now += seconds

        yield Backend(
            limiter=lambda: keep(shared),
            throttle=throttle,
            advance=advance,
            slack=0.0,
        )
    for thing in {id(t): t for t in made}.values():
        await thing.close()


@pytest.fixture
def key() -> str:
    # Unique per test: the module's Redis outlives each test.
    return f"test-{uuid.uuid4().hex}"


def assert_refused_for(decision: Decision, seconds: float, slack: float) -> None:
    assert not decision.allowed
    assert seconds - slack - 1e-9 <= decision.retry_after <= seconds + 1e-9, decision


# -- the limiter ---------------------------------------------------------------------


async def test_allows_limit_hits_then_refuses_with_retry_after(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    decisions = [await limiter.hit(key, 3, WINDOW) for _ in range(3)]
    assert [(d.allowed, d.remaining, d.retry_after) for d in decisions] == [
        (True, 2, 0.0),
        (True, 1, 0.0),
        (True, 0, 0.0),
    ]
    refused = await limiter.hit(key, 3, WINDOW)
    assert_refused_for(refused, WINDOW, backend.slack)
    assert refused.remaining == 0
    assert refused.retry_after > 0


async def test_a_refused_hit_spends_nothing(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    await limiter.hit(key, 1, WINDOW)
    # Refused half a window later: had they been stamped, they would still count
    # once the allowed hit has fallen out.
    await backend.advance(WINDOW / 2)
    for _ in range(5):
        assert not (await limiter.hit(key, 1, WINDOW)).allowed
    await backend.advance(WINDOW / 2)
    assert (await limiter.hit(key, 1, WINDOW)).allowed


async def test_keys_are_independent(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    assert (await limiter.hit(key, 1, 60)).allowed
    assert not (await limiter.hit(key, 1, 60)).allowed
    assert (await limiter.hit(key + "-other", 1, 60)).allowed


async def test_once_the_window_passes_hits_are_allowed_again(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    for _ in range(2):
        await limiter.hit(key, 2, WINDOW)
    refused = await limiter.hit(key, 2, WINDOW)
    assert not refused.allowed
    await backend.advance(refused.retry_after)
    assert (await limiter.hit(key, 2, WINDOW)).allowed
    await backend.advance(WINDOW)
    assert (await limiter.hit(key, 2, WINDOW)).remaining == 1  # a clean slate


async def test_the_window_slides(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    await limiter.hit(key, 2, WINDOW)
    await backend.advance(WINDOW / 2)
    await limiter.hit(key, 2, WINDOW)
    await backend.advance(WINDOW / 2)
    # The first stamp fell out, the second still counts (for half a window): one place.
    assert (await limiter.hit(key, 2, WINDOW)).allowed
    refused = await limiter.hit(key, 2, WINDOW)
    assert_refused_for(refused, WINDOW / 2, backend.slack)


async def test_cost_spends_several_units_at_once(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    assert (await limiter.hit(key, 5, 60, cost=3)).remaining == 2
    too_much = await limiter.hit(key, 5, 60, cost=3)
    assert_refused_for(too_much, 60, backend.slack)
    assert too_much.remaining == 2
    assert (await limiter.hit(key, 5, 60, cost=2)).remaining == 0


@pytest.mark.parametrize(
    ("limit", "window", "cost"), [(0, 1.0, 1), (5, 0.0, 1), (5, -1.0, 1), (5, 1.0, 0), (5, 1.0, 6)]
)
async def test_impossible_arguments_are_refused(
    backend: Backend, key: str, limit: int, window: float, cost: int
) -> None:
    with pytest.raises(ValueError):
        await backend.limiter().hit(key, limit, window, cost)


async def test_two_clients_share_the_count(backend: Backend, key: str) -> None:
    first, second = backend.limiter(), backend.limiter()
    assert (await first.hit(key, 2, 60)).allowed
    assert (await second.hit(key, 2, 60)).allowed
    assert not (await first.hit(key, 2, 60)).allowed
    assert not (await second.hit(key, 2, 60)).allowed


async def test_concurrent_hits_allow_exactly_the_limit(backend: Backend, key: str) -> None:
    clients = [backend.limiter(), backend.limiter()]
    decisions = await asyncio.gather(*(clients[n % 2].hit(key, 10, 60) for n in range(50)))
    assert sum(d.allowed for d in decisions) == 10
    assert sorted(d.remaining for d in decisions if d.allowed) == list(range(10))


async def test_a_burst_larger_than_a_connection_pool_is_served(backend: Backend, key: str) -> None:
    # One process checking more requests at once than a Redis client pool holds
    # connections (redis-py's default is 100): they wait for one instead of failing.
    limiter = backend.limiter()
    decisions = await asyncio.gather(*(limiter.hit(key, 1000, 60) for _ in range(300)))
    assert all(d.allowed for d in decisions)
    assert sorted(d.remaining for d in decisions) == list(range(700, 1000))


def test_retry_after_header_rounds_up() -> None:
    assert Decision(False, 0, 0.2).retry_after_header == "1"
    assert Decision(False, 0, 30.0).retry_after_header == "30"
    assert Decision(True, 3, 0.0).retry_after_header == "0"


# -- the failure throttle ------------------------------------------------------------


async def test_a_key_is_locked_after_five_failures(backend: Backend, key: str) -> None:
    throttle = backend.throttle(FAST)
    assert await throttle.check(key) == Decision(True, 5, 0.0)
    for left in (4, 3, 2, 1):
        assert await throttle.record_failure(key) == Decision(True, left, 0.0)
    assert await throttle.check(key) == Decision(True, 1, 0.0)
    assert_refused_for(await throttle.record_failure(key), 10, backend.slack)
    locked = await throttle.check(key)
    assert_refused_for(locked, 10, backend.slack)
    assert locked.remaining == 0


async def test_each_further_failure_doubles_the_lock_up_to_the_cap(
    backend: Backend, key: str
) -> None:
    throttle = backend.throttle(FAST)
    for _ in range(4):
        await throttle.record_failure(key)
    for expected in (10, 20, 40, 40, 40):
        assert_refused_for(await throttle.record_failure(key), expected, backend.slack)


async def test_the_default_policy_locks_30_60_120_seconds_capped_at_15_minutes(
    backend: Backend, key: str
) -> None:
    throttle = backend.throttle(ThrottlePolicy())
    for _ in range(4):
        await throttle.record_failure(key)
    for expected in (30, 60, 120, 240, 480, 900, 900):
        assert_refused_for(await throttle.record_failure(key), expected, backend.slack)


async def test_the_lock_ends_but_the_next_failure_locks_again_for_longer(
    backend: Backend, key: str
) -> None:
    throttle = backend.throttle(FAST)
    for _ in range(5):
        await throttle.record_failure(key)
    await backend.advance(FAST.base_lock_seconds)
    assert await throttle.check(key) == Decision(True, 0, 0.0)
    assert_refused_for(await throttle.record_failure(key), 20, backend.slack)


async def test_failures_older_than_the_window_fall_out(backend: Backend, key: str) -> None:
    throttle = backend.throttle(FAST)
    for _ in range(5):
        await throttle.record_failure(key)
    await backend.advance(FAST.window_seconds)
    assert await throttle.check(key) == Decision(True, 5, 0.0)
    assert (await throttle.record_failure(key)).allowed


async def test_reset_clears_failures_and_lock(backend: Backend, key: str) -> None:
    throttle = backend.throttle(FAST)
    for _ in range(6):
        await throttle.record_failure(key)
    assert not (await throttle.check(key)).allowed
    await throttle.reset(key)
    assert await throttle.check(key) == Decision(True, 5, 0.0)
    assert (await throttle.record_failure(key)).remaining == 4


async def test_throttled_keys_are_independent(backend: Backend, key: str) -> None:
    throttle = backend.throttle(FAST)
    for _ in range(5):
        await throttle.record_failure(key)
    assert not (await throttle.check(key)).allowed
    assert (await throttle.check(key + "-other")).allowed


async def test_concurrent_failures_from_two_clients_all_count(backend: Backend, key: str) -> None:
    first, second = backend.throttle(ThrottlePolicy()), backend.throttle(ThrottlePolicy())
    await asyncio.gather(*((first, second)[n % 2].record_failure(key) for n in range(5)))
    assert_refused_for(await first.check(key), 30, backend.slack)
    assert_refused_for(await second.check(key), 30, backend.slack)


async def test_concurrent_attempts_let_through_at_most_max_failures(
    backend: Backend, key: str
) -> None:
    """Counted before they are checked: a burst of 100 guesses from two processes gets 5."""
    first, second = backend.throttle(ThrottlePolicy()), backend.throttle(ThrottlePolicy())
    attempts = await asyncio.gather(*((first, second)[n % 2].attempt(key) for n in range(100)))
    assert sum(attempt.allowed for attempt in attempts) == 5
    assert all(attempt.token is None for attempt in attempts if not attempt.allowed)
    assert_refused_for(await first.check(key), 30, backend.slack)


async def test_an_attempt_while_locked_is_refused_and_not_counted(
    backend: Backend, key: str
) -> None:
    throttle = backend.throttle(FAST)
    for left in (4, 3, 2, 1, 0):
        attempt = await throttle.attempt(key)
        assert attempt.allowed and attempt.decision.remaining == left
    for _ in range(10):
        assert_refused_for((await throttle.attempt(key)).decision, 10, backend.slack)
    await backend.advance(FAST.base_lock_seconds)
    assert (await throttle.attempt(key)).allowed
    # The sixth failure locks for 20 s; had the ten refused ones counted, 40 s.
    assert_refused_for(await throttle.check(key), 20, backend.slack)


async def test_a_forgiven_attempt_takes_back_its_failure_and_its_lock(
    backend: Backend, key: str
) -> None:
    throttle = backend.throttle(FAST)
    attempt = await throttle.attempt(key)
    assert attempt.token is not None
    await throttle.forgive(key, attempt.token)
    assert await throttle.check(key) == Decision(True, 5, 0.0)

    for _ in range(4):
        await throttle.attempt(key)
    fifth = await throttle.attempt(key)
    assert fifth.allowed and not (await throttle.check(key)).allowed
    assert fifth.token is not None
    await throttle.forgive(key, fifth.token)
    assert await throttle.check(key) == Decision(True, 1, 0.0)


def test_lock_seconds_follows_the_rule() -> None:
    policy = ThrottlePolicy()
    assert [policy.lock_seconds(n) for n in range(1, 12)] == [
        0,
        0,
        0,
        0,
        30,
        60,
        120,
        240,
        480,
        900,
        900,
    ]
    assert policy.lock_seconds(10_000) == 900


@pytest.mark.parametrize(
    "arguments",
    [
        {"max_failures": 0},
        {"window_seconds": 0},
        {"base_lock_seconds": -1},
        {"base_lock_seconds": 60, "max_lock_seconds": 30},
    ],
)
def test_impossible_policies_are_refused(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        ThrottlePolicy(**arguments)  # type: ignore[arg-type]


# -- backend specifics ---------------------------------------------------------------


async def test_memory_backends_forget_idle_keys() -> None:
    clock = FakeClock()
    limiter, throttle = MemoryRateLimiter(clock=clock), MemoryFailureThrottle(clock=clock)
    for n in range(100):
        await limiter.hit(f"ip-{n}", 10, 1.0)
        await throttle.record_failure(f"user-{n}")
    clock.now += max(SWEEP_INTERVAL, ThrottlePolicy().window_seconds) + 1
    await limiter.hit("ip-new", 10, 1.0)
    await throttle.record_failure("user-new")
    assert len(limiter._logs) == 1
    assert len(throttle._keys) == 1


@pytest.mark.redis
async def test_redis_keys_expire_with_their_window(redis_server: RedisServer, key: str) -> None:
    limiter = RedisRateLimiter(redis_server.url, prefix="t:rl:")
    throttle = RedisFailureThrottle(redis_server.url, FAST, prefix="t:th:")
    client = Redis.from_url(redis_server.url)
    try:
        await limiter.hit(key, 5, 30.0)
        for _ in range(5):
            await throttle.record_failure(key)
        # Three different lifetimes, each within the round trips' slack of its own.
        for name, seconds in [
            (f"t:rl:{key}", 30.0),
            (f"t:th:{{{key}}}:failures", FAST.window_seconds),
            (f"t:th:{{{key}}}:lock", FAST.base_lock_seconds),
        ]:
            ttl = await client.pttl(name) / 1000
            assert seconds - REDIS_SLACK < ttl <= seconds, (name, ttl)
    finally:
        await client.aclose()
        await limiter.close()
        await throttle.close()


async def test_an_unreachable_redis_raises_unavailable() -> None:
    url = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    limiter, throttle = RedisRateLimiter(url, timeout=0.5), RedisFailureThrottle(url, timeout=0.5)
    try:
        with pytest.raises(RateLimiterUnavailable):
            await limiter.hit("k", 1, 1.0)
        for attempt in (throttle.check, throttle.record_failure, throttle.reset):
            with pytest.raises(RateLimiterUnavailable):
                await attempt("k")
    finally:
        await limiter.close()
        await throttle.close()


def test_the_factories_pick_the_backend() -> None:
    assert isinstance(create_rate_limiter(None), MemoryRateLimiter)
    assert isinstance(create_rate_limiter(""), MemoryRateLimiter)
    assert isinstance(create_rate_limiter("redis://127.0.0.1:1/0"), RedisRateLimiter)
    assert isinstance(create_failure_throttle(None), MemoryFailureThrottle)
    assert isinstance(create_failure_throttle("redis://127.0.0.1:1/0"), RedisFailureThrottle)
    assert create_failure_throttle(None, FAST).policy == FAST  # type: ignore[attr-defined]
