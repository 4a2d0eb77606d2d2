"""The tail of the log, kept in memory: what every follower of this process reads next.

Each projection runner (and any other follower) reads the log by position. Right
after an append, all of them ask for the same few events, which this process
has just written: holding the newest events in memory answers those reads
without a database round trip each. Only a contiguous run of positions starting
right after the one asked for is ever answered from here (positions are gap-free
and never change), so a reader can never skip an event; anything else (an
evicted range, another process's events not seen yet) is read from the database,
and what that read returns is remembered for the next follower: followers woken
together by another process's append take turns at the database, so the first
reads those events and the others find them here.
"""

from __future__ import annotations

from collections.abc import Iterable

from cachetools import FIFOCache

from jobwise.domain.events import RecordedEvent

DEFAULT_CAPACITY = 2_000


class LogTail:
    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        # The first remembered go first: positions only grow, so those are the oldest.
        self._events: FIFOCache[int, RecordedEvent] = FIFOCache(capacity)

    def remember(self, events: Iterable[RecordedEvent]) -> None:
        for event in events:
            self._events[event.position] = event

    def after(self, position: int, limit: int) -> list[RecordedEvent] | None:
        """The events right after ``position``, as many as are held in a row (at most
        ``limit``); None when the very next one is not held."""
        found: list[RecordedEvent] = []
        while len(found) < limit:
            event = self._events.get(position + len(found) + 1)
            if event is None:
                break
            found.append(event)
        return found or None

    def clear(self) -> None:
        self._events.clear()
