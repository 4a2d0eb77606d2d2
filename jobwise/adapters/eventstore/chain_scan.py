"""Walking the chain in position order and naming the first broken link.

Streaming: memory is bounded by the number of streams (each stream's last
version and hash), never by the number of events.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from jobwise.adapters.eventstore.chain import recompute
from jobwise.domain.events import RecordedEvent

if TYPE_CHECKING:
    from jobwise.adapters.eventstore.checkpoints import CheckpointCheck

_REORDER_REACH = 16
"""How far away an event's true position is looked for when its hash fails."""


@dataclass(frozen=True)
class BrokenLink:
    position: int
    kind: str
    """``altered``, ``deleted``, ``reordered`` or ``stream link``."""
    detail: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.kind}: {self.detail}"


@dataclass
class ChainScanner:
    """Feed events in the order read; ``feed`` answers the first broken link."""

    after: int = 0
    """The position the scan starts after (its hash is not checked: trusted)."""
    prev_hash: str | None = None
    count: int = 0
    checkpoints: CheckpointCheck | None = None
    """Checks each signed checkpoint met (see ``checkpoints``), when given."""
    _tips: dict[str, tuple[int, str | None]] = field(default_factory=dict)

    @property
    def head(self) -> int:
        return self.after + self.count

    def feed(
        self, event: RecordedEvent, following: RecordedEvent | None = None
    ) -> BrokenLink | None:
        broken = (
            self._placement(event, following)
            or self._content(event)
            or self._links(event)
            or self._checkpoint(event)
        )
        if broken is None:
            self.count += 1
            self.prev_hash = event.hash
            self._tips[event.stream_id] = (event.version, event.hash)
        return broken

    def _checkpoint(self, event: RecordedEvent) -> BrokenLink | None:
        problem = self.checkpoints.problem(event) if self.checkpoints else None
        return None if problem is None else BrokenLink(event.position, "forged checkpoint", problem)

    def _placement(
        self, event: RecordedEvent, following: RecordedEvent | None
    ) -> BrokenLink | None:
        expected = self.head + 1
        if event.position == expected:
            return None
        if event.position < expected:
            return BrokenLink(event.position, "reordered", f"found after position {self.head}")
        if following is not None and following.position == expected:
            return BrokenLink(expected, "reordered", f"found after position {event.position}")
        return BrokenLink(expected, "deleted", f"missing (next found: {event.position})")

    def _content(self, event: RecordedEvent) -> BrokenLink | None:
        if event.hash is not None and recompute(event) == event.hash:
            return None
        for shift in range(-_REORDER_REACH, _REORDER_REACH + 1):
            moved = event.model_copy(update={"position": event.position + shift})
            if shift and event.hash is not None and recompute(moved) == event.hash:
                where = event.position + shift
                return BrokenLink(event.position, "reordered", f"holds the event of {where}")
        return BrokenLink(event.position, "altered", f"hash mismatch ({event.event_id})")

    def _links(self, event: RecordedEvent) -> BrokenLink | None:
        known = self.count or self.after == 0 or self.prev_hash is not None
        if known and event.prev_hash != self.prev_hash:
            return BrokenLink(
                event.position - 1, "altered", f"no longer the event {event.position} chained to"
            )
        version, tip = self._tips.get(event.stream_id, (0, None))
        if self.after and event.stream_id not in self._tips:
            return None  # the stream began before the scan: its link is not known
        if event.version != version + 1 or event.stream_prev_hash != tip:
            return BrokenLink(
                event.position,
                "stream link",
                f"{event.stream_id} v{event.version} does not follow v{version}",
            )
        return None


async def scan(
    events: AsyncIterator[RecordedEvent], scanner: ChainScanner | None = None
) -> tuple[ChainScanner, BrokenLink | None]:
    """Scan to the end or the first broken link (one event of look-ahead)."""
    scanner = scanner or ChainScanner()
    current = await anext(events, None)
    while current is not None:
        following = await anext(events, None)
        broken = scanner.feed(current, following)
        if broken is not None:
            return scanner, broken
        current = following
    return scanner, None
