"""The event store: the only source of truth. Read models are derived from it."""

from jobwise.adapters.eventstore.base import (
    AppendResult,
    ConcurrencyError,
    EventStore,
    PartialIdempotentAppend,
    UnstorableEvent,
)

__all__ = [
    "AppendResult",
    "ConcurrencyError",
    "EventStore",
    "PartialIdempotentAppend",
    "UnstorableEvent",
]
