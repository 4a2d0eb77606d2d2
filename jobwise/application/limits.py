"""The allowances the handlers enforce before they write, and what spends them.

A registration spends one of its client address's hourly allowance; a generation one
of its user's (the monthly limit by tier is the ``GenerationQuota`` aggregate's rule).
The counts live in a ``RateLimiter`` (Redis when there is one), so every process
spends from the same allowance.
"""

from __future__ import annotations

from dataclasses import dataclass

from jobwise.adapters.ratelimit import RateLimiter
from jobwise.domain.errors import Throttled
from jobwise.settings import Settings, default_of

HOUR = 3600.0


@dataclass(frozen=True, slots=True)
class Limits:
    registrations_per_hour: int = default_of("registrations_per_hour")
    generations_per_hour: int = default_of("generations_per_hour")

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(settings.registrations_per_hour, settings.generations_per_hour)


async def spend_registration(limiter: RateLimiter, limits: Limits, address: str | None) -> None:
    """Refuse a registration past the hourly allowance of its client address."""
    await _spend(
        limiter,
        f"register:{address or 'unknown'}",
        limits.registrations_per_hour,
        "Too many accounts registered from this address; try again later.",
    )


async def spend_generation(limiter: RateLimiter, limits: Limits, user_id: str) -> None:
    """Spend one of the user's hourly generations, or refuse (``Throttled``)."""
    per_hour = limits.generations_per_hour
    await _spend(
        limiter,
        f"generations:{user_id}",
        per_hour,
        f"At most {per_hour} generations an hour; try again later.",
    )


async def _spend(limiter: RateLimiter, key: str, per_hour: int, refusal: str) -> None:
    decision = await limiter.hit(key, per_hour, HOUR)
    if not decision.allowed:
        raise Throttled(refusal, int(decision.retry_after_header), details={"per_hour": per_hour})
