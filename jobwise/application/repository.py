"""The one way to load and save an aggregate, and what to do when two writers race.

``Repository.load`` replays a stream into its aggregate; ``save`` appends what the
aggregate recorded at the version it was loaded at (the store refuses it if the
stream moved on). ``change`` is load, change, save as one unit, and the place
the race policy lives:

* Within one process, the changes of one stream are serialised: a change waits
  for the one before it on the same stream instead of racing it, so sixteen
  concurrent writers to one profile all succeed, one after another, none
  retried. (A lock per stream, held from load to append, never while waiting
  for read models; streams nobody is writing hold no lock.)
* Across processes the store's unique ``(stream, version)`` decides: a change
  that named no version (no ``If-Match``) and lost is retried on the fresh
  state after a short random pause, so rivals in other processes spread out
  rather than collide again; one that named a version is refused with
  ``StaleVersion`` carrying the current one: the caller asked for exactly that
  version.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Protocol, TypeVar

from cachetools import LRUCache
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    retry_never,
    stop_after_attempt,
    wait_random_exponential,
)

from jobwise.adapters.eventstore import AppendResult, ConcurrencyError, EventStore
from jobwise.adapters.eventstore.sealing import SealingEventStore
from jobwise.domain.aggregate import Aggregate
from jobwise.domain.erasure import is_erased
from jobwise.domain.errors import StaleVersion, stale
from jobwise.domain.events import DomainEvent, EventMetadata, RecordedEvent

A = TypeVar("A", bound=Aggregate)
T = TypeVar("T")


class ReadYourWrites(Protocol):
    async def __call__(self, position: int, first_position: int | None = None) -> None:
        """Return once the read models that take the events ``first_position..position``
        include them (all read models, without ``first_position``)."""
        ...


OnAppend = Callable[[str, AppendResult], Awaitable[None]]
"""Told of every append the repository makes: (stream type, result); live updates listen."""
ATTEMPTS = 10
"""Tries of a change without a version before giving up (only other processes can win)."""
PAUSE_SECONDS = 0.002
"""The longest random pause before the first retry; it doubles with every retry."""
HISTORY_EVENTS = 20_000
"""Events the repository keeps in memory, of the most recently used streams."""


class StreamLocks:
    """An ``asyncio.Lock`` per stream, kept only while someone holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, stream_id: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(stream_id, (asyncio.Lock(), 0))
        self._locks[stream_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[stream_id]
            if users == 1:
                del self._locks[stream_id]
            else:
                self._locks[stream_id] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


class StreamHistories:
    """The typed events of recently used streams, so a load reads and parses only what is
    new since (usually nothing): long streams (a user's logins, a profile's edits) cost
    one short query, not a replay from the database."""

    def __init__(self, max_events: int = HISTORY_EVENTS) -> None:
        budget = max(max_events, 1)
        # Sized by events, least recently used dropped first. A stream longer than the
        # whole budget counts as the budget: it is still kept, alone (the long streams
        # are the ones most worth keeping).
        self._streams: LRUCache[str, tuple[DomainEvent, ...]] = LRUCache(
            budget, getsizeof=lambda events: min(len(events), budget)
        )
        self._owners: LRUCache[str, str] = LRUCache(budget)

    def get(self, stream_id: str) -> tuple[DomainEvent, ...]:
        return self._streams.get(stream_id, ())

    def owner(self, stream_id: str) -> str | None:
        """Who caused the stream's first event: whose key its sealed events need."""
        return self._owners.get(stream_id)

    def put(self, stream_id: str, events: tuple[DomainEvent, ...], owner: str | None) -> None:
        self._streams[stream_id] = events
        if owner is not None:
            self._owners[stream_id] = owner

    def forget(self, stream_id: str) -> None:
        self._streams.pop(stream_id, None)
        self._owners.pop(stream_id, None)


class Repository:
    def __init__(
        self,
        store: EventStore,
        read_your_writes: ReadYourWrites | None = None,
        *,
        locks: StreamLocks | None = None,
        attempts: int = ATTEMPTS,
        on_append: OnAppend | None = None,
    ) -> None:
        self.store = store
        self._read_your_writes = read_your_writes
        self._on_append = on_append
        self._locks = locks or StreamLocks()
        self._attempts = attempts
        self._histories = StreamHistories()

    async def load(self, kind: type[A], aggregate_id: str) -> A:
        known = self._histories.get(aggregate_id)
        if known and not await self._still_readable(aggregate_id):
            self._histories.forget(aggregate_id)  # its owner was erased: nothing is kept
            known = ()
        new = await self.store.read_stream(aggregate_id, after_version=len(known))
        if new and new[0].version != len(known) + 1:  # the log was emptied under us
            self._histories.forget(aggregate_id)
            return await self.load(kind, aggregate_id)
        if any(is_erased(recorded) for recorded in new):
            return self._erased(kind, aggregate_id, new)
        events = known + tuple(DomainEvent.from_recorded(recorded) for recorded in new)
        if events:
            owner = new[0].metadata.user_id if new else self._histories.owner(aggregate_id)
            self._histories.put(aggregate_id, events, owner)
        return kind.from_events(aggregate_id, events)

    async def _still_readable(self, aggregate_id: str) -> bool:
        """False once the owner's key is destroyed: what is remembered of the stream
        must go with it (in this process at once; in others when they hear of it)."""
        owner = self._histories.owner(aggregate_id)
        if owner is None or not isinstance(self.store, SealingEventStore):
            return True
        return not await self.store.keyring.is_destroyed(owner)

    def _erased(self, kind: type[A], aggregate_id: str, new: list[RecordedEvent]) -> A:
        """A stream whose owner's key was destroyed: what it held is gone, and its
        erased events are skipped. Its version stays the stream's (nothing more will
        be written to it: its owner can no longer seal anything)."""
        self._histories.forget(aggregate_id)
        aggregate = kind.from_history(aggregate_id, [e for e in new if not is_erased(e)])
        aggregate.version = aggregate.loaded_version = new[-1].version
        return aggregate

    async def save(
        self, aggregate: Aggregate, metadata: EventMetadata, *, wait: bool = True
    ) -> AppendResult | None:
        """Append what ``aggregate`` recorded; with ``wait``, return once the read models
        include it. Raises ``ConcurrencyError`` if the stream moved on since the load."""
        pending = aggregate.pending_events()
        if not pending:
            return None
        try:
            written = await self.store.append(
                aggregate.id,
                [event.to_new_event() for event in pending],
                aggregate.loaded_version,
                stream_type=aggregate.stream_type,
                metadata=metadata,
            )
        except ConcurrencyError:
            self._histories.forget(aggregate.id)
            raise
        known = self._histories.get(aggregate.id)
        if len(known) == aggregate.loaded_version and not written.replayed:
            self._histories.put(aggregate.id, known + tuple(pending), metadata.user_id)
        else:
            self._histories.forget(aggregate.id)
        aggregate.mark_saved()
        if self._on_append is not None:
            await self._on_append(aggregate.stream_type, written)
        if wait and self._read_your_writes is not None:
            await self._read_your_writes(written.last_position, written.first_position)
        return written

    async def change(
        self,
        kind: type[A],
        aggregate_id: str,
        change: Callable[[A], T],
        metadata: EventMetadata,
        *,
        expected_version: int | None = None,
        wait: bool = True,
    ) -> T:
        """Load, ``change`` (which checks the rules and records events), save.

        Serialised with every other change of this stream in the process; a race lost
        to another process is retried unless ``expected_version`` was given.
        """

        async def changed(aggregate: A) -> T:
            return change(aggregate)

        return await self.change_awaiting(
            kind, aggregate_id, changed, metadata, expected_version=expected_version, wait=wait
        )

    async def change_awaiting(
        self,
        kind: type[A],
        aggregate_id: str,
        change: Callable[[A], Awaitable[T]],
        metadata: EventMetadata,
        *,
        expected_version: int | None = None,
        wait: bool = True,
    ) -> T:
        """``change`` with a ``change`` that awaits, holding the stream's lock meanwhile:
        one that runs seconds of CPU off the event loop (``OffLoop``) on the aggregate."""
        retrying = AsyncRetrying(
            # A change that named its version asked for exactly that one: never retried.
            retry=retry_if_exception_type(ConcurrencyError)
            if expected_version is None
            else retry_never,
            stop=stop_after_attempt(self._attempts),
            # Random in [0, PAUSE_SECONDS * 2**(n-1)]: rivals spread out, not collide again.
            wait=wait_random_exponential(multiplier=PAUSE_SECONDS),
            reraise=True,
        )
        outcome: tuple[T, AppendResult | None]
        try:
            outcome = await retrying(self._change_once, kind, aggregate_id, change, metadata)
        except ConcurrencyError as lost:
            raise await self._stale(kind, aggregate_id, expected_version, lost) from None
        result, written = outcome
        if wait and written is not None and self._read_your_writes is not None:
            await self._read_your_writes(written.last_position, written.first_position)
        return result

    async def _change_once(
        self,
        kind: type[A],
        aggregate_id: str,
        change: Callable[[A], Awaitable[T]],
        metadata: EventMetadata,
    ) -> tuple[T, AppendResult | None]:
        async with self._locks.hold(aggregate_id):
            aggregate = await self.load(kind, aggregate_id)
            result = await change(aggregate)
            return result, await self.save(aggregate, metadata, wait=False)

    async def _stale(
        self, kind: type[A], aggregate_id: str, expected: int | None, lost: ConcurrencyError
    ) -> StaleVersion:
        current = await self.load(kind, aggregate_id)
        named = expected if expected is not None else lost.expected
        return stale(kind.id_field, aggregate_id, named, current.current_version)


def metadata_for(user_id: str, request_id: str | None) -> EventMetadata:
    """Who asked, and in which request: what every user command's events carry."""
    return EventMetadata(user_id=user_id, request_id=request_id, correlation_id=request_id)
