"""The export file: JSON lines, a header line, then each event as stored (hashes too)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import IO, Any

import orjson

from jobwise.domain.events import RecordedEvent

FORMAT = "jobwise-events"
VERSION = 1


class BadLogFile(ValueError):
    """The file is not an event export this version reads."""


def header(after: int) -> bytes:
    return orjson.dumps({"format": FORMAT, "version": VERSION, "after": after}) + b"\n"


def _tagged(value: Any) -> Any:
    # Datetimes inside data keep their type across the move: a tagged string, not a
    # bare one, so the imported event is stored (and hashed) as the original.
    if isinstance(value, datetime):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot export {type(value).__name__}")


def line(event: RecordedEvent) -> bytes:
    stored = event.model_dump(exclude={"metadata"})
    stored["metadata"] = event.metadata.model_dump(exclude_none=True)
    return orjson.dumps(stored, default=_tagged, option=orjson.OPT_PASSTHROUGH_DATETIME) + b"\n"


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("$date"), str):
            return datetime.fromisoformat(value["$date"])
        return {k: _untagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    return value


def parse(raw: bytes, number: int) -> RecordedEvent:
    try:
        fields = orjson.loads(raw)
        if b'"$date"' in raw:
            fields = _untagged(fields)
        return RecordedEvent.model_validate(fields)
    except ValueError as error:
        raise BadLogFile(f"line {number}: not an event ({error})") from error


def read_header(lines: Iterator[bytes]) -> int:
    """The position the file starts after."""
    first = next(lines, b"")
    try:
        fields = orjson.loads(first)
    except orjson.JSONDecodeError:
        fields = None
    if not isinstance(fields, dict) or fields.get("format") != FORMAT:
        raise BadLogFile("line 1: not a jobwise event export (no header)")
    if fields.get("version") != VERSION:
        raise BadLogFile(f"export format version {fields.get('version')} is not {VERSION}")
    return int(fields.get("after", 0))


def read_events(stream: IO[bytes]) -> tuple[int, AsyncIterator[RecordedEvent]]:
    """The file's start and its events, read line by line (constant memory)."""
    lines = iter(stream)
    after = read_header(lines)

    async def events() -> AsyncIterator[RecordedEvent]:
        for number, raw in enumerate(lines, start=2):
            if raw.strip():
                yield parse(raw, number)

    return after, events()
