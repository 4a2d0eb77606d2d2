"""Stage 3 without a language model: a deterministic writer that never invents a fact.

Every fact on the page is copied from the compiled profile (titles, employers, dates,
achievements word for word); the writer only chooses, orders and frames them. The
resume is written here; its summary in ``summary`` and the cover letter in ``letter``.
The framing sentences come from small phrasebooks per tone, neutral across fields (a
nurse's letter reads as right as an engineer's), so tone changes wording, not facts.
"""

from __future__ import annotations

import re

from jobwise.domain.writing.letter import COVER_LETTER_WORDS, cover_letter_markdown, write_letter
from jobwise.domain.writing.markdown import date_range, join, one_line, word_count, year_range
from jobwise.domain.writing.models import (
    CompiledProfile,
    DocumentKind,
    Draft,
    GenerationOptions,
    JobAnalysis,
    RankedExperience,
)
from jobwise.domain.writing.phrasing import achievement_clause, header
from jobwise.domain.writing.skills_section import skills_block
from jobwise.domain.writing.summary import summary_paragraph

__all__ = [
    "COVER_LETTER_WORDS",
    "achievement_clause",
    "cover_letter_markdown",
    "resume_markdown",
    "summary_paragraph",
    "write_offline",
]


def write_offline(
    kind: DocumentKind,
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    options: GenerationOptions | None = None,
) -> Draft:
    """The resume or cover letter for this job, from the compiled profile alone."""
    chosen = options or GenerationOptions()
    advice: list[str] = []
    if kind == "resume":
        markdown = resume_markdown(compiled, analysis, chosen)
    else:
        letter = write_letter(compiled, analysis, chosen)
        markdown, advice = letter.markdown, letter.recommendations
    return Draft(
        kind=kind,
        markdown=markdown,
        writer="offline",
        recommendations=advice,
        employers=_unique(e.company for e in compiled.experiences) if kind == "resume" else [],
        skills=[s.name for s in compiled.skills] if kind == "resume" else [],
        word_count=word_count(markdown),
    )


# -- the resume ---------------------------------------------------------------------------


def resume_markdown(
    compiled: CompiledProfile, analysis: JobAnalysis, options: GenerationOptions
) -> str:
    blocks = [header(compiled)]
    summary = summary_paragraph(compiled, analysis, options.tone)
    if options.shows("summary") and summary:
        blocks.append(f"## Summary\n{summary}")
    blocks.append("## Experience\n" + "\n\n".join(_role(r) for r in compiled.experiences))
    if compiled.projects:
        blocks.append("## Projects\n" + "\n\n".join(_project(p) for p in compiled.projects))
    if options.shows("skills") and (skills := skills_block(compiled)):
        blocks.append("## Skills\n" + skills)
    if compiled.education:
        blocks.append("## Education\n" + "\n\n".join(_education(e) for e in compiled.education))
    if compiled.certifications:
        bullets = "\n".join(f"- {one_line(name)}" for name in compiled.certifications)
        blocks.append("## Certifications\n" + bullets)
    return "\n\n".join(blocks) + "\n"


def _role(role: RankedExperience) -> str:
    heading = f"### {one_line(role.title)}, {one_line(role.company)}"
    meta = join(role.location, date_range(role.start_date, role.end_date, current=role.is_current))
    bullets = [f"- {one_line(a.text)}" for a in role.achievements]
    # A role without achievements shows its description, unless it speaks in the first
    # person ("My primary role..."), which a resume never does.
    first_person = re.search(r"\b(?:I|my|me|we|our)\b", role.description or "", re.I)
    shown = role.description and not bullets and not first_person
    about = [one_line(role.description or "")] if shown else []
    return "\n".join([heading, *([meta] if meta else []), *about, *bullets])


def _project(project: object) -> str:
    name = one_line(getattr(project, "name", ""))
    meta = join(getattr(project, "url", None), ", ".join(getattr(project, "technologies", [])))
    description = one_line(getattr(project, "description", None) or "")
    return "\n".join(part for part in [f"### {name}", meta, description] if part)


def _education(item: object) -> str:
    degree = one_line(getattr(item, "degree", ""))
    field = getattr(item, "field_of_study", None)
    title = f"{degree} in {one_line(field)}" if field else degree
    meta = join(
        year_range(getattr(item, "start_date", None), getattr(item, "end_date", None)),
        *getattr(item, "honors", []),
        f"GPA {item.gpa}" if getattr(item, "gpa", None) else None,  # type: ignore[attr-defined]
    )
    heading = f"### {title}, {one_line(getattr(item, 'institution', ''))}"
    return f"{heading}\n{meta}" if meta else heading


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]
