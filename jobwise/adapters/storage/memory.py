"""A file store in memory, for tests and for callers that want no disk."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

from jobwise.adapters.storage.errors import StoredFileNotFoundError
from jobwise.adapters.storage.keys import validate_key, validate_prefix
from jobwise.adapters.storage.port import DEFAULT_CHUNK, StoredFile


class MemoryFileStore:
    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}

    async def put(self, key: str, data: bytes) -> StoredFile:
        self._files[validate_key(key)] = bytes(data)
        return StoredFile(key=key, size_bytes=len(data), sha256=hashlib.sha256(data).hexdigest())

    async def get(self, key: str) -> bytes:
        try:
            return self._files[validate_key(key)]
        except KeyError:
            raise StoredFileNotFoundError(f"no file {key!r}") from None

    async def stream(self, key: str, chunk_size: int = DEFAULT_CHUNK) -> AsyncIterator[bytes]:
        data = await self.get(key)
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]

    async def size(self, key: str) -> int:
        return len(await self.get(key))

    async def exists(self, key: str) -> bool:
        return validate_key(key) in self._files

    async def delete(self, key: str) -> bool:
        return self._files.pop(validate_key(key), None) is not None

    async def keys(self, prefix: str) -> list[str]:
        validate_prefix(prefix)
        return sorted(key for key in self._files if key.startswith(prefix))
