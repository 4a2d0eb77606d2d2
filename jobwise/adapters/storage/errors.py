"""Storage failures, as plain exceptions."""

from __future__ import annotations


class StorageError(Exception):
    """The file store could not do what was asked."""


class InvalidKeyError(StorageError, ValueError):
    """A key that is not one of ours: anything path-like is refused, never resolved."""


class StoredFileNotFoundError(StorageError, FileNotFoundError):
    """No file under this key."""
