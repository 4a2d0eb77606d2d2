"""The monthly generation quota: one stream per user and calendar month (UTC).

Each generation requested is counted on the stream of its month, and refunded there
if it ends without a document (failed or cancelled). The count is checked against the
tier's ``generations_limit`` when the use is recorded, and the event store's unique
``(stream, version)`` makes that check hold under concurrency: two requests that read
the same count race for the same next version, and only one append wins (the other is
retried on the fresh count, and refused once the month is used up). No read model is
consulted, and no counter is read, compared and written separately.
"""

from __future__ import annotations

from datetime import UTC, datetime

from jobwise.domain.aggregate import Aggregate
from jobwise.domain.errors import Throttled
from jobwise.domain.events import DomainEvent

STREAM_TYPE = "generation_quota"


def period_of(moment: datetime) -> str:
    """The calendar month (UTC) a moment falls in: ``"2026-11"``."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def previous_period(period: str) -> str:
    year, month = (int(part) for part in period.split("-"))
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def seconds_to_next_period(now: datetime) -> int:
    """Whole seconds until the first instant of next month (UTC), at least 1."""
    moment = now.astimezone(UTC)
    year, month = (moment.year + 1, 1) if moment.month == 12 else (moment.year, moment.month + 1)
    start = datetime(year, month, 1, tzinfo=UTC)
    return max(1, int((start - moment).total_seconds() + 0.999))


def quota_stream(user_id: str, period: str) -> str:
    return f"generation-quota-{user_id}-{period}"


class GenerationCounted(DomainEvent, topic="GenerationCounted"):
    user_id: str
    period: str
    generation_id: str
    limit: int | None
    """The limit it was admitted under (None: unlimited)."""


class GenerationRefunded(DomainEvent, topic="GenerationRefunded"):
    user_id: str
    period: str
    generation_id: str
    reason: str
    """``failed`` or ``cancelled``: it produced no document."""


class QuotaExceeded(Throttled):
    code = "quota_exceeded"


class GenerationQuota(Aggregate):
    stream_type = STREAM_TYPE
    id_field = "quota_id"
    events = (GenerationCounted, GenerationRefunded)

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.counted: set[str] = set()
        self.refunded: set[str] = set()

    @property
    def used(self) -> int:
        return len(self.counted - self.refunded)

    def count(self, user_id: str, generation_id: str, limit: int | None, now: datetime) -> None:
        """Record one use, or refuse it when ``limit`` uses are already counted."""
        if limit is not None and self.used >= limit:
            raise QuotaExceeded(
                f"You have used all {limit} generations of this month.",
                seconds_to_next_period(now),
                details={"generations_limit": limit, "generations_used": self.used},
            )
        self.record(
            GenerationCounted(
                user_id=user_id, period=period_of(now), generation_id=generation_id, limit=limit
            )
        )

    def refund(self, user_id: str, period: str, generation_id: str, reason: str) -> bool:
        """Give a counted use back, once; False when there is nothing to give back."""
        if generation_id not in self.counted or generation_id in self.refunded:
            return False
        self.record(
            GenerationRefunded(
                user_id=user_id, period=period, generation_id=generation_id, reason=reason
            )
        )
        return True

    def when_GenerationCounted(self, event: GenerationCounted) -> None:
        self.counted.add(event.generation_id)

    def when_GenerationRefunded(self, event: GenerationRefunded) -> None:
        self.refunded.add(event.generation_id)
