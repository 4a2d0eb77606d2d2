"""Documents: one read-model document per generated resume or cover letter.

``GET /generations/{id}/result`` and the PDF download read it. It holds the current
version's content and the facts of its stored PDF (the file itself is in the file store).
"""

from __future__ import annotations

from collections.abc import Iterable

from pymongo import ASCENDING, DESCENDING, IndexModel

from jobwise.domain.document import DocumentCreated
from jobwise.domain.events import DomainEvent, RecordedEvent
from jobwise.projecting import Projection, ViewBatch

DOCUMENTS = "documents"


class DocumentsProjection(Projection):
    name = "documents"
    version = 1
    collections = {
        DOCUMENTS: [
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="user_recent"),
            IndexModel([("generation_id", ASCENDING)], name="generation"),
            IndexModel([("user_id", ASCENDING), ("job_id", ASCENDING)], name="user_job"),
        ]
    }
    handles = frozenset([DocumentCreated.__name__])

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        return [(DOCUMENTS, event.stream_id)]

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        typed = DomainEvent.from_recorded(event)
        if isinstance(typed, DocumentCreated):
            views.put(
                DOCUMENTS,
                {
                    "_id": typed.document_id,
                    "id": typed.document_id,
                    **typed.model_dump(mode="json", exclude={"document_id"}),
                    "version": event.version,
                    "created_at": event.recorded_at,
                    "updated_at": event.recorded_at,
                },
            )
