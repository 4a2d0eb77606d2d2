"""Arranging events for the projection tests: commands through the real bus.

Small steps (a profile, a job, a generation run to its end) for the tests of one read
model, and ``everything``, one history that touches every projection in every way, for
the tests that hold of all of them (a rebuild equals the live views; no clock).
"""

from __future__ import annotations

import uuid
from typing import Any, cast

from jobwise.application.commands.auth import (
    Client,
    LogIn,
    LogOut,
    RefreshSession,
    RegisterUser,
    SessionIssued,
)
from jobwise.application.commands.documents import DeleteDocument, EditDocument
from jobwise.application.commands.generations import (
    CompletedStage,
    DeleteGeneration,
    FailGeneration,
    FinishGeneration,
    GiveFeedback,
    RequestGeneration,
    Run,
    StartStage,
)
from jobwise.application.commands.jobs import CreateJob, DeleteJob, UpdateJob
from jobwise.application.commands.profiles import (
    AddItems,
    ChangeProfile,
    CreateProfile,
    DeleteProfile,
    RemoveItem,
    UpdateItem,
)
from jobwise.application.commands.saved_jobs import ChangeSavedJob, RemoveSavedJob, SaveJob
from jobwise.domain.document import DocumentCreated, PdfFacts
from jobwise.domain.generation import DocumentProduced, RemovedItem, Stage
from jobwise.domain.generation_updates import STAGES
from tests.unit.commands.conftest import Fast

ADA, GRACE = "user-ada", "user-grace"
PASSWORD = "Correct-Horse-9"
HOME = Client(ip="203.0.113.7", user_agent="pytest")
MARKDOWN = "# Ada Lovelace\n\nada@example.com\n\n## Experience\n\n- Wrote the first program\n"
VALIDATION = {
    "match_score": 0.81,
    "ats_score": 0.9,
    "keywords": {"matched": ["Python"], "missing": ["Go"]},
    "ats_score_details": [{"name": "sections", "score": 1.0}],
    "recommendations": ["Mention Go."],
}


async def register(fast: Fast, email: str = "ada@example.com") -> SessionIssued:
    issued: SessionIssued = await fast.handle(RegisterUser(email, PASSWORD, "Ada", HOME))
    return issued


def session_of(fast: Fast, issued: SessionIssued) -> str:
    return fast.tokens.decode(issued.tokens.access_token, "access").sid


async def new_profile(fast: Fast, user: str = ADA, **components: list[dict[str, Any]]) -> str:
    written = await fast.handle(
        CreateProfile(user, {"full_name": "Ada Lovelace"}, "Analyst.", components=components)
    )
    return str(written.profile_id)


async def new_job(fast: Fast, user: str = ADA, **fields: Any) -> str:
    typed = {"source": "LinkedIn", "title": "Engineer", "company": "Acme", **fields}
    return str(await fast.handle(CreateJob(user, typed)))


async def requested(fast: Fast, user: str = ADA) -> tuple[str, str, str]:
    """A generation requested for a new profile and job: (generation, profile, job)."""
    profile, job = await new_profile(fast, user), await new_job(fast, user)
    generation = await fast.handle(RequestGeneration(user, profile, job, "resume"))
    return str(generation), profile, job


def run_of(generation_id: str, user: str = ADA, attempt: int = 1) -> Run:
    return Run(generation_id, user, attempt, f"worker-{attempt}")


def summary_of(stage: Stage) -> dict[str, Any]:
    if stage == "generating_content":
        return {"total_tokens": 1234, "writer": "offline"}
    if stage == "validating_quality":
        return VALIDATION
    return {"stage": stage}


async def run_stages(fast: Fast, run: Run, through: Stage) -> None:
    """Start every stage up to ``through``, each after completing the one before."""
    before: Stage | None = None
    for stage in cast(tuple[Stage, ...], STAGES[: STAGES.index(through) + 1]):
        after = CompletedStage(before, 10, summary_of(before)) if before else None
        await fast.handle(StartStage(run, stage, after))
        before = stage


async def finished(
    fast: Fast, generation_id: str, user: str = ADA, removed: list[RemovedItem] | None = None
) -> str:
    """Run the generation to its end with a document; returns the document's id."""
    run = run_of(generation_id, user)
    await run_stages(fast, run, "exporting")
    document_id = str(uuid.uuid4())
    history = await fast.store.read_stream(generation_id)
    asked = history[0].data
    document = DocumentCreated(
        document_id=document_id,
        user_id=user,
        generation_id=generation_id,
        profile_id=asked["profile_id"],
        profile_version=asked["profile_version"],
        job_id=asked["job_id"],
        document_type="resume",
        title="Ada Lovelace – Resume",
        candidate_name="Ada Lovelace",
        company="Acme",
        template="classic",
        content_markdown=MARKDOWN,
        content_html="<h1>Ada Lovelace</h1>",
        content_text="Ada Lovelace",
        ats_score=0.9,
        pdf=PdfFacts(
            key=f"{document_id}.pdf",
            size_bytes=41_000,
            page_count=1,
            template="classic",
            parse_passed=True,
        ),
    )
    produced = DocumentProduced(
        document_id=document_id,
        markdown_chars=len(MARKDOWN),
        text_chars=12,
        html_chars=20,
        word_count=9,
        pdf_size_bytes=41_000,
        pdf_page_count=1,
        pdf_parse_passed=True,
    )
    exporting = CompletedStage("exporting", 30, {"document_id": document_id})
    await fast.handle(
        FinishGeneration(run, document, produced, exporting, 0.81, 0.9, removed or [])
    )
    return document_id


async def failed(fast: Fast, generation_id: str, user: str = ADA) -> None:
    run = run_of(generation_id, user)
    await run_stages(fast, run, "generating_content")
    await fast.handle(FailGeneration(run, "model_unavailable", "The model did not answer."))


async def everything(fast: Fast) -> None:
    """One history through every command a read model follows."""
    issued = await register(fast)
    ada = issued.user_id
    again = await fast.handle(LogIn("ada@example.com", PASSWORD, HOME))
    await fast.handle(RefreshSession(again.tokens.refresh_token, HOME))
    await fast.handle(LogOut(ada, session_of(fast, issued), HOME))

    profile = await new_profile(fast, ada, skills=[{"category": "technical", "name": "Python"}])
    second = await new_profile(fast, ada)
    ids = (
        await fast.handle(AddItems(ada, profile, "experiences", [_job_held("2020-01-01")]))
    ).item_ids
    await fast.handle(UpdateItem(ada, profile, "experiences", ids[0], _job_held("2019-05-01")))
    await fast.handle(ChangeProfile(ada, profile, {"professional_summary": "Poet of numbers."}))
    await fast.handle(AddItems(ada, second, "projects", [{"name": "Engine"}]))
    await fast.handle(RemoveItem(ada, profile, "experiences", ids[0]))

    job = await new_job(fast, ada)
    kept = await new_job(fast, ada, title="Analyst", remote=True)
    await fast.handle(UpdateJob(ada, job, changes={"title": "Senior Engineer"}, status="archived"))
    entry = await fast.handle(SaveJob(ada, job, notes="Apply soon"))
    await fast.handle(ChangeSavedJob(ada, entry, status="applied"))
    await fast.handle(ChangeSavedJob(ada, entry, notes="Applied.", notes_given=True))
    kept_entry = await fast.handle(SaveJob(ada, kept))
    await fast.handle(RemoveSavedJob(ada, kept_entry))
    await fast.handle(SaveJob(ada, kept, status="interested"))

    done = await fast.handle(RequestGeneration(ada, profile, kept, "resume"))
    document = await finished(fast, done, ada)
    await fast.handle(GiveFeedback(ada, done, 4, "Good."))
    await fast.handle(EditDocument(ada, document, title="Ada – Analyst"))
    broken = await fast.handle(RequestGeneration(ada, profile, kept, "cover_letter"))
    await failed(fast, broken, ada)
    await fast.handle(DeleteGeneration(ada, broken))
    stopped = await fast.handle(RequestGeneration(ada, second, kept, "resume"))
    await fast.handle(DeleteGeneration(ada, stopped))

    other = await fast.handle(RequestGeneration(ada, profile, job, "resume"))
    await fast.handle(DeleteDocument(ada, await finished(fast, other, ada)))
    await fast.handle(DeleteJob(ada, job))
    await fast.handle(DeleteProfile(ada, profile))


def _job_held(start: str) -> dict[str, Any]:
    return {"title": "Analyst", "company": "Analytical Engines", "start_date": start}
