"""Sealing events under per-user keys, and the keys themselves (no database)."""

from __future__ import annotations

import asyncio
import base64
import os

import pytest

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.adapters.eventstore.sealing import (
    SealedEventUnreadable,
    SealingEventStore,
    is_sealed,
    opened,
    seal,
)
from jobwise.adapters.keys import KeyMismatch, Keyring, MasterKey, MemoryKeyStorage, StoredKey
from jobwise.domain.erasure import AccountErasedError, is_erased
from jobwise.domain.events import EventMetadata, NewEvent, RecordedEvent, utc_now
from jobwise.settings import SettingsError, load_settings

ADA = EventMetadata(user_id="ada", request_id="r1", ip="198.51.100.4", user_agent="Lynx")


def recorded(event: NewEvent, stream_id: str = "s-1") -> RecordedEvent:
    return RecordedEvent(
        position=1,
        stream_id=stream_id,
        stream_type="profile",
        version=1,
        event_id=event.event_id,
        type=event.type,
        data=event.data,
        metadata=event.metadata or EventMetadata(),
        recorded_at=utc_now(),
    )


def test_a_sealed_event_opens_to_what_it_was_and_only_with_its_key() -> None:
    key = os.urandom(32)
    plain = NewEvent(type="ProfileCreated", data={"name": "Ada \u00e9\x00", "n": 10**30})
    sealed = seal(plain, "s-1", ADA, key)
    # "Ada " with its space: base64 ciphertext can spell "Ada" by chance, never a space.
    assert is_sealed(sealed.data) and "Ada " not in str(sealed.data)
    assert sealed.metadata is not None and sealed.metadata.model_extra == {}
    back = opened(recorded(sealed), key)
    assert back.data == plain.data
    assert back.metadata.model_extra == {"ip": "198.51.100.4", "user_agent": "Lynx"}
    with pytest.raises(SealedEventUnreadable):
        opened(recorded(sealed), os.urandom(32))


def test_a_box_moved_to_another_event_does_not_open() -> None:
    key = os.urandom(32)
    sealed = seal(NewEvent(type="ProfileCreated", data={"a": 1}), "s-1", ADA, key)
    with pytest.raises(SealedEventUnreadable):
        opened(recorded(sealed, stream_id="s-2"), key)


def test_without_its_key_an_event_comes_out_erased() -> None:
    sealed = seal(NewEvent(type="ProfileCreated", data={"a": 1}), "s-1", ADA, os.urandom(32))
    gone = opened(recorded(sealed), None)
    assert is_erased(gone) and gone.data == {} and gone.type == "ProfileCreated"


async def test_a_destroyed_key_is_never_made_again() -> None:
    keyring = Keyring(MemoryKeyStorage())
    store = SealingEventStore(InMemoryEventStore(), keyring)
    await store.append("s-1", [NewEvent(type="Noted", data={"x": 1})], 0, stream_type="t",
                       metadata=ADA)  # fmt: skip
    await keyring.destroy("ada")
    with pytest.raises(AccountErasedError):
        await store.append("s-1", [NewEvent(type="Noted", data={"x": 2})], 1, stream_type="t",
                           metadata=ADA)  # fmt: skip
    (only,) = await store.read_stream("s-1")
    assert is_erased(only)
    assert await keyring.is_destroyed("ada") and not await keyring.is_destroyed("bob")


async def test_events_no_user_caused_stay_in_the_clear() -> None:
    raw = InMemoryEventStore()
    store = SealingEventStore(raw, Keyring(MemoryKeyStorage()))
    await store.append("c-1", [NewEvent(type="Noted", data={"x": 1})], 0, stream_type="t")
    (stored,) = await raw.read_stream("c-1")
    assert stored.data == {"x": 1}


async def test_a_master_key_wraps_what_is_stored() -> None:
    storage = MemoryKeyStorage()
    master = MasterKey(os.urandom(32))
    key = await Keyring(storage, master).key_to_seal("ada")
    stored = await storage.get("ada")
    assert stored is not None and stored.material != key and len(stored.material or b"") == 60
    assert await Keyring(storage, master).key_to_open("ada") == key
    with pytest.raises(KeyMismatch, match="JOBWISE_MASTER_KEY"):
        await Keyring(storage, MasterKey(os.urandom(32))).key_to_open("ada")
    with pytest.raises(KeyMismatch, match="set JOBWISE_MASTER_KEY"):
        await Keyring(storage).key_to_open("ada")  # wrapped, and no master key here


async def test_restoring_keys_never_undoes_an_erasure() -> None:
    keyring = Keyring(MemoryKeyStorage())
    key = await keyring.key_to_seal("ada")
    await keyring.destroy("bob")
    assert await keyring.restore(StoredKey("carol", os.urandom(32))) == "added"
    assert await keyring.restore(StoredKey("ada", key)) == "same"
    assert await keyring.restore(StoredKey("ada", os.urandom(32))) == "conflict"
    assert await keyring.restore(StoredKey("bob", os.urandom(32))) == "same"  # stays erased
    assert await keyring.restore(StoredKey("ada", None)) == "destroyed"
    assert await keyring.key_to_open("ada") is None and await keyring.key_to_open("bob") is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [("not base64!", "base64"), (base64.b64encode(b"short").decode(), "32 bytes")],
)
def test_a_bad_master_key_stops_the_start(value: str, reason: str) -> None:
    with pytest.raises(SettingsError, match="JOBWISE_MASTER_KEY") as refused:
        load_settings({"JOBWISE_MASTER_KEY": value})
    assert reason in str(refused.value)


class GatedStorage(MemoryKeyStorage):
    """Reads that wait at a gate after reading: a database answer still on its way."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.holding = False

    async def get(self, owner: str) -> StoredKey | None:
        found = await super().get(owner)
        if self.holding:
            await self.gate.wait()
        return found


async def test_a_lookup_in_flight_never_brings_a_destroyed_key_back() -> None:
    storage = GatedStorage()
    await Keyring(storage).key_to_seal("ada")  # made by another process
    keyring = Keyring(storage)
    storage.holding = True
    lookup = asyncio.create_task(keyring.key_to_open("ada"))
    await asyncio.sleep(0)  # it has read the live key, and waits
    storage.holding = False
    await keyring.destroy("ada")
    storage.gate.set()
    assert await lookup is not None  # what it read, from before the destruction
    assert await keyring.is_destroyed("ada")
    with pytest.raises(AccountErasedError):
        await keyring.key_to_seal("ada")
