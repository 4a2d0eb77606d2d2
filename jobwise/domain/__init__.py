"""Domain base types: events, metadata and the event-sourced aggregate."""

from jobwise.domain.aggregate import Aggregate
from jobwise.domain.events import DomainEvent, EventMetadata, NewEvent, RecordedEvent

__all__ = ["Aggregate", "DomainEvent", "EventMetadata", "NewEvent", "RecordedEvent"]
