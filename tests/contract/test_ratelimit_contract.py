"""The rate-limit contract: the same cases against the in-process and Redis backends.

Memory backends run on a fake clock, so "time passes" is instant and exact.
Redis backends use the server's own clock (read inside the Lua scripts), so
there time really passes: windows and locks are scaled down to fractions of a
second, and timing assertions allow ``slack`` for the round trips. The Redis
cases run against a real ``redis-server`` this module starts on its own port.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest
from redis.asyncio import Redis

from jobwise.ratelimit import (
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
from jobwise.ratelimit.memory import SWEEP_INTERVAL
from tests.support.redis_server import RedisServer, _free_port

FAST = ThrottlePolicy(
    max_failures=5, window_seconds=1.5, base_lock_seconds=0.2, max_lock_seconds=0.8
)
"""The default rule, scaled down so that the Redis cases wait well under two seconds."""
REDIS_TIMEOUT = 10.0


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


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with RedisServer() as server:
        yield server


# The Redis half waits on the server's real clock (seconds in all): the slow tier.
@pytest.fixture(
    params=["memory", pytest.param("redis", marks=[pytest.mark.redis, pytest.mark.slow])]
)
async def backend(request: pytest.FixtureRequest) -> AsyncIterator[Backend]:
    made: list[RateLimiter | FailureThrottle] = []

    def keep(thing: Closable) -> Closable:
        made.append(thing)
        return thing

    if request.param == "redis":
        url = request.getfixturevalue("redis_server").url
        yield Backend(
            # A client timeout a loaded machine cannot meet by accident (the default 1 s
            # failed a burst of 100 attempts under load): these cases are about the rules.
            limiter=lambda: keep(RedisRateLimiter(url, timeout=REDIS_TIMEOUT)),
            throttle=lambda policy: keep(RedisFailureThrottle(url, policy, timeout=REDIS_TIMEOUT)),
            advance=asyncio.sleep,
            slack=0.25,
        )
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
    decisions = [await limiter.hit(key, 3, 1.0) for _ in range(3)]
    assert [(d.allowed, d.remaining, d.retry_after) for d in decisions] == [
        (True, 2, 0.0),
        (True, 1, 0.0),
        (True, 0, 0.0),
    ]
    refused = await limiter.hit(key, 3, 1.0)
    assert_refused_for(refused, 1.0, backend.slack)
    assert refused.remaining == 0
    assert refused.retry_after > 0


async def test_a_refused_hit_spends_nothing(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    await limiter.hit(key, 1, 0.5)
    for _ in range(5):
        assert not (await limiter.hit(key, 1, 0.5)).allowed
    await backend.advance(0.5 + backend.slack)
    assert (await limiter.hit(key, 1, 0.5)).allowed


async def test_keys_are_independent(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    assert (await limiter.hit(key, 1, 60)).allowed
    assert not (await limiter.hit(key, 1, 60)).allowed
    assert (await limiter.hit(key + "-other", 1, 60)).allowed


async def test_once_the_window_passes_hits_are_allowed_again(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    for _ in range(2):
        await limiter.hit(key, 2, 0.5)
    refused = await limiter.hit(key, 2, 0.5)
    assert not refused.allowed
    await backend.advance(refused.retry_after + backend.slack / 5)
    assert (await limiter.hit(key, 2, 0.5)).allowed
    await backend.advance(0.5 + backend.slack / 5)
    assert (await limiter.hit(key, 2, 0.5)).remaining == 1  # a clean slate


async def test_the_window_slides(backend: Backend, key: str) -> None:
    limiter = backend.limiter()
    await limiter.hit(key, 2, 1.0)
    await backend.advance(0.5)
    await limiter.hit(key, 2, 1.0)
    await backend.advance(0.5 + backend.slack / 5)
    # The first stamp fell out, the second still counts: one place, not two.
    assert (await limiter.hit(key, 2, 1.0)).allowed
    refused = await limiter.hit(key, 2, 1.0)
    assert_refused_for(refused, 0.5 - backend.slack / 5, backend.slack)


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
    assert_refused_for(await throttle.record_failure(key), 0.2, backend.slack)
    locked = await throttle.check(key)
    assert_refused_for(locked, 0.2, backend.slack)
    assert locked.remaining == 0


async def test_each_further_failure_doubles_the_lock_up_to_the_cap(
    backend: Backend, key: str
) -> None:
    throttle = backend.throttle(FAST)
    for _ in range(4):
        await throttle.record_failure(key)
    for expected in (0.2, 0.4, 0.8, 0.8, 0.8):
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
    await backend.advance(0.2 + backend.slack / 5)
    assert await throttle.check(key) == Decision(True, 0, 0.0)
    assert_refused_for(await throttle.record_failure(key), 0.4, backend.slack)


async def test_failures_older_than_the_window_fall_out(backend: Backend, key: str) -> None:
    throttle = backend.throttle(FAST)
    for _ in range(5):
        await throttle.record_failure(key)
    await backend.advance(FAST.window_seconds + backend.slack / 5)
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
        assert_refused_for((await throttle.attempt(key)).decision, 0.2, backend.slack)
    await backend.advance(0.2 + backend.slack / 5)
    assert (await throttle.attempt(key)).allowed
    # The sixth failure locks for 0.4 s; had the ten refused ones counted, 0.8 s.
    assert_refused_for(await throttle.check(key), 0.4, backend.slack)


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
        await limiter.hit(key, 5, 2.0)
        for _ in range(5):
            await throttle.record_failure(key)
        assert 0 < await client.pttl(f"t:rl:{key}") <= 2000
        assert 0 < await client.pttl(f"t:th:{{{key}}}:failures") <= 1500
        assert 0 < await client.pttl(f"t:th:{{{key}}}:lock") <= 200
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
