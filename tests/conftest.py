"""Test session resources: one real MongoDB-wire server (SecantusDB) for the whole run.

Each test gets its own database on it, dropped afterwards, so tests never see
each other's data. Nothing is left running: the server is stopped at the end.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.embedded import EmbeddedServer, start_embedded
from jobwise.adapters.mongo import connect
from jobwise.adapters.rendering import WarmBrowser
from tests.support.settings import app_env

TESTS = Path(__file__).parent
DROP_SECONDS = 60.0
SLOW_DIRECTORIES = (TESTS / "e2e", TESTS / "web", TESTS / "integration" / "rendering")
"""Whole directories of slow tests: ``jobwise`` run as subprocesses (e2e), browser journeys
(web), Chromium printing PDFs (rendering). Elsewhere a slow test or module is marked
``slow`` where it is written."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``slow`` on every test under SLOW_DIRECTORIES: ``-m "not slow"`` is the fast tier."""
    for item in items:
        if any(item.path.is_relative_to(directory) for directory in SLOW_DIRECTORIES):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedServer]:
    data_dir: Path = tmp_path_factory.mktemp("secantus")
    server = start_embedded(data_dir, sync_on_commit=False, in_memory=True)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mongo_url(mongo_server: EmbeddedServer) -> str:
    return mongo_server.url


@pytest.fixture
def db_name() -> str:
    return f"test_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def settings_env(request: pytest.FixtureRequest, tmp_path: Path, db_name: str) -> dict[str, str]:
    """The environment the test's app reads its settings from (the directories'
    ``settings`` fixtures build on it): its own data dir and database, limits no test
    meets by accident, and whatever the test sets with ``@pytest.mark.env(NAME="value")``,
    e.g. ``@pytest.mark.env(JOBWISE_LOGIN_FAILURES_PER_ADDRESS="100")`` for a test whose
    point is that limit."""
    marker = request.node.get_closest_marker("env")
    return app_env(tmp_path, db_name, **(marker.kwargs if marker else {}))


@pytest.fixture
async def mongo(
    mongo_url: str, db_name: str
) -> AsyncIterator[tuple[AsyncMongoClient[Any], AsyncDatabase[Any]]]:
    client, database = connect(mongo_url, db_name)
    try:
        yield client, database
    finally:
        # A transaction its app left open (a task cancelled mid-transaction at shutdown)
        # makes SecantusDB spin for ever on the drop, which hung whole runs in this
        # teardown: the test's apps have stopped, so abort whatever is still open. The
        # bound turns any other hang here into this fixture's error, not a frozen run.
        async with asyncio.timeout(DROP_SECONDS):
            await client.admin.command("killAllSessions", [])
            await client.drop_database(db_name)
        await client.close()


@pytest.fixture
async def aiohttp_client(
    mongo: tuple[AsyncMongoClient[Any], AsyncDatabase[Any]], aiohttp_client: Any
) -> Any:
    """pytest-aiohttp's client factory, set up after the test's database so it is torn
    down before it: every app a test started has stopped (its projections' transactions
    ended) before the database is dropped. SecantusDB spins for ever on a dropDatabase
    that meets open transactions, which hung a CI run."""
    return aiohttp_client


@pytest.fixture(scope="session")
async def warm_browser() -> AsyncIterator[WarmBrowser]:
    """One real Chromium for every test that renders: launching one costs half a second
    and a context per slot, so tests share it (each document still gets a fresh context)."""
    async with WarmBrowser() as warm:
        await warm.start()
        yield warm
