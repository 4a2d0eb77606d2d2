"""Saved jobs: the application board, each entry with its job's headline and timeline.

The projection also keeps ``saved_job_targets``, one small document per live
job (title, company, location), from the job events it sees in the same global
order as the saves. That is how an entry shows its job's current headline, and
how deleting a job takes its entries off the board, without reading another
projection's collections (which may be ahead or behind this one).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from jobwise.domain.events import DomainEvent, RecordedEvent, topics_of
from jobwise.domain.job import JobCreated, JobDeleted, JobParsed, JobUpdated
from jobwise.domain.saved_job import (
    JobSaved,
    SavedJobNotesChanged,
    SavedJobRemoved,
    SavedJobStatusChanged,
)
from jobwise.projections.projection import Projection, ViewBatch

SAVED_JOBS = "saved_jobs"
TARGETS = "saved_job_targets"
HEADLINE = ("title", "company", "location")
Document = dict[str, Any]
JOB_EVENTS = (JobCreated, JobParsed, JobUpdated, JobDeleted)
ENTRY_EVENTS = (JobSaved, SavedJobStatusChanged, SavedJobNotesChanged, SavedJobRemoved)


class SavedJobsProjection(Projection):
    name = "saved_jobs"
    version = 1
    collections = {
        SAVED_JOBS: [
            IndexModel(
                [("user_id", ASCENDING), ("status", ASCENDING), ("updated_at", DESCENDING)],
                name="user_status_recent",
            ),
            IndexModel([("job_id", ASCENDING)], name="job"),
        ],
        TARGETS: [],
    }
    handles = topics_of(*JOB_EVENTS, *ENTRY_EVENTS)

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        if event.type == JobSaved.topic:
            return [(SAVED_JOBS, event.stream_id), (TARGETS, event.data["job_id"])]
        if event.stream_type == "saved_job":
            return [(SAVED_JOBS, event.stream_id)]
        return [(TARGETS, event.stream_id)]

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        typed = DomainEvent.from_recorded(event)
        if isinstance(typed, JOB_EVENTS):
            await _follow_job(typed, event, views)
        else:
            await _change_entry(typed, event, views)


async def _follow_job(event: DomainEvent, recorded: RecordedEvent, views: ViewBatch) -> None:
    job_id = recorded.stream_id
    if isinstance(event, JobDeleted):
        views.delete(TARGETS, job_id)
        for entry_id in await views.find_ids(SAVED_JOBS, "job_id", job_id):
            views.delete(SAVED_JOBS, entry_id)
        return
    created = isinstance(event, JobCreated)
    stored = None if created else await views.get(TARGETS, job_id)
    target: Document = stored or {"_id": job_id, "title": None, "company": None, "location": None}
    changes = event.changes if isinstance(event, JobUpdated) else getattr(event, "fields", {})
    headline = {name: changes[name] for name in HEADLINE if name in changes}
    if created or any(target.get(k) != v for k, v in headline.items()):
        views.put(TARGETS, {**target, **headline})
        if not created:
            await _refresh_headlines(views, job_id, {**target, **headline})


async def _refresh_headlines(views: ViewBatch, job_id: str, target: Document) -> None:
    for entry_id in await views.find_ids(SAVED_JOBS, "job_id", job_id):
        entry = await views.get(SAVED_JOBS, entry_id)
        if entry is not None:
            views.put(SAVED_JOBS, {**entry, "job": _headline(target)})


async def _change_entry(event: DomainEvent, recorded: RecordedEvent, views: ViewBatch) -> None:
    entry_id = recorded.stream_id
    if isinstance(event, JobSaved):
        target = await views.get(TARGETS, event.job_id)
        if target is not None:  # the job was deleted before the save got here
            views.put(SAVED_JOBS, _saved(event, recorded, target))
        return
    entry = await views.get(SAVED_JOBS, entry_id)
    if entry is None:
        return
    if isinstance(event, SavedJobRemoved):
        views.delete(SAVED_JOBS, entry_id)
        return
    entry = {**entry, "version": recorded.version, "updated_at": recorded.recorded_at}
    if isinstance(event, SavedJobStatusChanged):
        entry["status"] = event.status
        entry["timeline"] = [*entry["timeline"], _step(event.status, recorded)]
        if event.status == "applied" and entry["applied_at"] is None:
            entry["applied_at"] = recorded.recorded_at
    elif isinstance(event, SavedJobNotesChanged):
        entry["notes"] = event.notes
    views.put(SAVED_JOBS, entry)


def _saved(event: JobSaved, recorded: RecordedEvent, target: Document) -> Document:
    at = recorded.recorded_at
    return {
        "_id": event.saved_job_id,
        "id": event.saved_job_id,
        "user_id": event.user_id,
        "job_id": event.job_id,
        "status": event.status,
        "notes": event.notes,
        "job": _headline(target),
        "timeline": [_step(event.status, recorded)],
        "saved_at": at,
        "applied_at": at if event.status == "applied" else None,
        "version": recorded.version,
        "updated_at": at,
    }


def _step(status: str, recorded: RecordedEvent) -> Document:
    return {"status": status, "at": recorded.recorded_at}


def _headline(target: Document) -> Document:
    return {name: target.get(name) for name in HEADLINE}
