"""``jobwise export-keys`` and ``import-keys``: the users' data keys travel beside the log.

An ``export-events`` file holds every user's personal data sealed; without the keys,
another installation reads every user as erased. The keys move as a separate file, on
purpose: the log may be handed to an auditor, the keys never need to be. Keys are
written as stored, so with ``JOBWISE_MASTER_KEY`` set the file holds them wrapped, and
the importing installation needs the same master key.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections import Counter
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from jobwise.adapters.keys import KeyMismatch, StoredKey
from jobwise.entrypoints.tools import opened_file, run_tool
from jobwise.settings import Settings

if TYPE_CHECKING:
    from jobwise.bootstrap import Runtime

FORMAT = "jobwise-keys"
KEY_SIZES = (32, 12 + 32 + 16)
"""A key as stored: plain, or wrapped (nonce, key, tag)."""


class BadKeyFile(ValueError):
    pass


def add_key_commands(commands: Any) -> None:
    export_cmd = commands.add_parser(
        "export-keys",
        help="write the users' data keys (and erasures' tombstones) as JSON lines",
        description="Write every user's data key, as stored, for import-keys elsewhere. "
        "Keep the file as secret as the database: it opens every user's data.",
    )
    export_cmd.add_argument("--to", default="-", metavar="FILE", help="file, or - for stdout")
    export_cmd.set_defaults(run=export_keys)
    import_cmd = commands.add_parser(
        "import-keys",
        help="take the data keys of an export-keys file (an erasure is never undone)",
        description="Add the file's keys this installation lacks; a tombstone destroys the "
        "key here too; a different key for the same user is a conflict (kept, exit 1).",
    )
    import_cmd.add_argument("file", metavar="FILE", help="an export-keys file, or - for stdin")
    import_cmd.set_defaults(run=import_keys)


def export_keys(args: argparse.Namespace, settings: Settings) -> int:
    async def work(runtime: Runtime) -> int:
        count = 0
        with opened_file(args.to, "wb") as out:
            out.write(_line({"format": FORMAT, "version": 1}))
            async for stored in runtime.store.keyring.stored():
                out.write(_line(_as_json(stored)))
                count += 1
        print(f"exported {count} keys", file=sys.stderr)
        return 0

    return run_tool(settings, work)


def import_keys(args: argparse.Namespace, settings: Settings) -> int:
    async def work(runtime: Runtime) -> int:
        outcomes: Counter[str] = Counter()
        try:
            with opened_file(args.file, "rb") as stream:
                for stored in _read(stream):
                    outcomes[await runtime.store.keyring.restore(stored)] += 1
        except (OSError, BadKeyFile, KeyMismatch) as error:
            print(f"jobwise: {error}", file=sys.stderr)
            return 2
        summary = ", ".join(
            f"{outcomes[k]} {k}" for k in ("added", "same", "destroyed", "conflict")
        )
        print(f"import-keys: {summary}")
        return 1 if outcomes["conflict"] else 0

    return run_tool(settings, work)


def _as_json(stored: StoredKey) -> dict[str, Any]:
    material = None if stored.material is None else base64.b64encode(stored.material).decode()
    destroyed = None if stored.destroyed_at is None else stored.destroyed_at.isoformat()
    return {"owner": stored.owner, "key": material, "destroyed_at": destroyed}


def _line(record: dict[str, Any]) -> bytes:
    return json.dumps(record, separators=(",", ":")).encode() + b"\n"


def _read(stream: IO[bytes]) -> list[StoredKey]:
    lines = stream.read().splitlines()
    try:
        head = json.loads(lines[0]) if lines else {}
    except ValueError:
        head = {}
    if head.get("format") != FORMAT:
        raise BadKeyFile("not an export-keys file (its first line names no jobwise-keys format)")
    return [_parsed(number, raw) for number, raw in enumerate(lines[1:], start=2) if raw.strip()]


def _parsed(number: int, raw: bytes) -> StoredKey:
    try:
        record = json.loads(raw)
        owner, key, destroyed = record["owner"], record["key"], record["destroyed_at"]
        if not isinstance(owner, str) or not owner or len(owner) > 200:
            raise ValueError("owner")
        material = None if key is None else base64.b64decode(key, validate=True)
        if material is not None and len(material) not in KEY_SIZES:
            raise ValueError("a key is 32 bytes, or 60 wrapped")
        when = None if destroyed is None else datetime.fromisoformat(destroyed)
    except (ValueError, KeyError, TypeError) as error:
        raise BadKeyFile(f"line {number}: not a key record ({error})") from None
    return StoredKey(owner, material, when)
