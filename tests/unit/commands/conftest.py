"""The fast tier: every command handler through the real bus, on the in-memory event store.

No database, no HTTP: the bus is built as ``jobwise.bootstrap`` builds it, with the
in-memory store behind the one repository, and in-memory stand-ins for the few
read-model lookups handlers make (answered from the events themselves).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from jobwise.adapters.auth.passwords import PasswordHasher
from jobwise.adapters.auth.revocations import RevocationCache
from jobwise.adapters.auth.tokens import TokenService
from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.adapters.offloop import OffLoop
from jobwise.adapters.pubsub import create_pubsub
from jobwise.adapters.ratelimit import MemoryFailureThrottle, MemoryRateLimiter
from jobwise.adapters.rendering import Renderer
from jobwise.adapters.rendering.exporter import DocumentExporter
from jobwise.adapters.storage import MemoryFileStore
from jobwise.application.commands import all_handlers
from jobwise.application.messagebus import CommandBus
from jobwise.application.posting_reader import PostingReader
from jobwise.application.repository import Repository
from jobwise.domain.errors import Throttled
from jobwise.domain.skills import default_taxonomy
from jobwise.domain.user import GENERATIONS_PER_MONTH, User


class ProfileDirectory:
    """Which profile of a user is active, and which was touched last: read from the log,
    as the profiles projection reads it, for handlers that ask."""

    def __init__(self, store: InMemoryEventStore) -> None:
        self._store = store

    async def _profiles(self, user_id: str) -> tuple[dict[str, int], str | None]:
        touched: dict[str, int] = {}
        active: str | None = None
        owners: dict[str, str] = {}
        for event in await self._store.read_all(0, 10**9):
            if event.stream_type != "profile":
                continue
            if event.type == "ProfileCreated":
                owners[event.stream_id] = event.data["user_id"]
            if owners.get(event.stream_id) != user_id:
                continue
            touched[event.stream_id] = event.position
            if event.type == "ProfileActivated":
                active = event.stream_id
            if event.type == "ProfileDeleted":
                touched.pop(event.stream_id)
                active = None if active == event.stream_id else active
        return touched, active

    async def active_profile_of(self, user_id: str) -> str | None:
        return (await self._profiles(user_id))[1]

    async def latest_profile_of(self, user_id: str, excluding: str) -> str | None:
        touched, _ = await self._profiles(user_id)
        others = {pid: at for pid, at in touched.items() if pid != excluding}
        return max(others, key=others.__getitem__) if others else None


class Fast:
    def __init__(self) -> None:
        self.store = InMemoryEventStore()
        self.repository = Repository(self.store)
        self.tokens = TokenService("k" * 48)
        self.limiter = MemoryRateLimiter()
        directory = ProfileDirectory(self.store)

        async def registration_limit(address: str | None) -> None:
            decision = await self.limiter.hit(f"register:{address}", 20, 3600)
            if not decision.allowed:
                raise Throttled("Too many registrations.", 3600)

        async def generation_rate_limit(user_id: str) -> None:
            decision = await self.limiter.hit(f"generations:{user_id}", 10, 3600)
            if not decision.allowed:
                raise Throttled("At most 10 generations an hour.", 3600)

        async def generations_limit_of(user_id: str) -> int | None:
            user = await self.repository.load(User, user_id)
            return GENERATIONS_PER_MONTH[user.tier] if user.exists else None

        self.files = MemoryFileStore()
        # No printer: every format but PDF renders, in process, in milliseconds.
        self.offloop = OffLoop()
        self.exporter = DocumentExporter(Renderer(offloop=self.offloop), self.files)
        self.revocations = RevocationCache(
            create_pubsub(None),
            None,
            remember_for=timedelta(hours=1),  # type: ignore[arg-type]
        )
        self.bus = CommandBus(
            all_handlers(),
            {
                "repository": self.repository,
                "hasher": PasswordHasher(),
                "tokens": self.tokens,
                "login_throttle": MemoryFailureThrottle(),
                "address_throttle": MemoryFailureThrottle(),
                "revocations": self.revocations,
                "registration_limit": registration_limit,
                "active_profile_of": directory.active_profile_of,
                "latest_profile_of": directory.latest_profile_of,
                "posting_reader": PostingReader(default_taxonomy(), None, self.limiter),
                "generations_limit_of": generations_limit_of,
                "generation_rate_limit": generation_rate_limit,
                "document_exporter": self.exporter,
                "offloop": self.offloop,
            },
        )

    async def types(self, stream_id: str) -> list[str]:
        return [event.type for event in await self.store.read_stream(stream_id)]

    async def handle(self, command: object) -> Any:
        return await self.bus.handle(command)


@pytest.fixture
def fast() -> Fast:
    return Fast()


Factory = Callable[[], Fast]
