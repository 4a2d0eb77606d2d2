"""Jobs: the full job document, and a compact search entry beside it.

``jobs`` holds what ``GET /jobs/{id}`` answers. ``job_search`` holds, per job,
only what the list filters on plus one lower-cased search text and the
canonical skills; listing and ``?q=`` read these small entries, then fetch the
one page of full documents. ``job_search_stamps`` holds, per user, the position
of the last event that changed the user's jobs: ``queries.job_search`` keeps a
user's entries in memory for as long as that stamp stays the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from jobwise.domain.events import DomainEvent, RecordedEvent, topics_of
from jobwise.domain.job import (
    EDITABLE_FIELDS,
    JobCreated,
    JobDeleted,
    JobKeywordsUpdated,
    JobParsed,
    JobStatusChanged,
    JobUpdated,
)
from jobwise.projections.projection import Projection, ViewBatch

JOBS = "jobs"
JOB_SEARCH = "job_search"
JOB_SEARCH_STAMPS = "job_search_stamps"
Document = dict[str, Any]
LIST_FIELDS = ("requirements", "nice_to_have", "responsibilities", "benefits")
SEARCHED_FIELDS = (
    "title",
    "company",
    "location",
    "description",
    "requirements",
    "nice_to_have",
    "responsibilities",
)


class JobsProjection(Projection):
    name = "jobs"
    version = 2
    """2: benefits is a list and work_arrangement is kept (events are upcast as read)."""
    collections = {
        JOBS: [],
        JOB_SEARCH: [
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="user_recent")
        ],
        JOB_SEARCH_STAMPS: [],
    }
    handles = topics_of(
        JobCreated, JobParsed, JobKeywordsUpdated, JobUpdated, JobStatusChanged, JobDeleted
    )

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        return [(JOBS, event.stream_id)]

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        previous = await views.get(JOBS, event.stream_id)
        document = evolve(previous, DomainEvent.from_recorded(event), event)
        if document is None:
            views.delete(JOBS, event.stream_id)
            views.delete(JOB_SEARCH, event.stream_id)
        else:
            views.put(JOBS, document)
            views.put(JOB_SEARCH, search_entry(document))
        owner = (document or previous or {}).get("user_id")
        if owner is not None:
            # Tells every process's search cache that this user's entries moved on.
            views.put(JOB_SEARCH_STAMPS, {"_id": owner, "position": event.position})


def evolve(
    document: Document | None, event: DomainEvent, recorded: RecordedEvent
) -> Document | None:
    """The job document after ``event`` (None once deleted)."""
    if isinstance(event, JobCreated):
        return _created(event, recorded)
    if document is None or isinstance(event, JobDeleted):
        return None
    document = {**document, "version": recorded.version, "updated_at": recorded.recorded_at}
    if isinstance(event, JobParsed):
        document.update(event.fields)
        document["parsed_keywords"] = event.parsed_keywords
        document["parsing"] = {
            "method": event.method,
            "llm": event.llm,
            "unresolved": event.unresolved,
        }
    elif isinstance(event, JobKeywordsUpdated):
        document["parsed_keywords"] = event.parsed_keywords
    elif isinstance(event, JobUpdated):
        document.update(event.changes)
        if event.raw_text_changed:
            document["raw_text"] = event.raw_text
    elif isinstance(event, JobStatusChanged):
        document["status"] = event.status
    return document


def _created(event: JobCreated, recorded: RecordedEvent) -> Document:
    empty: Document = {name: None for name in EDITABLE_FIELDS}
    empty.update({name: [] for name in LIST_FIELDS})
    empty["remote"] = False
    return {
        "_id": event.job_id,
        "id": event.job_id,
        **empty,
        **event.fields,
        "user_id": event.user_id,
        "status": event.status,
        "raw_text": event.raw_text,
        "parsed_keywords": {"required": [], "preferred": [], "skills": []},
        "parsing": None,
        "version": recorded.version,
        "created_at": recorded.recorded_at,
        "updated_at": recorded.recorded_at,
    }


def search_entry(document: Document) -> Document:
    """What the list and ``?q=`` read: filters, order, one lower-cased text, and the
    canonical skills (so a search for a skill finds it under any of its names)."""
    return {
        "_id": document["_id"],
        "user_id": document["user_id"],
        "status": document["status"],
        "source": (document.get("source") or "").casefold(),
        "remote": bool(document.get("remote")),
        "work_arrangement": document.get("work_arrangement"),
        "created_at": document["created_at"],
        "text": search_text(document),
        "skills": [s.casefold() for s in (document.get("parsed_keywords") or {}).get("skills", [])],
    }


def search_text(document: Document) -> str:
    parts: list[str] = []
    for name in SEARCHED_FIELDS:
        value = document.get(name)
        if isinstance(value, list):
            parts.extend(str(v) for v in value)
        elif value:
            parts.append(str(value))
    # One space between words: a two-word query matches across a line break.
    return " ".join(" ".join(parts).casefold().split())
