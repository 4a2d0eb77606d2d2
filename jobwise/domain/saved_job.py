"""A job on the user's application board, and the path its status takes.

One user saves one job at most once. The stream id is derived from the pair
(user, job), so two concurrent saves race for the same stream's first version
and the event store lets exactly one win: uniqueness, not read-then-write.

Statuses move forward along interested → applied → interviewing → offer
(skipping steps is fine: a recruiter may call before you apply), and any open
entry can be marked rejected or closed. Those two end the entry's path (one
may still be corrected to the other).
"""

from __future__ import annotations

import uuid
from typing import Literal

from jobwise.domain.aggregate import Aggregate, check_access
from jobwise.domain.errors import RuleViolation
from jobwise.domain.events import DomainEvent

STREAM_TYPE = "saved_job"
SavedJobStatus = Literal["interested", "applied", "interviewing", "offer", "rejected", "closed"]
SAVED_JOB_STATUSES: tuple[SavedJobStatus, ...] = (
    "interested",
    "applied",
    "interviewing",
    "offer",
    "rejected",
    "closed",
)
PIPELINE: tuple[SavedJobStatus, ...] = ("interested", "applied", "interviewing", "offer")
FINAL: tuple[SavedJobStatus, ...] = ("rejected", "closed")
_NAMESPACE = uuid.UUID("5b0c8c7e-3f0a-4d8e-9a53-8a4f0f2f6c11")


def saved_job_id(user_id: str, job_id: str) -> str:
    """The one id a user's saved entry for a job can have (a UUID, stable across saves)."""
    return str(uuid.uuid5(_NAMESPACE, f"{user_id}:{job_id}"))


def allowed_next(status: SavedJobStatus) -> list[SavedJobStatus]:
    if status in FINAL:
        return [other for other in FINAL if other != status]
    later = list(PIPELINE[PIPELINE.index(status) + 1 :])
    return [*later, *FINAL]


class JobSaved(DomainEvent, topic="JobSaved"):
    saved_job_id: str
    user_id: str
    job_id: str
    status: SavedJobStatus
    notes: str | None = None


class SavedJobStatusChanged(DomainEvent, topic="SavedJobStatusChanged"):
    status: SavedJobStatus
    previous_status: SavedJobStatus


class SavedJobNotesChanged(DomainEvent, topic="SavedJobNotesChanged"):
    notes: str | None


class SavedJobRemoved(DomainEvent, topic="SavedJobRemoved"):
    user_id: str
    job_id: str


class SavedJob(Aggregate):
    stream_type = STREAM_TYPE
    id_field = "saved_job_id"
    events = (JobSaved, SavedJobStatusChanged, SavedJobNotesChanged, SavedJobRemoved)

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.user_id = ""
        self.job_id = ""
        self.status: SavedJobStatus = "interested"
        self.notes: str | None = None
        self.saved = False

    # -- commands ----------------------------------------------------------------

    def save(self, user_id: str, job_id: str, status: SavedJobStatus, notes: str | None) -> None:
        if self.saved:
            raise RuleViolation(
                "You have already saved this job.",
                code="already_saved",
                details={"job_id": job_id, "saved_job_id": self.id},
            )
        self.record(
            JobSaved(
                saved_job_id=self.id, user_id=user_id, job_id=job_id, status=status, notes=notes
            )
        )

    def check(self, user_id: str, expected_version: int | None) -> None:
        """Refuse another user's saved job as not found, and a stale ``If-Match``."""
        check_access(
            "Saved job",
            "saved_job_id",
            self.id,
            visible=self.saved and self.user_id == user_id,
            expected=expected_version,
            current=self.version,
        )

    def change_status(self, status: SavedJobStatus) -> None:
        if status == self.status:
            return
        allowed = allowed_next(self.status)
        if status not in allowed:
            raise RuleViolation(
                f"A saved job cannot go from {self.status} to {status}.",
                code="invalid_status_transition",
                details={"from": self.status, "to": status, "allowed": allowed},
            )
        self.record(SavedJobStatusChanged(status=status, previous_status=self.status))

    def change_notes(self, notes: str | None) -> None:
        if notes != self.notes:
            self.record(SavedJobNotesChanged(notes=notes))

    def remove(self) -> None:
        self.record(SavedJobRemoved(user_id=self.user_id, job_id=self.job_id))

    # -- state -------------------------------------------------------------------

    def when_JobSaved(self, event: JobSaved) -> None:
        self.user_id, self.job_id = event.user_id, event.job_id
        self.status, self.notes, self.saved = event.status, event.notes, True

    def when_SavedJobStatusChanged(self, event: SavedJobStatusChanged) -> None:
        self.status = event.status

    def when_SavedJobNotesChanged(self, event: SavedJobNotesChanged) -> None:
        self.notes = event.notes

    def when_SavedJobRemoved(self, event: SavedJobRemoved) -> None:
        self.saved = False
