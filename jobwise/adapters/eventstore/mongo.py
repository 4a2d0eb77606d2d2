"""The MongoDB event store (PyMongo's native async API).

Global order, gap-free and never visible out of order
------------------------------------------------------
Each event is one document whose ``_id`` is its event id, with unique indexes
on ``position`` and ``(stream_id, version)``. (Every index costs each append a
write; these three are the ones correctness needs.) Positions are handed out
by serialised inserts, the idea behind eventsourcing's table lock:

* Every process has one writer task. It keeps the head it last saw and writes
  the next events at ``head + 1, head + 2, ...``.
* ``position`` is unique, so if another process took ``head + 1`` first the insert
  fails with a duplicate key; the writer re-reads the head and retries. A
  position is therefore only ever taken right after the previous one is
  committed and visible: no gaps, and never a later position visible before an
  earlier one. (An insert that meets another writer's *uncommitted* insert of
  the same position waits for it, as MongoDB and SecantusDB both do.)
* A single-event append is one document insert: atomic on its own. Appends
  queued together are sent as one ordered ``insert_many``; if event ``k``
  fails, events ``0..k-1`` are stored and contiguous, and the rest retry.
* A multi-event append is one transaction, so its events appear all at once.

Followers therefore read ``position > last seen`` and can never skip.
Unlike Marten's high-water mark there is no gap to wait out, at the cost of
one writer at a time per position; batching recovers the throughput.

Optimistic concurrency: ``(stream_id, version)`` is unique, so a stale
``expected_version`` fails on insert. An ``expected_version`` *ahead* of the
stream is caught before the insert by comparing with the stream's last
version (cached from reads and appends, re-read from the database on doubt).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cachetools import FIFOCache
from pymongo import ASCENDING, DESCENDING, AsyncMongoClient, IndexModel
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import BulkWriteError, DuplicateKeyError, OperationFailure, PyMongoError
from tenacity import (
    AsyncRetrying,
    RetryError,
    retry_if_exception,
    stop_after_attempt,
    wait_incrementing,
)

from jobwise.adapters.eventstore.base import (
    AppendResult,
    ConcurrencyError,
    ImportConflict,
    PartialIdempotentAppend,
    check_storable,
    same_stored,
)
from jobwise.adapters.eventstore.follow import follow
from jobwise.adapters.eventstore.measured import measured_append
from jobwise.adapters.eventstore.signal import HeadSignal
from jobwise.adapters.eventstore.stamping import idempotent_replay, stamp
from jobwise.adapters.eventstore.tail import LogTail
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent, utc_now
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)

EVENTS_COLLECTION = "events"
_MAX_BATCH_EVENTS = 500
_KNOWN_STREAMS_LIMIT = 100_000
_TRANSACTION_ATTEMPTS = 50
"""Tries of one append transaction the server calls transient (a write conflict)."""
_POLL_SECONDS = 0.25


@dataclass
class _Append:
    stream_id: str
    stream_type: str
    events: Sequence[NewEvent]
    expected_version: int
    metadata: EventMetadata | None
    result: asyncio.Future[AppendResult] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def settle(self, outcome: AppendResult | BaseException) -> None:
        if self.result.done():
            return
        if isinstance(outcome, BaseException):
            self.result.set_exception(outcome)
        else:
            self.result.set_result(outcome)


class _PositionTaken(Exception):
    """Another process wrote at the position we chose: re-read the head and retry."""


def to_document(event: RecordedEvent) -> dict[str, Any]:
    document = event.model_dump(exclude={"event_id"})
    document["_id"] = event.event_id
    document["metadata"] = event.metadata.model_dump(exclude_none=True)
    return document


def from_document(document: dict[str, Any]) -> RecordedEvent:
    # Built without validation: every stored event was validated on its way in, and
    # validating it again on every read was most of a replay's time in this process.
    return RecordedEvent.model_construct(
        position=document["position"],
        stream_id=document["stream_id"],
        stream_type=document["stream_type"],
        version=document["version"],
        event_id=document["_id"],
        type=document["type"],
        data=document["data"],
        metadata=_metadata(document.get("metadata") or {}),
        recorded_at=document["recorded_at"],
        hash=document.get("hash"),
        prev_hash=document.get("prev_hash"),
        stream_prev_hash=document.get("stream_prev_hash"),
    )


def _metadata(stored: dict[str, Any]) -> EventMetadata:
    known = {name: stored.get(name) for name in EventMetadata.model_fields}
    extra = {k: v for k, v in stored.items() if k not in EventMetadata.model_fields}
    metadata = EventMetadata.model_construct(**known)
    object.__setattr__(metadata, "__pydantic_extra__", extra)
    return metadata


class MongoEventStore:
    def __init__(
        self,
        client: AsyncMongoClient[Any],
        database: AsyncDatabase[Any],
        *,
        follow_changes: bool = True,
    ) -> None:
        self._client = client
        self._follow_changes = follow_changes
        self._events: AsyncCollection[Any] = database[EVENTS_COLLECTION]
        self._queue: list[_Append] = []
        self._queued = asyncio.Event()
        self._head = 0
        self._head_hash: str | None = None
        """The hash of the event at ``_head``: the next event's ``prev_hash``."""
        # The streams written to most recently, with their last event's hash (the next
        # one's ``stream_prev_hash``): a write moves one to the back.
        self._known_versions: FIFOCache[str, tuple[int, str | None]] = FIFOCache(
            _KNOWN_STREAMS_LIMIT
        )
        self._tail = LogTail()
        self._reading = asyncio.Lock()
        """Held while the log is read from the database (see ``read_all``)."""
        self._signal = HeadSignal()
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    async def open(
        cls,
        client: AsyncMongoClient[Any],
        database: AsyncDatabase[Any],
        *,
        follow_changes: bool = True,
    ) -> MongoEventStore:
        """Open the store. ``follow_changes=False`` polls for other writers instead of
        holding a change stream: cheaper for the server when this process is the only
        writer (the embedded default), with at most a poll interval of delay otherwise."""
        store = cls(client, database, follow_changes=follow_changes)
        await store.ensure_indexes()
        await store._refresh_head()
        store._tasks = [
            asyncio.create_task(store._write_forever(), name="eventstore-writer"),
            asyncio.create_task(store._watch_forever(), name="eventstore-watcher"),
        ]
        return store

    async def ensure_indexes(self) -> None:
        await self._events.create_indexes(
            [
                IndexModel(
                    [("stream_id", ASCENDING), ("version", ASCENDING)],
                    unique=True,
                    name="stream_version_unique",
                ),
                IndexModel([("position", ASCENDING)], unique=True, name="position_unique"),
            ]
        )

    async def close(self) -> None:
        await cancel_and_wait(self._tasks)
        self._tasks = []
        for pending in self._queue:
            pending.settle(RuntimeError("event store closed"))
        self._queue.clear()

    # -- writing -----------------------------------------------------------------

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int,
        *,
        stream_type: str,
        metadata: EventMetadata | None = None,
    ) -> AppendResult:
        if not events:
            raise ValueError("an append needs at least one event")
        if not self._tasks:
            raise RuntimeError("event store is not open")
        check_storable(stream_id, events)
        pending = _Append(stream_id, stream_type, events, expected_version, metadata)
        with measured_append("mongo"):
            self._queue.append(pending)
            self._queued.set()
            return await pending.result

    async def _write_forever(self) -> None:
        while True:
            await self._queued.wait()
            self._queued.clear()
            while self._queue:
                await self._write_isolated(self._take_batch())

    async def _write_isolated(self, batch: list[_Append]) -> None:
        """Write a batch; if it fails, write its unsettled appends one by one, so a
        refused append (a document too large, say) fails alone, never its neighbours."""
        try:
            await self._write_batch(batch)
            return
        except Exception as error:  # never lose the writer
            if len(batch) == 1:
                log.exception("event store append to %s failed", batch[0].stream_id)
                batch[0].settle(error)
                return
            log.warning(
                "event store batch of %d failed (%r); retrying each alone", len(batch), error
            )
        for pending in batch:
            if not pending.result.done():
                await self._write_isolated([pending])

    def _take_batch(self) -> list[_Append]:
        batch: list[_Append] = []
        count = 0
        while self._queue and (
            not batch or count + len(self._queue[0].events) <= _MAX_BATCH_EVENTS
        ):
            pending = self._queue.pop(0)
            batch.append(pending)
            count += len(pending.events)
        return batch

    async def _write_batch(self, batch: list[_Append]) -> None:
        accepted, refused = await self._check_versions(batch)
        singles: list[_Append] = []
        for pending in accepted:
            if len(pending.events) == 1:
                singles.append(pending)
                continue
            await self._insert_singles(singles)
            singles = []
            await self._insert_in_transaction(pending)
        await self._insert_singles(singles)
        # Refused only now that what beat them is stored: a loser that reads its stream
        # again to retry sees the winner, instead of the version it just lost with.
        for pending, current in refused:
            pending.settle(await self._stale(pending, current))

    async def _check_versions(
        self, batch: list[_Append]
    ) -> tuple[list[_Append], list[tuple[_Append, int]]]:
        """Split appends into those at the stream's version (in queue order) and the rest."""
        planned: dict[str, int] = {}
        accepted: list[_Append] = []
        refused: list[tuple[_Append, int]] = []
        for pending in batch:
            current = planned.get(pending.stream_id)
            if current is None:
                current = await self._current_version(pending.stream_id, pending.expected_version)
            if current != pending.expected_version:
                refused.append((pending, current))
                continue
            planned[pending.stream_id] = pending.expected_version + len(pending.events)
            accepted.append(pending)
        return accepted, refused

    async def _current_version(self, stream_id: str, expected: int) -> int:
        """The stream's version as far as needed to judge ``expected``.

        A cached version can only lag the truth, so a match is safe to try (the
        unique index refuses it if the stream moved on) and only a doubt is
        settled by reading the database.
        """
        known = self._known_versions.get(stream_id)
        cached = None if known is None else known[0]
        if expected == 0 or (cached is not None and cached >= expected):
            return expected if cached is None else cached
        last = await self._events.find_one(
            {"stream_id": stream_id}, {"version": 1, "hash": 1}, sort=[("version", DESCENDING)]
        )
        actual = last["version"] if last else 0
        self._remember_version(stream_id, actual, last.get("hash") if last else None)
        return int(actual)

    async def _stale(self, pending: _Append, actual: int | None) -> AppendResult | BaseException:
        """A refused append is either a harmless retry of stored events or a real conflict."""
        ids = [event.event_id for event in pending.events]
        stored = [from_document(d) async for d in self._events.find({"_id": {"$in": ids}})]
        if not stored:
            return ConcurrencyError(pending.stream_id, pending.expected_version, actual)
        if len(stored) < len(ids):
            return PartialIdempotentAppend(pending.stream_id, [e.event_id for e in stored])
        try:
            return idempotent_replay(pending.stream_id, stored)
        except ValueError as error:
            return error

    async def _insert_singles(self, appends: list[_Append]) -> None:
        while appends:
            records = await self._stamp_singles(appends)
            stored, failure = await self._insert_ordered(records)
            for pending, record in zip(appends[:stored], records[:stored], strict=True):
                self._accepted(pending, [record])
            if stored:
                await self._signal.announce(self._head)
            appends = appends[stored:]
            if failure is None:
                return
            if failure.get("code") != 11000:
                raise OperationFailure(failure.get("errmsg", "insert failed"), failure.get("code"))
            if "position" in failure.get("keyPattern", {}):
                await self._refresh_head()
                continue
            refused = appends.pop(0)
            refused.settle(await self._stale(refused, None))

    async def _stamp_singles(self, appends: list[_Append]) -> list[RecordedEvent]:
        """One event per append, at the next positions, each chained to the one before."""
        recorded_at = utc_now()
        position, prev_hash = await self._next_link()
        tips: dict[str, str | None] = {}
        records: list[RecordedEvent] = []
        for offset, p in enumerate(appends):
            record = stamp(
                p.stream_id,
                p.stream_type,
                p.events,
                first_version=p.expected_version + 1,
                first_position=position + offset,
                metadata=p.metadata,
                recorded_at=recorded_at,
                prev_hash=prev_hash,
                stream_prev_hash=tips.get(p.stream_id, self._stream_tip(p.stream_id)),
            )[0]
            prev_hash = tips[p.stream_id] = record.hash
            records.append(record)
        return records

    def _stream_tip(self, stream_id: str) -> str | None:
        known = self._known_versions.get(stream_id)
        return None if known is None else known[1]

    async def _insert_ordered(
        self, records: list[RecordedEvent]
    ) -> tuple[int, dict[str, Any] | None]:
        """Insert in order; return how many were stored and the first failure, if any."""
        try:
            if len(records) == 1:  # insert_one is markedly cheaper than a batch of one
                await self._events.insert_one(to_document(records[0]))
            else:
                await self._events.insert_many([to_document(r) for r in records], ordered=True)
        except DuplicateKeyError as error:
            return 0, dict(error.details or {})
        except BulkWriteError as error:
            return error.details["nInserted"], error.details["writeErrors"][0]
        return len(records), None

    async def _insert_in_transaction(self, pending: _Append) -> None:
        while True:
            position, prev_hash = await self._next_link()
            records = stamp(
                pending.stream_id,
                pending.stream_type,
                pending.events,
                first_version=pending.expected_version + 1,
                first_position=position,
                metadata=pending.metadata,
                recorded_at=utc_now(),
                prev_hash=prev_hash,
                stream_prev_hash=self._stream_tip(pending.stream_id),
            )
            try:
                await self._commit_all(records)
            except _PositionTaken:
                await self._refresh_head()
                continue
            except DuplicateKeyError:
                pending.settle(await self._stale(pending, None))
                return
            self._accepted(pending, records)
            await self._signal.announce(self._head)
            return

    async def _commit_all(self, records: list[RecordedEvent]) -> None:
        retrying = AsyncRetrying(
            # Only what the server says may succeed when run again (a write conflict).
            retry=retry_if_exception(_transient_transaction),
            stop=stop_after_attempt(_TRANSACTION_ATTEMPTS),
            wait=wait_incrementing(start=0.001, increment=0.001),
        )
        async with self._client.start_session() as session:
            try:
                await retrying(self._commit_once, records, session)
            except RetryError:
                raise RuntimeError("transaction kept conflicting") from None

    async def _commit_once(self, records: list[RecordedEvent], session: AsyncClientSession) -> None:
        try:
            async with await session.start_transaction():
                await self._events.insert_many(
                    [to_document(r) for r in records], ordered=True, session=session
                )
        except (BulkWriteError, DuplicateKeyError) as error:
            details = error.details or {}
            first = details.get("writeErrors", [details])[0]
            if "position" in first.get("keyPattern", {}):
                raise _PositionTaken from error
            raise DuplicateKeyError(first.get("errmsg", "duplicate key")) from error

    def _accepted(self, pending: _Append, records: list[RecordedEvent]) -> None:
        self._tail.remember(records)
        self._head = records[-1].position
        self._head_hash = records[-1].hash
        self._remember_version(pending.stream_id, records[-1].version, records[-1].hash)
        pending.settle(
            AppendResult(
                pending.stream_id, records[-1].version, records[0].position, records[-1].position
            )
        )

    async def _next_link(self) -> tuple[int, str | None]:
        """The next position and the hash it chains to.

        Other processes' appends reach us through the change stream: starting from
        the highest head seen spares most collisions and their round trips. Only
        then is the head's hash read (one point lookup); our own appends keep it.
        """
        seen = self._signal.head  # read once: it may move on while we look its hash up
        if seen > self._head:
            head = await self._events.find_one({"position": seen}, {"hash": 1})
            if head is None:
                await self._refresh_head()
            else:
                self._head, self._head_hash = seen, head.get("hash")
        return self._head + 1, self._head_hash

    async def _refresh_head(self) -> None:
        head = await self.head_position()
        found = await self._events.find_one({"position": head}, {"hash": 1}) if head else None
        self._head, self._head_hash = head, (found or {}).get("hash")
        await self._signal.announce(self._head)

    def _remember_version(self, stream_id: str, version: int, digest: str | None) -> None:
        known = self._known_versions.get(stream_id)
        if known is not None and known[0] > version:
            return
        self._known_versions[stream_id] = (version, digest)

    # -- reading -----------------------------------------------------------------

    async def read_stream(
        self, stream_id: str, after_version: int = 0, to_version: int | None = None
    ) -> list[RecordedEvent]:
        versions: dict[str, int] = {"$gt": after_version}
        if to_version is not None:
            versions["$lte"] = to_version
        cursor = self._events.find({"stream_id": stream_id, "version": versions}).sort(
            "version", ASCENDING
        )
        events = [from_document(document) async for document in cursor]
        if events and to_version is None:
            self._remember_version(stream_id, events[-1].version, events[-1].hash)
        return events

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        held = self._tail.after(after_position, limit)
        if held is not None:
            return held
        if after_position >= max(self._head, self._signal.head):
            # Nothing is known beyond: a follower caught up waits on the head signal
            # (which hears of other processes' appends) instead of asking the database.
            return []
        # One database read at a time. Another process's append wakes every follower
        # here at once (each projection, the live hub), all asking for the same new
        # events: the first reads them and the tail keeps them, the others find them
        # there, instead of each reading and decoding the same events again.
        async with self._reading:
            held = self._tail.after(after_position, limit)
            if held is not None:
                return held
            return await self._read_window(after_position, limit)

    async def _read_window(self, after_position: int, limit: int) -> list[RecordedEvent]:
        # Positions are gap-free, so the next ``limit`` events are exactly this bounded
        # range: an index range scan, where an open ``$gt`` may scan to the end.
        window = {"$gt": after_position, "$lte": after_position + limit}
        cursor = self._events.find({"position": window}).sort("position", ASCENDING)
        events = [from_document(document) async for document in cursor]
        self._tail.remember(events)
        return events

    async def head_position(self) -> int:
        """The highest stored position, found by point lookups.

        Gap-free positions mean "position p exists" is true exactly for p <= head,
        so the head is found by galloping up from a known lower bound and then
        bisecting: O(log n) index lookups, and never an over-estimate, even while
        others append (every answer was the head at some moment).
        """
        low = max(self._head, self._signal.head)
        if low and not await self._exists(low):
            low = 0  # the log was emptied under us (tests drop databases)
            self._tail.clear()
        step = 1
        while await self._exists(low + step):
            low += step
            step *= 2
        high = low + step  # known missing
        while high - low > 1:
            middle = (low + high) // 2
            if await self._exists(middle):
                low = middle
            else:
                high = middle
        return low

    async def _exists(self, position: int) -> bool:
        return await self._events.find_one({"position": position}, {"_id": 1}) is not None

    def subscribe(self, after_position: int = 0, batch: int = 500) -> AsyncIterator[RecordedEvent]:
        return follow(self, after_position, batch)

    async def wait_beyond(self, position: int, max_wait: float) -> int:
        return await self._signal.wait_beyond(position, max_wait)

    # -- moving the log ----------------------------------------------------------

    async def stored_events(
        self, after: int = 0, batch: int = 1000
    ) -> AsyncIterator[RecordedEvent]:
        """Every event after ``after`` as stored (hashes included), in position order,
        read in bounded windows (constant memory, bypassing the tail cache)."""
        position = after
        while True:
            window = {"$gt": position, "$lte": position + batch}
            cursor = self._events.find({"position": window}).sort("position", ASCENDING)
            chunk = [from_document(document) async for document in cursor]
            if not chunk:
                return
            for event in chunk:
                yield event
            position = chunk[-1].position

    async def import_recorded(self, events: Iterable[RecordedEvent]) -> int:
        """Store events exactly as given (positions, ids, hashes); skip those already
        stored, raise ``ImportConflict`` for one that differs. Returns how many were new."""
        batch = list(events)
        if not batch:
            return 0
        # Two index lookups: an ``$or`` of both is a collection scan on some servers.
        ids = {"_id": {"$in": [e.event_id for e in batch]}}
        low, high = min(e.position for e in batch), max(e.position for e in batch)
        stored = [from_document(d) async for d in self._events.find(ids)]
        window = {"position": {"$gte": low, "$lte": high}}
        stored += [from_document(d) async for d in self._events.find(window)]
        by_id = {e.event_id: e for e in stored}
        by_position = {e.position: e for e in stored}
        fresh: list[RecordedEvent] = []
        for event in batch:
            known = by_id.get(event.event_id) or by_position.get(event.position)
            if known is None:
                fresh.append(event)
            elif not same_stored(event, known):
                raise ImportConflict(event.position, event.event_id, "differs from the stored")
        if fresh:
            try:
                await self._events.insert_many([to_document(e) for e in fresh], ordered=True)
            except (BulkWriteError, DuplicateKeyError) as error:
                first = fresh[0]
                raise ImportConflict(first.position, first.event_id, str(error)) from error
            await self._refresh_head()
        return len(fresh)

    async def _watch_forever(self) -> None:
        """Learn of other processes' appends: change streams where offered, else polling."""
        if not self._follow_changes:
            while True:
                await self._poll_head(seconds=3600.0)
        pipeline: list[dict[str, Any]] = [
            {"$match": {"operationType": "insert"}},
            {"$project": {"fullDocument.position": 1}},
        ]
        while True:
            try:
                async with await self._events.watch(pipeline) as changes:
                    await self._signal.announce(await self.head_position())
                    async for change in changes:
                        await self._signal.announce(int(change["fullDocument"]["position"]))
            except asyncio.CancelledError:
                raise
            except PyMongoError as error:
                log.info("change stream unavailable (%s); polling the head", error)
                await self._poll_head(seconds=30.0)

    async def _poll_head(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        until = loop.time() + seconds
        while loop.time() < until:
            with contextlib.suppress(PyMongoError):
                await self._signal.announce(await self.head_position())
            await asyncio.sleep(_POLL_SECONDS)


def _transient_transaction(error: BaseException) -> bool:
    return isinstance(error, PyMongoError) and error.has_error_label("TransientTransactionError")
