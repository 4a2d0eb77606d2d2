"""Documents tests: the real app, a fresh database, the real generation worker and the
session's one Chromium; documents are made by generating them, as a user makes them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from jobwise.adapters.storage import scope_prefix
from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.auth.conftest import AppClient
from tests.integration.generations.conftest import (  # noqa: F401  (the same fixtures)
    Seeker,
    client,
    grace,
    kyle,
    settings,
)

BACKEND = "09-safespring-2026-senior-backend-engineer"


@dataclass
class Made:
    """A completed generation's document, with what it was made from."""

    seeker: Seeker
    document_id: str
    generation_id: str
    profile_id: str
    job_id: str


async def make_document(
    seeker: Seeker,
    *,
    profile_id: str | None = None,
    job_id: str | None = None,
    kind: str = "resume",
) -> Made:
    profile_id = profile_id or await seeker.profile_from("kyle-oliver")
    job_id = job_id or await seeker.job_from(BACKEND)
    created = await seeker.generate(profile_id, job_id, kind)
    done = await seeker.wait_done(created["id"])
    assert done["status"] in ("completed", "needs_review"), done
    return Made(seeker, done["result"]["document_id"], created["id"], profile_id, job_id)


@pytest.fixture
async def made(kyle: Seeker) -> Made:  # noqa: F811  (the fixture imported above)
    return await make_document(kyle)


async def stored_keys(app_client: AppClient, document_id: str) -> list[str]:
    """The file-store keys of a document's files."""
    files = app_client.app[RUNTIME].documents.files
    keys: list[str] = await files.keys(scope_prefix(document_id))
    return keys


async def raw(
    seeker: Seeker, method: str, path: str, **kwargs: Any
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body bytes of a call under /api/v1/documents."""
    headers = {**seeker.headers, **kwargs.pop("headers", {})}
    response = await seeker.client.request(
        method, f"/api/v1/documents{path}", headers=headers, **kwargs
    )
    return response.status, dict(response.headers), await response.read()
