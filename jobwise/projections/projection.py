"""What a projection is, and the unit of work it writes its views through.

A projection is named and versioned. It owns a few collections (its views)
and turns events into documents in them. Handlers are plain Python on plain
dicts: ``views.get`` a document, change it, ``views.put`` it back. The runner
collects every change of a batch and writes it, with the checkpoint, in one
transaction, so a view never holds half a batch and never moves without its
checkpoint.

Handlers must be deterministic: use the event's ``recorded_at``, never the
clock, so a rebuild produces the very same documents (``jobwise verify``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from cachetools import LRUCache
from pymongo import DeleteOne, IndexModel, InsertOne, ReplaceOne
from pymongo.asynchronous.client_session import AsyncClientSession
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.domain.events import RecordedEvent, check_topics

Document = dict[str, Any]
Write = InsertOne[Document] | ReplaceOne[Document] | DeleteOne
_DELETED = None


class Projection:
    name: ClassVar[str]
    version: ClassVar[int] = 1
    collections: ClassVar[Mapping[str, list[IndexModel]]]
    """Logical collection name -> the indexes it needs."""
    handles: ClassVar[frozenset[str] | None] = None
    """Topics of the events this projection reads (``topics_of``); None means all."""

    @classmethod
    def check_handles(cls) -> None:
        """Raise ``EventWiringError`` when ``handles`` names a topic no event is registered
        under (a typo would leave the view silently without those events)."""
        if cls.handles is not None:
            check_topics(cls.handles, f"{cls.__name__}.handles")

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        """The (collection, _id) documents ``apply`` will read, fetched for a batch at once."""
        return ()

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        raise NotImplementedError

    def wants(self, event: RecordedEvent) -> bool:
        return self.handles is None or event.type in self.handles


class RecentDocuments:
    """The documents a runner wrote last, so the next batches need not read them back.

    Only the runner that owns the checkpoint writes its views, so what it wrote is
    what is stored; the runner clears this whenever that may not hold (a failed
    batch, a checkpoint moved by someone else, a reset).
    """

    def __init__(self, limit: int = 20_000) -> None:
        self._limit = limit
        # The least recently used go first; None stands for a document known deleted.
        self._documents: LRUCache[tuple[str, Any], Document | None] = LRUCache(max(limit, 1))

    def get(self, key: tuple[str, Any]) -> tuple[bool, Document | None]:
        """(found, document): a deleted document is found, as None."""
        if key not in self._documents:
            return False, None
        return True, self._documents[key]

    def put(self, key: tuple[str, Any], document: Document | None) -> None:
        if self._limit > 0:  # limit 0 keeps nothing (a cache needs room for one)
            self._documents[key] = document

    def clear(self) -> None:
        self._documents.clear()


class ViewBatch:
    """The changes one batch of events makes to a projection's views.

    Reads see the batch's own earlier writes; nothing reaches the database
    until the runner flushes the batch inside its checkpoint transaction.
    """

    def __init__(
        self,
        database: AsyncDatabase[Any],
        physical: Mapping[str, str],
        recent: RecentDocuments | None = None,
    ) -> None:
        self._recent = recent or RecentDocuments(limit=0)
        self._database = database
        self._physical = physical
        self._cache: dict[tuple[str, Any], Document | None] = {}
        self._dirty: set[tuple[str, Any]] = set()
        self._loaded: dict[tuple[str, Any], bool] = {}
        """Whether each document read from the database was there: new documents
        are inserted, which is much cheaper than an upsert (a rebuild is all new)."""

    async def prefetch(self, wanted: Iterable[tuple[str, Any]]) -> None:
        by_collection: dict[str, set[Any]] = {}
        for key in wanted:
            if key in self._cache:
                continue
            known, document = self._recent.get(key)
            if known:
                self._cache[key] = document
                self._loaded[key] = document is not None
            else:
                by_collection.setdefault(key[0], set()).add(key[1])
        for collection, ids in by_collection.items():
            found = self._collection(collection).find({"_id": {"$in": list(ids)}})
            async for document in found:
                self._cache[(collection, document["_id"])] = document
            for doc_id in ids:
                self._cache.setdefault((collection, doc_id), _DELETED)
                self._loaded[(collection, doc_id)] = self._cache[(collection, doc_id)] is not None

    async def get(self, collection: str, doc_id: Any) -> Document | None:
        key = (collection, doc_id)
        if key not in self._cache:
            self._cache[key] = await self._collection(collection).find_one({"_id": doc_id})
            self._loaded[key] = self._cache[key] is not None
        document = self._cache[key]
        return None if document is None else document

    def put(self, collection: str, document: Document) -> None:
        key = (collection, document["_id"])
        self._cache[key] = document
        self._dirty.add(key)

    def delete(self, collection: str, doc_id: Any) -> None:
        key = (collection, doc_id)
        self._cache[key] = _DELETED
        self._dirty.add(key)

    async def find_ids(self, collection: str, field: str, value: Any) -> list[Any]:
        """Ids of documents whose ``field`` equals ``value``, this batch's changes included."""
        stored = self._collection(collection).find({field: value}, {"_id": 1})
        ids = {document["_id"] async for document in stored}
        for (name, doc_id), document in self._cache.items():
            if name != collection:
                continue
            if document is not None and document.get(field) == value:
                ids.add(doc_id)
            elif (name, doc_id) in self._dirty:
                ids.discard(doc_id)
        return sorted(ids, key=str)

    @property
    def changed(self) -> int:
        return len(self._dirty)

    async def flush(self, session: AsyncClientSession) -> None:
        writes: dict[str, list[Write]] = {}
        for key in sorted(self._dirty, key=lambda k: (k[0], str(k[1]))):
            operation = self._write_for(key)
            if operation is not None:
                writes.setdefault(key[0], []).append(operation)
        for collection, operations in writes.items():
            await self._collection(collection).bulk_write(
                operations, ordered=False, session=session
            )

    def remember(self) -> None:
        """After a commit: keep what this batch wrote for the batches to come."""
        for key in self._dirty:
            self._recent.put(key, self._cache[key])

    def _write_for(self, key: tuple[str, Any]) -> Write | None:
        document, existed = self._cache[key], self._loaded.get(key)
        if document is None:
            return None if existed is False else DeleteOne({"_id": key[1]})
        if existed is False:
            return InsertOne(document)
        # Known to exist, or never read (then it may or may not): replace, upserting.
        return ReplaceOne({"_id": key[1]}, document, upsert=existed is None)

    def _collection(self, logical: str) -> Any:
        return self._database[self._physical[logical]]
