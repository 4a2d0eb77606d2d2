"""The file-store port: where rendered files (and thumbnails) live.

``GridFSFileStore`` (files in the database, shared by every process on it) and
``LocalFileStore`` (files under the data dir) are the adapters ``JOBWISE_STORAGE``
chooses from; ``MemoryFileStore`` serves tests. An object store can implement the
same protocol. ``tests/contract/test_file_store_contract.py`` holds every adapter
to the same rules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol

from pydantic import BaseModel, ConfigDict

DEFAULT_CHUNK = 64 * 1024


class StoredFile(BaseModel):
    model_config = ConfigDict(frozen=True)

    key: str
    size_bytes: int
    sha256: str


class FileStore(Protocol):
    async def put(self, key: str, data: bytes) -> StoredFile:
        """Store ``data`` under ``key``, replacing any file there, atomically: a reader
        sees the old file or the new one, never a part."""
        ...

    async def get(self, key: str) -> bytes:
        """The whole file; ``StoredFileNotFoundError`` if there is none."""
        ...

    def stream(self, key: str, chunk_size: int = DEFAULT_CHUNK) -> AsyncIterator[bytes]:
        """The file in chunks, for a streamed download."""
        ...

    async def size(self, key: str) -> int: ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> bool:
        """True if a file was there."""
        ...

    async def keys(self, prefix: str) -> list[str]:
        """The keys that start with ``prefix`` (``keys.validate_prefix``), sorted."""
        ...
