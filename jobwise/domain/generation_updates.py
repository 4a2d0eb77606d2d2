"""What a client sees of a generation's events: one live-update message per update.

A pure function of a recorded event from a generation stream; the WebSocket, the
SSE stream and the pub/sub bridge all send exactly this. Only *update* events
carry a ``seq`` (1, 2, 3, ... with no gaps per generation); the others
(feedback, a validation rerun, the document record) are not updates and give None.
"""

from __future__ import annotations

from typing import Any

from jobwise.domain.events import RecordedEvent

STAGES = (
    "analyzing_job",
    "compiling_profile",
    "generating_content",
    "validating_quality",
    "exporting",
)
PERCENT_PER_STAGE = 100 // len(STAGES)
GENERATION_STREAM = "generation"
Message = dict[str, Any]


def pdf_url(document_id: str) -> str:
    """Where a generated document's PDF is downloaded (owner only): what the live message
    and the API's answers name. Built here from the id, never stored: events and read
    models keep ids, and this is the one place a client message is made in."""
    return f"/api/v1/documents/{document_id}/download?format=pdf"


def percent_done(stage: str, completed: bool) -> int:
    """Percent of the work done at a stage's start (or, ``completed``, at its end)."""
    before = STAGES.index(stage) if stage in STAGES else 0
    return (before + (1 if completed else 0)) * PERCENT_PER_STAGE


def update_message(event: RecordedEvent) -> Message | None:
    """The message clients receive for ``event``, or None if it is not an update."""
    seq = event.data.get("seq")
    if event.stream_type != GENERATION_STREAM or not isinstance(seq, int):
        return None
    build = _BUILDERS.get(event.type)
    if build is None:
        return None
    head = {"generation_id": event.stream_id, "seq": seq}
    return {**build(event.data), **head, "at": event.recorded_at.isoformat()}


def _requested(data: dict[str, Any]) -> Message:
    return _progress(None, None, 0, "pending")


def _stage_started(data: dict[str, Any]) -> Message:
    stage = data["stage"]
    return _progress(stage, "started", percent_done(stage, completed=False), "generating")


def _stage_completed(data: dict[str, Any]) -> Message:
    stage = data["stage"]
    return _progress(stage, "completed", percent_done(stage, completed=True), "generating")


def _progress(stage: str | None, stage_status: str | None, percent: int, status: str) -> Message:
    return {
        "type": "generation.progress",
        "stage": stage,
        "stage_status": stage_status,
        "percent": percent,
        "status": status,
    }


def _finished(status: str) -> Any:
    def build(data: dict[str, Any]) -> Message:
        document_id = data.get("document_id")
        result = {
            "document_id": document_id,
            "pdf_url": None if document_id is None else pdf_url(document_id),
            "match_score": data.get("match_score"),
            "ats_score": data.get("ats_score"),
        }
        return {"type": "generation.completed", "status": status, "result": result}

    return build


def _failed(data: dict[str, Any]) -> Message:
    error = {
        "code": data.get("error_code", "generation_failed"),
        "message": data.get("error_message", ""),
    }
    return {"type": "generation.failed", "status": "failed", "error": error}


def _cancelled(data: dict[str, Any]) -> Message:
    error = {"code": "cancelled", "message": data.get("reason") or "The generation was cancelled."}
    return {"type": "generation.failed", "status": "cancelled", "error": error}


_BUILDERS = {
    "GenerationRequested": _requested,
    "StageStarted": _stage_started,
    "StageCompleted": _stage_completed,
    "GenerationCompleted": _finished("completed"),
    "GenerationNeedsReview": _finished("needs_review"),
    "GenerationFailed": _failed,
    "GenerationCancelled": _cancelled,
}
