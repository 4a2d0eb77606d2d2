"""From times to positions in the event log, without scanning it.

Positions are handed out in commit order, and each event's ``recorded_at`` is its
writer's clock at that moment: along the positions the times rise, except that two
processes' clocks (and a batch stamped before it won its position) may disagree by a
little. ``SKEW`` bounds that disagreement: for positions ``p < q``,
``recorded_at[p] <= recorded_at[q] + SKEW``.

So a time span is turned into a position range by bisection over the unique position
index (a point lookup per step, O(log n)), widened by ``SKEW`` so that nothing inside
the span can fall outside the range; the caller then filters the range exactly by
``recorded_at``. No index on ``recorded_at`` is needed (one more index would cost
every append a write).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

SKEW = timedelta(seconds=30)


@dataclass(frozen=True)
class PositionRange:
    """Positions ``after < p <= through``: every event recorded in the span is in it."""

    after: int
    through: int

    @property
    def empty(self) -> bool:
        return self.through <= self.after


class Timeline:
    """Time questions about one events collection (raw documents: only ``position``
    and ``recorded_at`` are read, which no sealing of personal data ever touches)."""

    def __init__(self, events: AsyncCollection[Any]) -> None:
        self._events = events

    async def head(self) -> int:
        """The highest position, by point lookups (positions are gap-free): galloping up,
        then bisecting. A sort on position proved to be a scan on SecantusDB."""
        low, step = 0, 1
        while await self._recorded_at(low + step) is not None:
            low += step
            step *= 2
        high = low + step  # known missing
        while high - low > 1:
            middle = (low + high) // 2
            if await self._recorded_at(middle) is not None:
                low = middle
            else:
                high = middle
        return low

    async def span(self, since: datetime | None, until: datetime | None) -> PositionRange:
        """The positions that may hold events recorded in ``[since, until]``."""
        head = await self.head()
        after = 0
        if since is not None:
            # The last position recorded well before ``since``: every earlier one is
            # before ``since`` too (at most SKEW later than it).
            after = await self._last_where(head, lambda at: at < since - SKEW)
        through = head
        if until is not None:
            # Past the last position recorded no later than ``until + SKEW``, every
            # event was recorded after ``until``.
            through = await self._last_where(head, lambda at: at <= until + SKEW)
        return PositionRange(after, max(after, through))

    async def last_at_or_before(self, moment: datetime) -> int:
        """The highest position recorded at or before ``moment`` (0: none was)."""
        window = await self.span(moment, moment)
        # Anything before the window was recorded before ``moment`` (it is not empty
        # when ``after`` > 0), so the answer is in it or is its start.
        found = await self._events.find_one(
            {
                "position": {"$gt": window.after, "$lte": window.through},
                "recorded_at": {"$lte": moment},
            },
            {"position": 1},
            sort=[("position", DESCENDING)],
        )
        return window.after if found is None else int(found["position"])

    async def _last_where(self, head: int, holds: Callable[[datetime], bool]) -> int:
        """The boundary ``p`` with ``holds`` true at ``p`` (or p == 0) and false at ``p + 1``
        (or p == head), by bisection: exact when ``holds`` is monotone along positions."""
        low, high = 0, head + 1  # holds at 0 and fails at head + 1, by convention
        while high - low > 1:
            middle = (low + high) // 2
            at = await self._recorded_at(middle)
            if at is None:  # a gap (a log being restored): treat as past the end
                high = middle
            elif holds(at):
                low = middle
            else:
                high = middle
        return low

    async def _recorded_at(self, position: int) -> datetime | None:
        found = await self._events.find_one({"position": position}, {"recorded_at": 1})
        return None if found is None else _aware(found["recorded_at"])


def _aware(moment: datetime) -> datetime:
    # A client opened without tz_aware gives naive UTC datetimes.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
