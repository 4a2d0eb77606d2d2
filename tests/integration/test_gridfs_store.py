"""GridFS's own rules, on the session's real SecantusDB: revisions, chunks, indexes.

The rules every store keeps are in ``tests/contract/test_file_store_contract.py``;
these are about what GridFS keeps in ``files.files`` and ``files.chunks``: one
revision per key once writers are done, no chunk without its file, a read that
stays on one revision, a listing read from the filename index.
"""

from __future__ import annotations

import asyncio
import math
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bson import Binary, ObjectId
from gridfs import DEFAULT_CHUNK_SIZE, AsyncGridFSBucket
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.mongo import connect
from jobwise.adapters.storage import GridFSFileStore, StorageError, new_key
from jobwise.adapters.storage.gridfs import BUCKET, prefix_filter

Mongo = tuple[AsyncMongoClient[Any], AsyncDatabase[Any]]


@pytest.fixture
def database(mongo: Mongo) -> AsyncDatabase[Any]:
    return mongo[1]


@pytest.fixture
async def other_process(mongo_url: str, db_name: str) -> AsyncIterator[AsyncDatabase[Any]]:
    """The same database through a client of its own, as another process has it."""
    client, database = connect(mongo_url, db_name)
    try:
        yield database
    finally:
        await client.close()


async def revisions(database: AsyncDatabase[Any], key: str) -> list[ObjectId]:
    found = await database[f"{BUCKET}.files"].find({"filename": key}).to_list()
    return [document["_id"] for document in found]


async def chunk_owners(database: AsyncDatabase[Any]) -> dict[ObjectId, int]:
    """How many chunks each stored file id has."""
    counted: dict[ObjectId, int] = {}
    async for chunk in database[f"{BUCKET}.chunks"].find({}, {"files_id": 1}):
        counted[chunk["files_id"]] = counted.get(chunk["files_id"], 0) + 1
    return counted


async def test_a_put_leaves_one_revision_and_only_its_chunks(database: AsyncDatabase[Any]) -> None:
    store = GridFSFileStore(database)
    key = new_key("pdf")
    for size in (700_000, 10, 300_000):  # three, one and two chunks
        await store.put(key, os.urandom(size))

    (last,) = await revisions(database, key)
    assert await chunk_owners(database) == {last: 2}
    assert await store.size(key) == 300_000


async def test_concurrent_puts_from_four_processes_leave_one_complete_file(
    database: AsyncDatabase[Any], mongo_url: str, db_name: str
) -> None:
    clients = [connect(mongo_url, db_name) for _ in range(4)]
    stores = [GridFSFileStore(db) for _client, db in clients]
    key = new_key("pdf")
    versions = [bytes([n]) * (100_000 * (n + 1)) for n in range(12)]  # 1 to 5 chunks
    try:
        await asyncio.gather(*(stores[n % 4].put(key, v) for n, v in enumerate(versions)))
        (last,) = await revisions(database, key)
        content = await stores[0].get(key)
        assert content in versions
        assert await chunk_owners(database) == {last: math.ceil(len(content) / DEFAULT_CHUNK_SIZE)}
        assert all([await store.get(key) == content for store in stores])
    finally:
        for client, _db in clients:
            await client.close()


async def test_a_put_that_finds_a_later_revision_removes_its_own(
    database: AsyncDatabase[Any],
) -> None:
    """Another writer's revision, dated later (its clock is ahead), is the key's file: a
    put that finds it when done takes its own revision back."""
    store = GridFSFileStore(database)
    key = new_key("pdf")
    theirs = ObjectId()
    later = datetime.now(UTC) + timedelta(hours=1)
    await database[f"{BUCKET}.chunks"].insert_one(
        {"files_id": theirs, "n": 0, "data": Binary(b"their version")}
    )
    await database[f"{BUCKET}.files"].insert_one(
        {
            "_id": theirs,
            "filename": key,
            "length": 13,
            "chunkSize": DEFAULT_CHUNK_SIZE,
            "uploadDate": later,
        }
    )

    stored = await store.put(key, b"my version")

    assert stored.size_bytes == 10
    assert await revisions(database, key) == [theirs]
    assert await chunk_owners(database) == {theirs: 1}
    assert await store.get(key) == b"their version"


async def test_delete_removes_every_revision(database: AsyncDatabase[Any]) -> None:
    """Revisions a put never cleaned up (its process was killed between upload and
    cleanup) go with the key."""
    store = GridFSFileStore(database)
    bucket = AsyncGridFSBucket(database, bucket_name=BUCKET)
    key, kept = new_key("pdf"), new_key("pdf")
    await store.put(kept, b"another file")
    for version in (b"one", b"two" * 200_000, b"three"):
        await bucket.upload_from_stream(key, version)
    assert len(await revisions(database, key)) == 3
    assert await store.get(key) == b"three"  # the last revision is the file

    assert await store.delete(key)

    assert await revisions(database, key) == []
    assert set(await chunk_owners(database)) == set(await revisions(database, kept))
    assert not await store.exists(key) and not await store.delete(key)
    assert await store.get(kept) == b"another file"


async def test_a_big_file_streams_in_chunks(database: AsyncDatabase[Any]) -> None:
    store = GridFSFileStore(database)
    key = new_key("pdf")
    data = os.urandom(8 * 1024 * 1024 + 1)
    await store.put(key, data)

    chunks = [chunk async for chunk in store.stream(key, chunk_size=64 * 1024)]

    assert len(chunks) == 129 and {len(c) for c in chunks[:-1]} == {64 * 1024}
    assert b"".join(chunks) == data
    assert await store.size(key) == len(data)
    (stored,) = await revisions(database, key)
    assert (await chunk_owners(database))[stored] == math.ceil(len(data) / DEFAULT_CHUNK_SIZE)


async def test_a_stream_of_many_batches_replaced_meanwhile_reads_one_revision(
    database: AsyncDatabase[Any], other_process: AsyncDatabase[Any]
) -> None:
    """1 KB chunks, so the file is more chunks than a cursor's first batch (101): the
    reader comes back for the rest after the new revision's put removed them. SecantusDB
    answers from the cursor's snapshot, so the old revision arrives whole; MongoDB finds
    them gone, and the stream fails. Never a mix, never a silent cut."""
    store = GridFSFileStore(database, chunk_bytes=1024)
    key = new_key("bin")
    old, new = os.urandom(400 * 1024), os.urandom(400 * 1024)
    await store.put(key, old)

    reading = store.stream(key, chunk_size=1024)
    got = [await anext(reading)]
    await GridFSFileStore(other_process, chunk_bytes=1024).put(key, new)
    try:
        got += [chunk async for chunk in reading]
    except StorageError as error:
        assert "replaced while read" in str(error)
        assert old.startswith(b"".join(got))
    else:
        assert b"".join(got) == old
    assert await store.get(key) == new
    assert len(await revisions(database, key)) == 1


async def test_a_damaged_file_is_an_error_not_a_file(database: AsyncDatabase[Any]) -> None:
    store = GridFSFileStore(database)
    key = new_key("pdf")
    await store.put(key, os.urandom(600_000))
    (stored,) = await revisions(database, key)
    await database[f"{BUCKET}.chunks"].delete_one({"files_id": stored, "n": 1})

    with pytest.raises(StorageError, match="damaged"):
        await store.get(key)
    with pytest.raises(StorageError, match="damaged"):  # in the first read
        [chunk async for chunk in store.stream(key, chunk_size=300_000)]
    reading = store.stream(key, chunk_size=1024)
    assert len(await anext(reading)) == 1024
    with pytest.raises(StorageError, match="damaged"):  # after bytes were handed out
        [chunk async for chunk in reading]


async def test_keys_reads_the_filename_index(database: AsyncDatabase[Any]) -> None:
    store = GridFSFileStore(database)
    for n in range(30):
        await store.put(f"ab-{n}.pdf", b"x")
        await store.put(f"zz-{n}.pdf", b"x")

    plan = await database[f"{BUCKET}.files"].find(prefix_filter("ab-")).explain()

    shown = str(plan["queryPlanner"]["winningPlan"])
    assert "IXSCAN" in shown and "COLLSCAN" not in shown, shown
    assert plan["executionStats"]["totalDocsExamined"] == 30
    assert await store.keys("ab-") == sorted(f"ab-{n}.pdf" for n in range(30))
