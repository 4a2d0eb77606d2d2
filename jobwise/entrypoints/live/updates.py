"""One generation update as the live paths carry it: routed by owner, ordered by ``seq``.

An ``Update`` comes either from the store (a recorded event, the truth) or from
the pub/sub doorbell (the message ``UpdatePublisher`` sent); both give exactly
the client message of ``update_message``, serialised once however many clients
receive it, and framed once for however many WebSockets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson

from jobwise.adapters.eventstore import EventStore
from jobwise.domain.events import RecordedEvent
from jobwise.domain.generation_updates import update_message
from jobwise.entrypoints.live.frames import text_frame

TERMINAL_TYPES = frozenset({"generation.completed", "generation.failed"})
"""Message types after which a generation sends nothing more."""


@dataclass(frozen=True, slots=True)
class Update:
    generation_id: str
    user_id: str | None
    seq: int
    type: str
    text: str
    """The client message as JSON (without ``user_id``, which is only for routing)."""
    frame: bytes
    """``text`` as the WebSocket text frame every socket is sent."""
    position: int | None = None
    """The event's position in the store; None when it came through pub/sub."""

    @property
    def terminal(self) -> bool:
        return self.type in TERMINAL_TYPES

    @classmethod
    def from_event(cls, event: RecordedEvent) -> Update | None:
        """The update ``event`` is, or None if it is not a generation update."""
        message = update_message(event)
        if message is None:
            return None
        return cls._of(message, event.metadata.user_id, event.position)

    @classmethod
    def from_bridge(cls, message: dict[str, Any]) -> Update | None:
        """The update a pub/sub message announces; None for anything malformed."""
        body = {key: value for key, value in message.items() if key != "user_id"}
        user_id = message.get("user_id")
        valid = (
            isinstance(body.get("generation_id"), str)
            and isinstance(body.get("seq"), int)
            and isinstance(body.get("type"), str)
            and (user_id is None or isinstance(user_id, str))
        )
        return cls._of(body, user_id, None) if valid else None

    @classmethod
    def _of(cls, message: dict[str, Any], user_id: str | None, position: int | None) -> Update:
        encoded = orjson.dumps(message)
        return cls(
            generation_id=message["generation_id"],
            user_id=user_id,
            seq=message["seq"],
            type=message["type"],
            text=encoded.decode(),
            frame=text_frame(encoded),
            position=position,
        )


async def updates_after(store: EventStore, generation_id: str, after: int) -> list[Update]:
    """Every update of ``generation_id`` with ``seq > after``, in order, from the store.

    Each update is one event and ``seq`` starts at 1 on the stream's first event,
    so an update's version is never below its ``seq``: reading versions after
    ``after`` cannot miss one.
    """
    events = await store.read_stream(generation_id, after_version=max(0, after))
    found = (Update.from_event(event) for event in events)
    return [update for update in found if update is not None and update.seq > after]
