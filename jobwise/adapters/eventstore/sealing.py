"""Sealing personal event data with its owner's key, so erasing the key erases the data.

``SealingEventStore`` wraps any event store. On the way in, an event its metadata says
a user caused (``metadata.user_id``) has its data, and the personal parts of its
metadata (``ip``, ``user_agent``), replaced by one AES-GCM box under that user's key::

    {"sealed": "v1.<base64 of nonce + ciphertext>"}

The box's associated data is the event's id, stream and type, so a box cannot be moved
to another event. The chain hashes the event as stored, sealed: destroying the key later
changes nothing the chain covers, and ``verify --chain`` stays clean.

On the way out, every read (``read_stream``, ``read_all``, ``subscribe``) opens the box
again. When the key is gone the event comes out *erased* (``domain.erasure.is_erased``):
its data empty, its metadata marked. Events stored before sealing existed pass as they are.

What stays readable: stream ids and types, positions, times, the user's id (a random
UUID), request ids, and the events listed in ``UNSEALED_TOPICS``. Checkpoints and other
events no user caused are never sealed.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import AsyncIterator, Iterable, Sequence
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from jobwise.adapters.eventstore.base import AppendResult, EventStore, check_storable
from jobwise.adapters.keys import Keyring
from jobwise.domain.erasure import ERASED_MARK, UNSEALED_TOPICS
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent

SEALED_FIELD = "sealed"
_VERSION_PREFIX = "v1."
_EXACT = b"J"
"""Marks plain text the standard library wrote (orjson's always starts with ``{``)."""
PERSONAL_METADATA = ("ip", "user_agent")
"""Metadata that says who a person is, sealed with the data; the rest stays for audits."""


class SealedEventUnreadable(Exception):
    """A sealed box failed to open under its owner's live key: altered, or a wrong key."""


def is_sealed(data: dict[str, Any]) -> bool:
    return len(data) == 1 and isinstance(data.get(SEALED_FIELD), str)


def _associated(event_id: str, stream_id: str, event_type: str) -> bytes:
    return json.dumps([event_id, stream_id, event_type]).encode()


def seal(event: NewEvent, stream_id: str, metadata: EventMetadata, key: bytes) -> NewEvent:
    """``event`` with its data and personal metadata in one box under ``key``."""
    personal = {name: getattr(metadata, name, None) for name in PERSONAL_METADATA}
    plain = _encoded(
        {"data": event.data, "metadata": {k: v for k, v in personal.items() if v is not None}}
    )
    nonce = os.urandom(12)
    box = nonce + AESGCM(key).encrypt(
        nonce, plain, _associated(event.event_id, stream_id, event.type)
    )
    kept = metadata.model_dump(exclude_none=True, exclude=set(PERSONAL_METADATA))
    return NewEvent(
        type=event.type,
        data={SEALED_FIELD: _VERSION_PREFIX + base64.b64encode(box).decode()},
        event_id=event.event_id,
        metadata=EventMetadata(**kept),
    )


def opened(event: RecordedEvent, key: bytes | None) -> RecordedEvent:
    """``event`` as it was before sealing, or erased when ``key`` is None."""
    metadata = event.metadata.model_dump(exclude_none=True)
    if key is None:
        metadata[ERASED_MARK] = True
        return event.model_copy(update={"data": {}, "metadata": EventMetadata(**metadata)})
    text = event.data[SEALED_FIELD]
    if not text.startswith(_VERSION_PREFIX):
        raise SealedEventUnreadable(f"event {event.event_id}: unknown seal {text[:8]!r}")
    try:
        box = base64.b64decode(text[len(_VERSION_PREFIX) :], validate=True)
        plain = AESGCM(key).decrypt(
            box[:12], box[12:], _associated(event.event_id, event.stream_id, event.type)
        )
    except (InvalidTag, ValueError):  # binascii.Error is a ValueError
        raise SealedEventUnreadable(f"event {event.event_id} does not open") from None
    content = _decoded(plain)
    metadata.update(content["metadata"])
    return event.model_copy(update={"data": content["data"], "metadata": EventMetadata(**metadata)})


def _encoded(content: dict[str, Any]) -> bytes:
    # orjson is several times faster on a resume-sized event. What it refuses (an integer
    # past 64 bits) the standard library writes, marked, so it is read back exactly too.
    try:
        return orjson.dumps(content)
    except orjson.JSONEncodeError:
        return _EXACT + json.dumps(content, separators=(",", ":")).encode()


def _decoded(plain: bytes) -> Any:
    if plain.startswith(_EXACT):
        return json.loads(plain[len(_EXACT) :])
    return orjson.loads(plain)


class EventOpener:
    """Opens sealed events read straight from the database (queries, audits, exports)."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring

    async def open(self, event: RecordedEvent) -> RecordedEvent:
        owner = event.metadata.user_id
        if owner is None or event.type in UNSEALED_TOPICS:
            return event
        if is_sealed(event.data):
            return opened(event, await self.keyring.key_to_open(owner))
        if await self.keyring.is_destroyed(owner):
            # Stored in the clear before sealing existed: it stays in the log, but no
            # reader (views, replays, audits) may use an erased user's data any more.
            return opened(event, None)
        return event

    async def open_all(self, events: Iterable[RecordedEvent]) -> list[RecordedEvent]:
        return [await self.open(event) for event in events]


class SealingEventStore:
    """An event store that seals what users cause and opens it again when read.

    Everything it does not redefine (``head_position``, ``wait_beyond``, the log's
    export and import, which move events sealed as stored) goes to ``inner`` as is.
    """

    def __init__(self, inner: EventStore, keyring: Keyring) -> None:
        self.inner = inner
        self.keyring = keyring
        self.opener = EventOpener(keyring)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int,
        *,
        stream_type: str,
        metadata: EventMetadata | None = None,
    ) -> AppendResult:
        check_storable(stream_id, events)  # on the plain data, to name the bad field
        sealed = [await self._sealed(stream_id, event, metadata) for event in events]
        return await self.inner.append(
            stream_id, sealed, expected_version, stream_type=stream_type, metadata=None
        )

    async def _sealed(
        self, stream_id: str, event: NewEvent, shared: EventMetadata | None
    ) -> NewEvent:
        own = event.metadata.model_dump(exclude_none=True) if event.metadata else {}
        base = shared.model_dump(exclude_none=True) if shared else {}
        merged = EventMetadata(**{**base, **own})
        if merged.user_id is None or event.type in UNSEALED_TOPICS:
            return event.model_copy(update={"metadata": merged})
        key = await self.keyring.key_to_seal(merged.user_id)
        return seal(event, stream_id, merged, key)

    async def read_stream(
        self, stream_id: str, after_version: int = 0, to_version: int | None = None
    ) -> list[RecordedEvent]:
        found = await self.inner.read_stream(stream_id, after_version, to_version)
        return await self.opener.open_all(found)

    async def read_all(self, after_position: int = 0, limit: int = 1000) -> list[RecordedEvent]:
        return await self.opener.open_all(await self.inner.read_all(after_position, limit))

    async def head_position(self) -> int:
        return await self.inner.head_position()

    async def wait_beyond(self, position: int, max_wait: float) -> int:
        return await self.inner.wait_beyond(position, max_wait)

    def subscribe(self, after_position: int = 0, batch: int = 500) -> AsyncIterator[RecordedEvent]:
        return self._opened(self.inner.subscribe(after_position, batch))

    async def _opened(self, events: AsyncIterator[RecordedEvent]) -> AsyncIterator[RecordedEvent]:
        async for event in events:
            yield await self.opener.open(event)

    async def close(self) -> None:
        await self.inner.close()
