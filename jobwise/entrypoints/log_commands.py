"""``jobwise verify --chain``, ``export-events``, ``import-events``: proving and moving the log."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from jobwise.adapters.eventstore.base import ImportConflict
from jobwise.adapters.eventstore.chain_scan import BrokenLink, ChainScanner, scan
from jobwise.adapters.eventstore.checkpoints import (
    CheckpointCheck,
    load_or_create_key,
    load_public_key,
    public_hex,
    write_checkpoint,
)
from jobwise.adapters.eventstore.log_file import BadLogFile, header, line, read_events
from jobwise.domain.events import RecordedEvent
from jobwise.entrypoints.tools import opened_file, run_tool
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
    checkpoint_cmd = commands.add_parser(
        "checkpoint",
        help="sign the chain's head now and write the checkpoint to the log",
        description="Sign (position, hash) of the head with the chain key; write it as an event.",
    )
    checkpoint_cmd.set_defaults(run=checkpoint)
    key_cmd = commands.add_parser(
        "chain-key",
        help="print the public key checkpoints are signed with (hex)",
        description="Print the chain key's public half, for `verify --chain --public-key`.",
    )
    key_cmd.set_defaults(run=chain_key)


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
    verify_cmd.add_argument(
        "--public-key",
        action="append",
        metavar="FILE",
        help="with --chain: a key checkpoints may be signed with (from `chain-key`; repeatable)",
    )


def _movable(runtime: Runtime) -> MovableLog:
    return cast(MovableLog, runtime.store)


def key_path(settings: Settings) -> Path:
    return settings.chain_key_file or settings.data_dir / "chain-key.pem"


def _scanner(after: int, trusted: list[Ed25519PublicKey]) -> ChainScanner:
    return ChainScanner(after=after, checkpoints=CheckpointCheck(*trusted))


def _report(scanner: ChainScanner, broken: BrokenLink | None, started: float) -> int:
    if broken is not None:
        print(f"verify --chain: broken link at {broken}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - started
    signed = scanner.checkpoints.checked if scanner.checkpoints else 0
    print(
        f"verify --chain: {scanner.count} events chained, {signed} signed checkpoint(s), "
        f"head {scanner.head} {scanner.prev_hash or '-'} ({seconds:.2f}s)"
    )
    return 0


def _trusted_keys(args: argparse.Namespace, settings: Settings) -> list[Ed25519PublicKey]:
    """The keys checkpoints may be signed with: each ``--public-key``, and online this
    installation's own. With none (offline, no key), each checkpoint is checked against
    the key it names."""
    trusted = []
    for name in args.public_key or []:
        with opened_file(name, "rb") as stream:
            trusted.append(load_public_key(stream.read().decode()))
    if args.source is None and key_path(settings).exists():
        trusted.append(load_or_create_key(key_path(settings)).public_key())
    return trusted


def verify_chain(args: argparse.Namespace, settings: Settings) -> int:
    started = time.perf_counter()
    try:
        trusted = _trusted_keys(args, settings)
    except (OSError, ValueError) as error:
        print(f"jobwise: --public-key: {error}", file=sys.stderr)
        return 2
    if args.source:
        return _verify_file(args.source, trusted, started)

    async def work(runtime: Runtime) -> int:
        events = _movable(runtime).stored_events(0)
        scanner, broken = await scan(events, _scanner(0, trusted))
        return _report(scanner, broken, started)

    return run_tool(settings, work)


def _verify_file(source: str, trusted: list[Ed25519PublicKey], started: float) -> int:
    try:
        with opened_file(source, "rb") as stream:
            after, events = read_events(stream)
            scanner, broken = asyncio.run(scan(events, _scanner(after, trusted)))
    except (OSError, BadLogFile) as error:
        print(f"jobwise: {error}", file=sys.stderr)
        return 2
    return _report(scanner, broken, started)


def checkpoint(args: argparse.Namespace, settings: Settings) -> int:

    key = load_or_create_key(key_path(settings))

    async def work(runtime: Runtime) -> int:
        written = await write_checkpoint(runtime.store, key)
        if written is None:
            print("checkpoint: the head is already a checkpoint (or the log is empty)")
        else:
            print(f"checkpoint: signed the head at position {written.last_position - 1}")
        return 0

    return run_tool(settings, work)


def chain_key(args: argparse.Namespace, settings: Settings) -> int:
    print(public_hex(load_or_create_key(key_path(settings))))
    return 0


def export_events(args: argparse.Namespace, settings: Settings) -> int:

    async def work(runtime: Runtime) -> int:
        count = 0
        with opened_file(args.to, "wb") as out:
            out.write(header(args.after))
            async for event in _movable(runtime).stored_events(args.after):
                out.write(line(event))
                count += 1
        print(f"exported {count} events after position {args.after}", file=sys.stderr)
        return 0

    return run_tool(settings, work)


def import_events(args: argparse.Namespace, settings: Settings) -> int:

    async def work(runtime: Runtime) -> int:
        try:
            with opened_file(args.file, "rb") as stream:
                after, events = read_events(stream)
                return await _import(runtime, after, events)
        except (OSError, BadLogFile) as error:
            print(f"jobwise: {error}", file=sys.stderr)
            return 2
        except ImportConflict as error:
            print(f"jobwise: {error}", file=sys.stderr)
            return 1

    return run_tool(settings, work)


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
