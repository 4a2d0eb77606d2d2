"""Keys, and what only the local file store has: paths under its root, temporary files.

The rules every store keeps (reads, replacing puts, deletes, listings, concurrent
writers) are in ``tests/contract/test_file_store_contract.py``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from jobwise.adapters.storage import (
    InvalidKeyError,
    LocalFileStore,
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


async def test_files_live_under_the_data_dir(tmp_path: Path) -> None:
    store = LocalFileStore.under_data_dir(tmp_path)
    key = new_key("pdf")
    await store.put(key, b"%PDF-")
    assert store.path_of(key) == (tmp_path / "files" / key[:2] / key).resolve()
    assert store.path_of(key).read_bytes() == b"%PDF-"


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


async def test_concurrent_writers_leave_no_temporary_file(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    key = new_key("bin")
    versions = [bytes([n]) * 300_000 for n in range(8)]
    await asyncio.gather(*(store.put(key, v) for v in versions))
    assert await store.get(key) in versions
    assert [p.name for p in store.path_of(key).parent.iterdir()] == [key]
