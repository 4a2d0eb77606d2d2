"""What holds of every read model: a rebuild equals the live views, and no clock is read.

One history (``scenario.everything``) goes through the bus while every projection
follows the store live, in whatever batches the appends make. Then each projection is
rebuilt from scratch in batches of 1, 3 and 2,000 events: ``jobwise verify`` expects
the very same documents, and so does a restarted runner that replays a lost batch.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.domain.events import DomainEvent
from jobwise.projections import Projection, all_projections
from jobwise.tasks import cancel_and_wait
from tests.support.projections import (
    MemoryRunner,
    Views,
    backdated,
    datetimes_in,
    rebuilds,
)
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import everything

KINDS = [type(projection) for projection in all_projections()]
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass
class History:
    store: InMemoryEventStore
    live: dict[str, Views]


@pytest.fixture(scope="module")
async def history() -> History:
    fast = Fast()
    runners = [MemoryRunner(kind()) for kind in KINDS]
    following = [asyncio.create_task(runner.follow(fast.store)) for runner in runners]
    try:
        await everything(fast)
    finally:
        await cancel_and_wait(following)
    live = {}
    for runner in runners:
        await runner.catch_up(fast.store)
        live[runner.projection.name] = runner.views()
    return History(fast.store, live)


def test_every_read_model_has_its_own_tests() -> None:
    here = Path(__file__).parent
    missing = [k.name for k in KINDS if not (here / f"test_{k.name}.py").exists()]
    assert missing == []


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
async def test_the_history_builds_some_of_every_view(
    kind: type[Projection], history: History
) -> None:
    views = history.live[kind.name]
    assert set(views) == set(kind.collections)
    assert all(views.values()), f"an empty view: {[n for n, v in views.items() if not v]}"


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
async def test_a_rebuild_in_any_batches_equals_the_live_views(
    kind: type[Projection], history: History
) -> None:
    for rebuilt in await rebuilds(kind, history.store):
        assert rebuilt == history.live[kind.name]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
async def test_a_runner_restarted_after_every_batch_builds_the_same_views(
    kind: type[Projection], history: History
) -> None:
    # Each batch reads what it needs back from the database, never from a cache.
    runner = MemoryRunner(kind(), batch_size=4)
    while events := await history.store.read_all(runner.position, runner.batch_size):
        await runner.apply_batch(events)
        runner = runner.restarted()
    assert runner.views() == history.live[kind.name]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.name)
async def test_every_time_in_a_view_is_an_events_recorded_at(
    kind: type[Projection], history: History
) -> None:
    events = backdated(await history.store.read_all(0, 10_000), LONG_AGO)
    # Times an event carries (a session's expiry) are the event's, not the clock's.
    given = {t for e in events for t in datetimes_in(DomainEvent.from_recorded(e).model_dump())}
    recorded = {event.recorded_at for event in events} | given
    one = (await MemoryRunner(kind(), batch_size=1).replay(events)).views()
    all_at_once = (await MemoryRunner(kind()).replay(events)).views()
    assert one == all_at_once
    times = set(datetimes_in(one))
    assert times, "the view holds no time: the test proves nothing"
    assert times <= recorded, f"times from the clock: {sorted(times - recorded)}"
