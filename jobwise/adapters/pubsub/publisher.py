"""Publishing a generation's updates after they are appended: the doorbell.

The repository calls ``appended`` after every append it makes; for a generation
stream the appended events are read back (one range read by position, so the
messages carry what the store recorded, ``recorded_at`` included) and each
update's message is published, with its owner for routing, on ``CHANNEL``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from jobwise.adapters.eventstore import AppendResult, EventStore
from jobwise.adapters.pubsub import PubSub, PubSubUnavailable
from jobwise.domain.events import RecordedEvent
from jobwise.domain.generation_updates import GENERATION_STREAM, update_message

log = logging.getLogger(__name__)

CHANNEL = "generations"


class UpdatePublisher:
    def __init__(self, pubsub: PubSub, store: EventStore) -> None:
        self._pubsub = pubsub
        self._store = store

    async def appended(self, stream_type: str, result: AppendResult) -> None:
        if stream_type != GENERATION_STREAM or result.replayed:
            return
        count = result.last_position - result.first_position + 1
        await self.publish(await self._store.read_all(result.first_position - 1, count))

    async def publish(self, events: Sequence[RecordedEvent]) -> None:
        """Announce the update events among ``events`` (others are skipped)."""
        for event in events:
            message = update_message(event)
            if message is None:
                continue
            try:
                await self._pubsub.publish(CHANNEL, {**message, "user_id": event.metadata.user_id})
            except PubSubUnavailable:
                # A missed doorbell costs latency, not data: subscribers resync from the store.
                log.warning("pub/sub is down: generation %s update not announced", event.stream_id)
                return
