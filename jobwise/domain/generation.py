"""A generation: one tailored resume or cover letter, requested, run in five stages, ended.

The stream (type ``"generation"``, id = the generation id) follows the shared spec
(``notes/generation-events.md``): every *update* event carries ``seq`` (1 for
``GenerationRequested``, then +1 per update, no gaps), which live updates resume from.

Who may write a run's events
----------------------------
A worker runs a generation under a lease (``jobwise.application.processes.leases``); each claim of
the lease has an ``attempt`` number, and the run's events carry it. The aggregate is the
fence: a run may record only while it is the current one (its attempt and worker), and
a later attempt (a takeover after the lease expired) supersedes every earlier one. So a
worker that was paused past its lease and wakes up finds its next event refused
(``RunSuperseded``) instead of interleaving with its successor's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field

from jobwise.domain.aggregate import Aggregate, check_access
from jobwise.domain.errors import DomainError, RuleViolation
from jobwise.domain.events import DomainEvent, RecordedEvent, upcaster
from jobwise.domain.generation_updates import GENERATION_STREAM, STAGES
from jobwise.domain.writing.models import DocumentKind, GenerationOptions

Stage = Literal[
    "analyzing_job", "compiling_profile", "generating_content", "validating_quality", "exporting"
]
Status = Literal["pending", "generating", "completed", "needs_review", "failed", "cancelled"]
STATUSES: tuple[Status, ...] = (
    "pending",
    "generating",
    "completed",
    "needs_review",
    "failed",
    "cancelled",
)
RUNNING: tuple[Status, ...] = ("pending", "generating")
ENDED: tuple[Status, ...] = ("completed", "needs_review", "failed", "cancelled")
WITH_DOCUMENT: tuple[Status, ...] = ("completed", "needs_review")
RATINGS = (1, 5)


# -- events ------------------------------------------------------------------------------


RepairAction = Literal["removed", "replaced", "restored", "rewritten"]
"""What was done about a statement the profile does not back: taken out; replaced by
the profile's own words; put back from the profile (a section or employer the draft
lost); or written again by the model, asked once more without it."""


class RemovedItem(BaseModel):
    """One repair the fabrication guard made to the document (events before repairs
    were told apart carry only what, where and why: they were all removals)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    what: str
    where: str
    why: str
    action: RepairAction = "removed"
    replacement: str | None = None

    @classmethod
    def of(cls, repair: object) -> RemovedItem:
        """From a guard's report entry (``jobwise.domain.writing.Removal``)."""
        fields = ("what", "where", "why", "action", "replacement")
        return cls(**{name: getattr(repair, name) for name in fields})


class GenerationRequested(DomainEvent, topic="GenerationRequested"):
    seq: int = 1
    generation_id: str
    user_id: str
    profile_id: str
    profile_version: int
    job_id: str
    document_type: DocumentKind
    options: GenerationOptions
    parent_id: str | None = None


class StageStarted(DomainEvent, topic="StageStarted"):
    seq: int
    stage: Stage
    attempt: int = Field(ge=1)
    worker_id: str


class StageCompleted(DomainEvent, topic="StageCompleted"):
    seq: int
    stage: Stage
    duration_ms: int = Field(ge=0)
    summary: dict[str, Any] = Field(default_factory=dict)


class DocumentProduced(DomainEvent, topic="DocumentProduced"):
    """Not an update (no ``seq``): the document the run stored, and its sizes."""

    document_id: str
    markdown_chars: int
    text_chars: int
    html_chars: int
    word_count: int
    pdf_size_bytes: int
    pdf_page_count: int
    pdf_parse_passed: bool


class GenerationCompleted(DomainEvent, topic="GenerationCompleted", version=2):
    seq: int
    document_id: str
    match_score: float
    ats_score: float


class GenerationNeedsReview(DomainEvent, topic="GenerationNeedsReview", version=2):
    seq: int
    document_id: str
    match_score: float
    ats_score: float
    removed: list[RemovedItem]


@upcaster("GenerationCompleted", from_version=1)
def _completed_v2(data: dict[str, Any]) -> dict[str, Any]:
    return _without_pdf_url(data)


@upcaster("GenerationNeedsReview", from_version=1)
def _needs_review_v2(data: dict[str, Any]) -> dict[str, Any]:
    return _without_pdf_url(data)


def _without_pdf_url(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 carried the PDF's HTTP path: an edge's concern, built there from
    ``document_id`` since version 2, so dropped when read."""
    return {key: value for key, value in data.items() if key != "pdf_url"}


class GenerationFailed(DomainEvent, topic="GenerationFailed"):
    seq: int
    stage: Stage | None
    error_code: str
    error_message: str


class GenerationCancelled(DomainEvent, topic="GenerationCancelled"):
    seq: int
    stage: Stage | None
    """Where the run stopped (None: before it started)."""
    reason: str


class FeedbackGiven(DomainEvent, topic="FeedbackGiven"):
    rating: int = Field(ge=RATINGS[0], le=RATINGS[1])
    comment: str | None = None


class ValidationRerun(DomainEvent, topic="ValidationRerun"):
    """Stage 4 run again on the stored document (``POST /generations/{id}/validate``)."""

    document_id: str
    match_score: float
    ats_score: float
    ats_score_details: list[dict[str, Any]] = Field(default_factory=list)
    keywords: dict[str, list[Any]] = Field(default_factory=dict)
    """The skills lists, and the checked qualifications (dicts) the match score weighed."""
    recommendations: list[str] = Field(default_factory=list)
    removed: list[RemovedItem] = Field(default_factory=list)


class GenerationDeleted(DomainEvent, topic="GenerationDeleted"):
    """A finished generation taken off the user's list (not an update: no ``seq``).

    Not in the first cut of the shared spec; ``DELETE /generations/{id}`` of a finished
    one needs it. Its document stays (documents have their own lifecycle)."""

    user_id: str


UPDATE_EVENTS = (
    GenerationRequested,
    StageStarted,
    StageCompleted,
    GenerationCompleted,
    GenerationNeedsReview,
    GenerationFailed,
    GenerationCancelled,
)


# -- refusals ----------------------------------------------------------------------------


class RunSuperseded(DomainError):
    """The worker's run is no longer the current one: a later attempt took over, or the
    generation ended (cancelled, say). The worker stops; nothing is wrong."""

    code = "run_superseded"


def not_ready(generation_id: str, status: Status) -> RuleViolation:
    return RuleViolation(
        "The generation has not finished yet.",
        code="not_ready",
        details={"generation_id": generation_id, "status": status},
    )


def no_result(generation_id: str, status: Status) -> RuleViolation:
    return RuleViolation(
        f"The generation ended {status} and has no document.",
        code="no_result",
        details={"generation_id": generation_id, "status": status},
    )


# -- the aggregate -----------------------------------------------------------------------


class Generation(Aggregate):
    stream_type = GENERATION_STREAM
    id_field = "generation_id"
    events = (
        GenerationRequested,
        StageStarted,
        StageCompleted,
        DocumentProduced,
        GenerationCompleted,
        GenerationNeedsReview,
        GenerationFailed,
        GenerationCancelled,
        FeedbackGiven,
        ValidationRerun,
        GenerationDeleted,
    )

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.user_id = ""
        self.profile_id = ""
        self.profile_version = 0
        self.job_id = ""
        self.document_type: DocumentKind = "resume"
        self.options = GenerationOptions()
        self.parent_id: str | None = None
        self.status: Status = "pending"
        self.seq = 0
        self.stage: Stage | None = None
        self.stage_done = False
        """Whether ``stage`` has completed (else it is running)."""
        self.attempt = 0
        self.worker_id: str | None = None
        self.document_id: str | None = None
        self.deleted = False
        self.requested_at: datetime | None = None
        """When it was requested (known once loaded from the store)."""

    @classmethod
    def from_history(cls, aggregate_id: str, history: Iterable[RecordedEvent]) -> Self:
        events = list(history)
        generation = super().from_history(aggregate_id, events)
        if events:
            generation.requested_at = events[0].recorded_at
        return generation

    @property
    def exists(self) -> bool:
        return self.version > 0 and not self.deleted

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def ended(self) -> bool:
        return self.status in ENDED

    # -- the user's commands -----------------------------------------------------------

    @classmethod
    def request(
        cls,
        generation_id: str,
        user_id: str,
        profile_id: str,
        profile_version: int,
        job_id: str,
        document_type: DocumentKind,
        options: GenerationOptions,
        parent_id: str | None = None,
    ) -> Generation:
        generation = cls(generation_id)
        generation.record(
            GenerationRequested(
                generation_id=generation_id,
                user_id=user_id,
                profile_id=profile_id,
                profile_version=profile_version,
                job_id=job_id,
                document_type=document_type,
                options=options,
                parent_id=parent_id,
            )
        )
        return generation

    def check(self, user_id: str) -> None:
        """Refuse a missing, deleted or someone else's generation as not found."""
        check_access(
            "Generation",
            "generation_id",
            self.id,
            visible=self.exists and self.user_id == user_id,
            expected=None,
            current=self.version,
        )

    def cancel(self, reason: str) -> None:
        if not self.running:
            raise RuleViolation(
                f"The generation already ended {self.status}.",
                code="generation_ended",
                details={"generation_id": self.id, "status": self.status},
            )
        self.record(GenerationCancelled(seq=self.seq + 1, stage=self.stage, reason=reason))

    def delete(self) -> None:
        if self.running:
            raise not_ready(self.id, self.status)
        self.record(GenerationDeleted(user_id=self.user_id))

    def give_feedback(self, rating: int, comment: str | None) -> None:
        if self.running:
            raise not_ready(self.id, self.status)
        self.record(FeedbackGiven(rating=rating, comment=comment))

    def require_document(self) -> str:
        """The document's id; refused before the end, or when the run left none."""
        if self.running:
            raise not_ready(self.id, self.status)
        if self.document_id is None or self.status not in WITH_DOCUMENT:
            raise no_result(self.id, self.status)
        return self.document_id

    def rerun_validation(self, event: ValidationRerun) -> None:
        self.require_document()
        self.record(event)

    # -- the worker's commands ---------------------------------------------------------

    def start_stage(self, stage: Stage, attempt: int, worker_id: str) -> None:
        """Start ``stage``; a higher ``attempt`` than the current one takes the run over."""
        self._check_run(attempt, worker_id, takeover=True)
        self.record(
            StageStarted(seq=self.seq + 1, stage=stage, attempt=attempt, worker_id=worker_id)
        )

    def complete_stage(
        self,
        stage: Stage,
        duration_ms: int,
        summary: dict[str, Any],
        attempt: int,
        worker_id: str,
    ) -> None:
        self._check_run(attempt, worker_id)
        if self.stage != stage or self.stage_done:
            raise RunSuperseded(
                f"Stage {stage} is not the one running.",
                details={"generation_id": self.id, "stage": self.stage},
            )
        self.record(
            StageCompleted(seq=self.seq + 1, stage=stage, duration_ms=duration_ms, summary=summary)
        )

    def produce_document(self, event: DocumentProduced, attempt: int, worker_id: str) -> None:
        self._check_run(attempt, worker_id)
        self.record(event)

    def finish(
        self,
        match_score: float,
        ats_score: float,
        removed: list[RemovedItem],
        attempt: int,
        worker_id: str,
    ) -> None:
        """End with the produced document: completed, or needs_review if the guard removed
        anything."""
        self._check_run(attempt, worker_id)
        if self.document_id is None:
            raise RuleViolation("No document was produced.", code="no_document")
        common = {
            "seq": self.seq + 1,
            "document_id": self.document_id,
            "match_score": match_score,
            "ats_score": ats_score,
        }
        if removed:
            self.record(GenerationNeedsReview(**common, removed=removed))
        else:
            self.record(GenerationCompleted(**common))

    def fail(self, error_code: str, error_message: str, attempt: int, worker_id: str) -> None:
        """End failed, at the stage that was running (a takeover may fail it too)."""
        self._check_run(attempt, worker_id, takeover=True)
        self.record(
            GenerationFailed(
                seq=self.seq + 1,
                stage=self.stage,
                error_code=error_code,
                error_message=error_message,
            )
        )

    def check_run(self, attempt: int, worker_id: str) -> None:
        """Refuse (``RunSuperseded``) a run that is no longer the current one."""
        self._check_run(attempt, worker_id)

    def _check_run(self, attempt: int, worker_id: str, *, takeover: bool = False) -> None:
        if not self.running:
            raise RunSuperseded(
                f"The generation ended {self.status}.",
                details={"generation_id": self.id, "status": self.status},
            )
        current = attempt == self.attempt and worker_id == self.worker_id
        if current or (takeover and attempt > self.attempt):
            return
        raise RunSuperseded(
            "Another run of this generation took over.",
            details={"generation_id": self.id, "attempt": self.attempt},
        )

    # -- state -------------------------------------------------------------------------

    def apply(self, event: DomainEvent) -> None:
        seq = getattr(event, "seq", None)
        if isinstance(event, UPDATE_EVENTS) and isinstance(seq, int):
            self.seq = seq
        super().apply(event)

    def when_GenerationRequested(self, event: GenerationRequested) -> None:
        self.user_id = event.user_id
        self.profile_id = event.profile_id
        self.profile_version = event.profile_version
        self.job_id = event.job_id
        self.document_type = event.document_type
        self.options = event.options
        self.parent_id = event.parent_id

    def when_StageStarted(self, event: StageStarted) -> None:
        self.status = "generating"
        self.stage, self.stage_done = event.stage, False
        self.attempt, self.worker_id = event.attempt, event.worker_id

    def when_StageCompleted(self, event: StageCompleted) -> None:
        self.stage_done = True

    def when_DocumentProduced(self, event: DocumentProduced) -> None:
        self.document_id = event.document_id

    def when_GenerationCompleted(self, event: GenerationCompleted) -> None:
        self.status = "completed"

    def when_GenerationNeedsReview(self, event: GenerationNeedsReview) -> None:
        self.status = "needs_review"

    def when_GenerationFailed(self, event: GenerationFailed) -> None:
        self.status = "failed"

    def when_GenerationCancelled(self, event: GenerationCancelled) -> None:
        self.status = "cancelled"

    def when_FeedbackGiven(self, event: FeedbackGiven) -> None:
        """Feedback is kept for the read model; nothing the generation decides depends on it."""

    def when_ValidationRerun(self, event: ValidationRerun) -> None:
        """A rerun's scores are for the read model; the run's state stays as it was."""

    def when_GenerationDeleted(self, event: GenerationDeleted) -> None:
        self.deleted = True


def next_stage(stage: Stage) -> Stage | None:
    index = STAGES.index(stage) + 1
    return STAGES[index] if index < len(STAGES) else None  # type: ignore[return-value]
