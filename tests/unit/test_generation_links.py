"""A generation's events keep its document's id, never an HTTP path: the link to the PDF
is made where a client is answered (the live message here, the API's shapes), and an
event stored when it still carried a ``pdf_url`` loads all the same."""

from __future__ import annotations

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.domain.events import DomainEvent, EventMetadata, NewEvent
from jobwise.domain.generation import (
    GenerationCompleted,
    GenerationNeedsReview,
)
from jobwise.domain.generation_updates import pdf_url, update_message

OLD_URL = "/api/v1/documents/d-1/download?format=pdf"


async def test_an_event_stored_with_a_pdf_url_loads_without_it() -> None:
    store = InMemoryEventStore()
    old = {"seq": 12, "document_id": "d-1", "pdf_url": OLD_URL, "match_score": 50, "ats_score": 75}
    await store.append(
        "g-1",
        [
            NewEvent(type="GenerationCompleted", data=old),
            NewEvent(type="GenerationNeedsReview", data={**old, "seq": 13, "removed": []}),
        ],
        0,
        stream_type="generation",
        metadata=EventMetadata(user_id="u-1"),
    )
    completed, needs_review = await store.read_stream("g-1")

    loaded = [DomainEvent.from_recorded(completed), DomainEvent.from_recorded(needs_review)]

    assert isinstance(loaded[0], GenerationCompleted)
    assert isinstance(loaded[1], GenerationNeedsReview)
    assert all("pdf_url" not in event.model_dump() for event in loaded)
    message = update_message(completed)
    assert message is not None and message["result"]["pdf_url"] == OLD_URL


def test_a_new_event_keeps_the_id_and_the_live_message_links_it() -> None:
    event = GenerationCompleted(seq=12, document_id="d-1", match_score=50, ats_score=75)

    assert "pdf_url" not in event.to_new_event().data
    assert pdf_url("d-1") == OLD_URL
