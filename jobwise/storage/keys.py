"""Storage keys: generated, never taken from a user, and checked all the same.

A key is a flat name, ``[a-z0-9]`` then up to 127 of ``[a-z0-9_-]``, with an optional
extension ``.xyz``: no slash, no backslash, no ``..``, no leading dot, nothing a file
system could read as a path. Keys are made by ``new_key`` (a random id) or
``content_key`` (a hash), so user input never reaches the file system.
"""

from __future__ import annotations

import hashlib
import re
import uuid

from jobwise.storage.errors import InvalidKeyError

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,127}(\.[a-z0-9]{1,8})?")


def validate_key(key: object) -> str:
    if not isinstance(key, str) or _KEY.fullmatch(key) is None:
        raise InvalidKeyError(f"not a storage key: {key!r}")
    return key


def _extension(extension: str) -> str:
    clean = extension.lstrip(".")
    if clean and not re.fullmatch(r"[a-z0-9]{1,8}", clean):
        raise InvalidKeyError(f"not a file extension: {extension!r}")
    return f".{clean}" if clean else ""


def new_key(extension: str = "", *, prefix: str = "") -> str:
    """A fresh random key, e.g. ``doc-3f2a...c9.pdf``."""
    stem = f"{prefix}-{uuid.uuid4().hex}" if prefix else uuid.uuid4().hex
    return validate_key(stem + _extension(extension))


def content_key(digest_or_data: str | bytes, extension: str = "") -> str:
    """A key named by content: a SHA-256 hex digest as given, or the hash of bytes."""
    if isinstance(digest_or_data, bytes):
        digest = hashlib.sha256(digest_or_data).hexdigest()
    elif re.fullmatch(r"[0-9a-f]{16,128}", digest_or_data):
        digest = digest_or_data
    else:
        raise InvalidKeyError("a content key needs a lowercase hex digest or bytes")
    return validate_key(digest + _extension(extension))
