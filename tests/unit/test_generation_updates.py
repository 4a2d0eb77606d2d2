"""The live-update message of each generation event, and the doorbell after an append."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.adapters.pubsub import create_pubsub
from jobwise.adapters.pubsub.publisher import CHANNEL, UpdatePublisher
from jobwise.domain.events import EventMetadata, NewEvent
from jobwise.domain.generation_updates import update_message


async def recorded(store: InMemoryEventStore, *events: tuple[str, dict[str, Any]]) -> Any:
    result = await store.append(
        "g-1",
        [NewEvent(type=kind, data=data) for kind, data in events],
        0,
        stream_type="generation",
        metadata=EventMetadata(user_id="u-1"),
    )
    return result, await store.read_stream("g-1")


@pytest.mark.parametrize(
    ("kind", "data", "expected"),
    [
        (
            "GenerationRequested",
            {"seq": 1},
            {"type": "generation.progress", "stage": None, "percent": 0, "status": "pending"},
        ),
        (
            "StageStarted",
            {"seq": 4, "stage": "generating_content"},
            {"stage_status": "started", "percent": 40, "status": "generating"},
        ),
        (
            "StageCompleted",
            {"seq": 11, "stage": "exporting"},
            {"stage_status": "completed", "percent": 100},
        ),
        (
            "GenerationNeedsReview",
            {"seq": 12, "document_id": "d", "pdf_url": "/p", "match_score": 80, "ats_score": 90},
            {"type": "generation.completed", "status": "needs_review"},
        ),
        (
            "GenerationFailed",
            {"seq": 3, "error_code": "llm_down", "error_message": "no"},
            {"type": "generation.failed", "error": {"code": "llm_down", "message": "no"}},
        ),
        (
            "GenerationCancelled",
            {"seq": 5, "reason": "asked"},
            {"status": "cancelled", "error": {"code": "cancelled", "message": "asked"}},
        ),
    ],
)
async def test_each_update_becomes_its_message(
    kind: str, data: dict[str, Any], expected: dict[str, Any]
) -> None:
    _, (event,) = await recorded(InMemoryEventStore(), (kind, data))
    message = update_message(event)
    assert message is not None
    assert message["generation_id"] == "g-1" and message["seq"] == data["seq"]
    assert message["at"] == event.recorded_at.isoformat()
    assert expected.items() <= message.items()
    assert "user_id" not in message


async def test_events_that_are_not_updates_give_no_message() -> None:
    _, events = await recorded(
        InMemoryEventStore(), ("FeedbackGiven", {"rating": 5}), ("DocumentProduced", {})
    )
    assert [update_message(e) for e in events] == [None, None]


async def test_the_publisher_rings_once_per_update_with_its_owner() -> None:
    store, pubsub = InMemoryEventStore(), create_pubsub(None)
    publisher = UpdatePublisher(pubsub, store)
    async with pubsub.subscribe(CHANNEL) as subscription:
        result, _ = await recorded(
            store,
            ("GenerationRequested", {"seq": 1}),
            ("DocumentProduced", {"document_id": "d"}),
            ("StageStarted", {"seq": 2, "stage": "analyzing_job"}),
        )
        await publisher.appended("generation", result)
        await publisher.appended("profile", result)  # not a generation: nothing
        got = [await asyncio.wait_for(anext(subscription), 10) for _ in range(2)]
    assert [(c, m["seq"], m["user_id"]) for c, m in got] == [
        (CHANNEL, 1, "u-1"),
        (CHANNEL, 2, "u-1"),
    ]
    assert subscription.dropped == 0
