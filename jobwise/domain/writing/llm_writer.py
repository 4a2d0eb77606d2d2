"""Stage 3 with a language model, behind the ``LanguageModel`` port.

The prompt carries the job analysis and the compiled profile as JSON (structured
context, nothing else to go on); the model answers in a JSON schema generated from
``LlmResume`` / ``LlmCoverLetter``, which we render to the document Markdown
ourselves. Transient failures (timeouts, rate limits, outages) are retried with
exponential backoff, ``MAX_ATTEMPTS`` times in all; any other ``LanguageModelError``
or an answer off the schema falls back to the offline writer, and the draft says so
in a recommendation. Whatever the model wrote then goes through the same validation
as any draft: this module trusts nothing it says.
"""

from __future__ import annotations

import asyncio
import json  # the prompt's JSON is indented by 1 (fewer tokens); orjson indents by 2
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from jobwise.domain.language_model import (
    JsonCompletion,
    LanguageModel,
    LanguageModelError,
    TokenUsage,
)
from jobwise.domain.writing.markdown import join, long_date, one_line, word_count
from jobwise.domain.writing.models import (
    CompiledProfile,
    DocumentKind,
    Draft,
    GenerationOptions,
    JobAnalysis,
)
from jobwise.domain.writing.offline import write_offline

MAX_ATTEMPTS = 3
BACKOFF_SECONDS = 1.0
"""The first retry waits this long, each later one twice as long."""
UNSUPPORTED_NOTE = (
    "Your previous draft stated these things, which the candidate JSON does not support. "
    "Write the document again without them, stating only what the candidate JSON says:"
)
MAX_TOKENS = 2500
TEMPERATURE = 0.3
Sleep = Callable[[float], Awaitable[None]]

SYSTEM_PROMPT = (
    "You write a tailored {kind} for one job seeker and one job. Use only facts from the "
    "candidate JSON: never invent an employer, job title, degree, date, number or skill, "
    "never list the company applied to as an employer, never upgrade a title or a verb "
    "('contributed to' stays 'contributed to'). Keep the job's keywords verbatim where the "
    "candidate has them. Tone: {tone}. Answer with one JSON object that fits the schema."
)


class LlmExperience(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: str = Field(max_length=200)
    company: str = Field(max_length=200)
    location: str | None = Field(default=None, max_length=200)
    dates: str = Field(default="", max_length=60, description='"Jan 2020 – Present"')
    bullets: list[str] = Field(default_factory=list, max_length=10)


class LlmEducation(BaseModel):
    model_config = ConfigDict(extra="ignore")

    degree: str = Field(max_length=200)
    institution: str = Field(max_length=200)
    dates: str = Field(default="", max_length=60)


class LlmResume(BaseModel):
    """The resume the model must answer with (sent to it as a JSON schema)."""

    model_config = ConfigDict(extra="ignore")

    summary: str = Field(min_length=1, max_length=1200)
    experiences: list[LlmExperience] = Field(min_length=1, max_length=15)
    skills: list[str] = Field(default_factory=list, max_length=60)
    education: list[LlmEducation] = Field(default_factory=list, max_length=10)
    certifications: list[str] = Field(default_factory=list, max_length=20)


PARAGRAPH_CHARS = 2500


class LlmCoverLetter(BaseModel):
    """The cover letter the model must answer with."""

    model_config = ConfigDict(extra="ignore")

    salutation: str = Field(default="Dear Hiring Manager,", max_length=100)
    paragraphs: list[Annotated[str, Field(max_length=PARAGRAPH_CHARS)]] = Field(
        min_length=3, max_length=4
    )
    """Each at most ``PARAGRAPH_CHARS``: a letter's paragraph is a few sentences."""
    closing: str = Field(default="Sincerely,", max_length=50)


async def write_with_llm(
    model: LanguageModel,
    kind: DocumentKind,
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    options: GenerationOptions | None = None,
    *,
    sleep: Sleep = asyncio.sleep,
    backoff: float = BACKOFF_SECONDS,
    unsupported: Sequence[str] = (),
) -> Draft:
    """The model's draft, or the offline one (``fell_back``) when the model fails.

    ``unsupported`` lists what the guard found in the model's last draft that the
    profile does not back: the model is told, and asked not to state it again."""
    chosen = options or GenerationOptions()
    shape: type[BaseModel] = LlmResume if kind == "resume" else LlmCoverLetter
    usage = TokenUsage()
    try:
        completion, usage = await _complete(
            model, kind, compiled, analysis, chosen, sleep, backoff, unsupported
        )
        answer = shape.model_validate(completion.data)
    except LanguageModelError as error:
        return _fallback(kind, compiled, analysis, chosen, usage, error.message)
    except ValidationError as error:
        why = f"its answer did not fit the {kind} schema ({error.error_count()} errors)"
        return _fallback(kind, compiled, analysis, chosen, usage, why)
    if isinstance(answer, LlmResume):
        markdown = render_resume(answer, compiled)
        employers = list(dict.fromkeys(e.company for e in answer.experiences))
    else:
        assert isinstance(answer, LlmCoverLetter)
        markdown = render_cover_letter(answer, compiled)
        employers = []
    return Draft(
        kind=kind,
        markdown=markdown,
        writer="llm",
        model=completion.model,
        token_usage=usage,
        employers=employers,
        skills=answer.skills if isinstance(answer, LlmResume) else [],
        word_count=word_count(markdown),
    )


async def _complete(
    model: LanguageModel,
    kind: DocumentKind,
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    options: GenerationOptions,
    sleep: Sleep,
    backoff: float,
    unsupported: Sequence[str] = (),
) -> tuple[JsonCompletion, TokenUsage]:
    shape: type[BaseModel] = LlmResume if kind == "resume" else LlmCoverLetter
    system = SYSTEM_PROMPT.format(kind=kind.replace("_", " "), tone=options.tone)
    user = prompt(kind, compiled, analysis, options)
    if unsupported:
        listed = "\n".join(f"- {claim}" for claim in unsupported)
        user += f"\n\nUNSUPPORTED:\n{UNSUPPORTED_NOTE}\n{listed}"
    retrying = AsyncRetrying(
        retry=retry_if_exception(_transient),
        stop=stop_after_attempt(MAX_ATTEMPTS),
        wait=wait_exponential(multiplier=backoff),  # backoff, then twice that, ...
        sleep=sleep,
        reraise=True,  # the model's last error, not tenacity's RetryError
    )
    completion: JsonCompletion = await retrying(
        model.complete_json,
        system=system,
        user=user,
        schema=shape.model_json_schema(),
        schema_name=kind,
        max_tokens=MAX_TOKENS,
        temperature=TEMPERATURE,
    )
    return completion, completion.usage


def _transient(error: BaseException) -> bool:
    return isinstance(error, LanguageModelError) and error.transient


def prompt(
    kind: DocumentKind,
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    options: GenerationOptions,
) -> str:
    """The user message: the job analysis and the compiled profile as JSON."""
    job = analysis.model_dump(
        mode="json",
        include={
            "title", "company", "seniority", "years_required", "required_skills",
            "preferred_skills", "requirements", "nice_to_have", "responsibilities",
        },
    )  # fmt: skip
    candidate: dict[str, Any] = compiled.model_dump(
        mode="json",
        exclude={"estimated_lines", "line_budget", "dropped_experiences", "as_of"},
    )
    for role in candidate["experiences"]:
        role["achievements"] = [a["text"] for a in role["achievements"]]
        role.pop("score", None)
        role.pop("index", None)
    for project in candidate["projects"]:
        project.pop("score", None)
    candidate["skills"] = [s["shown_as"] for s in candidate["skills"]]
    wanted = {
        "document": kind,
        "tone": options.tone,
        "max_pages": options.max_pages,
        "emphasis_keywords": options.emphasis_keywords,
    }
    return "\n\n".join(
        [
            "JOB:\n" + json.dumps(job, ensure_ascii=False, indent=1),
            "CANDIDATE:\n" + json.dumps(candidate, ensure_ascii=False, indent=1),
            "REQUEST:\n" + json.dumps(wanted, ensure_ascii=False),
        ]
    )


def render_resume(answer: LlmResume, compiled: CompiledProfile) -> str:
    contact = join(compiled.email, compiled.phone, compiled.location, *compiled.links)
    blocks = [f"# {one_line(compiled.name)}\n{contact}".rstrip()]
    blocks.append("## Summary\n" + one_line(answer.summary))
    roles = []
    for role in answer.experiences:
        lines = [f"### {one_line(role.title)}, {one_line(role.company)}"]
        meta = join(role.location, role.dates)
        lines.extend([meta] if meta else [])
        lines.extend(f"- {one_line(b)}" for b in role.bullets if b.strip())
        roles.append("\n".join(lines))
    blocks.append("## Experience\n" + "\n\n".join(roles))
    if answer.skills:
        blocks.append("## Skills\n**Technical:** " + ", ".join(one_line(s) for s in answer.skills))
    if answer.education:
        schools = [
            "\n".join(
                [f"### {one_line(e.degree)}, {one_line(e.institution)}"]
                + ([one_line(e.dates)] if e.dates.strip() else [])
            )
            for e in answer.education
        ]
        blocks.append("## Education\n" + "\n\n".join(schools))
    if answer.certifications:
        certifications = "\n".join(f"- {one_line(c)}" for c in answer.certifications)
        blocks.append("## Certifications\n" + certifications)
    return "\n\n".join(blocks) + "\n"


def render_cover_letter(answer: LlmCoverLetter, compiled: CompiledProfile) -> str:
    contact = join(compiled.email, compiled.phone, compiled.location, *compiled.links)
    head = f"# {one_line(compiled.name)}\n{contact}".rstrip()
    body = [one_line(p) for p in answer.paragraphs if p.strip()]
    parts = [head, long_date(compiled.as_of), one_line(answer.salutation), *body]
    return "\n\n".join([*parts, one_line(answer.closing), one_line(compiled.name)]) + "\n"


def _fallback(
    kind: DocumentKind,
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    options: GenerationOptions,
    usage: TokenUsage,
    why: str,
) -> Draft:
    draft = write_offline(kind, compiled, analysis, options)
    note = (
        f"The language model could not write this {kind.replace('_', ' ')} ({why}); "
        "the built-in writer wrote it instead."
    )
    return draft.model_copy(
        update={"fell_back": True, "token_usage": usage, "recommendations": [note]}
    )
