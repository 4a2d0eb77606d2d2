"""What every event store promises, whatever it is built on.

The contract tests in ``tests/contract`` run the same cases against each store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from jobwise.adapters.eventstore.chain import recompute
from jobwise.domain.errors import FieldProblem, InvalidInput, StaleVersion
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent
from jobwise.domain.storable import Unstorable, find_unstorable


class ConcurrencyError(StaleVersion):
    """``expected_version`` was not the stream's current version."""

    def __init__(self, stream_id: str, expected: int, actual: int | None = None) -> None:
        details: dict[str, object] = {"stream_id": stream_id, "expected_version": expected}
        if actual is not None:
            details["current_version"] = actual
        super().__init__("The stream was changed by someone else.", details=details)
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class PartialIdempotentAppend(Exception):
    """Some, but not all, of an append's event ids were stored before: a caller bug."""

    def __init__(self, stream_id: str, known_ids: Sequence[str]) -> None:
        super().__init__(f"append to {stream_id} repeats only some stored event ids: {known_ids}")
        self.stream_id = stream_id
        self.known_ids = list(known_ids)


class UnstorableEvent(InvalidInput):
    """An event's data breaks a rule of the database (see ``storable``): nothing was stored.

    Refused before the append is queued, so it never shares a write with, and never
    fails, anyone else's events.
    """

    def __init__(self, stream_id: str, event_type: str, problem: Unstorable) -> None:
        field = ".".join(problem.parts) or "body"
        super().__init__(
            f"The request cannot be stored: {problem.reason} (at {problem.path}).",
            [FieldProblem(field, problem.reason, "unstorable_value")],
        )
        self.stream_id = stream_id
        self.problem = problem


def check_storable(stream_id: str, events: Sequence[NewEvent]) -> None:
    for event in events:
        problem = find_unstorable(event.data)
        if problem is not None:
            raise UnstorableEvent(stream_id, event.type, problem)


@dataclass(frozen=True)
class AppendResult:
    stream_id: str
    version: int
    """The stream's version after the append."""
    first_position: int
    last_position: int
    """Wait for projections to reach this to read your own write."""
    replayed: bool = False
    """True when every event was already stored: the append wrote nothing."""


class EventStore(Protocol):
    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int,
        *,
        stream_type: str,
        metadata: EventMetadata | None = None,
    ) -> AppendResult:
        """Append atomically at ``expected_version + 1``; raise ``ConcurrencyError`` if stale,
        ``UnstorableEvent`` (storing nothing) if an event's data breaks a database rule."""
        ...

    async def read_stream(
        self, stream_id: str, after_version: int = 0, to_version: int | None = None
    ) -> list[RecordedEvent]: ...

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        """Events with ``position > after_position`` in position order, at most ``limit``."""
        ...

    async def head_position(self) -> int:
        """The highest position stored (0 when empty)."""
        ...

    def subscribe(self, after_position: int = 0, batch: int = 500) -> AsyncIterator[RecordedEvent]:
        """Every event after ``after_position``, in order, exactly once: catch up, then follow."""
        ...

    async def wait_beyond(self, position: int, max_wait: float) -> int:
        """Wait until the head passes ``position``, at most ``max_wait`` s; return the head."""
        ...

    async def close(self) -> None: ...


class ImportConflict(Exception):
    """An imported event differs from the one stored at its id or position."""

    def __init__(self, position: int, event_id: str, reason: str) -> None:
        super().__init__(f"import conflicts at position {position} ({event_id}): {reason}")
        self.position = position
        self.event_id = event_id
        self.reason = reason


def same_stored(imported: RecordedEvent, stored: RecordedEvent) -> bool:
    """A re-imported event matches what is stored: a resumed import skips it.

    Its content is hashed again: an import must not pass off altered data under the
    stored event's hash."""
    return (
        imported.event_id == stored.event_id
        and imported.position == stored.position
        and imported.hash == stored.hash
        and recompute(imported) == stored.hash
    )
