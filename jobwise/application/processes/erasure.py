"""The erasure process: from ``AccountErasureStarted`` to ``AccountErased``.

Each step can run again without harm, so a crash anywhere is recovered by running the
whole process again for every erasure that started and did not finish: ``serve`` does
at start and every few minutes, and a retried ``DELETE /api/v1/me`` does at once:

1. Destroy the user's key and tell every process: from here on nothing the user
   caused opens, and nothing more can be written for the user.
2. Wait until this process's read models have taken every event before the key went;
   end the user's sessions at once (revocations reach every process).
3. Remove the user's views and files; wait until every process's projections are past
   the destruction, then remove again (what a batch opened just before may have put back).
4. Release the address (``EmailReleased``) and record ``AccountErased``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from jobwise.adapters.eventstore import ConcurrencyError, EventStore
from jobwise.adapters.keys import Keyring
from jobwise.domain.erasure import (
    STREAM_TYPE,
    AccountErased,
    AccountErasureStarted,
    EmailReleased,
    erasure_stream,
)
from jobwise.domain.events import DomainEvent, EventMetadata, RecordedEvent


class PersonalViews(Protocol):
    """The read models and files that hold a user's data, outside the log."""

    async def session_ids(self, user_id: str) -> list[str]: ...

    async def remove(self, user_id: str) -> tuple[int, int]:
        """Delete the user's read-model documents and files: (documents, files)."""
        ...

    async def settled(self, position: int) -> None:
        """Return once every process's projections have stored a checkpoint at or past
        ``position`` (raise ``ReadModelsLagging`` when that takes too long)."""
        ...


class NoViews:
    """Read models kept nowhere (the in-memory tier): nothing to remove."""

    async def session_ids(self, user_id: str) -> list[str]:
        return []

    async def remove(self, user_id: str) -> tuple[int, int]:
        return 0, 0

    async def settled(self, position: int) -> None:
        return None


Revoke = Callable[[str], Awaitable[None]]
AwaitViews = Callable[[int], Awaitable[None]]
Announce = Callable[[str], Awaitable[None]]


@dataclass
class AccountEraser:
    store: EventStore
    keyring: Keyring
    views: PersonalViews
    revoke: Revoke
    """Ends one session on every process at once."""
    await_views: AwaitViews
    """Returns once every read model has taken the log up to a position."""
    announce: Announce
    """Tells every process that a user's key was destroyed."""

    async def start(self, user_id: str, email_stream: str, request_id: str | None) -> None:
        """Record that the erasure began; a second start (a retried request) is no error:
        the run finishes what began."""
        started = AccountErasureStarted(user_id=user_id, email_stream=email_stream)
        await self._append(erasure_stream(user_id), started, 0, STREAM_TYPE, user_id, request_id)

    async def run(self, user_id: str) -> bool:
        """Carry out a started erasure to its end; False when none was started."""
        history = await self.store.read_stream(erasure_stream(user_id))
        if not history:
            return False
        if history[-1].type == AccountErased.topic:
            return True
        started = DomainEvent.from_recorded(history[0])
        assert isinstance(started, AccountErasureStarted)
        await self.keyring.destroy(user_id)
        await self.announce(user_id)
        destroyed_at = await self.store.head_position()
        await self.await_views(destroyed_at)  # this process's views, sessions included
        sessions = await self.views.session_ids(user_id)
        for session_id in sessions:
            await self.revoke(session_id)
        documents, files = await self.views.remove(user_id)
        # Another process may have opened a batch before the key went and commit it
        # after the removal: once every stored checkpoint is past the destruction, no
        # such batch is left, and a second removal takes what one wrote.
        await self.views.settled(destroyed_at)
        more_documents, more_files = await self.views.remove(user_id)
        documents, files = documents + more_documents, files + more_files
        await self._release(started)
        erased = AccountErased(
            user_id=user_id,
            read_models_removed=documents,
            files_removed=files,
            sessions_ended=len(sessions),
        )
        await self._append(erasure_stream(user_id), erased, len(history), STREAM_TYPE, user_id)
        return True

    async def _release(self, started: AccountErasureStarted) -> None:
        reservations = await self.store.read_stream(started.email_stream)
        if not reservations or _released_by(reservations[-1], started.user_id):
            return
        released = EmailReleased(user_id=started.user_id)
        await self._append(
            started.email_stream, released, len(reservations), "email_reservation", started.user_id
        )

    async def _append(
        self,
        stream: str,
        event: DomainEvent,
        version: int,
        stream_type: str,
        user_id: str,
        request_id: str | None = None,
    ) -> None:
        metadata = EventMetadata(user_id=user_id, request_id=request_id, correlation_id=request_id)
        # Lost to another run of this erasure, which wrote the same: nothing is missing.
        with contextlib.suppress(ConcurrencyError):
            await self.store.append(
                stream, [event.to_new_event()], version, stream_type=stream_type, metadata=metadata
            )


def _released_by(last: RecordedEvent, user_id: str) -> bool:
    return last.type == EmailReleased.topic and last.data.get("user_id") == user_id
