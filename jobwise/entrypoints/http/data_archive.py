"""A user's data export as a ZIP: JSON of each read model of theirs, their event history
as JSON lines, their documents' PDFs, a README.txt and a manifest.json.

The archive is written entry by entry into ``target`` (a seekable binary file: the
route's temporary file), each entry from a cursor or a file stream in chunks, so memory
stays bounded by a chunk and a cursor batch, however many documents the user has.
Compressing is CPU work, so every write to the ZIP runs in a worker thread, off the
event loop; the writes are sequential, so one ``ZipFile`` is never used by two threads.
"""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import AsyncIterator
from typing import IO, Any

import orjson
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.adapters.storage import FileStore, StoredFileNotFoundError
from jobwise.application.queries.history import redacted
from jobwise.application.queries.user_data import (
    OWNED_VIEWS,
    account,
    event_history,
    owned,
    profile_versions,
    stored_pdf_key,
)
from jobwise.domain.events import RecordedEvent, utc_now
from jobwise.projections.documents import DOCUMENTS

FLUSH_BYTES = 256 * 1024
"""Chunks are gathered to about this much before one trip to the worker thread."""
JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS | orjson.OPT_INDENT_2

README = """\
Your JobWise data
=================

This archive holds everything JobWise keeps about your account, as of {exported_at}.

account.json            your account (never your password or its hash)
profiles.json           your profiles as they are now
profile_versions.json   every version of each of your profiles (deleted ones too),
                        as it stood when that version was complete
jobs.json               the jobs you added
saved_jobs.json         your saved jobs and applications
generations.json        your resume and cover letter generations
documents.json          your documents (what each is, its content and PDF facts)
document_versions.json  every version of every document's content
events.jsonl            your whole event history, one JSON event per line, in order
documents/<id>.pdf      the PDF generated for each document
manifest.json           what is in this archive, with counts

Dates are UTC (ISO 8601).
"""


async def write_export(
    target: IO[bytes],
    database: AsyncDatabase[Any],
    opener: EventOpener,
    files: FileStore,
    user_id: str,
) -> dict[str, Any]:
    """Write ``user_id``'s export into ``target``; the manifest it holds, returned."""
    archive = await asyncio.to_thread(zipfile.ZipFile, target, "w", zipfile.ZIP_DEFLATED)
    try:
        return await _write_entries(archive, database, opener, files, user_id)
    finally:
        await asyncio.to_thread(archive.close)


async def _write_entries(
    archive: zipfile.ZipFile,
    database: AsyncDatabase[Any],
    opener: EventOpener,
    files: FileStore,
    user_id: str,
) -> dict[str, Any]:
    counts: dict[str, int] = {}
    found = await account(database, user_id)
    await _entry(archive, "account.json", _one(found or {}))
    for name, view in OWNED_VIEWS.items():
        counts[name] = await _entry(
            archive, f"{name}.json", _json_array(owned(database, view, user_id))
        )
    counts["profile_versions"] = await _entry(
        archive, "profile_versions.json", _json_array(profile_versions(database, opener, user_id))
    )
    counts["events"] = await _entry(
        archive, "events.jsonl", _json_lines(event_history(database, opener, user_id))
    )
    pdfs = await _write_pdfs(archive, database, files, user_id)
    manifest = {
        "user_id": user_id,
        "exported_at": utc_now().isoformat(),
        "counts": counts,
        "pdfs": pdfs,
    }
    await _entry(archive, "README.txt", _text(README.format(exported_at=manifest["exported_at"])))
    await _entry(archive, "manifest.json", _one(manifest))
    return manifest


async def _write_pdfs(
    archive: zipfile.ZipFile, database: AsyncDatabase[Any], files: FileStore, user_id: str
) -> list[str]:
    """Each document's PDF as ``documents/<id>.pdf``, streamed from the file store;
    stored, not deflated (a PDF is compressed already)."""
    written: list[str] = []
    async for document in owned(database, DOCUMENTS, user_id, {"pdf.key": 1}):
        key = stored_pdf_key(document)
        if key is None or not await files.exists(key):
            continue  # deleted with its document meanwhile, or never rendered
        name = f"documents/{document['_id']}.pdf"
        try:
            await _entry(archive, name, _counted(files.stream(key)), zipfile.ZIP_STORED)
        except StoredFileNotFoundError:
            # Gone between the check and the read: a store that fails only mid-file
            # (GridFS) leaves that entry short; the manifest does not list it.
            continue
        written.append(name)
    return written


async def _entry(
    archive: zipfile.ZipFile,
    name: str,
    chunks: AsyncIterator[tuple[bytes, int]],
    compression: int = zipfile.ZIP_DEFLATED,
) -> int:
    """Write one entry from ``chunks`` (bytes, items they hold); the items, counted."""
    info = zipfile.ZipInfo(name, date_time=utc_now().timetuple()[:6])
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    handle = await asyncio.to_thread(archive.open, info, "w", force_zip64=True)
    items, pending = 0, bytearray()
    try:
        async for chunk, count in chunks:
            items += count
            pending += chunk
            if len(pending) >= FLUSH_BYTES:
                await asyncio.to_thread(handle.write, bytes(pending))
                pending.clear()
        if pending:
            await asyncio.to_thread(handle.write, bytes(pending))
    finally:
        await asyncio.to_thread(handle.close)
    return items


async def _json_array(documents: AsyncIterator[dict[str, Any]]) -> AsyncIterator[tuple[bytes, int]]:
    yield b"[", 0
    first = True
    async for document in documents:
        yield (
            (b"" if first else b",")
            + b"\n"
            + orjson.dumps(document, default=str, option=JSON_OPTIONS),
            1,
        )
        first = False
    yield b"\n]\n", 0


async def _json_lines(events: AsyncIterator[RecordedEvent]) -> AsyncIterator[tuple[bytes, int]]:
    async for event in events:
        shown = event.model_dump(mode="json")
        shown["data"] = redacted(event.data)
        yield orjson.dumps(shown, default=str, option=orjson.OPT_NON_STR_KEYS) + b"\n", 1


async def _one(document: dict[str, Any]) -> AsyncIterator[tuple[bytes, int]]:
    yield orjson.dumps(document, default=str, option=JSON_OPTIONS) + b"\n", 1


async def _text(text: str) -> AsyncIterator[tuple[bytes, int]]:
    yield text.encode(), 1


async def _counted(stream: AsyncIterator[bytes]) -> AsyncIterator[tuple[bytes, int]]:
    async for chunk in stream:
        yield chunk, 0
