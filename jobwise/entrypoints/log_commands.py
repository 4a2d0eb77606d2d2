"""``jobwise verify --chain``, ``export-events``, ``import-events``: proving and moving the log."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Iterator
from typing import IO, TYPE_CHECKING, Any, Protocol, cast

from jobwise.adapters.eventstore.base import ImportConflict
from jobwise.adapters.eventstore.chain_scan import BrokenLink, ChainScanner, scan
from jobwise.adapters.eventstore.log_file import BadLogFile, header, line, read_events
from jobwise.domain.events import RecordedEvent
from jobwise.settings import Settings

if TYPE_CHECKING:
    from jobwise.bootstrap import Runtime

_IMPORT_BATCH = 1000


class MovableLog(Protocol):
    """What a store (or a store wrapping one) offers to move the log: it must delegate both."""

    def stored_events(self, after: int = 0, batch: int = 1000) -> AsyncIterator[RecordedEvent]: ...

    async def import_recorded(self, events: list[RecordedEvent]) -> int: ...


def add_log_commands(commands: Any) -> None:
    export_cmd = commands.add_parser(
        "export-events",
        help="write the event log as stored (hashes included) as JSON lines",
        description="Stream every event after --after, as stored, to a JSON-lines file.",
    )
    export_cmd.add_argument("--after", type=int, default=0, metavar="N", help="resume after N")
    export_cmd.add_argument("--to", default="-", metavar="FILE", help="file, or - for stdout")
    export_cmd.set_defaults(run=export_events)
    import_cmd = commands.add_parser(
        "import-events",
        help="import an export into this database (resumable; refuses a broken chain)",
        description=(
            "Store the events of an export exactly (positions, ids, hashes). Events already "
            "stored are skipped; one that differs is a conflict (exit 1). Then run "
            "`jobwise rebuild` (or start the server) to build the read models."
        ),
    )
    import_cmd.add_argument("file", metavar="FILE", help="an export file, or - for stdin")
    import_cmd.set_defaults(run=import_events)


def add_chain_options(verify_cmd: argparse.ArgumentParser) -> None:
    verify_cmd.add_argument(
        "--chain", action="store_true", help="check the hash chain instead of the read models"
    )
    verify_cmd.add_argument(
        "--from",
        dest="source",
        metavar="FILE",
        help="with --chain: check an export file (or - for stdin), offline",
    )


def _movable(runtime: Runtime) -> MovableLog:
    return cast(MovableLog, runtime.store)


@contextlib.contextmanager
def _opened(name: str, mode: str) -> Iterator[IO[bytes]]:
    if name == "-":
        yield sys.stdout.buffer if "w" in mode else sys.stdin.buffer
        return
    with open(name, mode) as file:
        yield cast(IO[bytes], file)


def _report(scanner: ChainScanner, broken: BrokenLink | None, started: float) -> int:
    if broken is not None:
        print(f"verify --chain: broken link at {broken}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    print(
        f"verify --chain: {scanner.count} events chained, head {scanner.head} "
        f"{scanner.prev_hash or '-'} ({seconds:.2f}s)"
    )
    return 0


def verify_chain(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    if args.source:
        return _verify_file(args.source, started)
    from jobwise.entrypoints.cli import _run_tool

    async def work(runtime: Runtime) -> int:
        scanner, broken = await scan(_movable(runtime).stored_events(0))
        return _report(scanner, broken, started)

    return _run_tool(settings, work)


def _verify_file(source: str, started: float) -> int:
    try:
        with _opened(source, "rb") as stream:
            after, events = read_events(stream)
            scanner, broken = asyncio.run(scan(events, ChainScanner(after=after)))
    except (OSError, BadLogFile) as error:
        print(f"jobwise: {error}", file=sys.stderr)
        return 2
    return _report(scanner, broken, started)


def export_events(args: argparse.Namespace, settings: Settings) -> int:
    from jobwise.entrypoints.cli import _run_tool

    async def work(runtime: Runtime) -> int:
        count = 0
        with _opened(args.to, "wb") as out:
            out.write(header(args.after))
            async for event in _movable(runtime).stored_events(args.after):
                out.write(line(event))
                count += 1
        print(f"exported {count} events after position {args.after}", file=sys.stderr)
        return 0

    return _run_tool(settings, work)


def import_events(args: argparse.Namespace, settings: Settings) -> int:
    from jobwise.entrypoints.cli import _run_tool

    async def work(runtime: Runtime) -> int:
        try:
            with _opened(args.file, "rb") as stream:
                after, events = read_events(stream)
                return await _import(runtime, after, events)
        except (OSError, BadLogFile) as error:
            print(f"jobwise: {error}", file=sys.stderr)
            return 2
        except ImportConflict as error:
            print(f"jobwise: {error}", file=sys.stderr)
            return 1

    return _run_tool(settings, work)


async def _import(runtime: Runtime, after: int, events: AsyncIterator[RecordedEvent]) -> int:
    """Check each event's link before storing its batch: nothing past a break is stored."""
    scanner = ChainScanner(after=after)
    if after:
        previous = await runtime.store.read_all(after - 1, 1)
        scanner.prev_hash = previous[0].hash if previous else None
    added, batch = 0, list[RecordedEvent]()
    async for event in events:
        broken = scanner.feed(event)
        if broken is not None:
            added += await _movable(runtime).import_recorded(batch)
            print(f"jobwise: refused: broken link at {broken} ({added} imported)", file=sys.stderr)
            return 1
        batch.append(event)
        if len(batch) >= _IMPORT_BATCH:
            added += await _movable(runtime).import_recorded(batch)
            batch = []
    added += await _movable(runtime).import_recorded(batch)
    print(f"imported {added} new of {scanner.count} events (head {scanner.head})")
    return 0
