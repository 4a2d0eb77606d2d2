"""Events: what happened, named in the past tense, immutable once recorded.

``DomainEvent`` subclasses are the typed events aggregates record. The store
speaks the untyped ``NewEvent`` (going in) and ``RecordedEvent`` (coming out);
``DomainEvent.from_recorded`` turns one back into its typed class by its topic.

Every concrete event declares its topic and schema version on the class::

    class JobCreated(DomainEvent, topic="JobCreated", version=2): ...

The topic is what the store keeps as the event's ``type``: it never changes, so a
Python class may be renamed freely (the topic stays, and so does every stored event).
Two classes cannot share a topic (the second one fails at import). A base class that is
never recorded itself says ``abstract=True`` instead. Aggregates name their handlers
``when_<topic>`` and projections list topics in ``handles`` (``topics_of``).

The schema version is stored with each new event (``metadata.schema_version``); events
stored before versions were kept have none and count as version 1.

How to change an event's schema (stored events are never rewritten):

1. Change the class and bump its ``version`` (``version=2`` -> ``version=3``).
2. Add an upcaster from the old version, next to the event: a pure function turning a
   stored payload of version 2 into one of version 3::

       @upcaster("JobCreated", from_version=2)
       def _job_created_v3(data: dict[str, Any]) -> dict[str, Any]:
           return {**data, "new_field": None}

   ``from_recorded`` applies the upcasters in order (1 -> 2 -> 3) to whatever version was
   stored, so replays, aggregates and projections only ever see the current schema.
3. Test the upcaster on a stored payload of the old shape. ``check_upcasters`` (run at
   bootstrap) refuses a version with a missing link in its chain.

Adding an optional field with a default needs no new version; removing or renaming a
field, changing a type or a meaning does.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field


def new_id() -> str:
    return str(uuid.uuid4())


def utc_now() -> datetime:
    """Now, in UTC, to the millisecond: what BSON keeps, so every store agrees exactly."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class EventMetadata(BaseModel):
    """Who caused an event and as part of what, so a history can be audited."""

    model_config = ConfigDict(extra="allow", frozen=True)

    user_id: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    request_id: str | None = None
    schema_version: int | None = None
    """The event's schema version when stored (None: stored before versions were kept, 1)."""


class NewEvent(BaseModel):
    """An event on its way into the store. Reusing an ``event_id`` makes a retry idempotent."""

    model_config = ConfigDict(frozen=True)

    type: str
    data: dict[str, Any] = Field(default_factory=dict)
    event_id: str = Field(default_factory=new_id)
    metadata: EventMetadata | None = None


class RecordedEvent(BaseModel):
    """An event as the store holds it: placed in its stream and in the global order."""

    model_config = ConfigDict(frozen=True)

    position: int
    stream_id: str
    stream_type: str
    version: int
    event_id: str
    type: str
    data: dict[str, Any]
    metadata: EventMetadata
    recorded_at: datetime
    hash: str | None = None
    """SHA-256 of this event as stored, chained (see ``adapters/eventstore/chain``)."""
    prev_hash: str | None = None
    stream_prev_hash: str | None = None


class EventWiringError(TypeError):
    """Events, upcasters, aggregates' handlers or projections' topics do not fit together.

    Raised at import or at bootstrap, never while serving: it is a programming error."""


Upcaster = Callable[[dict[str, Any]], dict[str, Any]]
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


class DomainEvent(BaseModel):
    """Base of every typed event. Subclasses register under their declared topic."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topic: ClassVar[str]
    """What the store keeps as ``type``: stable, whatever the class is called."""
    schema_version: ClassVar[int] = 1
    registry: ClassVar[dict[str, type[DomainEvent]]] = {}

    def __init_subclass__(
        cls,
        *,
        topic: str | None = None,
        version: int = 1,
        abstract: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if abstract:
            if topic is not None:
                raise EventWiringError(f"{cls.__qualname__} is abstract: it takes no topic")
            return
        _register(cls, topic, version)

    def to_new_event(self, event_id: str | None = None) -> NewEvent:
        return NewEvent(
            type=self.topic,
            data=self.model_dump(mode="json"),
            event_id=event_id or new_id(),
            metadata=EventMetadata(schema_version=self.schema_version),
        )

    @classmethod
    def from_recorded(cls, event: RecordedEvent) -> DomainEvent:
        """The typed event, its stored payload upcast to the current schema first."""
        event_class = event_class_of(event.type)
        stored = event.metadata.schema_version or 1
        data = event.data
        if stored != event_class.schema_version:
            data = upcast(event.type, stored, event_class.schema_version, data)
        return event_class.model_validate(data)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Self:
        return cls.model_validate(data)


def _register(cls: type[DomainEvent], topic: str | None, version: int) -> None:
    if topic is None:
        raise EventWiringError(
            f"{cls.__qualname__} declares no topic: write "
            f'class {cls.__name__}(..., topic="...", version=1) (or abstract=True for a base)'
        )
    if not topic.isidentifier():
        raise EventWiringError(f"{cls.__qualname__}: topic {topic!r} is not an identifier")
    if version < 1:
        raise EventWiringError(f"{cls.__qualname__}: schema version {version} is below 1")
    taken = DomainEvent.registry.get(topic)
    if taken is not None:
        raise EventWiringError(
            f"topic {topic!r} of {cls.__module__}.{cls.__qualname__} is already taken by "
            f"{taken.__module__}.{taken.__qualname__}"
        )
    cls.topic = topic
    cls.schema_version = version
    DomainEvent.registry[topic] = cls


def event_class_of(topic: str) -> type[DomainEvent]:
    try:
        return DomainEvent.registry[topic]
    except KeyError:
        raise LookupError(f"no event is registered under the topic {topic!r}") from None


def topics_of(*kinds: type[DomainEvent]) -> frozenset[str]:
    """The topics of event classes: what a projection's ``handles`` lists."""
    return frozenset(kind.topic for kind in kinds)


def check_topics(topics: Iterable[str], where: str) -> None:
    """Raise ``EventWiringError`` when ``where`` names a topic no event is registered under."""
    unknown = sorted(set(topics) - DomainEvent.registry.keys())
    if unknown:
        raise EventWiringError(f"{where} names unknown event topics: {', '.join(unknown)}")


# -- upcasters ---------------------------------------------------------------------------


def upcaster(topic: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a pure function turning ``topic``'s payload of ``from_version`` into one of
    ``from_version + 1``. It must not change its argument (return a new dict)."""

    def register(function: Upcaster) -> Upcaster:
        key = (topic, from_version)
        if key in _UPCASTERS:
            raise EventWiringError(f"two upcasters of {topic!r} from version {from_version}")
        _UPCASTERS[key] = function
        return function

    return register


def upcast(topic: str, stored: int, current: int, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` stored at version ``stored``, brought to ``current`` one version at a time."""
    if stored > current:
        raise EventWiringError(
            f"{topic!r} was stored at schema version {stored}, newer than this code's {current}"
        )
    for version in range(stored, current):
        step = _UPCASTERS.get((topic, version))
        if step is None:
            raise EventWiringError(f"no upcaster of {topic!r} from version {version}")
        data = step(data)
    return data


def check_upcasters() -> None:
    """Every event above version 1 has a whole chain of upcasters, and every upcaster
    belongs to a registered event below its current version (run once all events are
    imported: at bootstrap)."""
    problems = [
        f"no upcaster of {topic!r} from version {version}"
        for topic, kind in DomainEvent.registry.items()
        for version in range(1, kind.schema_version)
        if (topic, version) not in _UPCASTERS
    ]
    for topic, version in _UPCASTERS:
        kind = DomainEvent.registry.get(topic)
        if kind is None:
            problems.append(f"an upcaster names the unknown topic {topic!r}")
        elif version >= kind.schema_version:
            problems.append(
                f"an upcaster of {topic!r} from version {version} is past its current"
                f" version {kind.schema_version}"
            )
    if problems:
        raise EventWiringError("; ".join(problems))
