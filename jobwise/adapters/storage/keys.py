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

from jobwise.adapters.storage.errors import InvalidKeyError

_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,127}(\.[a-z0-9]{1,8})?")
_PREFIX = re.compile(r"[a-z0-9][a-z0-9_-]{1,127}")
_SCOPE = re.compile(r"[a-z0-9]{8,40}")


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


def validate_prefix(prefix: object) -> str:
    """A key prefix to list by: at least two characters of a key's stem (the local store
    fans out by the first two, so a listing reads one directory)."""
    if not isinstance(prefix, str) or _PREFIX.fullmatch(prefix) is None:
        raise InvalidKeyError(f"not a storage key prefix: {prefix!r}")
    return prefix


def scope_of(owner_id: str) -> str:
    """The key prefix of the files that belong to one owner (a document): its id's hex
    digits, so ``keys(scope_prefix(...))`` finds them all and nothing of anyone else's."""
    scope = owner_id.replace("-", "").lower()
    if _SCOPE.fullmatch(scope) is None:
        raise InvalidKeyError("a scope needs an id of 8 to 40 hex digits or letters")
    return scope


def scope_prefix(owner_id: str) -> str:
    """What every key of ``scoped_key(owner_id, ...)`` starts with."""
    return f"{scope_of(owner_id)}-"


def scoped_key(owner_id: str, digest: str, extension: str = "") -> str:
    """A content key that belongs to one owner: ``<owner hex>-<digest>.<ext>``.

    The same content of two owners is two files, so deleting one owner's files never
    takes another's.
    """
    if not re.fullmatch(r"[0-9a-f]{16,64}", digest):
        raise InvalidKeyError("a scoped key needs a lowercase hex digest")
    return validate_key(scope_prefix(owner_id) + digest + _extension(extension))
