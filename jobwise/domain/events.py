"""Events: what happened, named in the past tense, immutable once recorded.

``DomainEvent`` subclasses are the typed events aggregates record. The store
speaks the untyped ``NewEvent`` (going in) and ``RecordedEvent`` (coming out);
``DomainEvent.from_recorded`` turns one back into its typed class by name.
"""

from __future__ import annotations

import uuid
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


class DomainEvent(BaseModel):
    """Base of every typed event. Subclasses register themselves under their class name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    registry: ClassVar[dict[str, type[DomainEvent]]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        DomainEvent.registry[cls.__name__] = cls

    @classmethod
    def event_type(cls) -> str:
        return cls.__name__

    def to_new_event(self, event_id: str | None = None) -> NewEvent:
        return NewEvent(
            type=self.event_type(),
            data=self.model_dump(mode="json"),
            event_id=event_id or new_id(),
        )

    @classmethod
    def from_recorded(cls, event: RecordedEvent) -> DomainEvent:
        event_class = DomainEvent.registry[event.type]
        return event_class.model_validate(event.data)

    @classmethod
    def parse(cls, data: dict[str, Any]) -> Self:
        return cls.model_validate(data)
