"""Hash-chain figures: stamping cost per event, concurrent appends, verify online and
offline, export and import rates and peak memory.

    .venv/bin/python -m bench.chain [EVENTS]     (default 100000)
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.common import embedded, event_store, mongo, sample_event
from jobwise.adapters.eventstore.chain_scan import ChainScanner, scan
from jobwise.adapters.eventstore.log_file import header, line, read_events
from jobwise.adapters.eventstore.stamping import stamp
from jobwise.domain.events import RecordedEvent, utc_now

_STAMPED = 20_000
_APPEND = 100


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stamping() -> None:
    events = [sample_event(n) for n in range(_STAMPED)]
    now = utc_now()
    started = time.perf_counter()
    for n, event in enumerate(events):
        stamp(
            "s",
            "job",
            [event],
            first_version=1,
            first_position=n + 1,
            metadata=None,
            recorded_at=now,
            prev_hash="0" * 64,
        )
    chained = (time.perf_counter() - started) / _STAMPED * 1e6
    started = time.perf_counter()
    for n, event in enumerate(events):  # what stamping built before the chain
        RecordedEvent(position=n + 1, stream_id="s", stream_type="job", version=1,
                      event_id=event.event_id, type=event.type, data=event.data,
                      metadata={}, recorded_at=now)  # fmt: skip
    plain = (time.perf_counter() - started) / _STAMPED * 1e6
    print(f"stamping: {plain:.1f} us/event without hashes, {chained:.1f} us/event chained")


async def log_figures(url: str, count: int, work: Path) -> None:
    async with mongo(url, "chain_bench") as (client, db), event_store(client, db) as store:
        started = time.perf_counter()

        async def writer(w: int) -> None:
            for i in range(count // _APPEND // 8):
                events = [sample_event(i * _APPEND + k) for k in range(_APPEND)]
                await store.append(f"w{w}-{i}", events, 0, stream_type="job")

        await asyncio.gather(*(writer(w) for w in range(8)))
        head = await store.head_position()
        seconds = time.perf_counter() - started
        print(f"append (8 writers, {_APPEND}/append): {head / seconds:,.0f} events/s")

        started = time.perf_counter()
        scanner, broken = await scan(store.stored_events(0))
        assert broken is None, broken
        print(f"verify --chain online: {scanner.count / (time.perf_counter() - started):,.0f} "
              f"events/s, peak RSS {_rss_mb():.0f} MB")  # fmt: skip

        path = work / "log.jsonl"
        started = time.perf_counter()
        with path.open("wb") as out:
            out.write(header(0))
            async for event in store.stored_events(0):
                out.write(line(event))
        print(f"export: {head / (time.perf_counter() - started):,.0f} events/s, "
              f"{path.stat().st_size / 1e6:.0f} MB, peak RSS {_rss_mb():.0f} MB")  # fmt: skip

        started = time.perf_counter()
        with path.open("rb") as stream:
            after, events = read_events(stream)
            scanner, broken = await scan(events, ChainScanner(after=after))
        print(f"verify --chain offline: {scanner.count / (time.perf_counter() - started):,.0f} "
              f"events/s, peak RSS {_rss_mb():.0f} MB")  # fmt: skip

    async with mongo(url, "chain_import") as (client, db), event_store(client, db) as target:
        started = time.perf_counter()
        with path.open("rb") as stream:
            _, events = read_events(stream)
            batch: list[RecordedEvent] = []
            async for event in events:
                batch.append(event)
                if len(batch) == 1000:
                    await target.import_recorded(batch)
                    batch = []
            await target.import_recorded(batch)
        print(f"import: {head / (time.perf_counter() - started):,.0f} events/s, "
              f"peak RSS {_rss_mb():.0f} MB")  # fmt: skip


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    stamping()
    with embedded(False) as server, tempfile.TemporaryDirectory() as work:
        asyncio.run(log_figures(server.url, count, Path(work)))


if __name__ == "__main__":
    main()
