"""Generations: one document per generation, its status, progress, scores and result.

``GET /generations/{id}`` and the list read it; the worker's sweep reads it too (which
generations are still pending or generating), as a hint that the event store confirms.
Each stage's entry keeps its timing and the small summary its ``StageCompleted`` carried;
the validating stage's summary fills the analytics (keywords, ATS details,
recommendations), the generating stage's the token usage.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from pymongo import ASCENDING, DESCENDING, IndexModel

from jobwise.domain.events import DomainEvent, RecordedEvent, topics_of
from jobwise.domain.generation import (
    DocumentProduced,
    FeedbackGiven,
    Generation,
    GenerationCancelled,
    GenerationCompleted,
    GenerationDeleted,
    GenerationFailed,
    GenerationNeedsReview,
    GenerationRequested,
    StageCompleted,
    StageStarted,
    ValidationRerun,
)
from jobwise.domain.generation_updates import PERCENT_PER_STAGE, STAGES
from jobwise.projections.projection import Projection, ViewBatch

GENERATIONS = "generations"
Document = dict[str, Any]
ANALYTICS = ("keywords", "ats_score_details", "recommendations")


class GenerationsProjection(Projection):
    name = "generations"
    version = 2
    """2: a result keeps the document's id only (its PDF's URL is the API's to build)."""
    collections = {
        GENERATIONS: [
            IndexModel([("user_id", ASCENDING), ("created_at", DESCENDING)], name="user_recent"),
            IndexModel([("user_id", ASCENDING), ("job_id", ASCENDING)], name="user_job"),
            IndexModel([("status", ASCENDING), ("created_at", ASCENDING)], name="status_oldest"),
        ]
    }
    handles = topics_of(*Generation.events)

    def keys(self, event: RecordedEvent) -> Iterable[tuple[str, str]]:
        return [(GENERATIONS, event.stream_id)]

    async def apply(self, event: RecordedEvent, views: ViewBatch) -> None:
        typed = DomainEvent.from_recorded(event)
        if isinstance(typed, GenerationRequested):
            views.put(GENERATIONS, requested_document(typed, event))
            return
        document = await views.get(GENERATIONS, event.stream_id)
        if document is None:
            return
        if isinstance(typed, GenerationDeleted):
            views.delete(GENERATIONS, event.stream_id)
            return
        changed = copy.deepcopy(document)
        changed.update(
            updated_at=event.recorded_at, version=event.version, last_position=event.position
        )
        evolve(changed, typed, event)
        views.put(GENERATIONS, changed)


def requested_document(event: GenerationRequested, recorded: RecordedEvent) -> Document:
    """The read model of a generation just requested (also the 201 answer's body)."""
    at = recorded.recorded_at
    return {
        "_id": event.generation_id,
        "id": event.generation_id,
        "generation_id": event.generation_id,
        "user_id": event.user_id,
        "status": "pending",
        "document_type": event.document_type,
        "profile_id": event.profile_id,
        "profile_version": event.profile_version,
        "job_id": event.job_id,
        "parent_id": event.parent_id,
        "options": event.options.model_dump(mode="json"),
        "progress": {
            "stage": None,
            "percent": 0,
            "stages": [_stage(name) for name in STAGES],
        },
        "match_score": None,
        "ats_score": None,
        "result": None,
        "removed": [],
        "error": None,
        "error_message": None,
        "keywords": None,
        "ats_score_details": [],
        "recommendations": [],
        "token_usage": 0,
        "writer": None,
        "generation_time_seconds": None,
        "document_id": None,
        "pdf_size_bytes": None,
        "pdf_page_count": None,
        "feedback": None,
        "validated_at": None,
        "seq": event.seq,
        "version": recorded.version,
        "last_position": recorded.position,
        "created_at": at,
        "updated_at": at,
        "completed_at": None,
    }


def _stage(name: str) -> Document:
    return {
        "name": name,
        "status": "pending",
        "started_at": None,
        "completed_at": None,
        "duration_ms": None,
        "attempt": None,
        "summary": None,
    }


def evolve(document: Document, event: DomainEvent, recorded: RecordedEvent) -> None:
    """Change ``document`` (in place) for one event after the request."""
    seq = getattr(event, "seq", None)
    if isinstance(seq, int):
        document["seq"] = seq
    at = recorded.recorded_at
    if isinstance(event, StageStarted):
        _started(document, event, at)
    elif isinstance(event, StageCompleted):
        _completed_stage(document, event, at)
    elif isinstance(event, DocumentProduced):
        document.update(
            document_id=event.document_id,
            pdf_size_bytes=event.pdf_size_bytes,
            pdf_page_count=event.pdf_page_count,
        )
    elif isinstance(event, GenerationCompleted | GenerationNeedsReview):
        _finished(document, event, recorded)
    elif isinstance(event, GenerationFailed | GenerationCancelled):
        _stopped(document, event, recorded)
    elif isinstance(event, FeedbackGiven):
        document["feedback"] = {"rating": event.rating, "comment": event.comment, "at": at}
    elif isinstance(event, ValidationRerun):
        _revalidated(document, event, at)


def _stages(document: Document) -> list[Document]:
    stages: list[Document] = document["progress"]["stages"]
    return stages


def _percent(document: Document) -> int:
    done = sum(1 for stage in _stages(document) if stage["status"] == "completed")
    return done * PERCENT_PER_STAGE


def _started(document: Document, event: StageStarted, at: Any) -> None:
    document["status"] = "generating"
    position = STAGES.index(event.stage)
    for index, stage in enumerate(_stages(document)):
        if index == position:
            stage.update(_stage(event.stage), status="started", started_at=at)
            stage["attempt"] = event.attempt
        elif index > position:
            # A run taken over starts again from the first stage: later ones are undone.
            stage.update(_stage(stage["name"]))
    document["progress"]["stage"] = event.stage
    document["progress"]["percent"] = _percent(document)


def _completed_stage(document: Document, event: StageCompleted, at: Any) -> None:
    for stage in _stages(document):
        if stage["name"] == event.stage:
            stage.update(
                status="completed",
                completed_at=at,
                duration_ms=event.duration_ms,
                summary=event.summary,
            )
    document["progress"]["percent"] = _percent(document)
    summary = event.summary
    if event.stage == "generating_content":
        document["token_usage"] = int(summary.get("total_tokens") or 0)
        document["writer"] = summary.get("writer")
    elif event.stage == "validating_quality":
        document["match_score"] = summary.get("match_score")
        document["ats_score"] = summary.get("ats_score")
        for name in ANALYTICS:
            if name in summary:
                document[name] = summary[name]


def _finished(
    document: Document,
    event: GenerationCompleted | GenerationNeedsReview,
    recorded: RecordedEvent,
) -> None:
    removed = event.removed if isinstance(event, GenerationNeedsReview) else []
    document.update(
        status="needs_review" if removed else "completed",
        match_score=event.match_score,
        ats_score=event.ats_score,
        document_id=event.document_id,
        result={
            "document_id": event.document_id,
            "match_score": event.match_score,
            "ats_score": event.ats_score,
        },
        removed=[item.model_dump() for item in removed],
    )
    _ended(document, recorded)


def _stopped(
    document: Document, event: GenerationFailed | GenerationCancelled, recorded: RecordedEvent
) -> None:
    cancelled = isinstance(event, GenerationCancelled)
    if isinstance(event, GenerationCancelled):
        code, message = "cancelled", event.reason
    else:
        code, message = event.error_code, event.error_message
    document.update(
        status="cancelled" if cancelled else "failed",
        error={"code": code, "message": message},
        error_message=message,
    )
    for stage in _stages(document):
        if stage["status"] == "started":
            stage["status"] = "cancelled" if cancelled else "failed"
    _ended(document, recorded)


def _ended(document: Document, recorded: RecordedEvent) -> None:
    document["completed_at"] = recorded.recorded_at
    elapsed = recorded.recorded_at - document["created_at"]
    document["generation_time_seconds"] = round(elapsed.total_seconds(), 3)


def _revalidated(document: Document, event: ValidationRerun, at: Any) -> None:
    document.update(
        match_score=event.match_score,
        ats_score=event.ats_score,
        keywords=event.keywords,
        ats_score_details=event.ats_score_details,
        recommendations=event.recommendations,
        removed=[item.model_dump() for item in event.removed],
        validated_at=at,
    )
    if document["result"] is not None:
        document["result"] = {
            **document["result"],
            "match_score": event.match_score,
            "ats_score": event.ats_score,
        }
