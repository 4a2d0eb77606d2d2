"""In-process rate limiting: one process's memory, for development and single-process runs.

Every method runs without awaiting anything, so on one event loop each hit is
atomic without a lock. Idle keys are swept now and then so that, say, one key
per client IP does not grow memory forever.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from jobwise.adapters.ratelimit.base import (
    MAX_TRACKED_FAILURES,
    Attempt,
    Decision,
    ThrottlePolicy,
    check_hit,
)

Clock = Callable[[], float]
"""Seconds on any monotonic scale; injectable so tests move time without sleeping."""

SWEEP_INTERVAL = 60.0


@dataclass(slots=True)
class _Log:
    """The stamps of one key, oldest first, and the window they were counted in."""

    window: float
    stamps: deque[float] = field(default_factory=deque)

    def prune(self, now: float) -> int:
        # A stamp exactly one window old is out: each counts for [t, t + window).
        while self.stamps and self.stamps[0] <= now - self.window:
            self.stamps.popleft()
        return len(self.stamps)

    def idle(self, now: float) -> bool:
        return not self.stamps or self.stamps[-1] <= now - self.window


class _Sweeper:
    """Drops idle entries of a dict at most once per ``SWEEP_INTERVAL``."""

    def __init__(self) -> None:
        self._next: float | None = None

    def due(self, now: float) -> bool:
        if self._next is not None and now < self._next:
            return False
        self._next = now + SWEEP_INTERVAL
        return True


class MemoryRateLimiter:
    """A sliding-window log per key (see ``jobwise.adapters.ratelimit.base``)."""

    def __init__(self, *, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self._logs: dict[str, _Log] = {}
        self._sweeper = _Sweeper()

    async def hit(self, key: str, limit: int, window_seconds: float, cost: int = 1) -> Decision:
        check_hit(limit, window_seconds, cost)
        now = self._clock()
        self._sweep(now)
        log = self._logs.setdefault(key, _Log(window_seconds))
        log.window = window_seconds
        used = log.prune(now)
        if used + cost > limit:
            # Enough of the oldest stamps must fall out to make room for ``cost``.
            freeing = log.stamps[used + cost - limit - 1]
            return Decision(False, limit - used, freeing + window_seconds - now)
        log.stamps.extend([now] * cost)
        return Decision(True, limit - used - cost, 0.0)

    async def close(self) -> None:
        self._logs.clear()

    def _sweep(self, now: float) -> None:
        if self._sweeper.due(now):
            for key in [k for k, log in self._logs.items() if log.idle(now)]:
                del self._logs[key]


@dataclass(slots=True)
class _Failures:
    log: _Log
    locked_until: float = float("-inf")


class MemoryFailureThrottle:
    """Counts failures per key in a sliding window and locks per ``ThrottlePolicy``."""

    def __init__(self, policy: ThrottlePolicy | None = None, *, clock: Clock = time.monotonic):
        self.policy = policy or ThrottlePolicy()
        self._clock = clock
        self._keys: dict[str, _Failures] = {}
        self._sweeper = _Sweeper()

    async def attempt(self, key: str) -> Attempt:
        # No await between the check and the count: atomic on one event loop.
        now = self._clock()
        state = self._keys.get(key)
        if state is not None:
            state.log.prune(now)
            refused = self._decision(state, now)
            if not refused.allowed:
                return Attempt(refused)
        stamp = self._count_failure(key, now)
        state = self._keys[key]
        remaining = max(0, self.policy.max_failures - len(state.log.stamps))
        return Attempt(Decision(True, remaining, 0.0), token=repr(stamp))

    async def forgive(self, key: str, token: str) -> None:
        state = self._keys.get(key)
        if state is None:
            return
        stamp = float(token)
        if stamp in state.log.stamps:
            state.log.stamps.remove(stamp)
        if len(state.log.stamps) < self.policy.max_failures:
            state.locked_until = float("-inf")

    async def record_failure(self, key: str) -> Decision:
        now = self._clock()
        self._count_failure(key, now)
        return self._decision(self._keys[key], now)

    def _count_failure(self, key: str, now: float) -> float:
        """Stamp one failure at ``now`` and lock as the policy says; returns the stamp."""
        self._sweep(now)
        state = self._keys.setdefault(key, _Failures(_Log(self.policy.window_seconds)))
        state.log.prune(now)
        # Equal stamps are interchangeable: ``forgive`` may take back any one of them.
        stamp = now
        state.log.stamps.append(stamp)
        if len(state.log.stamps) > MAX_TRACKED_FAILURES:
            state.log.stamps.popleft()
        lock = self.policy.lock_seconds(len(state.log.stamps))
        # ``max``: a failure never shortens a lock already in force.
        state.locked_until = max(state.locked_until, now + lock) if lock else state.locked_until
        return stamp

    async def check(self, key: str) -> Decision:
        now = self._clock()
        state = self._keys.get(key)
        if state is None:
            return Decision(True, self.policy.max_failures, 0.0)
        state.log.prune(now)
        return self._decision(state, now)

    async def reset(self, key: str) -> None:
        self._keys.pop(key, None)

    async def close(self) -> None:
        self._keys.clear()

    def _decision(self, state: _Failures, now: float) -> Decision:
        if now < state.locked_until:
            return Decision(False, 0, state.locked_until - now)
        return Decision(True, max(0, self.policy.max_failures - len(state.log.stamps)), 0.0)

    def _sweep(self, now: float) -> None:
        if self._sweeper.due(now):
            idle = [k for k, s in self._keys.items() if s.log.idle(now) and now >= s.locked_until]
            for key in idle:
                del self._keys[key]
