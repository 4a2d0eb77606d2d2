"""Documents: one read-model document per generated resume or cover letter, and each of
its versions.

``documents`` holds the current version's content (and the facts of the PDF its
generation stored); ``GET /generations/{id}/result``, the Documents API and a saved
job's ``document_ids`` read it. ``document_versions`` holds every version's content,
``<document id>:<version_number>``, for ``GET /documents/{id}?version=N``. A deleted
document leaves neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from jobwise.domain.document import DocumentCreated, DocumentDeleted, DocumentEdited
from jobwise.domain.events import DomainEvent, RecordedEvent, topics_of
from jobwise.projections.projection import Projection, ViewBatch

DOCUMENTS = "documents"
VERSIONS = "document_versions"
CONTENT = ("title", "content_markdown", "content_html", "content_text")
Document = dict[str, Any]


def version_id(document_id: str, version_number: int) -> str:
    return f"{document_id}:{version_number}"


class DocumentsProjection(Projection):
    name = "documents"
    version = 2
    collections = {
        DOCUMENTS: [
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="user_recent"),
            IndexModel([("generation_id", ASCENDING)], name="generation"),
            IndexModel([("user_id", ASCENDING), ("job_id", ASCENDING)], name="user_job"),
            IndexModel([("user_id", ASCENDING), ("profile_id", ASCENDING)], name="user_profile"),
        ],
        VERSIONS: [],
    }
    handles = topics_of(DocumentCreated, DocumentEdited, DocumentDeleted)

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        keys = [(DOCUMENTS, event.stream_id)]
        number = event.data.get("version_number")
        if event.type == DocumentCreated.topic:
            number = number or 1
        if isinstance(number, int):
            keys.append((VERSIONS, version_id(event.stream_id, number)))
        return keys

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        typed = DomainEvent.from_recorded(event)
        if isinstance(typed, DocumentCreated):
            _created(typed, event, views)
        elif isinstance(typed, DocumentEdited):
            await _edited(typed, event, views)
        elif isinstance(typed, DocumentDeleted):
            await _deleted(event.stream_id, views)


def _created(event: DocumentCreated, recorded: RecordedEvent, views: ViewBatch) -> None:
    at = recorded.recorded_at
    views.put(
        DOCUMENTS,
        {
            "_id": event.document_id,
            "id": event.document_id,
            **event.model_dump(mode="json", exclude={"document_id"}),
            "version": recorded.version,
            "created_at": at,
            "updated_at": at,
        },
    )
    content = {name: getattr(event, name) for name in CONTENT}
    views.put(
        VERSIONS, _version(event.document_id, event.user_id, event.version_number, content, at)
    )


async def _edited(event: DocumentEdited, recorded: RecordedEvent, views: ViewBatch) -> None:
    document = await views.get(DOCUMENTS, recorded.stream_id)
    if document is None:
        return
    at = recorded.recorded_at
    content = {name: getattr(event, name) for name in CONTENT}
    views.put(
        DOCUMENTS,
        {
            **document,
            **content,
            "version_number": event.version_number,
            "version": recorded.version,
            "updated_at": at,
        },
    )
    views.put(
        VERSIONS,
        _version(recorded.stream_id, document["user_id"], event.version_number, content, at),
    )


async def _deleted(document_id: str, views: ViewBatch) -> None:
    document = await views.get(DOCUMENTS, document_id)
    if document is None:
        return
    for number in range(1, document["version_number"] + 1):
        views.delete(VERSIONS, version_id(document_id, number))
    views.delete(DOCUMENTS, document_id)


def _version(document_id: str, user_id: str, number: int, content: Document, at: Any) -> Document:
    return {
        "_id": version_id(document_id, number),
        "document_id": document_id,
        "user_id": user_id,
        "version_number": number,
        **content,
        "created_at": at,
    }
