"""Rendered files across processes: two real ``jobwise serve`` and a ``jobwise worker`` on
one database (the test session's SecantusDB, through ``MONGODB_URL``), each with a data
dir of its own, as three machines would be.

The worker renders the generation's PDF into GridFS; a serve that never rendered it
serves the download. With files on each machine's disk instead, the second serve would
have had to render the PDF again and keep it in its own data dir.
"""

from __future__ import annotations

import secrets
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gridfs import GridFSBucket
from pymongo import MongoClient

from jobwise.adapters.storage import scope_prefix
from jobwise.adapters.storage.gridfs import BUCKET
from tests.e2e.conftest import (
    EXIT_SECONDS,
    free_port,
    jobwise_env,
    run_jobwise,
    start_serve,
    start_worker,
    stopped,
)
from tests.e2e.test_generation_story import ending, generate, get, seeker, wait_for


@pytest.fixture
def database_name(mongo_url: str) -> Iterator[str]:
    name = f"files_{secrets.token_hex(6)}"
    yield name
    with MongoClient(mongo_url) as client:
        client.drop_database(name)


def download(base: str, path: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.read()


def stored_pdfs(mongo_url: str, database: str) -> list[dict[str, Any]]:
    with MongoClient(mongo_url) as client:
        found = client[database][f"{BUCKET}.files"].find({"filename": {"$regex": r"\.pdf$"}})
        return list(found)


def stored_bytes(mongo_url: str, database: str, file_id: Any) -> bytes:
    with MongoClient(mongo_url) as client:
        return (
            GridFSBucket(client[database], bucket_name=BUCKET).open_download_stream(file_id).read()
        )


def test_a_pdf_a_worker_rendered_is_downloaded_from_another_serve(
    tmp_path: Path, mongo_url: str, database_name: str
) -> None:
    shared = {
        "MONGODB_URL": mongo_url,
        "MONGODB_DB": database_name,
        "JWT_SECRET_KEY": secrets.token_urlsafe(48),
        "JOBWISE_WORKER_CONCURRENCY": "0",
    }
    dirs = {name: tmp_path / name / "data" for name in ("a", "b", "worker")}
    serves = [
        start_serve(dirs[name], env=jobwise_env(dirs[name], **shared), log_name=name)
        for name in ("a", "b")
    ]
    worker_env = jobwise_env(dirs["worker"], **{**shared, "JOBWISE_WORKER_CONCURRENCY": "1"})
    worker = start_worker(dirs["worker"], worker_env)
    try:
        for serve in serves:
            serve.wait_ready(embedded=False)
        a, b = serves
        token, profile, job = seeker(a.base)
        generation = generate(a.base, token, profile, job)
        done = wait_for("the generation to end", ending(a.base, token, generation))
        assert done["status"] == "completed", done
        document_id = get(a.base, f"/api/v1/generations/{generation}/result", token)["document_id"]
        (pdf,) = stored_pdfs(mongo_url, database_name)

        status, body = download(
            b.base, f"/api/v1/documents/{document_id}/download?format=pdf", token
        )
    finally:
        try:
            worker_exit = stopped(worker)
        finally:
            for serve in serves:
                serve.terminate()

    assert worker_exit == 0
    assert status == 200 and body.startswith(b"%PDF-")
    assert pdf["filename"].startswith(scope_prefix(document_id))
    assert body == stored_bytes(mongo_url, database_name, pdf["_id"])
    assert stored_pdfs(mongo_url, database_name) == [pdf]  # b rendered no new revision
    assert [name for name, d in dirs.items() if (d / "files").exists()] == []


def test_an_unknown_storage_stops_serve_and_names_the_variable(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = jobwise_env(data_dir, JOBWISE_STORAGE="s3")
    refused = [
        run_jobwise(data_dir, *command, env=env, timeout=EXIT_SECONDS)
        for command in (["serve", "--port", str(free_port())], ["worker"], ["verify"])
    ]
    for result in refused:
        assert result.returncode == 2, result.stderr
        assert "JOBWISE_STORAGE" in result.stderr and "'s3'" in result.stderr
    assert not (data_dir / "db").exists()
