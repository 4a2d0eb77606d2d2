"""With ``MONGODB_URL`` set, files live in the database: two apps on one database, each
with its own data dir, as two machines behind a load balancer. The one with the
generation worker renders the PDF; the other serves its download from GridFS without
rendering anything, and neither keeps a file on disk."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import pytest

from jobwise.adapters.rendering import WarmBrowser
from jobwise.adapters.storage import GridFSFileStore, scope_prefix
from jobwise.adapters.storage.gridfs import BUCKET
from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import AppClient, MakeClient
from tests.integration.documents.conftest import make_document
from tests.integration.generations.conftest import Seeker, seeker
from tests.support.settings import app_env


@pytest.fixture
async def two_apps(
    aiohttp_client: MakeClient,
    tmp_path: Path,
    db_name: str,
    mongo_url: str,
    mongo: Any,
    warm_browser: WarmBrowser,
) -> tuple[AppClient, AppClient]:
    """``a`` runs the generation worker; ``b`` runs none. One JWT secret, as a cluster's."""
    secret = secrets.token_urlsafe(48)

    def settings(name: str, **more: str) -> Settings:
        shared = {"MONGODB_URL": mongo_url, "JWT_SECRET_KEY": secret, **more}
        return load_settings(app_env(tmp_path / name, db_name, **shared))

    apps = []
    for name, more in (("a", {}), ("b", {"JOBWISE_WORKER_CONCURRENCY": "0"})):
        app = create_app(settings(name, **more), mongo_url=mongo_url, browser=warm_browser)
        apps.append(await aiohttp_client(app))
    return apps[0], apps[1]


async def test_a_pdf_rendered_by_one_app_is_downloaded_from_another(
    two_apps: tuple[AppClient, AppClient], tmp_path: Path
) -> None:
    a, b = two_apps
    on_a = await seeker(a, "kyle@example.com")
    made = await make_document(on_a)
    on_b = Seeker(b, on_a.headers["Authorization"].removeprefix("Bearer "), on_a.id)
    database = b.app[RUNTIME].database
    files = database[f"{BUCKET}.files"]
    stored = await files.find({"filename": {"$regex": r"\.pdf$"}}).to_list()
    assert [s["filename"].startswith(scope_prefix(made.document_id)) for s in stored] == [True]

    response = await b.get(
        f"/api/v1/documents/{made.document_id}/download?format=pdf", headers=on_b.headers
    )

    assert response.status == 200, await response.text()
    body = await response.read()
    assert body.startswith(b"%PDF-")
    assert body == await GridFSFileStore(database).get(stored[0]["filename"])
    exporter = b.app[RUNTIME].documents.exporter
    assert (exporter.stats.rendered, exporter.stats.cached) == (0, 1)
    assert await files.find({"filename": stored[0]["filename"]}).to_list() == stored
    for name in ("a", "b"):  # each app's data dir has its JWT secret aside, but no files
        assert not (tmp_path / name / "files").exists()
