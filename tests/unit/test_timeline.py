"""The timeline: time spans to position ranges by bisection, safe under clock skew."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.timeline import SKEW, Timeline
from jobwise.application.queries.event_filter import EventFilter, parse_moment

Mongo = tuple[AsyncMongoClient[Any], AsyncDatabase[Any]]
START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
# One event a minute, except that positions 40 and 41 were stamped 20 s "backwards"
# by a writer whose clock lagged (within SKEW).
SKEWED = {40: -20, 41: -20}


def _time(position: int) -> datetime:
    return START + timedelta(minutes=position, seconds=SKEWED.get(position, 0))


async def _timeline(mongo: Mongo, count: int) -> Timeline:
    events = mongo[1]["events"]
    await events.create_index("position", unique=True)
    if count:
        await events.insert_many(
            [{"position": p, "recorded_at": _time(p)} for p in range(1, count + 1)]
        )
    return Timeline(events)


def _inside(count: int, since: datetime | None, until: datetime | None) -> list[int]:
    return [
        p
        for p in range(1, count + 1)
        if (since is None or _time(p) >= since) and (until is None or _time(p) <= until)
    ]


async def test_every_event_of_a_span_is_inside_its_range(mongo: Mongo) -> None:
    timeline = await _timeline(mongo, 100)
    cases = [
        (START + timedelta(minutes=39, seconds=50), START + timedelta(minutes=41)),
        (START + timedelta(minutes=99), None),
        (None, START + timedelta(minutes=3)),
        (START - timedelta(days=1), START + timedelta(days=1)),
        (START + timedelta(days=1), None),
    ]
    for since, until in cases:
        span = await timeline.span(since, until)
        inside = _inside(100, since, until)
        assert all(span.after < p <= span.through for p in inside), (since, until, span)
        # Narrow: never much wider than the span plus the skew margin on each side.
        assert span.through - span.after <= len(inside) + 2 * (SKEW.seconds // 60 + 2)


async def test_the_last_position_at_or_before_a_time(mongo: Mongo) -> None:
    timeline = await _timeline(mongo, 100)

    assert await timeline.last_at_or_before(START + timedelta(minutes=10)) == 10
    assert await timeline.last_at_or_before(START + timedelta(minutes=10, seconds=59)) == 10
    # 41 was stamped at 40:40, before 40 (at 39:40 + ...): the last at or before 40:45 is 41.
    assert await timeline.last_at_or_before(START + timedelta(minutes=40, seconds=45)) == 41
    assert await timeline.last_at_or_before(START - timedelta(minutes=1)) == 0
    assert await timeline.last_at_or_before(START + timedelta(days=9)) == 100


async def test_an_empty_log_has_an_empty_range(mongo: Mongo) -> None:
    timeline = await _timeline(mongo, 0)

    assert (await timeline.span(START, None)).empty
    assert await timeline.last_at_or_before(START) == 0


def test_moments_iso_and_relative() -> None:
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

    assert parse_moment("2h", now) == now - timedelta(hours=2)
    assert parse_moment("90s", now) == now - timedelta(seconds=90)
    assert parse_moment("1w", now) == now - timedelta(weeks=1)
    assert parse_moment("2026-03-01T14:00:00Z") == datetime(2026, 3, 1, 14, tzinfo=UTC)
    assert parse_moment("2026-03-01T14:00:00+02:00") == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert parse_moment("2026-03-01") == datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2h ago", "-2h", "99999999999d", "2026-13-01", "\x00", "x" * 200_000]
)
def test_bad_moments_say_what_is_expected(text: str) -> None:
    with pytest.raises(ValueError, match=r"time|century"):
        parse_moment(text)


def test_a_filter_refuses_since_after_until_and_splits_types() -> None:
    chosen = EventFilter.model_validate({"types": ["JobCreated,JobParsed", "UserRegistered"]})
    assert chosen.types == ["JobCreated", "JobParsed", "UserRegistered"]
    with pytest.raises(ValueError, match="since is later than until"):
        EventFilter.model_validate({"since": "2026-03-02", "until": "2026-03-01"})
    with pytest.raises(ValueError):
        EventFilter.model_validate({"types": ["Job\x00Created"]})
