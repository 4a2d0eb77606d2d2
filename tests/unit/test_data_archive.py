"""``write_export``: the ZIP a user's data export is, built from the read models and the
file store (seeded directly here; the HTTP tests make them as a user does)."""

from __future__ import annotations

import io
import json
import os
import zipfile
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.adapters.keys import memory_keyring
from jobwise.adapters.storage import MemoryFileStore
from jobwise.entrypoints.http.data_archive import write_export
from jobwise.projections.documents import DOCUMENTS
from jobwise.projections.jobs import JOBS
from jobwise.projections.users import USERS

Mongo = tuple[Any, AsyncDatabase[Any]]


OPENER = EventOpener(memory_keyring())


async def seed(database: AsyncDatabase[Any], files: MemoryFileStore) -> bytes:
    """Two users; ``ann`` has two jobs and two documents, one PDF of which is stored."""
    await database[USERS].insert_many(
        [
            {"_id": "ann", "email": "ann@example.com", "password_hash": "$argon2$secret"},
            {"_id": "bob", "email": "bob@example.com"},
        ]
    )
    await database[JOBS].insert_many(
        [
            {"_id": "job-b", "user_id": "ann", "title": "Backend \u00e9\x00"},
            {"_id": "job-a", "user_id": "ann", "title": "Frontend"},
            {"_id": "job-bob", "user_id": "bob", "title": "Bob's"},
        ]
    )
    pdf = b"%PDF-1.7\n" + os.urandom(3 * 1024 * 1024)  # larger than one flush
    await files.put("doc-1.pdf", pdf)
    await database[DOCUMENTS].insert_many(
        [
            {"_id": "doc-1", "user_id": "ann", "pdf": {"key": "doc-1.pdf"}},
            {"_id": "doc-2", "user_id": "ann", "pdf": {"key": "gone.pdf"}},
            {"_id": "doc-bob", "user_id": "bob", "pdf": {"key": "doc-1.pdf"}},
        ]
    )
    return pdf


@pytest.fixture
async def database(mongo: Mongo) -> AsyncDatabase[Any]:
    return mongo[1]


async def test_the_archive_holds_the_users_rows_and_pdfs_only(
    database: AsyncDatabase[Any],
) -> None:
    files = MemoryFileStore()
    pdf = await seed(database, files)
    target = io.BytesIO()

    manifest = await write_export(target, database, OPENER, files, "ann")

    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        names = set(archive.namelist())
        account = json.loads(archive.read("account.json"))
        jobs = json.loads(archive.read("jobs.json"))
        documents = json.loads(archive.read("documents.json"))
        profiles = json.loads(archive.read("profiles.json"))
        stored = archive.read("documents/doc-1.pdf")
        readme = archive.read("README.txt").decode()
        pdf_compression = archive.getinfo("documents/doc-1.pdf").compress_type
    assert account == {"_id": "ann", "email": "ann@example.com"}  # no password hash
    assert [job["_id"] for job in jobs] == ["job-a", "job-b"]
    assert jobs[1]["title"] == "Backend \u00e9\x00"
    assert [document["_id"] for document in documents] == ["doc-1", "doc-2"]
    assert profiles == []
    assert stored == pdf and pdf_compression == zipfile.ZIP_STORED
    assert "documents/doc-2.pdf" not in names  # its file is gone: left out, not an error
    assert not any("bob" in name for name in names)
    assert "events.jsonl" in readme and "manifest.json" in names
    assert manifest["counts"]["jobs"] == 2 and manifest["counts"]["events"] == 0
    assert manifest["pdfs"] == ["documents/doc-1.pdf"]


async def test_an_unknown_user_gets_an_empty_but_whole_archive(
    database: AsyncDatabase[Any],
) -> None:
    files = MemoryFileStore()
    await seed(database, files)
    target = io.BytesIO()

    manifest = await write_export(target, database, OPENER, files, "nobody")

    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read("account.json")) == {}
        assert json.loads(archive.read("documents.json")) == []
    assert manifest["pdfs"] == [] and set(manifest["counts"].values()) == {0}
