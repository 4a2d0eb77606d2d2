"""Files in the database (GridFS), so every process on one ``MONGODB_URL`` sees them.

A key is a GridFS ``filename`` in the bucket ``files`` (collections ``files.files`` and
``files.chunks``) of the event store's database, through PyMongo's native async
``AsyncGridFSBucket``. GridFS keeps *revisions*: every upload is a new file document
with its own ``_id``, and a file document is inserted only once all of its chunks are,
so a revision is either wholly there or not seen at all.

What the store guarantees:

* **One order of revisions.** Revisions of a key are ordered by ``(uploadDate, _id)``;
  the key's file is the last revision. Readers read it, and writers keep it.
* **``put`` replaces atomically.** The new revision is uploaded completely; then the
  writer looks at the key's revisions once, removes every one before its own, and
  removes its own too if a later one is there (another writer's). So once concurrent
  puts of one key have returned, exactly one complete revision is left, the last in
  the order. The last is removed by no one. Any other, R, is removed: if R's writer
  looked after the last revision L was inserted, it saw L and removed R itself; if not,
  L was inserted after R's look, so after R, and L's writer saw R and removed it.
  Between the upload and the removals a reader already reads the new revision (it is
  the last); an older one is only ever removed once a later one is complete.
* **Order is by the writers' clocks.** ``uploadDate`` is set by the uploading client,
  as in every GridFS driver (``mongofiles`` and ``open_download_stream_by_name`` pick
  the same revision). Two puts of one key from machines whose clocks disagree by more
  than the time between the puts keep the one with the later clock. JobWise's keys
  name their content (``keys.scoped_key``), so two puts of one key store the same
  document rendered twice, and either is right.
* **A read reads one revision.** ``get`` and ``stream`` find the last revision and
  open it by ``_id``; GridFS checks every chunk's number and length against the file
  document. If the revision is removed while being read (a newer ``put`` won), ``get``
  starts again on the new last revision; ``stream`` does too if it has yielded
  nothing yet, and otherwise raises ``StorageError``: a download cut short, never one
  made of two revisions or silently truncated. (A reader fetches chunks in batches of
  up to 16 MB, so it mostly holds a PDF whole after its first bytes; and SecantusDB
  answers a cursor's later batches from where it began, so there a stream that has
  begun was seen to read its revision whole even when removed meanwhile.)
* **What a crash leaves.** An upload that fails or is cancelled removes its chunks.
  A process killed mid-upload leaves chunks without a file document, which no reader
  sees (and nothing sweeps yet); one killed between its upload and the removals
  leaves an older revision, which no reader reads and the key's next ``put`` or
  ``delete`` removes.

``keys(prefix)`` is an index range on ``filename`` (``prefix <= filename < the next
prefix``, on GridFS's own ``filename_1_uploadDate_1`` index). It matches exactly what an
anchored, escaped ``^prefix`` regex would, and has no metacharacters to escape; a regex
is not used because SecantusDB answers every ``$regex`` with a collection scan, even
beside range bounds, while it reads a range from the index.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, NamedTuple

from bson import ObjectId
from gridfs import DEFAULT_CHUNK_SIZE, AsyncGridFSBucket
from gridfs.asynchronous.grid_file import AsyncGridOut
from gridfs.errors import CorruptGridFile, NoFile
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.storage.errors import StorageError, StoredFileNotFoundError
from jobwise.adapters.storage.keys import validate_key, validate_prefix
from jobwise.adapters.storage.port import DEFAULT_CHUNK, StoredFile

BUCKET = "files"
READ_ATTEMPTS = 5
"""How often a read starts again on a newer revision before it gives up (a key
rewritten faster than it can be read)."""


class Revision(NamedTuple):
    """One upload of a key, ordered by ``(uploaded, file_id)``."""

    uploaded: datetime
    file_id: ObjectId
    length: int


class GridFSFileStore:
    def __init__(
        self,
        database: AsyncDatabase[Any],
        bucket: str = BUCKET,
        chunk_bytes: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        self._bucket = AsyncGridFSBucket(database, bucket_name=bucket, chunk_size_bytes=chunk_bytes)
        self._files: AsyncCollection[Any] = database[f"{bucket}.files"]

    async def put(self, key: str, data: bytes) -> StoredFile:
        validate_key(key)
        file_id = await self._bucket.upload_from_stream(key, data)
        # One look, after the upload: see the module's docstring for why it is enough.
        revisions = await self._revisions(key)
        mine = next((r for r in revisions if r.file_id == file_id), None)
        if mine is not None:  # else a later revision's writer has removed it already
            doomed = [r for r in revisions if r < mine]
            if revisions[-1] != mine:
                doomed.append(mine)
            for revision in doomed:
                await self._remove(revision.file_id)
        return StoredFile(key=key, size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest())

    async def get(self, key: str) -> bytes:
        validate_key(key)
        for _attempt in range(READ_ATTEMPTS):
            download = await self._open_last(key)
            try:
                return await download.read()
            except CorruptGridFile:
                await self._unless_superseded(key, download)
            finally:
                await download.close()
        raise StorageError(f"file {key!r} kept changing while it was read")

    async def stream(self, key: str, chunk_size: int = DEFAULT_CHUNK) -> AsyncIterator[bytes]:
        validate_key(key)
        download, chunk = await self._start_reading(key, chunk_size)
        try:
            while chunk:
                yield chunk
                try:
                    chunk = await download.read(chunk_size)
                except CorruptGridFile as error:
                    # Bytes have been handed out: starting again would mix two revisions.
                    await self._unless_superseded(key, download)
                    raise StorageError(f"file {key!r} was replaced while read") from error
        finally:
            await download.close()

    async def size(self, key: str) -> int:
        validate_key(key)
        revisions = await self._revisions(key)
        if not revisions:
            raise StoredFileNotFoundError(f"no file {key!r}")
        return revisions[-1].length

    async def exists(self, key: str) -> bool:
        validate_key(key)
        return await self._files.find_one({"filename": key}, {"_id": 1}) is not None

    async def delete(self, key: str) -> bool:
        validate_key(key)
        revisions = await self._revisions(key)
        for revision in revisions:
            await self._remove(revision.file_id)
        return bool(revisions)

    async def keys(self, prefix: str) -> list[str]:
        names = await self._files.distinct("filename", prefix_filter(prefix))
        return sorted({name for name in names if isinstance(name, str)})

    async def _revisions(self, key: str) -> list[Revision]:
        """The key's revisions in their order, the last one last."""
        found = self._files.find({"filename": key}, {"uploadDate": 1, "length": 1})
        return sorted([Revision(f["uploadDate"], f["_id"], int(f["length"])) async for f in found])

    async def _remove(self, file_id: ObjectId) -> None:
        """The file document first (readers stop finding it), then its chunks; another
        writer may have removed it already."""
        with contextlib.suppress(NoFile):
            await self._bucket.delete(file_id)

    async def _start_reading(self, key: str, size: int) -> tuple[AsyncGridOut, bytes]:
        """The last revision, open, and its first ``size`` bytes; again on a newer
        revision if this one is removed before its first bytes are read."""
        for _attempt in range(READ_ATTEMPTS):
            download = await self._open_last(key)
            try:
                return download, await download.read(size)
            except CorruptGridFile:
                await download.close()
                await self._unless_superseded(key, download)
        raise StorageError(f"file {key!r} kept changing while it was read")

    async def _open_last(self, key: str) -> AsyncGridOut:
        """The key's last revision, opened by ``_id`` (so it is read as one revision)."""
        for _attempt in range(READ_ATTEMPTS):
            revisions = await self._revisions(key)
            if not revisions:
                raise StoredFileNotFoundError(f"no file {key!r}")
            try:
                return await self._bucket.open_download_stream(revisions[-1].file_id)
            except NoFile:  # removed between finding and opening it: look again
                continue
        raise StorageError(f"file {key!r} kept changing while it was opened")

    async def _unless_superseded(self, key: str, download: AsyncGridOut) -> None:
        """A revision whose chunks went missing: fine if a newer one replaced it (read
        that one instead), an error if it is still the key's file."""
        revisions = await self._revisions(key)
        if revisions and revisions[-1].file_id == download._id:
            raise StorageError(f"file {key!r} is damaged: a chunk is missing")


def prefix_filter(prefix: str) -> dict[str, Any]:
    """The filenames that start with ``prefix``, as an index range: from the prefix up to
    (not including) the prefix with its last character advanced by one."""
    validate_prefix(prefix)
    after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return {"filename": {"$gte": prefix, "$lt": after}}
