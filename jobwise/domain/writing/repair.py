"""Stage 4 for a fresh draft: check it, and repair what fails instead of gutting it.

``check_draft`` runs the fabrication guard (``validate``) on a draft, then repairs:

1. A model's draft with unsupported claims goes back to the model once
   (``REWRITES``), with the list of those claims; the rewrite is kept when the guard
   finds less in it. What the first draft said is listed as ``rewritten``.
2. What the guard still had to take out is filled from the built-in writer, which
   states only profile facts, section by section: a section left empty (a summary, the
   education, a letter's paragraph) gets the built-in writer's; an employer of the last
   ``RECENT_YEARS`` years that the draft dropped or misnamed gets its entry back; an
   entry left without a line gets the profile's achievements. Listed as ``restored``.
3. A heading with nothing under it is never rendered.

Any repair makes the status ``needs_review``, and every one is in ``report.removed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from jobwise.domain.language_model import LanguageModel
from jobwise.domain.profile_summary import ExperienceSummary, ProfileSummary
from jobwise.domain.skills import SkillTaxonomy
from jobwise.domain.writing.facts import same_name, same_title
from jobwise.domain.writing.llm_writer import write_with_llm
from jobwise.domain.writing.models import (
    CompiledProfile,
    DocumentKind,
    Draft,
    GenerationOptions,
    JobAnalysis,
    Removal,
    ValidationReport,
)
from jobwise.domain.writing.offline import write_offline
from jobwise.domain.writing.sentences import split_sentences
from jobwise.domain.writing.validation import validate

REWRITES = 1
"""How many times a model is asked again: each costs a completion and a wait."""
RECENT_YEARS = 10
_SIGNOFF = re.compile(r"^[A-Z][\w ]{2,30},$")


async def check_draft(
    draft: Draft,
    *,
    kind: DocumentKind,
    compiled: CompiledProfile,
    profile: ProfileSummary,
    analysis: JobAnalysis,
    options: GenerationOptions,
    model: LanguageModel | None = None,
    taxonomy: SkillTaxonomy | None = None,
) -> ValidationReport:
    """The checked (and where needed repaired) document and its report."""

    def check(markdown: str) -> ValidationReport:
        return validate(markdown, kind, profile, analysis, options, taxonomy=taxonomy)

    report = check(draft.markdown)
    repairs: list[Removal] = []
    for _ in range(REWRITES if draft.writer == "llm" else 0):
        if model is None or not report.removed:
            break
        claims = [f"{r.what} ({r.why})" for r in report.removed]
        again = await write_with_llm(model, kind, compiled, analysis, options, unsupported=claims)
        if again.fell_back:
            break
        second = check(again.markdown)
        if len(second.removed) >= len(report.removed):
            break
        repairs += [r.model_copy(update={"action": "rewritten"}) for r in report.removed]
        draft, report = again, second
    offline = write_offline(kind, compiled, analysis, options).markdown
    if kind == "resume":
        filled, restored = fill_resume(draft.markdown, report.markdown, offline, profile, compiled)
    else:
        filled, restored = fill_letter(draft.markdown, report.markdown, offline)
    final = check(filled) if filled != report.markdown else report
    repairs += [*report.removed, *restored] + (final.removed if final is not report else [])
    return final.model_copy(
        update={
            "removed": repairs,
            "status": "needs_review" if repairs else "passed",
            "recommendations": _advice(final.recommendations, repairs),
        }
    )


def _advice(recommendations: list[str], repairs: list[Removal]) -> list[str]:
    kept = [r for r in recommendations if "were not backed by the profile" not in r]
    if not repairs:
        return kept
    return [
        *kept,
        f"{len(repairs)} repairs were made where the draft said what the profile does not: "
        "read them before sending.",
    ]


# -- sections ----------------------------------------------------------------------------


@dataclass
class Section:
    heading: str
    """The ``## `` line ("" for what comes before the first one)."""
    lines: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        from jobwise.domain.writing.guard import section_key

        return section_key(self.heading.removeprefix("## ").strip())

    @property
    def empty(self) -> bool:
        return not any(line.strip() for line in self.lines)

    def text(self) -> str:
        body = "\n".join(self.lines).strip("\n")
        return f"{self.heading}\n{body}" if self.heading else body


def sections(markdown: str) -> list[Section]:
    found = [Section("")]
    for line in markdown.splitlines():
        if line.startswith("## "):
            found.append(Section(line))
        else:
            found[-1].lines.append(line)
    return found


def entries(section: Section) -> tuple[list[str], list[list[str]]]:
    """A section's lines before its first ``### `` entry, and each entry's lines."""
    head: list[str] = []
    found: list[list[str]] = []
    for line in section.lines:
        if line.startswith("### "):
            found.append([line])
        elif found:
            found[-1].append(line)
        else:
            head.append(line)
    return head, found


def _section_lines(head: list[str], kept: list[list[str]]) -> list[str]:
    """A section's lines again: what came before its entries, then each entry."""
    lines = list(head)
    for entry in kept:
        lines += ["", *[line for line in entry if line.strip()]]
    return lines


def _join(parts: list[Section]) -> str:
    return "\n\n".join(s.text() for s in parts if s.heading == "" or not s.empty).strip() + "\n"


# -- the resume --------------------------------------------------------------------------


def fill_resume(
    draft: str, checked: str, offline: str, profile: ProfileSummary, compiled: CompiledProfile
) -> tuple[str, list[Removal]]:
    """``checked`` with what the guard emptied filled from ``offline`` (see module doc)."""
    restored: list[Removal] = []
    had = {s.key for s in sections(draft) if not s.empty}
    theirs = {s.key: s for s in sections(offline) if s.heading}
    result = sections(checked)
    for index, section in enumerate(result):
        if section.key == "experience":
            section.lines = _experience(
                section, theirs.get("experience"), profile, compiled, restored
            )
        elif section.key == "education" and not section.empty and "education" in theirs:
            before = next((s for s in sections(draft) if s.key == "education"), None)
            section.lines = _schools(section, before, theirs["education"], restored)
        elif section.heading and section.empty and section.key in theirs and section.key in had:
            result[index] = theirs[section.key]
            restored.append(_restored(section.key, "Everything in it was taken out"))
    present = {s.key for s in result if not s.empty}
    for key in had - present:
        if key in theirs:
            result.append(theirs[key])
            restored.append(_restored(key, "Everything in it was taken out"))
    return _join(result), restored


def _restored(key: str, why: str, what: str | None = None) -> Removal:
    where = key.title()
    return Removal(
        what=what or f"The {key} section",
        where=where,
        why=f"{why}; the profile's own is shown instead",
        action="restored",
    )


def _experience(
    section: Section,
    offline: Section | None,
    profile: ProfileSummary,
    compiled: CompiledProfile,
    restored: list[Removal],
) -> list[str]:
    head, mine = entries(section)
    if offline is None:
        return section.lines
    _, theirs = entries(offline)
    recent = _recent_roles(profile, compiled.as_of)
    kept: list[list[str]] = []
    used: set[int] = set()
    for entry in theirs:
        match = next(
            (i for i, e in enumerate(mine) if i not in used and _same_entry(e[0], entry[0])), None
        )
        if match is not None:
            used.add(match)
            if _bare(mine[match]) and not _bare(entry):
                kept.append(entry)
                restored.append(
                    _restored("experience", "Every line of it was taken out", entry[0][4:])
                )
            else:
                kept.append(mine[match])
        elif any(_names_role(entry[0], role) for role in recent):
            kept.append(entry)
            restored.append(
                _restored(
                    "experience",
                    "A recent employer was missing from the draft (left out or misnamed)",
                    entry[0][4:],
                )
            )
    kept += [e for i, e in enumerate(mine) if i not in used]
    return _section_lines(head, kept)


def _schools(
    section: Section, before: Section | None, offline: Section, restored: list[Removal]
) -> list[str]:
    """An education entry the guard took out (an upgraded degree, say) comes back as the
    profile has it, when the profile's own entry is not already there."""
    head, mine = entries(section)
    drafted = entries(before)[1] if before is not None else []
    if len(mine) >= len(drafted):
        return section.lines
    kept = list(mine)
    for entry in entries(offline)[1]:
        school = entry[0][4:].rpartition(", ")[2]
        if not any(same_name(school, e[0][4:].rpartition(", ")[2]) for e in kept):
            kept.append(entry)
            why = "The draft's entry for this school was taken out"
            restored.append(_restored("education", why, entry[0][4:]))
    return _section_lines(head, kept)


def _recent_roles(profile: ProfileSummary, today: date) -> list[ExperienceSummary]:
    since = date(today.year - RECENT_YEARS, today.month, 1)
    return [
        r for r in profile.experiences if r.is_current or r.end_date is None or r.end_date >= since
    ]


def _same_entry(heading: str, other: str) -> bool:
    """Two "### Title, Employer" headings of one role ("Sr." is "Senior")."""
    title, _, employer = heading[4:].rpartition(", ")
    their_title, _, their_employer = other[4:].rpartition(", ")
    return same_name(employer, their_employer) and (
        same_name(title, their_title) or same_title(title, their_title)
    )


def _names_role(heading: str, role: ExperienceSummary) -> bool:
    title, _, company = heading[4:].rpartition(", ")
    return same_name(company, role.company) and same_name(title, role.title)


def _bare(entry: list[str]) -> bool:
    """An entry with its heading (and dates) but no line of what was done."""
    return (
        not any(line.startswith("- ") for line in entry)
        and len([line for line in entry if line.strip()]) <= 2
    )


# -- the cover letter --------------------------------------------------------------------


def fill_letter(draft: str, checked: str, offline: str) -> tuple[str, list[Removal]]:
    """``checked`` with each body paragraph the guard emptied replaced by the built-in
    writer's paragraph at that place."""
    before, after, theirs = _body(draft), _body(checked), _body(offline)
    if before is None or after is None or theirs is None:
        return checked, []
    draft_body, checked_body, offline_body = before[1], after[1], theirs[1]
    survivors = _survivors(draft_body, checked_body)
    body: list[str] = []
    restored: list[Removal] = []
    for index, paragraph in enumerate(draft_body):
        if survivors[index] is not None:
            body.append(survivors[index] or "")
            continue
        fill = offline_body[min(index, len(offline_body) - 1)] if offline_body else None
        if fill is not None and fill not in body and fill not in checked_body:
            body.append(fill)
            restored.append(
                Removal(
                    what=paragraph,
                    where="Letter",
                    why="Every sentence of this paragraph was taken out; the built-in "
                    "writer's paragraph, from the profile, is shown instead",
                    action="restored",
                    replacement=fill,
                )
            )
    if not restored:
        return checked, []
    head, _, tail = after
    return "\n\n".join([*head, *body, *tail]) + "\n", restored


def _body(markdown: str) -> tuple[list[str], list[str], list[str]] | None:
    """(head, body, tail) paragraphs: up to the salutation, the body, from the sign-off."""
    paragraphs = [p.strip() for p in markdown.strip().split("\n\n") if p.strip()]
    hello = next((i for i, p in enumerate(paragraphs) if p.startswith("Dear ")), None)
    if hello is None:
        return None
    bye = next(
        (i for i in range(hello + 1, len(paragraphs)) if _SIGNOFF.match(paragraphs[i])),
        len(paragraphs),
    )
    return paragraphs[: hello + 1], paragraphs[hello + 1 : bye], paragraphs[bye:]


def _survivors(draft_body: list[str], checked_body: list[str]) -> list[str | None]:
    """For each draft paragraph, what is left of it after the guard (None: nothing)."""
    left: list[str | None] = [None] * len(draft_body)
    start = 0
    for paragraph in checked_body:
        first = (split_sentences(paragraph) or [paragraph])[0]
        for index in range(start, len(draft_body)):
            if first in draft_body[index] or _similar(first, draft_body[index]):
                left[index] = paragraph
                start = index + 1
                break
    return left


def _similar(sentence: str, paragraph: str) -> bool:
    words = set(sentence.casefold().split())
    return bool(words) and len(words & set(paragraph.casefold().split())) / len(words) > 0.8
