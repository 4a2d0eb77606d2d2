"""Events are stored by a stable topic with a schema version, old payloads are upcast as
they are read, and an aggregate or projection that names events wrongly fails early."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.bootstrap import check_event_wiring
from jobwise.domain import events
from jobwise.domain.aggregate import Aggregate
from jobwise.domain.events import (
    DomainEvent,
    EventMetadata,
    EventWiringError,
    RecordedEvent,
    check_upcasters,
    upcaster,
    utc_now,
)
from jobwise.projections import Projection, all_projections


@pytest.fixture(autouse=True)
def registry() -> Iterator[None]:
    """Throwaway events and upcasters stay in the test that declares them."""
    topics, upcasters = dict(DomainEvent.registry), dict(events._UPCASTERS)
    yield
    DomainEvent.registry.clear()
    DomainEvent.registry.update(topics)
    events._UPCASTERS.clear()
    events._UPCASTERS.update(upcasters)


def _recorded(topic: str, data: dict[str, Any], schema_version: int | None) -> RecordedEvent:
    return RecordedEvent(
        position=1,
        stream_id="s-1",
        stream_type="thing",
        version=1,
        event_id="e-1",
        type=topic,
        data=data,
        metadata=EventMetadata(user_id="u-1", schema_version=schema_version),
        recorded_at=utc_now(),
    )


# -- topics ------------------------------------------------------------------------------


def test_an_event_is_stored_by_its_topic_not_its_class_name() -> None:
    class RenamedInPython(DomainEvent, topic="ThingNamed"):
        name: str

    new = RenamedInPython(name="x").to_new_event()

    assert new.type == "ThingNamed"
    assert DomainEvent.from_recorded(_recorded("ThingNamed", {"name": "x"}, None)) == (
        RenamedInPython(name="x")
    )


def test_two_classes_under_one_topic_fail_at_import() -> None:
    class First(DomainEvent, topic="ThingTwice"): ...

    with pytest.raises(EventWiringError, match=r"'ThingTwice'.*already taken by .*First"):

        class Second(DomainEvent, topic="ThingTwice"): ...


def test_an_event_without_a_topic_fails_unless_it_is_an_abstract_base() -> None:
    class ThingBase(DomainEvent, abstract=True):
        revision: int

    class ThingMade(ThingBase, topic="ThingMade"): ...

    with pytest.raises(EventWiringError, match="declares no topic"):

        class ThingForgotten(ThingBase): ...

    assert "ThingBase" not in DomainEvent.registry
    assert ThingMade.topic == "ThingMade"


def test_the_schema_version_is_stored_and_an_unversioned_event_counts_as_version_1() -> None:
    class ThingSized(DomainEvent, topic="ThingSized", version=2):
        size: int

    @upcaster("ThingSized", from_version=1)
    def _sized_v2(data: dict[str, Any]) -> dict[str, Any]:
        return {"size": len(data["label"])}

    assert ThingSized(size=3).to_new_event().metadata == EventMetadata(schema_version=2)
    assert DomainEvent.from_recorded(_recorded("ThingSized", {"label": "abcd"}, None)) == (
        ThingSized(size=4)
    )
    assert DomainEvent.from_recorded(_recorded("ThingSized", {"size": 5}, 2)) == (
        ThingSized(size=5)
    )


async def test_the_store_keeps_the_schema_version_beside_the_appends_metadata() -> None:
    class ThingKept(DomainEvent, topic="ThingKept", version=3):
        label: str

    store = InMemoryEventStore()
    await store.append(
        "s-1",
        [ThingKept(label="x").to_new_event()],
        0,
        stream_type="thing",
        metadata=EventMetadata(user_id="u-1"),
    )
    (recorded,) = await store.read_stream("s-1")

    assert (recorded.type, recorded.metadata.schema_version) == ("ThingKept", 3)
    assert recorded.metadata.user_id == "u-1"


# -- upcasters ---------------------------------------------------------------------------


def test_upcasters_run_in_order_from_the_stored_version() -> None:
    class ThingRated(DomainEvent, topic="ThingRated", version=3):
        stars: int
        note: str

    @upcaster("ThingRated", from_version=1)
    def _rated_v2(data: dict[str, Any]) -> dict[str, Any]:
        return {"stars": data["score"] // 20}

    @upcaster("ThingRated", from_version=2)
    def _rated_v3(data: dict[str, Any]) -> dict[str, Any]:
        return {**data, "note": f"{data['stars']} stars"}

    stored = {"score": 80}
    from_v1 = DomainEvent.from_recorded(_recorded("ThingRated", stored, 1))
    from_v2 = DomainEvent.from_recorded(_recorded("ThingRated", {"stars": 2}, 2))

    assert from_v1 == ThingRated(stars=4, note="4 stars")
    assert from_v2 == ThingRated(stars=2, note="2 stars")
    assert stored == {"score": 80}
    check_upcasters()


def test_a_missing_upcaster_is_refused_at_bootstrap_and_on_read() -> None:
    class ThingGapped(DomainEvent, topic="ThingGapped", version=2):
        label: str

    with pytest.raises(EventWiringError, match="no upcaster of 'ThingGapped' from version 1"):
        check_upcasters()
    with pytest.raises(EventWiringError, match="no upcaster of 'ThingGapped' from version 1"):
        DomainEvent.from_recorded(_recorded("ThingGapped", {"label": "x"}, None))


def test_an_upcaster_of_an_unknown_topic_or_past_the_current_version_is_refused() -> None:
    class ThingCurrent(DomainEvent, topic="ThingCurrent"):
        label: str

    upcaster("ThingTypo", from_version=1)(dict)
    upcaster("ThingCurrent", from_version=1)(dict)

    with pytest.raises(EventWiringError) as refused:
        check_upcasters()
    assert "unknown topic 'ThingTypo'" in str(refused.value)
    assert "'ThingCurrent' from version 1 is past its current version 1" in str(refused.value)


def test_an_event_stored_by_newer_code_is_refused() -> None:
    class ThingOld(DomainEvent, topic="ThingOld"):
        label: str

    with pytest.raises(EventWiringError, match="newer than this code"):
        DomainEvent.from_recorded(_recorded("ThingOld", {"label": "x"}, 2))


# -- aggregates' handlers ------------------------------------------------------------------


class ThingOpened(DomainEvent, topic="TestThingOpened"):
    label: str


class ThingClosed(DomainEvent, topic="TestThingClosed"): ...


def test_a_misspelt_handler_fails_when_the_aggregate_class_is_created() -> None:
    with pytest.raises(EventWiringError) as refused:

        class Thing(Aggregate):
            events = (ThingOpened, ThingClosed)

            def when_TestThingOpened(self, event: ThingOpened) -> None: ...

            def when_TestThingClosd(self, event: ThingClosed) -> None: ...

    message = str(refused.value)
    assert "TestThingClosed has no handler when_TestThingClosed" in message
    assert "when_TestThingClosd names no event in Thing.events" in message


def test_an_aggregate_must_list_the_events_it_applies() -> None:
    with pytest.raises(EventWiringError, match="lists no events"):

        class Unlisted(Aggregate): ...


def test_an_aggregate_refuses_an_event_it_does_not_list() -> None:
    class Thing(Aggregate):
        events = (ThingOpened,)

        def when_TestThingOpened(self, event: ThingOpened) -> None:
            self.label = event.label

    thing = Thing("t-1")
    thing.record(ThingOpened(label="x"))

    with pytest.raises(EventWiringError, match="Thing does not apply TestThingClosed"):
        thing.record(ThingClosed())
    assert thing.label == "x"


# -- projections' topics -------------------------------------------------------------------


def test_a_projection_naming_an_unknown_topic_is_refused_at_bootstrap() -> None:
    class Typo(Projection):
        name = "typo"
        collections = {}
        handles = frozenset({"TestThingOpened", "TestThingOpend"})

    with pytest.raises(EventWiringError, match=r"Typo.handles names unknown .*: TestThingOpend"):
        check_event_wiring([Typo()])


def test_the_apps_events_upcasters_and_projections_fit_together() -> None:
    check_event_wiring(all_projections())
