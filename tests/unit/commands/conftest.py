"""The fast tier: every command handler through the real bus, on the in-memory event store.

No database, no HTTP: the bus is ``jobwise.bootstrap.bootstrap()``, whose in-process
defaults put the in-memory store behind the one repository and answer the few
read-model lookups handlers make from the events themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jobwise.adapters.auth.revocations import RevocationCache
from jobwise.adapters.auth.tokens import TokenService
from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.adapters.eventstore.sealing import SealingEventStore
from jobwise.adapters.offloop import OffLoop
from jobwise.adapters.ratelimit import MemoryRateLimiter
from jobwise.adapters.rendering.exporter import DocumentExporter
from jobwise.adapters.storage import MemoryFileStore
from jobwise.application.repository import Repository
from jobwise.bootstrap import bootstrap


class Fast:
    """The bus exactly as ``jobwise.bootstrap`` builds it, on its in-process defaults
    (the in-memory store, no Chromium, files in memory), with a known token key."""

    def __init__(self) -> None:
        self.bus = bootstrap(tokens=TokenService("k" * 48))
        given = self.bus.dependencies
        self.store: SealingEventStore = given["store"]
        self.raw: InMemoryEventStore = self.store.inner  # type: ignore[assignment]
        self.repository: Repository = given["repository"]
        self.tokens: TokenService = given["tokens"]
        self.limiter: MemoryRateLimiter = given["limiter"]
        self.revocations: RevocationCache = given["revocations"]
        self.offloop: OffLoop = given["offloop"]
        self.exporter: DocumentExporter = given["document_exporter"]
        self.files: MemoryFileStore = self.exporter.store  # type: ignore[assignment]

    async def types(self, stream_id: str) -> list[str]:
        return [event.type for event in await self.store.read_stream(stream_id)]

    async def handle(self, command: object) -> Any:
        return await self.bus.handle(command)


@pytest.fixture
def fast() -> Fast:
    return Fast()


Factory = Callable[[], Fast]
