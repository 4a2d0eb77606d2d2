"""The monthly generation quota: at most the limit, refunds once, months in UTC."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.application.repository import Repository
from jobwise.domain.events import EventMetadata
from jobwise.domain.quota import (
    GenerationQuota,
    QuotaExceeded,
    period_of,
    previous_period,
    quota_stream,
    seconds_to_next_period,
)

NOW = datetime(2026, 11, 30, 23, 59, 0, tzinfo=UTC)


def test_the_limit_is_admitted_and_then_refused_until_next_month() -> None:
    quota = GenerationQuota("q")
    for n in range(3):
        quota.count("u", f"g-{n}", 3, NOW)

    with pytest.raises(QuotaExceeded) as refused:
        quota.count("u", "g-4", 3, NOW)

    assert refused.value.code == "quota_exceeded"
    assert refused.value.retry_after == 60  # midnight, 1 December
    assert refused.value.details["generations_used"] == 3


def test_a_refund_gives_one_use_back_once() -> None:
    quota = GenerationQuota("q")
    quota.count("u", "g-1", 1, NOW)

    assert quota.refund("u", "2026-11", "g-1", "failed") is True
    assert quota.refund("u", "2026-11", "g-1", "failed") is False
    assert quota.refund("u", "2026-11", "never-counted", "failed") is False
    quota.count("u", "g-2", 1, NOW)
    assert quota.used == 1


def test_unlimited_counts_without_a_cap() -> None:
    quota = GenerationQuota("q")
    for n in range(250):
        quota.count("u", f"g-{n}", None, NOW)
    assert quota.used == 250


def test_months_are_utc_calendar_months() -> None:
    assert period_of(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "2026-12"
    assert previous_period("2027-01") == "2026-12"
    assert previous_period("2026-11") == "2026-10"
    assert seconds_to_next_period(datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)) == 1
    assert seconds_to_next_period(datetime(2026, 2, 1, tzinfo=UTC)) == 28 * 86400
    assert quota_stream("u-1", "2026-11") == "generation-quota-u-1-2026-11"


async def test_racing_requests_never_get_past_the_limit() -> None:
    """Two repositories on one store stand for two processes: the unique (stream,
    version) decides, and the loser retries on the fresh count."""
    store = InMemoryEventStore()
    processes = [Repository(store), Repository(store)]
    metadata = EventMetadata(user_id="u")

    async def ask(n: int) -> bool:
        repository = processes[n % 2]
        try:
            await repository.change(
                GenerationQuota,
                quota_stream("u", "2026-11"),
                lambda quota: quota.count("u", f"g-{n}", 5, NOW),
                metadata,
                wait=False,
            )
        except QuotaExceeded:
            return False
        return True

    admitted = await asyncio.gather(*(ask(n) for n in range(12)))

    assert sum(admitted) == 5
    history = await store.read_stream(quota_stream("u", "2026-11"))
    assert len(history) == 5
