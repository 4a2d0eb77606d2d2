"""Per-user data keys, kept outside the events: destroying one erases that user's data.

Each user's personal event data is sealed with the user's own 256-bit AES-GCM key
(``eventstore/sealing``). The keys live in their own collection (``user_keys``), never
in the log, so the log can be exported, copied and verified while a key can still be
destroyed: an erased user's events stay in place, hashed and chained, but unreadable.

With ``JOBWISE_MASTER_KEY`` set (32 bytes, base64), every stored key is wrapped with it,
so a copy of the database alone opens nothing. Without it the keys are stored as they
are (the embedded default): erasure still works, but a stolen database opens its events.

A destroyed key leaves a tombstone (``destroyed_at``, no key), so a request still in
flight for an erased user can never mint a fresh key and write readable data again.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from cachetools import TTLCache
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from jobwise.domain.erasure import AccountErasedError, EmailReleased, is_erased
from jobwise.domain.events import RecordedEvent, utc_now
from jobwise.domain.user import email_stream

KEYS_COLLECTION = "user_keys"
EMAIL_PEPPER_ID = "~email-streams"
"""The secret that names email reservation streams (never a user id: ids are UUIDs)."""
KEY_BYTES = 32
_CACHED_KEYS = 50_000
_CACHE_SECONDS = 60.0
_WRAP_LABEL = b"jobwise user key"


@dataclass(frozen=True)
class StoredKey:
    owner: str
    material: bytes | None
    """The key as stored (wrapped when there is a master key); None once destroyed."""
    destroyed_at: datetime | None = None


class KeyStorage(Protocol):
    async def get(self, owner: str) -> StoredKey | None: ...

    async def create(self, owner: str, material: bytes) -> StoredKey:
        """Store ``material`` unless ``owner`` already has a key (or a tombstone): the
        first writer wins and every caller gets what is stored."""
        ...

    async def destroy(self, owner: str) -> None:
        """Replace the key with a tombstone (idempotent; a tombstone stays)."""
        ...

    def every(self) -> AsyncIterator[StoredKey]:
        """Every key and tombstone, by owner."""
        ...


class MemoryKeyStorage:
    def __init__(self) -> None:
        self._keys: dict[str, StoredKey] = {}

    async def get(self, owner: str) -> StoredKey | None:
        return self._keys.get(owner)

    async def create(self, owner: str, material: bytes) -> StoredKey:
        return self._keys.setdefault(owner, StoredKey(owner, material))

    async def destroy(self, owner: str) -> None:
        known = self._keys.get(owner)
        if known is None or known.material is not None:
            self._keys[owner] = StoredKey(owner, None, utc_now())

    async def every(self) -> AsyncIterator[StoredKey]:
        for owner in sorted(self._keys):
            yield self._keys[owner]


class MongoKeyStorage:
    def __init__(self, collection: AsyncCollection[Any]) -> None:
        self._keys = collection

    async def get(self, owner: str) -> StoredKey | None:
        found = await self._keys.find_one({"_id": owner})
        return None if found is None else _stored(found)

    async def create(self, owner: str, material: bytes) -> StoredKey:
        with contextlib.suppress(DuplicateKeyError):  # another process made it first
            await self._keys.insert_one({"_id": owner, "key": material, "created_at": utc_now()})
        stored = await self.get(owner)
        assert stored is not None  # keys are never deleted, only tombstoned
        return stored

    async def destroy(self, owner: str) -> None:
        # $min keeps the first destruction's time when erasure is resumed.
        await self._keys.update_one(
            {"_id": owner},
            {"$set": {"key": None}, "$min": {"destroyed_at": utc_now()}},
            upsert=True,
        )

    async def every(self) -> AsyncIterator[StoredKey]:
        async for document in self._keys.find().sort("_id", 1):
            yield _stored(document)


def _stored(document: dict[str, Any]) -> StoredKey:
    material = document.get("key")
    return StoredKey(
        document["_id"], None if material is None else bytes(material), document.get("destroyed_at")
    )


class MasterKey:
    """Wraps stored keys (AES-GCM, the owner as associated data: keys cannot be swapped)."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != 32:
            raise ValueError("the master key must be 32 bytes (base64 of 32 random bytes)")
        self._aead = AESGCM(secret)

    @classmethod
    def from_base64(cls, text: str) -> MasterKey:
        try:
            secret = base64.b64decode(text.strip(), validate=True)
        except ValueError as error:
            raise ValueError("JOBWISE_MASTER_KEY is not base64") from error
        return cls(secret)

    def wrap(self, owner: str, key: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, key, _WRAP_LABEL + owner.encode())

    def unwrap(self, owner: str, wrapped: bytes) -> bytes:
        return self._aead.decrypt(wrapped[:12], wrapped[12:], _WRAP_LABEL + owner.encode())


@dataclass(frozen=True)
class _Known:
    key: bytes | None
    destroyed: bool = False
    """Destroyed (a tombstone), as opposed to never made (no key yet)."""


class KeyMismatch(ValueError):
    """A stored or imported key does not fit this installation's master key (or its lack)."""


class Keyring:
    """The data keys, cached in memory; ``forget`` drops one another process destroyed."""

    def __init__(self, storage: KeyStorage, master: MasterKey | None = None) -> None:
        self._storage = storage
        self._master = master
        # Kept a minute at most: a process that missed the news of a destroyed key
        # (``KeyNews``) stops opening that user's events within the minute anyway.
        self._cache: TTLCache[str, _Known] = TTLCache(_CACHED_KEYS, _CACHE_SECONDS)
        self._changes: dict[str, int] = {}
        """Per owner, how often it was destroyed or forgotten here: a lookup that was
        waiting on the database meanwhile must not put back what it read before."""

    async def key_to_seal(self, owner: str) -> bytes:
        """``owner``'s key, made on first use; raises ``AccountErasedError`` once destroyed."""
        known = await self._known(owner)
        if known.key is None and not known.destroyed:
            fresh = AESGCM.generate_key(bit_length=256)
            material = fresh if self._master is None else self._master.wrap(owner, fresh)
            changes = self._changes.get(owner, 0)
            known = self._plain(await self._storage.create(owner, material))
            self._remember(owner, known, changes)
        if known.key is None:
            raise AccountErasedError(owner)
        return known.key

    async def key_to_open(self, owner: str) -> bytes | None:
        """``owner``'s key, or None when it was destroyed (or never made)."""
        # A key another process made since this one last looked may be missing from the
        # cache: an event sealed with it is the proof, so "never made" is read again.
        return (await self._known(owner, trust_absent=False)).key

    async def is_destroyed(self, owner: str) -> bool:
        """True once ``owner``'s key was destroyed (never made is not destroyed)."""
        return (await self._known(owner)).destroyed

    async def destroy(self, owner: str) -> None:
        self._changes[owner] = self._changes.get(owner, 0) + 1
        await self._storage.destroy(owner)
        self._cache[owner] = _Known(None, destroyed=True)

    def forget(self, owner: str) -> None:
        """Drop what is cached for ``owner`` (told that another process destroyed it)."""
        self._changes[owner] = self._changes.get(owner, 0) + 1
        self._cache.pop(owner, None)

    def stored(self) -> AsyncIterator[StoredKey]:
        """Every key as stored (wrapped when there is a master key) and every tombstone:
        what ``export-keys`` writes."""
        return self._storage.every()

    async def restore(self, stored: StoredKey) -> str:
        """Take a key (or tombstone) from another installation's export: "added", "same",
        "destroyed" (a tombstone always wins: an erasure is never undone) or "conflict"
        (this installation holds another key for the owner, and keeps it). Raises
        ``KeyMismatch`` for a key this installation's master key cannot unwrap."""
        known = await self._storage.get(stored.owner)
        if stored.material is None:
            if known is not None and known.material is None:
                return "same"
            await self.destroy(stored.owner)
            return "destroyed"
        self._plain(stored)  # refused before anything is stored
        if known is None:
            await self._storage.create(stored.owner, stored.material)
            self.forget(stored.owner)
            return "added"
        if known.material is None or known.material == stored.material:
            return "same"
        return "conflict"

    async def _known(self, owner: str, *, trust_absent: bool = True) -> _Known:
        cached = self._cache.get(owner)
        if cached is not None and (trust_absent or cached.key is not None or cached.destroyed):
            return cached
        changes = self._changes.get(owner, 0)
        stored = await self._storage.get(owner)
        known = _Known(None) if stored is None else self._plain(stored)
        self._remember(owner, known, changes)
        return known

    def _remember(self, owner: str, known: _Known, changes: int) -> None:
        if self._changes.get(owner, 0) == changes:  # nothing was destroyed meanwhile
            self._cache[owner] = known

    def _plain(self, stored: StoredKey) -> _Known:
        if stored.material is None:
            return _Known(None, destroyed=True)
        if self._master is None:
            if len(stored.material) != KEY_BYTES:
                raise KeyMismatch(f"the key of {stored.owner} is wrapped: set JOBWISE_MASTER_KEY")
            return _Known(stored.material)
        try:
            return _Known(self._master.unwrap(stored.owner, stored.material))
        except (InvalidTag, ValueError):
            raise KeyMismatch(
                f"the key of {stored.owner} does not unwrap with this JOBWISE_MASTER_KEY"
            ) from None


def memory_keyring() -> Keyring:
    return Keyring(MemoryKeyStorage())


class StreamReader(Protocol):
    """What ``EmailStreams.holder`` reads: an event store (not imported: it imports this)."""

    async def read_stream(self, stream_id: str) -> list[RecordedEvent]: ...


class EmailStreams:
    """Names each address's reservation stream by a keyed hash, never the address itself:
    stream ids cannot be sealed, and an erased user's address must not stay in the log.

    The hash's secret is kept like a user's key (never destroyed). Streams named by the
    plain address before this existed are still read (``domain.user.email_stream``)."""

    PREFIX = "email-h-"

    def __init__(self, keyring: Keyring) -> None:
        self._keyring = keyring

    async def stream_of(self, normalized_email: str) -> str:
        """The address's stream; the secret is made on the first registration."""
        return self._named(await self._keyring.key_to_seal(EMAIL_PEPPER_ID), normalized_email)

    async def existing_stream_of(self, normalized_email: str) -> str | None:
        """The address's stream, without making the secret: None before any registration
        (a login or a lookup must not make it: ``import-keys`` would then conflict)."""
        pepper = await self._keyring.key_to_open(EMAIL_PEPPER_ID)
        return None if pepper is None else self._named(pepper, normalized_email)

    async def holder(self, store: StreamReader, normalized_email: str) -> str | None:
        """The id of the user whose reservation holds the address now: None when there is
        none, it was released, or its holder was erased. The keyed-hash stream decides
        when it has events; else the one named by the address (from before it)."""
        for stream in (
            await self.existing_stream_of(normalized_email),
            email_stream(normalized_email),
        ):
            reservations = [] if stream is None else await store.read_stream(stream)
            if reservations:
                last = reservations[-1]
                if last.type == EmailReleased.topic or is_erased(last):
                    return None
                return str(last.data["user_id"])
        return None

    def _named(self, pepper: bytes, normalized_email: str) -> str:
        digest = hmac.new(pepper, normalized_email.encode(), hashlib.sha256).hexdigest()
        return self.PREFIX + digest[:40]
