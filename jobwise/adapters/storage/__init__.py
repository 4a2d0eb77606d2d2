"""File storage behind a port (``FileStore``): rendered documents and thumbnails.

``LocalFileStore.under_data_dir(settings.data_dir)`` is the default (files under
``$JOBWISE_DATA_DIR/files``). Keys come from ``new_key``/``content_key``, never from
user input; anything path-like is refused with ``InvalidKeyError``.
"""

from jobwise.adapters.storage.errors import InvalidKeyError, StorageError, StoredFileNotFoundError
from jobwise.adapters.storage.keys import (
    content_key,
    new_key,
    scope_prefix,
    scoped_key,
    validate_key,
    validate_prefix,
)
from jobwise.adapters.storage.local import LocalFileStore
from jobwise.adapters.storage.memory import MemoryFileStore
from jobwise.adapters.storage.port import FileStore, StoredFile

__all__ = [
    "FileStore",
    "InvalidKeyError",
    "LocalFileStore",
    "MemoryFileStore",
    "StorageError",
    "StoredFile",
    "StoredFileNotFoundError",
    "content_key",
    "new_key",
    "scope_prefix",
    "scoped_key",
    "validate_key",
    "validate_prefix",
]
