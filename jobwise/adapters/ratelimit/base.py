"""What every rate limiter and failure throttle promises, and the rules they share.

The limiter is a *sliding-window log*: a key may spend ``limit`` units within
any ``window_seconds``-long stretch of time. Each allowed unit is stamped with
its time; stamps older than the window fall out. Unlike fixed windows it never
lets a burst of 2 x limit through across a window boundary, and unlike GCRA or
a token bucket it is exact ("N per window", then refused) with a
``retry_after`` that is precisely when the oldest needed stamp falls out. Its
cost is one stamp per unit, so it suits limits in the hundreds, not millions.

The failure throttle (login attempts) uses the same log for failures and adds
an exponentially growing lock; see ``ThrottlePolicy``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

MAX_TRACKED_FAILURES = 100
"""A bound on memory per throttled key; past it the lock is long at its cap anyway."""


class RateLimiterUnavailable(Exception):
    """The backend (Redis) cannot be reached; the caller decides to fail open or closed."""


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    remaining: int
    """Units still available now (limiter), or failures left before a lock (throttle)."""
    retry_after: float
    """Seconds until a refused request could succeed; 0 when allowed."""

    @property
    def retry_after_header(self) -> str:
        """``Retry-After`` takes whole seconds; round up so a client never retries too soon."""
        return str(math.ceil(self.retry_after)) if self.retry_after > 0 else "0"


class RateLimiter(Protocol):
    async def hit(self, key: str, limit: int, window_seconds: float, cost: int = 1) -> Decision:
        """Spend ``cost`` units of ``key``'s ``limit`` per ``window_seconds``, if they are there.

        A refused hit spends nothing. Raises ``ValueError`` for impossible
        arguments (``cost`` above ``limit``, non-positive numbers) and
        ``RateLimiterUnavailable`` if the backend cannot be reached.
        """
        ...

    async def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    """After ``max_failures`` failures within ``window_seconds`` a key is locked.

    The lock lasts ``base_lock_seconds`` and doubles with every further failure
    inside the window (30 s, 60 s, 120 s, ...) up to ``max_lock_seconds``. A
    failure older than the window no longer counts, so a key that stays quiet
    long enough starts over.
    """

    max_failures: int = 5
    window_seconds: float = 15 * 60
    base_lock_seconds: float = 30
    max_lock_seconds: float = 15 * 60

    def __post_init__(self) -> None:
        if self.max_failures < 1:
            raise ValueError("max_failures must be at least 1")
        if min(self.window_seconds, self.base_lock_seconds) <= 0:
            raise ValueError("window_seconds and base_lock_seconds must be positive")
        if self.max_lock_seconds < self.base_lock_seconds:
            raise ValueError("max_lock_seconds must be at least base_lock_seconds")

    def lock_seconds(self, failures: int) -> float:
        """How long a key is locked right after its ``failures``-th recent failure."""
        if failures < self.max_failures:
            return 0.0
        # Capped exponent: 2**big would be a huge int for no benefit.
        doublings = min(failures - self.max_failures, 64)
        return float(min(self.base_lock_seconds * 2**doublings, self.max_lock_seconds))


@dataclass(frozen=True, slots=True)
class Attempt:
    """The answer to ``FailureThrottle.attempt``: may it go ahead, and its provisional failure."""

    decision: Decision
    token: str | None = None
    """Names the failure counted for this attempt; give it to ``forgive`` if it succeeds."""

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


class FailureThrottle(Protocol):
    """Locks a key (an account, an IP) out after repeated failures."""

    async def attempt(self, key: str) -> Attempt:
        """Check and count in one atomic step: refused while ``key`` is locked (and not
        counted); otherwise counted as a failure *before* the caller checks anything,
        so that however many attempts run at once, at most ``max_failures`` within the
        window are ever let through. A success takes its failure back with ``forgive``.
        """
        ...

    async def forgive(self, key: str, token: str) -> None:
        """Take back the failure ``attempt`` counted, and a lock that only it caused."""
        ...

    async def record_failure(self, key: str) -> Decision:
        """Count one failure now; the decision says whether the key is now locked."""
        ...

    async def check(self, key: str) -> Decision:
        """Allowed unless ``key`` is locked; then ``retry_after`` is the lock's remaining time."""
        ...

    async def reset(self, key: str) -> None:
        """Forget every failure and lock of ``key`` (after a successful login)."""
        ...

    async def close(self) -> None: ...


def check_hit(limit: int, window_seconds: float, cost: int) -> None:
    """Refuse arguments no request could ever satisfy."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    if window_seconds <= 0:
        raise ValueError("window_seconds must be positive")
    if not 1 <= cost <= limit:
        raise ValueError("cost must be between 1 and limit")
