"""The event-sourced aggregate: it records events and never saves itself.

A command handler loads an aggregate from its stream, calls a method that
checks the rules and records events, then appends ``pending_events()`` with
``expected_version=aggregate.loaded_version``. The store decides whether the
append wins; the aggregate only knows what it has seen.

An aggregate lists the events it records in ``events`` and has one handler
``when_<topic>`` for each (even one that changes nothing says so). A missing or
misspelt handler fails when the aggregate's class is created, at import.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Self

from jobwise.domain.errors import not_found, stale
from jobwise.domain.events import DomainEvent, EventWiringError, RecordedEvent

HANDLER_PREFIX = "when_"


class Aggregate:
    stream_type: ClassVar[str] = "aggregate"
    id_field: ClassVar[str] = "id"
    """What the aggregate's id is called where a client sees it (``profile_id``...)."""
    events: ClassVar[tuple[type[DomainEvent], ...]] = ()
    """Every event this aggregate records and applies; each has a ``when_<topic>``."""
    _handlers: ClassVar[dict[str, str]] = {}
    """Topic -> the name of its handler, checked when the class is created."""

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._handlers = wire_handlers(cls)

    def __init__(self, aggregate_id: str) -> None:
        self.id = aggregate_id
        self.version = 0
        self.loaded_version = 0
        self._pending: list[DomainEvent] = []

    @classmethod
    def from_history(cls, aggregate_id: str, history: Iterable[RecordedEvent]) -> Self:
        aggregate = cls(aggregate_id)
        for recorded in history:
            aggregate.apply(DomainEvent.from_recorded(recorded))
            aggregate.version = recorded.version
        aggregate.loaded_version = aggregate.version
        return aggregate

    @classmethod
    def from_events(cls, aggregate_id: str, events: Iterable[DomainEvent]) -> Self:
        """Replay typed events (a stream's whole history, in order, from version 1).

        ``apply`` must never change an event's own data (events are shared: the
        repository keeps recent streams' events in memory and replays them again).
        """
        aggregate = cls(aggregate_id)
        for event in events:
            aggregate.apply(event)
            aggregate.version += 1
        aggregate.loaded_version = aggregate.version
        return aggregate

    @property
    def current_version(self) -> int:
        """The version a client sees and names in ``If-Match``: the stream's, unless the
        aggregate counts its versions otherwise (a profile counts commands)."""
        return self.version

    def record(self, event: DomainEvent) -> None:
        """Apply ``event`` to this aggregate's state and keep it for the next append."""
        self.apply(event)
        self.version += 1
        self._pending.append(event)

    def apply(self, event: DomainEvent) -> None:
        """Change state for one event: its ``when_<topic>`` handler."""
        name = self._handlers.get(event.topic)
        if name is None:
            raise EventWiringError(f"{type(self).__name__} does not apply {event.topic} events")
        getattr(self, name)(event)

    def pending_events(self) -> list[DomainEvent]:
        return list(self._pending)

    def mark_saved(self) -> None:
        self._pending.clear()
        self.loaded_version = self.version


def wire_handlers(cls: type[Aggregate]) -> dict[str, str]:
    """The aggregate's handlers by topic; raise ``EventWiringError`` unless every event in
    ``events`` has its ``when_<topic>`` and every ``when_...`` names one of ``events``."""
    topics = {kind.topic for kind in cls.events}
    handlers = {
        name.removeprefix(HANDLER_PREFIX): name
        for name in dir(cls)
        if name.startswith(HANDLER_PREFIX) and callable(getattr(cls, name))
    }
    problems = [
        f"{kind.topic} has no handler {HANDLER_PREFIX}{kind.topic}"
        for kind in cls.events
        if kind.topic not in handlers
    ]
    problems += [
        f"{name} names no event in {cls.__name__}.events"
        for topic, name in sorted(handlers.items())
        if topic not in topics
    ]
    if not cls.events:
        problems.append("it lists no events")
    if problems:
        raise EventWiringError(f"{cls.__module__}.{cls.__qualname__}: {'; '.join(problems)}")
    return handlers


def check_access(
    label: str,
    id_field: str,
    aggregate_id: str,
    *,
    visible: bool,
    expected: int | None,
    current: int,
) -> None:
    """Refuse a missing, deleted or someone else's resource alike as not found (a
    stranger learns nothing), and a stale ``If-Match`` as a version conflict."""
    if not visible:
        raise not_found(label, id_field, aggregate_id)
    if expected is not None and expected != current:
        raise stale(id_field, aggregate_id, expected, current)
