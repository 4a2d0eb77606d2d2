"""The file store: keys are ours only, writes are atomic, reads stream."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from jobwise.adapters.storage import (
    InvalidKeyError,
    LocalFileStore,
    MemoryFileStore,
    StoredFileNotFoundError,
    content_key,
    new_key,
    validate_key,
)

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
]


@pytest.mark.parametrize("key", PATH_LIKE)
def test_path_like_keys_are_refused(key: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidKeyError):
        validate_key(key)
    with pytest.raises(InvalidKeyError):
        LocalFileStore(tmp_path).path_of(key)


async def test_every_operation_refuses_a_path_like_key(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path / "files")
    (tmp_path / "secret").write_text("do not touch")
    for call in (
        store.put("../secret", b"x"),
        store.get("../secret"),
        store.size("../secret"),
        store.exists("../secret"),
        store.delete("../secret"),
    ):
        with pytest.raises(InvalidKeyError):
            await call
    assert (tmp_path / "secret").read_text() == "do not touch"


def test_generated_keys_are_valid_and_distinct() -> None:
    keys = {new_key("pdf", prefix="doc") for _ in range(100)}
    assert len(keys) == 100 and all(validate_key(k).endswith(".pdf") for k in keys)
    assert content_key(b"abc", "pdf") == content_key(b"abc", "pdf")
    assert content_key("ab" * 32, "json") == "ab" * 32 + ".json"
    with pytest.raises(InvalidKeyError):
        content_key("../../x", "pdf")
    with pytest.raises(InvalidKeyError):
        new_key("p/df")


async def test_put_get_stream_size_exists_delete(tmp_path: Path) -> None:
    store = LocalFileStore.under_data_dir(tmp_path)
    key = new_key("pdf")
    data = os.urandom(200_000)
    stored = await store.put(key, data)
    assert stored.size_bytes == len(data) and len(stored.sha256) == 64
    assert await store.exists(key) and await store.size(key) == len(data)
    assert await store.get(key) == data
    chunks = [chunk async for chunk in store.stream(key, chunk_size=65_536)]
    assert len(chunks) == 4 and b"".join(chunks) == data
    assert store.path_of(key).is_relative_to(tmp_path / "files")
    assert await store.delete(key) and not await store.delete(key)
    assert not await store.exists(key)
    with pytest.raises(StoredFileNotFoundError):
        await store.get(key)
    with pytest.raises(StoredFileNotFoundError):
        await store.size(key)


async def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalFileStore(tmp_path)
    key = new_key("pdf")
    await store.put(key, b"old version")

    def crash(src: str, dst: str) -> None:
        raise OSError("disk gone")

    monkeypatch.setattr("jobwise.adapters.storage.local.os.replace", crash)
    with pytest.raises(OSError, match="disk gone"):
        await store.put(key, b"new version that never lands")
    monkeypatch.undo()
    assert await store.get(key) == b"old version"
    assert [p.name for p in store.path_of(key).parent.iterdir()] == [key]


async def test_concurrent_writers_leave_one_whole_version(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    key = new_key("bin")
    versions = [bytes([n]) * 300_000 for n in range(8)]
    readers_saw: list[bytes] = []

    async def read_while_writing() -> None:
        for _ in range(20):
            if await store.exists(key):
                readers_saw.append(await store.get(key))
            await asyncio.sleep(0)

    await asyncio.gather(*(store.put(key, v) for v in versions), read_while_writing())
    assert await store.get(key) in versions
    assert all(seen in versions for seen in readers_saw)  # never a torn file
    assert [p.name for p in store.path_of(key).parent.iterdir()] == [key]


async def test_memory_store_has_the_same_rules() -> None:
    store = MemoryFileStore()
    key = new_key("txt")
    await store.put(key, b"hello")
    assert await store.get(key) == b"hello" and await store.size(key) == 5
    assert [c async for c in store.stream(key, chunk_size=2)] == [b"he", b"ll", b"o"]
    with pytest.raises(InvalidKeyError):
        await store.put("../x", b"")
    assert await store.delete(key) and not await store.exists(key)
