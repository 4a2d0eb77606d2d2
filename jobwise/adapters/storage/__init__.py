"""File storage behind a port (``FileStore``): rendered documents and thumbnails.

``JOBWISE_STORAGE`` chooses the adapter (``bootstrap.file_store``): ``GridFSFileStore``
keeps files in the database (the default with ``MONGODB_URL``, so every process on it
serves every file); ``LocalFileStore.under_data_dir(settings.data_dir)`` keeps them
under ``$JOBWISE_DATA_DIR/files`` (the default on the embedded server). Keys come from
``new_key``/``content_key``, never from user input; anything path-like is refused with
``InvalidKeyError``.
"""

from jobwise.adapters.storage.errors import InvalidKeyError, StorageError, StoredFileNotFoundError
from jobwise.adapters.storage.gridfs import GridFSFileStore
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
    "GridFSFileStore",
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
