"""Projections run in memory, exactly as ``ProjectionRunner`` runs them on MongoDB.

The real ``ViewBatch`` does the work: it is handed ``MemoryDatabase``, a dict-backed
stand-in for the few calls it makes (``find`` by ``_id``/``$in`` or one field,
``find_one`` by ``_id``, an unordered ``bulk_write`` of inserts, replaces and deletes).
``MemoryRunner.apply_batch`` is ``ProjectionRunner._apply_batch`` without the
transaction: the same wanted events, the same prefetch, the same flush and the same
cache of recent documents between batches. So what a handler sees and what the view
holds afterwards are what they would be on MongoDB.

Documents are stored as BSON, as MongoDB stores them: every read is a fresh copy (a
handler that changes a document in place changes nothing stored until it ``put``\\ s
it), datetimes keep milliseconds and come back in UTC, tuples come back as lists, and a
value BSON cannot hold fails here as it would there.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, cast

import bson
from bson.codec_options import CodecOptions
from pymongo import DeleteOne, InsertOne, ReplaceOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from jobwise.adapters.eventstore.base import EventStore
from jobwise.domain.events import RecordedEvent
from jobwise.projections.projection import Projection, RecentDocuments, ViewBatch
from jobwise.projections.runner import BATCH_SIZE, IDLE_WAIT_SECONDS
from jobwise.tasks import cancel_and_wait

Document = dict[str, Any]
Views = dict[str, dict[Any, Document]]
"""Logical collection -> _id -> document: every view of a projection."""
CODEC: CodecOptions[Document] = CodecOptions(tz_aware=True)
"""What ``jobwise.adapters.mongo.connect`` reads with (``tz_aware=True``)."""


class _Cursor:
    def __init__(self, documents: list[Document]) -> None:
        self._documents = documents

    def __aiter__(self) -> AsyncIterator[Document]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Document]:
        for document in self._documents:
            yield document


class MemoryCollection:
    def __init__(self) -> None:
        self._stored: dict[Any, bytes] = {}

    # -- what ViewBatch calls --------------------------------------------------------

    def find(
        self, query: Mapping[str, Any], projection: Mapping[str, int] | None = None
    ) -> _Cursor:
        found = [d for d in self.documents() if _matches(d, query)]
        if projection is not None:
            found = [_project(d, projection) for d in found]
        return _Cursor(found)

    async def find_one(self, query: Mapping[str, Any]) -> Document | None:
        return next((d for d in self.documents() if _matches(d, query)), None)

    async def bulk_write(
        self, operations: Sequence[Any], ordered: bool = True, session: Any = None
    ) -> None:
        for operation in operations:
            self._write(operation)

    # -- what tests read -------------------------------------------------------------

    def documents(self) -> Iterator[Document]:
        return (bson.decode(raw, codec_options=CODEC) for raw in self._stored.values())

    def __len__(self) -> int:
        return len(self._stored)

    def _write(self, operation: Any) -> None:
        # pymongo keeps an operation's parts private; these are the ones MongoDB reads.
        if isinstance(operation, InsertOne):
            document = operation._doc
            if document["_id"] in self._stored:
                raise DuplicateKeyError(f"insert of an existing _id: {document['_id']!r}")
            self._stored[document["_id"]] = bson.encode(document)
        elif isinstance(operation, ReplaceOne):
            doc_id = _only_id(operation._filter)
            if doc_id in self._stored or operation._upsert:
                self._stored[doc_id] = bson.encode({**operation._doc, "_id": doc_id})
        elif isinstance(operation, DeleteOne):
            self._stored.pop(_only_id(operation._filter), None)
        else:
            raise NotImplementedError(f"no in-memory {type(operation).__name__}")


class MemoryDatabase:
    """The part of an ``AsyncDatabase`` a ``ViewBatch`` uses: collections by name."""

    def __init__(self) -> None:
        self.collections: dict[str, MemoryCollection] = {}

    def __getitem__(self, name: str) -> MemoryCollection:
        return self.collections.setdefault(name, MemoryCollection())


class MemoryRunner:
    """One projection over an event log, batch by batch, with its views in memory."""

    def __init__(self, projection: Projection, *, batch_size: int = BATCH_SIZE) -> None:
        self.projection = projection
        self.batch_size = batch_size
        self.database = MemoryDatabase()
        self.physical = {name: name for name in projection.collections}
        self.position = 0
        self._recent = RecentDocuments()

    def restarted(self) -> MemoryRunner:
        """This runner after a restart: the same views and checkpoint, nothing cached, so
        every document a batch reads comes from the (in-memory) database."""
        runner = MemoryRunner(self.projection, batch_size=self.batch_size)
        runner.database, runner.position = self.database, self.position
        return runner

    async def catch_up(self, store: EventStore) -> MemoryRunner:
        """Apply every event the store holds beyond ``position``, as the live runner would."""
        while events := await store.read_all(self.position, self.batch_size):
            await self.apply_batch(events)
        return self

    async def follow(self, store: EventStore) -> None:
        """Keep up with ``store`` until cancelled, as a live runner does: each wake-up
        applies whatever was appended since, in whatever batches that makes."""
        while True:
            await self.catch_up(store)
            await store.wait_beyond(self.position, IDLE_WAIT_SECONDS)

    async def replay(self, events: Sequence[RecordedEvent]) -> MemoryRunner:
        """Apply ``events`` (a log, in order, from position 1) in batches."""
        for start in range(0, len(events), self.batch_size):
            await self.apply_batch(events[start : start + self.batch_size])
        return self

    async def apply_batch(self, events: Sequence[RecordedEvent]) -> None:
        try:
            await self._apply_batch(events)
        except BaseException:
            self._recent.clear()  # as the runner does: handlers may have changed cached documents
            raise

    async def _apply_batch(self, events: Sequence[RecordedEvent]) -> None:
        start = self.position
        wanted = [e for e in events if e.position > start and self.projection.wants(e)]
        views = ViewBatch(cast(AsyncDatabase[Any], self.database), self.physical, self._recent)
        await views.prefetch(key for e in wanted for key in self.projection.keys(e))
        for event in wanted:
            await self.projection.apply(event, views)
        if views.changed:
            # No transaction to run in: the flush is the commit.
            await views.flush(cast(AsyncClientSession, None))
            views.remember()
        self.position = events[-1].position

    # -- reading the views -----------------------------------------------------------

    def view(self, collection: str) -> dict[Any, Document]:
        return {d["_id"]: d for d in self.database[self.physical[collection]].documents()}

    def views(self) -> Views:
        return {name: self.view(name) for name in self.projection.collections}

    def document(self, collection: str, doc_id: Any) -> Document | None:
        return self.view(collection).get(doc_id)

    def get(self, collection: str, doc_id: Any) -> Document:
        """The document, which must be there."""
        document = self.document(collection, doc_id)
        assert document is not None, f"no {collection} document {doc_id!r}"
        return document


async def project(
    projection: Projection, store: EventStore, *, batch_size: int = BATCH_SIZE
) -> MemoryRunner:
    """``projection`` caught up with ``store`` from scratch: a rebuild."""
    return await MemoryRunner(projection, batch_size=batch_size).catch_up(store)


@contextlib.asynccontextmanager
async def following(projection: Projection, store: EventStore) -> AsyncIterator[MemoryRunner]:
    """``projection`` following ``store`` live while the block appends; caught up after it."""
    runner = MemoryRunner(projection)
    task = asyncio.create_task(runner.follow(store))
    try:
        yield runner
    finally:
        await cancel_and_wait([task])
    await runner.catch_up(store)


async def rebuilds(projection: type[Projection], store: EventStore) -> list[Views]:
    """The views of several rebuilds of the whole log, in batches of one, a few, and all."""
    runs = [await project(projection(), store, batch_size=size) for size in (1, 3, 2_000)]
    return [run.views() for run in runs]


async def assert_rebuilds_alike(live: MemoryRunner, store: EventStore) -> None:
    """Rebuilt from scratch in any batches, the views are the ones ``live`` built."""
    for rebuilt in await rebuilds(type(live.projection), store):
        assert rebuilt == live.views()


def backdated(
    events: Iterable[RecordedEvent], start: datetime, step: timedelta = timedelta(minutes=1)
) -> list[RecordedEvent]:
    """The events as if recorded from ``start`` on, one ``step`` apart: a projection that
    reads the clock instead of ``recorded_at`` shows it as times outside these."""
    return [e.model_copy(update={"recorded_at": start + step * e.position}) for e in events]


def datetimes_in(value: Any) -> Iterator[datetime]:
    if isinstance(value, datetime):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from datetimes_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from datetimes_in(item)


def _matches(document: Document, query: Mapping[str, Any]) -> bool:
    return all(_field_matches(document.get(name), wanted) for name, wanted in query.items())


def _field_matches(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, dict):
        if set(wanted) != {"$in"}:
            raise NotImplementedError(f"no in-memory query operator in {wanted!r}")
        return any(_field_matches(value, one) for one in wanted["$in"])
    # As MongoDB matches: equal, or an array holding the value.
    return bool(value == wanted or (isinstance(value, list) and wanted in value))


def _project(document: Document, projection: Mapping[str, int]) -> Document:
    if any(not shown for shown in projection.values()):
        raise NotImplementedError("no in-memory exclusion projection")
    return {k: v for k, v in document.items() if k == "_id" or k in projection}


def _only_id(query: Mapping[str, Any]) -> Any:
    if set(query) != {"_id"} or isinstance(query["_id"], dict):
        raise NotImplementedError(f"no in-memory write by {query!r}")
    return query["_id"]
