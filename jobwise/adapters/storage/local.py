"""Files under the data dir (``$JOBWISE_DATA_DIR/files`` when serving).

A key maps to ``<root>/<first two characters>/<key>`` (the fan-out keeps directories
small). Keys are validated (``keys.validate_key``) and the resolved path is checked to
be inside the root as well, so no key can name a file elsewhere. A write goes to a
temporary file in the same directory, is fsynced, then renamed over the target, and
the directory is fsynced: a crash leaves the old file or the new one, never a torn one.
File work runs in a thread so the event loop never waits on the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

from jobwise.adapters.storage.errors import InvalidKeyError, StoredFileNotFoundError
from jobwise.adapters.storage.keys import validate_key, validate_prefix
from jobwise.adapters.storage.port import DEFAULT_CHUNK, StoredFile

_TEMP_PREFIX = ".tmp-"


class LocalFileStore:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    @classmethod
    def under_data_dir(cls, data_dir: Path) -> LocalFileStore:
        return cls(data_dir / "files")

    def path_of(self, key: str) -> Path:
        """Where ``key`` lives; refuses anything that is not a key of ours."""
        validate_key(key)
        path = (self.root / key[:2] / key).resolve()
        if path.parent.parent != self.root:
            raise InvalidKeyError(f"not a storage key: {key!r}")
        return path

    async def put(self, key: str, data: bytes) -> StoredFile:
        path = self.path_of(key)
        await asyncio.to_thread(self._write_atomically, path, data)
        return StoredFile(key=key, size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest())

    def _write_atomically(self, path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
        _fsync_directory(path.parent)

    async def get(self, key: str) -> bytes:
        path = self.path_of(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            raise StoredFileNotFoundError(f"no file {key!r}") from None

    async def stream(self, key: str, chunk_size: int = DEFAULT_CHUNK) -> AsyncIterator[bytes]:
        path = self.path_of(key)
        try:
            handle: BinaryIO = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise StoredFileNotFoundError(f"no file {key!r}") from None
        try:
            while chunk := await asyncio.to_thread(handle.read, chunk_size):
                yield chunk
        finally:
            handle.close()

    async def size(self, key: str) -> int:
        path = self.path_of(key)
        try:
            return (await asyncio.to_thread(path.stat)).st_size
        except FileNotFoundError:
            raise StoredFileNotFoundError(f"no file {key!r}") from None

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self.path_of(key).is_file)

    async def delete(self, key: str) -> bool:
        path = self.path_of(key)
        try:
            await asyncio.to_thread(path.unlink)
        except FileNotFoundError:
            return False
        return True

    async def keys(self, prefix: str) -> list[str]:
        validate_prefix(prefix)
        directory = self.root / prefix[:2]
        return await asyncio.to_thread(_listed, directory, prefix)


def _listed(directory: Path, prefix: str) -> list[str]:
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    # A temporary file of a write in progress starts with a dot: never a key.
    return sorted(name for name in names if name.startswith(prefix))


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
