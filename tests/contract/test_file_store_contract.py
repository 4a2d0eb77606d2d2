"""The file-store contract, run against every store: in memory, local files, GridFS.

GridFS runs on the session's real SecantusDB, in the test's own database. The
factory opens several handles on one storage (for GridFS, each with its own
client, as separate processes would), so concurrency is tried across them.
Rules only one adapter has (a local path never escapes its root; GridFS's
revisions) are tested beside that adapter.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from jobwise.adapters.mongo import connect
from jobwise.adapters.storage import (
    FileStore,
    GridFSFileStore,
    InvalidKeyError,
    LocalFileStore,
    MemoryFileStore,
    StorageError,
    StoredFileNotFoundError,
    new_key,
)

OpenStore = Callable[[], FileStore]

PATH_LIKE = [
    "../secret",
    "..",
    ".",
    "a/b",
    "/etc/passwd",
    "a\\b",
    ".hidden",
    "x\x00y",
    "",
    "UPPER.pdf",
    "a b",
    "a..pdf",
    "name.pdf/",
    "%2e%2e%2fetc",
    "a" * 200,
    "file.toolongext1",
    "ab.*",
    "^ab",
    "a|b",
    "{'$ne': 1}",
]
NOT_PREFIXES = [
    "a",
    "",
    "ab.",
    "ab.*",
    ".*",
    "^ab",
    "ab$",
    "a|b",
    "(ab)",
    "ab\\",
    "a[b]",
    "a+",
    "ab?",
    "ab{2}",
    "a b",
    "AB",
    "ab/",
    "ab\n",
    "../ab",
    "a" * 200,
]


@pytest.fixture(params=["memory", "local", "gridfs"])
async def open_store(
    request: pytest.FixtureRequest, tmp_path: Path, mongo_url: str, db_name: str
) -> AsyncIterator[OpenStore]:
    """Opens handles on one storage: the one dict, the one directory, or one database
    through a client of its own per handle."""
    shared_memory = MemoryFileStore()
    clients: list[Any] = []

    def factory() -> FileStore:
        if request.param == "memory":
            return shared_memory
        if request.param == "local":
            return LocalFileStore(tmp_path / "files")
        client, database = connect(mongo_url, db_name)
        clients.append(client)
        return GridFSFileStore(database)

    yield factory
    for index, client in enumerate(clients):
        if index == 0:
            await client.drop_database(db_name)
        await client.close()


async def test_a_file_reads_back_every_way(open_store: OpenStore) -> None:
    store = open_store()
    key = new_key("pdf")
    data = os.urandom(200_000)

    stored = await store.put(key, data)

    assert (stored.key, stored.size_bytes) == (key, len(data))
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert await store.exists(key)
    assert await store.size(key) == len(data)
    assert await store.get(key) == data
    chunks = [chunk async for chunk in store.stream(key, chunk_size=65_536)]
    assert [len(c) for c in chunks] == [65_536, 65_536, 65_536, 200_000 - 3 * 65_536]
    assert b"".join(chunks) == data
    assert await open_store().get(key) == data  # another handle (process) sees it


async def test_a_put_replaces_the_file(open_store: OpenStore) -> None:
    store = open_store()
    key = new_key("json")
    await store.put(key, b"the first version, the longer one")
    await store.put(key, b"second")

    assert await store.get(key) == b"second"
    assert await store.size(key) == 6
    assert [c async for c in store.stream(key, chunk_size=4)] == [b"seco", b"nd"]
    assert await store.keys(key[:10]) == [key]


async def test_an_empty_file_is_a_file(open_store: OpenStore) -> None:
    store = open_store()
    key = new_key("txt")
    stored = await store.put(key, b"")

    assert stored.size_bytes == 0 and await store.exists(key)
    assert await store.get(key) == b"" and await store.size(key) == 0
    assert [c async for c in store.stream(key)] == []


async def test_a_missing_file_is_not_found_by_every_read(open_store: OpenStore) -> None:
    store = open_store()
    key = new_key("pdf")

    assert not await store.exists(key)
    assert not await store.delete(key)
    with pytest.raises(StoredFileNotFoundError):
        await store.get(key)
    with pytest.raises(StoredFileNotFoundError):
        await store.size(key)
    with pytest.raises(FileNotFoundError):  # a StoredFileNotFoundError is one
        [chunk async for chunk in store.stream(key)]


async def test_delete_says_whether_a_file_was_there(open_store: OpenStore) -> None:
    store = open_store()
    key, other = new_key("pdf", prefix="doc"), new_key("pdf", prefix="doc")
    await store.put(key, b"bytes")
    await store.put(other, b"others")

    assert await store.delete(key)
    assert not await store.delete(key)
    assert not await store.exists(key)
    with pytest.raises(StoredFileNotFoundError):
        await store.get(key)
    assert await store.keys("doc-") == [other]
    assert await store.get(other) == b"others"


@pytest.mark.parametrize("key", [*PATH_LIKE, None, {"$ne": None}, b"abc", 12])
async def test_every_operation_refuses_a_key_that_is_not_ours(
    open_store: OpenStore, key: Any
) -> None:
    store = open_store()
    for call in (
        store.put(key, b"x"),
        store.get(key),
        store.size(key),
        store.exists(key),
        store.delete(key),
    ):
        with pytest.raises(InvalidKeyError):
            await call
    with pytest.raises(InvalidKeyError):
        [chunk async for chunk in store.stream(key)]


async def test_keys_lists_a_prefix_sorted_and_once(open_store: OpenStore) -> None:
    store = open_store()
    inside = ["ab-z_9.json", "ab-.pdf", "ab-1", "ab-10.pdf", "ab-1.pdf"]
    # Beside the prefix: "." sorts just after "-" and "_" just before "a".
    outside = ["ab.pdf", "ab", "ab_1", "abc-1", "aa-1", "ac-1", "b-ab-1"]
    for key in [*inside, *outside, "ab-1.pdf"]:  # one key put twice
        await store.put(key, key.encode())

    assert await store.keys("ab-") == sorted(inside)
    assert await store.keys("ab") == sorted([*inside, "ab.pdf", "ab", "ab_1", "abc-1"])
    assert await store.keys("zz") == []
    assert await open_store().keys("ab-1") == ["ab-1", "ab-1.pdf", "ab-10.pdf"]


@pytest.mark.parametrize("prefix", [*NOT_PREFIXES, None, b"ab", 12])
async def test_a_prefix_that_is_not_a_keys_stem_is_refused(
    open_store: OpenStore, prefix: Any
) -> None:
    store = open_store()
    await store.put("ab-1.pdf", b"x")
    with pytest.raises(InvalidKeyError):
        await store.keys(prefix)


async def test_concurrent_writers_leave_one_whole_version(open_store: OpenStore) -> None:
    """Eight writers on two handles (for GridFS, two clients: two processes) put one key
    at once, each a version of 300 KB (two GridFS chunks); readers never see a part."""
    handles = [open_store(), open_store()]
    key = new_key("bin")
    versions = [bytes([n]) * 300_000 for n in range(8)]
    readers_saw: list[bytes] = []

    async def read_while_writing(store: FileStore) -> None:
        for _ in range(20):
            if await store.exists(key):  # and from then on it always does
                readers_saw.append(await store.get(key))
            await asyncio.sleep(0)

    await asyncio.gather(
        *(handles[n % 2].put(key, v) for n, v in enumerate(versions)),
        *(read_while_writing(store) for store in handles),
    )

    final = await handles[0].get(key)
    assert final in versions
    assert await handles[1].get(key) == final
    assert all(seen in versions for seen in readers_saw)  # never a torn file
    assert await handles[0].keys(key[:8]) == [key]


async def test_a_stream_yields_one_version_even_if_it_is_replaced_meanwhile(
    open_store: OpenStore,
) -> None:
    """A stream begun before a put reads the old version whole, or stops with an error:
    never a mix of the two. (The local store keeps its open file; GridFS may have
    fetched the chunks already, or finds them gone and says so.)"""
    store, writer = open_store(), open_store()
    key = new_key("bin")
    old, new = os.urandom(600_000), os.urandom(600_000)
    await store.put(key, old)

    reading = store.stream(key, chunk_size=4096)
    got = [await anext(reading)]
    await writer.put(key, new)
    try:
        got += [chunk async for chunk in reading]
    except StorageError:
        assert old.startswith(b"".join(got))
    else:
        assert b"".join(got) == old
    assert await store.get(key) == new


async def test_a_stream_reads_the_file_as_it_is_when_first_asked(open_store: OpenStore) -> None:
    store = open_store()
    key = new_key("txt")
    await store.put(key, b"old")
    reading = store.stream(key)  # nothing is opened until the first chunk is asked for
    await open_store().put(key, b"new")
    assert [chunk async for chunk in reading] == [b"new"]
