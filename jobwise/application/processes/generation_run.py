"""One run of one generation: the five stages in order, each outcome recorded by a command.

The stage logic is ``jobwise.domain.writing`` (stages 1-4) and ``jobwise.adapters.rendering`` (the
PDF of stage 5); this module only feeds each stage what the previous ones produced and
issues the commands that record what happened (``commands.generations``): a stage's
start, its completion with its timing and summary, the document, the end.

A stage that cannot do its work (the job was deleted, the PDF cannot be rendered) ends
the generation ``failed`` with a code and a message a person can act on; an unexpected
error does too, as ``internal_error``. A database error is not the generation's fault:
it propagates, the worker releases the lease, and the run is tried again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pymongo.errors import PyMongoError

from jobwise.adapters.eventstore import EventStore
from jobwise.adapters.rendering import (
    DocumentType,
    ExportFormat,
    RenderingError,
    markdown_to_html,
)
from jobwise.adapters.rendering.exporter import DocumentExporter, StoredExport
from jobwise.adapters.rendering.paper import page_size_for
from jobwise.adapters.storage import StorageError
from jobwise.application.commands.documents import render_request
from jobwise.application.commands.generations import (
    CompletedStage,
    FailGeneration,
    FinishGeneration,
    Run,
    StartStage,
)
from jobwise.application.messagebus import CommandBus
from jobwise.application.processes.leases import Lease
from jobwise.application.queries.generation_inputs import job_input, profile_summary
from jobwise.domain.document import DocumentCreated, PdfFacts
from jobwise.domain.errors import DomainError
from jobwise.domain.events import new_id, utc_now
from jobwise.domain.generation import DocumentProduced, Generation, RemovedItem, Stage
from jobwise.domain.language_model import LanguageModel
from jobwise.domain.profile_summary import ProfileSummary
from jobwise.domain.writing import (
    CompiledProfile,
    Draft,
    JobAnalysis,
    ValidationReport,
    analyze_job,
    compile_profile,
    markdown_to_text,
    write_offline,
    write_with_llm,
)
from jobwise.domain.writing.markdown import word_count
from jobwise.domain.writing.repair import check_draft
from jobwise.metrics import GENERATIONS_COMPLETED, GENERATIONS_FAILED, LLM_REQUESTS, OFFLINE_MODEL

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_ATTEMPTS = 3
"""Runs of one generation before it is failed: a run that never ends (its process is
killed each time) must not be retried forever."""
_DASH = " \u2013 "
_KIND_WORDS = {"resume": "Resume", "cover_letter": "Cover Letter"}
_WRITING_STAGES: tuple[Stage, ...] = ("analyzing_job", "compiling_profile", "generating_content")


class StageFailure(Exception):
    """A stage could not do its work; the generation fails with this code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class Work:
    """What the stages of one run have produced so far."""

    generation: Generation
    today: date
    analysis: JobAnalysis | None = None
    profile: ProfileSummary | None = None
    compiled: CompiledProfile | None = None
    draft: Draft | None = None
    report: ValidationReport | None = None


class GenerationRunner:
    """Runs a claimed generation through the five stages (one ``run`` per claim)."""

    def __init__(
        self,
        bus: CommandBus,
        store: EventStore,
        exporter: DocumentExporter,
        language_model: LanguageModel | None,
        *,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self._bus = bus
        self._store = store
        self._exporter = exporter
        self._model = language_model
        self._max_attempts = max_attempts

    async def run(self, generation: Generation, lease: Lease) -> None:
        run = Run(generation.id, generation.user_id, lease.attempt, lease.owner)
        if lease.attempt > self._max_attempts:
            message = (
                f"The generation was interrupted {lease.attempt - 1} times (the process "
                "running it stopped before it finished), so it was not tried again. "
                "Request it again."
            )
            await self._fail(run, "worker_lost", message)
            return
        work = Work(generation, (generation.requested_at or utc_now()).date())
        after: CompletedStage | None = None
        for stage in _WRITING_STAGES:
            after = await self._stage(run, work, stage, after)
            if after is None:
                return
        after = await self._stage(run, work, "validating_quality", after)
        if after is not None:
            await self._export(run, work, after)

    async def _stage(
        self, run: Run, work: Work, stage: Stage, after: CompletedStage | None
    ) -> CompletedStage | None:
        """Start ``stage`` (recording ``after`` with it), do it; its completion, or None
        once the generation has failed."""
        await self._bus.handle(StartStage(run, stage, after))
        started = time.perf_counter()
        try:
            summary = await self._do(stage, work)
        except StageFailure as failure:
            await self._fail(run, failure.code, failure.message)
            return None
        except (RenderingError, StorageError) as error:
            await self._fail(run, *_io_failure(error))
            return None
        except Exception as error:
            if _not_the_generations_fault(error):
                raise
            log.exception("generation %s: stage %s failed", run.generation_id, stage)
            message = f"The {stage} stage failed unexpectedly ({type(error).__name__})."
            await self._fail(run, "internal_error", message)
            return None
        return CompletedStage(stage, _ms_since(started), summary)

    async def _fail(self, run: Run, error_code: str, message: str) -> None:
        await self._bus.handle(FailGeneration(run, error_code, message))
        GENERATIONS_FAILED.labels(error_code).inc()

    async def _do(self, stage: Stage, work: Work) -> dict[str, Any]:
        if stage == "analyzing_job":
            return await self._analyze(work)
        if stage == "compiling_profile":
            return await self._compile(work)
        if stage == "generating_content":
            return await self._write(work)
        return await self._validate(work)

    # -- stages 1 to 4 ------------------------------------------------------------------

    async def _analyze(self, work: Work) -> dict[str, Any]:
        generation = work.generation
        job = await job_input(self._store, generation.user_id, generation.job_id)
        if job is None:
            raise StageFailure(
                "job_unavailable", "The job was deleted before its document was written."
            )
        work.analysis = analyze_job(job)
        return {**work.analysis.summary(), "years_required": work.analysis.years_required}

    async def _compile(self, work: Work) -> dict[str, Any]:
        generation, analysis = work.generation, _need(work.analysis)
        work.profile = await profile_summary(
            self._store,
            generation.user_id,
            generation.profile_id,
            generation.profile_version,
            work.today,
        )
        if work.profile is None:
            raise StageFailure(
                "profile_unavailable",
                f"Version {generation.profile_version} of the profile could not be read.",
            )
        work.compiled = compile_profile(
            work.profile,
            analysis,
            generation.options,
            today=work.today,
            kind=generation.document_type,
        )
        return work.compiled.summary()

    async def _write(self, work: Work) -> dict[str, Any]:
        generation = work.generation
        compiled, analysis = _need(work.compiled), _need(work.analysis)
        kind, options = generation.document_type, generation.options
        if self._model is None:
            work.draft = write_offline(kind, compiled, analysis, options)
        else:
            work.draft = await write_with_llm(self._model, kind, compiled, analysis, options)
        if work.draft.writer == "offline":  # no model, or it failed and was fallen back from
            LLM_REQUESTS.labels(OFFLINE_MODEL).inc()
        return {**work.draft.summary(), "model": work.draft.model}

    async def _validate(self, work: Work) -> dict[str, Any]:
        generation, draft = work.generation, _need(work.draft)
        report = await check_draft(
            draft,
            kind=generation.document_type,
            compiled=_need(work.compiled),
            profile=_need(work.profile),
            analysis=_need(work.analysis),
            options=generation.options,
            model=self._model if draft.writer == "llm" else None,
        )
        # What the writer had to say (a model that failed, say) comes first.
        recommendations = [*draft.recommendations, *report.recommendations]
        work.report = report.model_copy(update={"recommendations": recommendations})
        return {
            **report.summary(),
            "keywords": report.keywords.model_dump(mode="json"),
            "ats_score_details": [c.model_dump(mode="json") for c in report.ats_score_details],
            "recommendations": recommendations,
        }

    # -- stage 5 ------------------------------------------------------------------------

    async def _export(self, run: Run, work: Work, after: CompletedStage) -> None:
        await self._bus.handle(StartStage(run, "exporting", after))
        started = time.perf_counter()
        try:
            document, produced = await self._render(work)
        except (RenderingError, StorageError) as error:
            await self._fail(run, *_io_failure(error))
            return
        except Exception as error:
            if _not_the_generations_fault(error):
                raise
            log.exception("generation %s: exporting failed", run.generation_id)
            message = f"The exporting stage failed unexpectedly ({type(error).__name__})."
            await self._fail(run, "internal_error", message)
            return
        report = _need(work.report)
        summary = {
            "document_id": document.document_id,
            "pdf_size_bytes": document.pdf.size_bytes,
            "pdf_page_count": document.pdf.page_count,
            "pdf_parse_passed": document.pdf.parse_passed,
            "fit_level": document.pdf.fit_level,
            "findings": document.pdf.findings,
        }
        await self._bus.handle(
            FinishGeneration(
                run,
                document,
                produced,
                CompletedStage("exporting", _ms_since(started), summary),
                report.match_score,
                report.ats_score,
                [RemovedItem.of(r) for r in report.removed],
            )
        )
        GENERATIONS_COMPLETED.inc()

    async def _render(self, work: Work) -> tuple[DocumentCreated, DocumentProduced]:
        generation, report = work.generation, _need(work.report)
        options, kind = generation.options, generation.document_type
        markdown = report.markdown
        text = markdown_to_text(markdown)
        compiled, analysis = _need(work.compiled), _need(work.analysis)
        # The paper follows the job's country, else the candidate's; kept with the
        # document (its parameters), so that its later exports print on the same paper.
        page_size = page_size_for(analysis.location, compiled.location, options.page_size)
        html = markdown_to_html(
            markdown,
            template=options.template,
            page_size=page_size,
            document_type=DocumentType(kind),
        )
        # The document's id first: its files are stored as its own (deleting it deletes
        # them), and the Documents API's exports of it find this PDF in the same place.
        document_id = new_id()
        max_pages = options.max_pages if kind == "resume" else 1
        keywords = _literal_keywords(report, text)
        exported = await self._exporter.export(
            render_request(
                markdown,
                ExportFormat.PDF,
                template=options.template,
                page_size=page_size,
                document_type=kind,
                max_pages=max_pages,
                expected_keywords=keywords,
            ),
            scope=document_id,
        )
        document = DocumentCreated(
            document_id=document_id,
            user_id=generation.user_id,
            generation_id=generation.id,
            profile_id=generation.profile_id,
            profile_version=generation.profile_version,
            job_id=generation.job_id,
            document_type=kind,
            title=_title(compiled.name, analysis, kind),
            candidate_name=compiled.name,
            company=analysis.company,
            template=options.template,
            parameters={**_parameters(work), "page_size": page_size.value},
            content_markdown=markdown,
            content_html=html,
            content_text=text,
            ats_score=report.ats_score,
            ats_score_details=[c.model_dump(mode="json") for c in report.ats_score_details],
            pdf=_pdf_facts(exported, options.template),
            max_pages=max_pages,
            expected_keywords=list(keywords),
        )
        produced = DocumentProduced(
            document_id=document.document_id,
            markdown_chars=len(markdown),
            text_chars=len(text),
            html_chars=len(html),
            word_count=word_count(markdown),
            pdf_size_bytes=document.pdf.size_bytes,
            pdf_page_count=document.pdf.page_count,
            pdf_parse_passed=document.pdf.parse_passed,
        )
        return document, produced


def _pdf_facts(exported: StoredExport, template: str) -> PdfFacts:
    check = exported.check
    return PdfFacts(
        key=exported.key,
        size_bytes=exported.size_bytes,
        page_count=exported.page_count or 0,
        template=template,
        parse_passed=bool(check and check.passed),
        findings=[finding.code for finding in check.findings] if check else [],
        fit_level=exported.fit.level if exported.fit else 0,
    )


def _literal_keywords(report: ValidationReport, text: str) -> tuple[str, ...]:
    """The matched skills written as such in the document (a skill matched under another
    of its names, "k8s" for Kubernetes, is not looked for under the canonical one)."""
    folded = text.casefold()
    return tuple(skill for skill in report.keywords.matched if skill.casefold() in folded)


def _parameters(work: Work) -> dict[str, Any]:
    draft = _need(work.draft)
    return {
        **work.generation.options.model_dump(mode="json"),
        "writer": draft.writer,
        "model": draft.model,
        "fell_back": draft.fell_back,
    }


def _title(name: str, analysis: JobAnalysis, kind: str) -> str:
    """Name, kind, role and company, joined by en dashes (as the renderer titles a PDF)."""
    return _DASH.join(
        part for part in (name, _KIND_WORDS[kind], analysis.title, analysis.company) if part
    )


def _io_failure(error: Exception) -> tuple[str, str]:
    if isinstance(error, RenderingError):
        return "rendering_failed", f"The PDF could not be rendered: {error}"
    return "storage_failed", f"The PDF could not be stored: {error}"


def _not_the_generations_fault(error: Exception) -> bool:
    """Errors that say nothing about this generation (the database is away): the run is
    abandoned and tried again, rather than failing the generation."""
    return isinstance(error, PyMongoError | DomainError)


def _need(value: T | None) -> T:
    if value is None:
        raise AssertionError("a stage ran before the one it depends on")
    return value


def _ms_since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
