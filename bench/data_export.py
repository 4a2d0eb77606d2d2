"""Data export: time and peak memory of ``write_export`` for a user with many documents.

    .venv/bin/python -m bench.data_export [--documents 200] [--pdf-kb 120]

Starts its own SecantusDB on disk, seeds one user (and a second one, whose data must not
be read) with ``--documents`` documents, each with a PDF of ``--pdf-kb`` KB of random
bytes in a local file store, a 20 KB Markdown body in the documents view and a job; then
builds the export ZIP into a temporary file, as ``GET /api/v1/me/export`` does. It prints:

* the wall time of one export (no tracing);
* the peak of Python allocations during a second export (``tracemalloc``): what the
  export holds at once, against the total size of the data, to show it streams;
* the ZIP's size.

A measurement, not a test: nothing fails on a figure.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from bench.common import embedded, mongo
from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.adapters.keys import Keyring, MemoryKeyStorage
from jobwise.adapters.storage import LocalFileStore
from jobwise.entrypoints.http.data_archive import write_export
from jobwise.projections.documents import DOCUMENTS
from jobwise.projections.jobs import JOBS
from jobwise.projections.users import USERS

USER = "bench-user"
MARKDOWN = "## Experience\n" + "- Built a thing that did another thing well.\n" * 450


async def seed(database: AsyncDatabase[Any], files: LocalFileStore, count: int, pdf_kb: int) -> int:
    """The users, their jobs and documents, and the PDFs; the bytes seeded."""
    await database[USERS].insert_many([{"_id": USER, "email": "a@example.com"}, {"_id": "other"}])
    total = 0
    for owner in (USER, "other"):
        for number in range(count):
            document_id = f"{owner}-doc-{number:04d}"
            pdf = b"%PDF-1.7\n" + os.urandom(pdf_kb * 1024)
            await files.put(f"{document_id}.pdf", pdf)
            await database[JOBS].insert_one({"_id": f"{owner}-job-{number}", "user_id": owner})
            await database[DOCUMENTS].insert_one(
                {
                    "_id": document_id,
                    "user_id": owner,
                    "content_markdown": MARKDOWN,
                    "pdf": {"key": f"{document_id}.pdf"},
                }
            )
            total += len(pdf) + len(MARKDOWN) if owner == USER else 0
    return total


async def export_once(database: AsyncDatabase[Any], files: LocalFileStore) -> tuple[float, int]:
    with tempfile.TemporaryFile() as target:
        started = time.perf_counter()
        opener = EventOpener(Keyring(MemoryKeyStorage()))  # the bench's events are unsealed
        await write_export(target, database, opener, files, USER)
        return time.perf_counter() - started, target.tell()


async def run(url: str, count: int, pdf_kb: int, scratch: Path) -> None:
    files = LocalFileStore(scratch / "files")
    async with mongo(url, "bench_data_export") as (_client, database):
        seeded = await seed(database, files, count, pdf_kb)
        await export_once(database, files)  # warm: connections, caches
        seconds, zip_bytes = await export_once(database, files)
        tracemalloc.start()
        await export_once(database, files)
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    mb = 1024 * 1024
    print(f"documents:              {count} (PDF {pdf_kb} KB each)")
    print(f"user's data:            {seeded / mb:.1f} MB")
    print(f"export time:            {seconds:.2f} s")
    print(f"ZIP size:               {zip_bytes / mb:.1f} MB")
    print(f"peak Python allocation: {peak / mb:.1f} MB ({100 * peak / seeded:.1f}% of the data)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--pdf-kb", type=int, default=120)
    arguments = parser.parse_args()
    with embedded(sync_on_commit=False) as server, tempfile.TemporaryDirectory() as scratch:
        asyncio.run(run(server.url, arguments.documents, arguments.pdf_kb, Path(scratch)))


if __name__ == "__main__":
    main()
