"""Everything JobWise holds of one user, for their data export (``GET /api/v1/me/export``).

Plain reads: the user's account (no password hash: the users view never holds one),
each read model's documents of theirs, and their whole event history, paged through
``audit_events`` so what they may read there and here is one rule. Every read is a
cursor or a page, so an export of a large account never holds it all at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.sealing import EventOpener
from jobwise.application.queries.audit import audit_events
from jobwise.application.queries.event_filter import EventFilter
from jobwise.domain.erasure import is_erased
from jobwise.domain.events import DomainEvent, RecordedEvent
from jobwise.domain.profile import STREAM_TYPE as PROFILE_STREAM
from jobwise.domain.profile import ProfileEvent
from jobwise.projections.documents import DOCUMENTS, VERSIONS
from jobwise.projections.generations import GENERATIONS
from jobwise.projections.jobs import JOBS
from jobwise.projections.profiles import PROFILES, evolve
from jobwise.projections.saved_jobs import SAVED_JOBS
from jobwise.projections.users import USERS

Document = dict[str, Any]

OWNED_VIEWS: dict[str, str] = {
    "profiles": PROFILES,
    "jobs": JOBS,
    "saved_jobs": SAVED_JOBS,
    "generations": GENERATIONS,
    "documents": DOCUMENTS,
    "document_versions": VERSIONS,
}
"""The export's name for each read model keyed by ``user_id``: the data is theirs."""

NEVER_EXPORTED = frozenset({"password_hash", "hashed_password", "password"})
"""Secrets no export carries, should a view ever hold one."""

EVENTS_PAGE = 200
BATCH = 100


async def account(database: AsyncDatabase[Any], user_id: str) -> Document | None:
    """The user's account as the users view holds it."""
    found = await database[USERS].find_one({"_id": user_id})
    return None if found is None else _without_secrets(found)


async def owned(
    database: AsyncDatabase[Any],
    view: str,
    user_id: str,
    fields: dict[str, int] | None = None,
) -> AsyncIterator[Document]:
    """The user's documents of one read model (``OWNED_VIEWS``), oldest id first;
    with ``fields``, only those (a MongoDB projection)."""
    query = database[view].find({"user_id": user_id}, fields)
    found = query.sort("_id", ASCENDING).batch_size(BATCH)
    async for document in found:
        yield _without_secrets(document)


async def event_history(
    database: AsyncDatabase[Any], opener: EventOpener, user_id: str
) -> AsyncIterator[RecordedEvent]:
    """Every event of the user's streams, in log order, a page at a time."""
    after: int | None = 0
    while after is not None:
        chosen = EventFilter(after=after, limit=EVENTS_PAGE)
        page = await audit_events(database, opener, user_id, chosen)
        if page is None:  # only a stream filter can miss; kept for the type
            return
        for event in page.events:
            yield event
        after = page.next_after


async def profile_versions(
    database: AsyncDatabase[Any], opener: EventOpener, user_id: str
) -> AsyncIterator[Document]:
    """Each version of each of the user's profiles (deleted ones too), as it stood when
    that version was complete: replayed from ``event_history``, the one read of the log,
    folding each profile's events as its projection does."""
    profiles: dict[str, Document | None] = {}
    async for recorded in event_history(database, opener, user_id):
        if recorded.stream_type != PROFILE_STREAM or is_erased(recorded):
            continue
        event = DomainEvent.from_recorded(recorded)
        before = profiles.get(recorded.stream_id)
        after = evolve(before, event, recorded)
        if before is not None and _version_done(before, after, event):
            yield _version(before)
        profiles[recorded.stream_id] = after
    for profile in profiles.values():
        if profile is not None:
            yield _version(profile)


def _version_done(before: Document, after: Document | None, event: DomainEvent) -> bool:
    """Whether ``event`` starts a new version (or deletes the profile) after ``before``."""
    return after is None or (
        isinstance(event, ProfileEvent) and event.revision != before.get("version")
    )


def _version(profile: Document) -> Document:
    shown = _without_secrets({k: v for k, v in profile.items() if k != "_id"})
    return {"profile_id": profile["_id"], "version": profile.get("version"), "profile": shown}


def stored_pdf_key(document: Document) -> str | None:
    """The file-store key of a document's generated PDF, when it has one."""
    pdf = document.get("pdf")
    key = pdf.get("key") if isinstance(pdf, dict) else None
    return key if isinstance(key, str) else None


def _without_secrets(document: Document) -> Document:
    return {name: value for name, value in document.items() if name not in NEVER_EXPORTED}
