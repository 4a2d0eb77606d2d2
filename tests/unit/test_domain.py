"""Aggregates record events and rebuild from them; typed events round-trip by name."""

from __future__ import annotations

import pytest

from jobwise.adapters.eventstore import ConcurrencyError
from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.domain import Aggregate, DomainEvent
from jobwise.domain.events import EventMetadata, NewEvent


class CounterOpened(DomainEvent, topic="CounterOpened"):
    label: str


class CounterIncremented(DomainEvent, topic="CounterIncremented"):
    by: int


class Counter(Aggregate):
    stream_type = "counter"
    events = (CounterOpened, CounterIncremented)

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.label = ""
        self.total = 0

    @classmethod
    def open(cls, aggregate_id: str, label: str) -> Counter:
        counter = cls(aggregate_id)
        counter.record(CounterOpened(label=label))
        return counter

    def increment(self, by: int) -> None:
        if by <= 0:
            raise ValueError("a counter only goes up")
        self.record(CounterIncremented(by=by))

    def when_CounterOpened(self, event: CounterOpened) -> None:
        self.label = event.label

    def when_CounterIncremented(self, event: CounterIncremented) -> None:
        self.total += event.by


async def save(store: InMemoryEventStore, counter: Counter) -> None:
    events = [e.to_new_event() for e in counter.pending_events()]
    await store.append(
        counter.id,
        events,
        counter.loaded_version,
        stream_type=counter.stream_type,
        metadata=EventMetadata(user_id="u-1"),
    )
    counter.mark_saved()


async def test_an_aggregate_is_rebuilt_from_its_own_events() -> None:
    store = InMemoryEventStore()
    counter = Counter.open("c-1", "visits")
    counter.increment(2)
    counter.increment(3)
    await save(store, counter)

    again = Counter.from_history("c-1", await store.read_stream("c-1"))

    assert (again.label, again.total, again.version, again.loaded_version) == ("visits", 5, 3, 3)
    assert again.pending_events() == []


async def test_two_handlers_working_from_one_version_cannot_both_save() -> None:
    store = InMemoryEventStore()
    await save(store, Counter.open("c-1", "visits"))
    first = Counter.from_history("c-1", await store.read_stream("c-1"))
    second = Counter.from_history("c-1", await store.read_stream("c-1"))
    first.increment(1)
    second.increment(1)

    await save(store, first)
    with pytest.raises(ConcurrencyError):
        await save(store, second)


def test_a_rule_refuses_before_anything_is_recorded() -> None:
    counter = Counter.open("c-1", "visits")
    with pytest.raises(ValueError, match="only goes up"):
        counter.increment(0)
    assert len(counter.pending_events()) == 1


def test_typed_events_are_stored_by_class_name_and_come_back_typed() -> None:
    new = CounterIncremented(by=4).to_new_event()
    assert isinstance(new, NewEvent)
    assert (new.type, new.data) == ("CounterIncremented", {"by": 4})


def test_an_event_refuses_fields_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="extra"):
        CounterIncremented.parse({"by": 1, "surprise": True})


def test_every_refusal_survives_a_trip_to_a_worker_process() -> None:
    """Refusals raised in the off-loop process pool are pickled back to the server."""
    import pickle

    from jobwise.domain.errors import FieldProblem, InvalidInput, Throttled, Unauthenticated

    for error in (
        InvalidInput(None, [FieldProblem("data.work.0.startDate", "not a date")]),
        Throttled("Slow down.", 7, details={"per_hour": 3}),
        Unauthenticated("Who?", challenge="Bearer"),
    ):
        back = pickle.loads(pickle.dumps(error))
        assert type(back) is type(error)
        assert (back.code, back.message, back.details) == (error.code, error.message, error.details)
    assert pickle.loads(pickle.dumps(Throttled("x", 7))).retry_after == 7
