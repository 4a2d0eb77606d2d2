"""The hash chain names the first broken link: an event altered, deleted, reordered, or
moved to another stream's link, in the database and in an export file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.chain_scan import BrokenLink, ChainScanner, scan
from jobwise.adapters.eventstore.log_file import BadLogFile, header, line, read_events
from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.domain.events import NewEvent

Mongo = tuple[AsyncMongoClient[Any], AsyncDatabase[Any]]


@pytest.fixture
async def store(mongo: Mongo) -> AsyncIterator[MongoEventStore]:
    client, database = mongo
    opened = await MongoEventStore.open(client, database, follow_changes=False)
    # Eight events over two streams: positions 1..8, streams a (1,2,5,6) and b (3,4,7,8).
    for version in (0, 2):
        for stream in ("a", "b"):
            events = [NewEvent(type="Noted", data={"n": f"{stream}{version + i}"}) for i in (1, 2)]
            await opened.append(stream, events, version, stream_type="note")
    yield opened
    await opened.close()


async def _scan_db(store: MongoEventStore) -> BrokenLink | None:
    _, broken = await scan(store.stored_events(0, batch=3))
    return broken


async def test_an_untouched_log_scans_clean(store: MongoEventStore) -> None:
    scanner, broken = await scan(store.stored_events(0))
    assert broken is None
    assert (scanner.count, scanner.head) == (8, 8)


async def test_altered_data_is_named_at_its_position(store: MongoEventStore, mongo: Mongo) -> None:
    await mongo[1]["events"].update_one({"position": 5}, {"$set": {"data.n": "forged"}})

    broken = await _scan_db(store)

    assert broken is not None and (broken.position, broken.kind) == (5, "altered")


async def test_a_rehashed_alteration_breaks_the_next_link(
    store: MongoEventStore, mongo: Mongo
) -> None:
    """A forger who recomputes the altered event's own hash still breaks the next link."""
    from jobwise.adapters.eventstore.chain import recompute

    (event,) = [e for e in await store.read_all(0) if e.position == 5]
    forged = event.model_copy(update={"data": {"n": "forged"}})
    await mongo[1]["events"].update_one(
        {"position": 5}, {"$set": {"data.n": "forged", "hash": recompute(forged)}}
    )

    broken = await _scan_db(store)

    assert broken is not None and (broken.position, broken.kind) == (5, "altered")
    assert "6" in broken.detail


async def test_a_deleted_event_is_a_gap(store: MongoEventStore, mongo: Mongo) -> None:
    await mongo[1]["events"].delete_one({"position": 4})

    broken = await _scan_db(store)

    assert broken is not None and (broken.position, broken.kind) == (4, "deleted")


async def test_two_swapped_positions_are_reordered(store: MongoEventStore, mongo: Mongo) -> None:
    events = mongo[1]["events"]
    await events.update_one({"position": 6}, {"$set": {"position": -6}})
    await events.update_one({"position": 7}, {"$set": {"position": 6}})
    await events.update_one({"position": -6}, {"$set": {"position": 7}})

    broken = await _scan_db(store)

    assert broken is not None and (broken.position, broken.kind) == (6, "reordered")


async def test_an_event_moved_to_another_stream_breaks_the_stream_link(
    store: MongoEventStore,
) -> None:
    """Re-chained globally (hashes all valid) but placed in the wrong stream's sequence."""
    from jobwise.adapters.eventstore.chain import recompute

    log = [e async for e in store.stored_events(0)]
    # Event 3 claims to follow stream a's v2 (event 2) instead of starting stream b.
    prev: str | None = None
    rebuilt = []
    for event in log:
        update: dict[str, Any] = {"prev_hash": prev}
        if event.position == 3:
            update["stream_prev_hash"] = log[1].hash
        moved = event.model_copy(update=update)
        moved = moved.model_copy(update={"hash": recompute(moved)})
        rebuilt.append(moved)
        prev = moved.hash

    scanner = ChainScanner()
    breaks = [scanner.feed(e) for e in rebuilt]

    first = next(b for b in breaks if b is not None)
    assert (first.position, first.kind) == (3, "stream link")


async def _export(store: MongoEventStore) -> list[bytes]:
    return [header(0)] + [line(e) async for e in store.stored_events(0)]


async def _scan_file(path: Path) -> BrokenLink | None:
    with path.open("rb") as stream:
        after, events = read_events(stream)
        _, broken = await scan(events, ChainScanner(after=after))
    return broken


async def test_an_export_file_scans_clean_and_names_each_tampering(
    store: MongoEventStore, tmp_path: Path
) -> None:
    path = tmp_path / "log.jsonl"
    lines = await _export(store)
    path.write_bytes(b"".join(lines))
    assert await _scan_file(path) is None

    path.write_bytes(b"".join(lines).replace(b'"n":"b3"', b'"n":"zz"'))
    altered = await _scan_file(path)
    assert altered is not None and (altered.position, altered.kind) == (7, "altered")

    path.write_bytes(b"".join(lines[:3] + lines[4:]))
    deleted = await _scan_file(path)
    assert deleted is not None and (deleted.position, deleted.kind) == (3, "deleted")

    path.write_bytes(b"".join([*lines[:5], lines[6], lines[5], *lines[7:]]))
    swapped = await _scan_file(path)
    assert swapped is not None and (swapped.position, swapped.kind) == (5, "reordered")


async def test_a_file_without_the_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'{"position": 1}\n')

    with pytest.raises(BadLogFile, match="header"):
        await _scan_file(path)


async def test_checkpoints_are_signed_and_a_forged_one_is_named(
    store: MongoEventStore, mongo: Mongo, tmp_path: Path
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from jobwise.adapters.eventstore.checkpoints import (
        CheckpointCheck,
        load_or_create_key,
        write_checkpoint,
    )

    key = load_or_create_key(tmp_path / "chain-key.pem")
    assert (tmp_path / "chain-key.pem").stat().st_mode & 0o777 == 0o600
    written = await write_checkpoint(store, key)
    assert written is not None and written.last_position == 9
    assert await write_checkpoint(store, key) is None  # the head is that checkpoint

    scanner, broken = await scan(
        store.stored_events(0), ChainScanner(checkpoints=CheckpointCheck(key.public_key()))
    )
    assert broken is None and scanner.checkpoints is not None
    assert scanner.checkpoints.checked == 1

    # Signed by someone else's key: the chain itself is intact, the signature is not ours.
    other = Ed25519PrivateKey.generate()
    await store.append("a", [NewEvent(type="Noted", data={"n": "a5"})], 4, stream_type="note")
    await write_checkpoint(store, other)
    strict = ChainScanner(checkpoints=CheckpointCheck(key.public_key()))
    _, forged = await scan(store.stored_events(0), strict)
    assert forged is not None and (forged.position, forged.kind) == (11, "forged checkpoint")
