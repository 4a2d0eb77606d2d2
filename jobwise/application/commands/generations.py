"""Generation commands: the user's (request, regenerate, cancel or delete, feedback,
validate again) and the worker's (start a stage, finish with a document, fail).

The user's writes wait for the read models, as every request's write does. The worker's
do not (``wait=False``): stage events are not user writes, and a worker may run where
no projection runs at all (``jobwise worker``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from jobwise.adapters.offloop import OffLoop
from jobwise.adapters.ratelimit import RateLimiter
from jobwise.application.limits import Limits, spend_generation
from jobwise.application.messagebus import Handler
from jobwise.application.queries.generation_inputs import job_input, profile_summary
from jobwise.application.repository import Repository, metadata_for
from jobwise.domain.document import Document, DocumentCreated
from jobwise.domain.errors import RuleViolation, not_found
from jobwise.domain.events import EventMetadata, new_id, utc_now
from jobwise.domain.generation import (
    DocumentProduced,
    Generation,
    RemovedItem,
    Stage,
    ValidationRerun,
)
from jobwise.domain.profile import Profile
from jobwise.domain.profile_summary import ProfileSummary
from jobwise.domain.quota import GenerationQuota, period_of, previous_period, quota_stream
from jobwise.domain.user import User
from jobwise.domain.writing import (
    DocumentKind,
    GenerationOptions,
    JobInput,
    ValidationReport,
    analyze_job,
    validate,
)

# -- the user's commands -----------------------------------------------------------------


@dataclass(frozen=True)
class RequestGeneration:
    user_id: str
    profile_id: str
    job_id: str
    document_type: DocumentKind
    options: GenerationOptions = field(default_factory=GenerationOptions)
    parent_id: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class Regenerate:
    user_id: str
    generation_id: str
    options: dict[str, Any] = field(default_factory=dict)
    """Options to change; the rest are the parent's."""
    request_id: str | None = None


@dataclass(frozen=True)
class DeleteGeneration:
    """Cancel a running generation, or take a finished one off the list."""

    user_id: str
    generation_id: str
    request_id: str | None = None


@dataclass(frozen=True)
class GiveFeedback:
    user_id: str
    generation_id: str
    rating: int
    comment: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class RerunValidation:
    user_id: str
    generation_id: str
    request_id: str | None = None


async def request_generation(
    command: RequestGeneration,
    repository: Repository,
    limiter: RateLimiter,
    limits: Limits,
) -> str:
    """Check the profile and the job are the caller's, spend the hourly and monthly
    allowances, and record the request. Returns the new generation's id."""
    profile = await repository.load(Profile, command.profile_id)
    profile.check(command.user_id, None)
    if await job_input(repository.store, command.user_id, command.job_id) is None:
        raise not_found("Job", "job_id", command.job_id)
    await spend_generation(limiter, limits, command.user_id)
    generation_id = new_id()
    metadata = metadata_for(command.user_id, command.request_id)
    limit = (await repository.load(User, command.user_id)).generations_limit
    await repository.change(
        GenerationQuota,
        quota_stream(command.user_id, period_of(utc_now())),
        lambda quota: quota.count(command.user_id, generation_id, limit, utc_now()),
        metadata,
    )  # waited for: the caller's next /auth/me must count this request
    generation = Generation.request(
        generation_id,
        command.user_id,
        command.profile_id,
        profile.current_version,
        command.job_id,
        command.document_type,
        command.options,
        command.parent_id,
    )
    await repository.save(generation, metadata)
    return generation_id


async def regenerate(
    command: Regenerate,
    repository: Repository,
    limiter: RateLimiter,
    limits: Limits,
) -> str:
    """A new generation of the same kind, profile (its current version) and job, with
    ``parent_id`` naming the one it came from."""
    parent = await repository.load(Generation, command.generation_id)
    parent.check(command.user_id)
    options = GenerationOptions.model_validate({**parent.options.model_dump(), **command.options})
    return await request_generation(
        RequestGeneration(
            command.user_id,
            parent.profile_id,
            parent.job_id,
            parent.document_type,
            options,
            parent_id=parent.id,
            request_id=command.request_id,
        ),
        repository,
        limiter,
        limits,
    )


async def delete_generation(command: DeleteGeneration, repository: Repository) -> str:
    """``"cancelled"`` or ``"deleted"``: what happened to the generation."""
    metadata = metadata_for(command.user_id, command.request_id)

    def change(generation: Generation) -> tuple[str, datetime | None]:
        generation.check(command.user_id)
        if generation.running:
            generation.cancel("Cancelled by the user.")
            return "cancelled", generation.requested_at
        generation.delete()
        return "deleted", None

    outcome, requested_at = await repository.change(
        Generation, command.generation_id, change, metadata
    )
    if outcome == "cancelled":
        await refund(repository, command.user_id, command.generation_id, requested_at, "cancelled")
    return outcome


async def give_feedback(command: GiveFeedback, repository: Repository) -> str:
    def change(generation: Generation) -> str:
        generation.check(command.user_id)
        generation.give_feedback(command.rating, command.comment)
        return generation.id

    return await repository.change(
        Generation,
        command.generation_id,
        change,
        metadata_for(command.user_id, command.request_id),
    )


async def rerun_validation(
    command: RerunValidation, repository: Repository, offloop: OffLoop
) -> str:
    """Stage 4 again, on the stored document as it is now (the user may have edited it),
    against the profile version it was written from and the job as it is now. Reading
    the posting and 200,000 edited characters takes seconds: off the event loop."""
    generation = await repository.load(Generation, command.generation_id)
    generation.check(command.user_id)
    document = await repository.load(Document, generation.require_document())
    today = (generation.requested_at or utc_now()).date()
    profile = await profile_summary(
        repository.store,
        command.user_id,
        generation.profile_id,
        generation.profile_version,
        today,
    )
    job = await job_input(repository.store, command.user_id, generation.job_id)
    if profile is None or job is None:
        raise RuleViolation(
            "The profile or the job this document was written for no longer exists.",
            code="inputs_gone",
            details={"profile_id": generation.profile_id, "job_id": generation.job_id},
        )
    report = await offloop.run(
        _validated,
        document.content_markdown,
        generation.document_type,
        profile,
        job,
        generation.options,
    )
    rerun = ValidationRerun(
        document_id=document.id,
        match_score=report.match_score,
        ats_score=report.ats_score,
        ats_score_details=[c.model_dump(mode="json") for c in report.ats_score_details],
        keywords=report.keywords.model_dump(mode="json"),
        recommendations=report.recommendations,
        removed=[RemovedItem.of(r) for r in report.removed],
    )

    def change(current: Generation) -> str:
        current.check(command.user_id)
        current.rerun_validation(rerun)
        return current.id

    return await repository.change(
        Generation,
        command.generation_id,
        change,
        metadata_for(command.user_id, command.request_id),
    )


# -- the worker's commands ---------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Which run of which generation a worker command speaks for."""

    generation_id: str
    user_id: str
    attempt: int
    worker_id: str

    def metadata(self) -> EventMetadata:
        # The owner, as for every stream; the worker and its attempt, for the audit.
        return EventMetadata(
            user_id=self.user_id,
            correlation_id=self.generation_id,
            worker_id=self.worker_id,
            attempt=self.attempt,
        )


@dataclass(frozen=True)
class CompletedStage:
    stage: Stage
    duration_ms: int
    summary: dict[str, Any]


@dataclass(frozen=True)
class StartStage:
    """Start ``stage`` of the run, after recording ``after`` (the stage that just ended)
    in the same append."""

    run: Run
    stage: Stage
    after: CompletedStage | None = None


@dataclass(frozen=True)
class FinishGeneration:
    """Store the document, then end the run: the last stage's completion, the document
    produced, and completed (or needs_review when the guard removed anything)."""

    run: Run
    document: DocumentCreated
    produced: DocumentProduced
    exporting: CompletedStage
    match_score: float
    ats_score: float
    removed: list[RemovedItem]


@dataclass(frozen=True)
class FailGeneration:
    run: Run
    error_code: str
    error_message: str


async def start_stage(command: StartStage, repository: Repository) -> None:
    run = command.run

    def change(generation: Generation) -> None:
        if command.after is not None:
            done = command.after
            generation.complete_stage(
                done.stage, done.duration_ms, done.summary, run.attempt, run.worker_id
            )
        generation.start_stage(command.stage, run.attempt, run.worker_id)

    await repository.change(Generation, run.generation_id, change, run.metadata(), wait=False)


async def finish_generation(command: FinishGeneration, repository: Repository) -> None:
    run = command.run
    # Checked first so a superseded run stores no document; the append below re-checks.
    current = await repository.load(Generation, run.generation_id)
    current.check_run(run.attempt, run.worker_id)
    await repository.save(Document.create(command.document), run.metadata(), wait=False)

    def change(generation: Generation) -> None:
        done = command.exporting
        generation.produce_document(command.produced, run.attempt, run.worker_id)
        generation.complete_stage(
            done.stage, done.duration_ms, done.summary, run.attempt, run.worker_id
        )
        generation.finish(
            command.match_score, command.ats_score, command.removed, run.attempt, run.worker_id
        )

    await repository.change(Generation, run.generation_id, change, run.metadata(), wait=False)


async def fail_generation(command: FailGeneration, repository: Repository) -> None:
    run = command.run

    def change(generation: Generation) -> datetime | None:
        generation.fail(command.error_code, command.error_message, run.attempt, run.worker_id)
        return generation.requested_at

    requested_at = await repository.change(
        Generation, run.generation_id, change, run.metadata(), wait=False
    )
    await refund(repository, run.user_id, run.generation_id, requested_at, "failed", wait=False)


# -- the quota ---------------------------------------------------------------------------


async def refund(
    repository: Repository,
    user_id: str,
    generation_id: str,
    requested_at: datetime | None,
    reason: str,
    *,
    wait: bool = True,
) -> bool:
    """Give the generation's monthly use back (it produced no document). It was counted in
    the month it was requested, or (requested on the stroke of midnight) the one before."""
    period = period_of(requested_at or utc_now())
    metadata = EventMetadata(user_id=user_id, correlation_id=generation_id)
    for month in (period, previous_period(period)):

        def give_back(quota: GenerationQuota, month: str = month) -> bool:
            return quota.refund(user_id, month, generation_id, reason)

        refunded = await repository.change(
            GenerationQuota, quota_stream(user_id, month), give_back, metadata, wait=wait
        )
        if refunded:
            return True
    return False


def _validated(
    markdown: str,
    kind: DocumentKind,
    profile: ProfileSummary,
    job: JobInput,
    options: GenerationOptions,
) -> ValidationReport:
    return validate(markdown, kind, profile, analyze_job(job), options)


HANDLERS: dict[type, Handler] = {
    RequestGeneration: request_generation,
    Regenerate: regenerate,
    DeleteGeneration: delete_generation,
    GiveFeedback: give_feedback,
    RerunValidation: rerun_validation,
    StartStage: start_stage,
    FinishGeneration: finish_generation,
    FailGeneration: fail_generation,
}
