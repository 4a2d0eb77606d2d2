"""Lines of a resume file into a profile draft, with how sure each field is.

The draft is exactly the body of ``POST /api/v1/profiles`` (grouped skills, items in the
file's order), so a client shows it, lets the person correct it, and sends it back.
Nothing is invented: every value is text of the file, cut, never reworded (dates are
read into ISO form). Nothing is dropped silently: a section the profile has no place
for, and head text that fits no field, go to ``custom_fields.resume_file``, and
``notes`` says so; a required field the file does not show (an experience's start
date) is left out, and ``notes`` names it for the person to fill in.
"""

from __future__ import annotations

import collections
import copy
import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from jobwise.adapters.interop.resume_file.characters import readable
from jobwise.adapters.interop.resume_file.dates import find_range
from jobwise.adapters.interop.resume_file.entries import (
    Entry,
    Read,
    group,
    read_education,
    read_experience,
    read_project,
)
from jobwise.adapters.interop.resume_file.fitting import (
    KEPT_IN,
    STASH_KEY,
    fit_count,
    fit_entry,
    fit_kept_aside,
    fit_names,
    fit_skill_total,
    fit_summary,
    item_text,
)
from jobwise.adapters.interop.resume_file.header import read_person
from jobwise.adapters.interop.resume_file.lines import COLUMN_GAP, TextLine
from jobwise.adapters.interop.resume_file.lists import (
    Listed,
    read_certifications,
    read_languages,
    read_skills,
    read_summary,
)
from jobwise.adapters.interop.resume_file.sections import Kind, heading_kind
from jobwise.domain.profile_items import (
    EducationFields,
    ExperienceFields,
    PersonalInfo,
    ProjectFields,
    SkillFields,
)

MAX_LINES_SHOWN = 2_000
MAX_LINE_CHARS = 3_000
"""A long paragraph of a DOCX holds about 1,500."""
LOW = 0.6
"""Below this a client should ask the person to check the field."""


class DraftLine(BaseModel):
    page: int
    text: str


class ResumeDraft(BaseModel):
    """What ``POST /api/v1/profiles/import`` answers for a PDF or DOCX: nothing is made
    yet. ``draft`` is a ``POST /api/v1/profiles`` body; ``confidence`` maps a field's
    dotted path in it (``experiences.0.title``) to 0–1; ``lines`` is the text as read."""

    format: Literal["pdf", "docx"]
    draft: dict[str, Any]
    confidence: dict[str, float] = Field(default_factory=dict)
    lines: list[DraftLine] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    reader: Literal["rules", "llm"] = "rules"
    """``llm`` when the language model's reading improved the draft (``use_llm``)."""
    llm: Literal["used", "not_needed", "not_configured", "rate_limited", "failed"] | None = None
    """What came of asking the language model, when it was asked."""


class _Section:
    def __init__(self, kind: Kind, title: str, sure: float) -> None:
        self.kind, self.title, self.sure = kind, title, sure
        self.lines: list[TextLine] = []


def read_resume(lines: list[TextLine], file_format: Literal["pdf", "docx"]) -> ResumeDraft:
    draft = _Draft()
    lines = [_clipped(line, draft.notes) for line in _readable(lines)]
    lines, footers = _without_footers(lines)
    header, sections = _sections(lines)
    person = read_person(header, lines)
    draft.person(person.fields, person.confidence)
    header = _labelled_skills(header, draft.listed)
    if footers:
        draft.aside("page footers", footers)
    if person.rest:
        draft.aside("header", person.rest)
    if not sections:
        draft.notes.append(
            "No section headings were found (Experience, Education, Skills...): only the "
            "contact details were read. Add the rest by hand."
        )
    widest = max((line.right for line in lines), default=0.0)
    for section in sections:
        draft.section(section, widest)
    return ResumeDraft(
        format=file_format,
        draft=draft.finished(),
        confidence={path: round(value, 2) for path, value in draft.confidence.items()},
        lines=[
            DraftLine(page=line.page, text=line.text.replace(COLUMN_GAP, "  "))
            for line in lines[:MAX_LINES_SHOWN]
        ],
        notes=draft.notes,
    )


_SKILL_LABELS = re.compile(
    r"^(?:skills?|techs?|technolog(?:y|ies)|tools|stack|fields|expertise|frameworks|"
    r"programming(?: languages)?|competencies|strengths)\s*[:：]",
    re.IGNORECASE,
)


def _labelled_skills(lines: list[TextLine], listed: Listed) -> list[TextLine]:
    """ "Techs: Meteor, Mongo, Git" (and the lines it wraps onto) in the header or in a
    summary: read as skills; the other lines are returned."""
    rest: list[TextLine] = []
    labelled: list[TextLine] = []
    for line in lines:
        label = re.sub(f"^([^{COLUMN_GAP}:]{{1,30}}):?{COLUMN_GAP}", r"\1: ", line.text)
        if _SKILL_LABELS.match(label):
            labelled.append(dataclasses.replace(line, text=label.partition(COLUMN_GAP)[0]))
        elif labelled and _goes_on(labelled[-1], line):
            labelled.append(line)
        else:
            rest.append(line)
    if labelled:
        read_skills(labelled, listed, max(line.right for line in lines))
    return rest


def _goes_on(labelled: TextLine, line: TextLine) -> bool:
    """A wrapped list's next line: indented under the list, not a label of its own."""
    return line.x > labelled.x + 2 and ":" not in line.text[:30] and not line.marked


_PAGE_NUMBER = re.compile(r"^(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$", re.IGNORECASE)
FOOTER_GAP = 4.0
"""Of a line's own size: a page's last line this far below the rest is its footer."""


def _without_footers(lines: list[TextLine]) -> tuple[list[TextLine], list[str]]:
    """Page numbers, and a page's last line set far below the rest and ending in its
    number (a running footer: "February 10, 2026 · Byungjin Park · Résumé  1"), are not
    content: they are kept aside."""
    kept: list[TextLine] = []
    footers: list[str] = []
    for index, line in enumerate(lines):
        last_on_page = index + 1 == len(lines) or lines[index + 1].page != line.page
        numbered = re.search(r"(?:^|\s)\d{1,3}$", line.text) is not None  # "... · Résumé  1"
        far_below = last_on_page and line.gap_before >= FOOTER_GAP and numbered
        if _PAGE_NUMBER.match(line.text.strip()) or far_below:
            footers.append(line.text)
        else:
            kept.append(line)
    return kept, footers


COMPONENT_MODELS: dict[str, type[BaseModel]] = {
    "experiences": ExperienceFields,
    "education": EducationFields,
    "projects": ProjectFields,
}


def fit_draft(
    body: dict[str, Any], notes: list[str], confidence: dict[str, float]
) -> dict[str, Any]:
    """A copy of ``body`` (a draft the model's reading changed) cut to what
    ``POST /api/v1/profiles`` takes, as the rules' own draft is: what does not fit is
    kept aside, and ``notes`` and ``confidence`` say so."""
    draft = _Draft()
    draft.body = copy.deepcopy(body)
    draft.body.setdefault("custom_fields", {})
    draft.notes, draft.confidence = notes, confidence
    draft.fit()
    return draft.body


def _readable(lines: list[TextLine]) -> Iterator[TextLine]:
    """Each line with only characters a profile stores; a line left blank is skipped."""
    for line in lines:
        text = readable(line.text)
        if text.strip():
            yield line if text == line.text else dataclasses.replace(line, text=text)


def _clipped(line: TextLine, notes: list[str]) -> TextLine:
    """No line of a resume is a page long; one that is (a file built to be slow to read)
    is cut, and the cut is said."""
    if len(line.text) <= MAX_LINE_CHARS:
        return line
    notes.append(
        f"A line of {len(line.text):,} characters on page {line.page} was cut to "
        f"{MAX_LINE_CHARS:,}; check what follows \u201c{line.text[:40]}\u201d."
    )
    return dataclasses.replace(line, text=line.text[:MAX_LINE_CHARS])


def _sections(lines: list[TextLine]) -> tuple[list[TextLine], list[_Section]]:
    body_size = _body_size(lines)
    header: list[TextLine] = []
    sections: list[_Section] = []
    waiting: TextLine | None = None
    """A short bold line that may be the first half of a heading set on two lines."""
    for line in _margin_headings(_vertical_headings(lines, body_size), body_size):
        if waiting is not None:
            both = dataclasses.replace(waiting, text=f"{waiting.text} {line.text}")
            found = heading_kind(both, body_size) if _stacked(waiting, line) else None
            if found is not None:
                sections.append(_Section(found[0], both.text.strip().rstrip(":："), found[1]))
                waiting = None
                continue
            (sections[-1].lines if sections else header).append(waiting)
            waiting = None
        found = heading_kind(line, body_size)
        if found is not None:
            kind, sure = found
            sections.append(_Section(kind, line.text.strip().rstrip(":："), sure))
        elif _may_start_heading(line):
            waiting = line
        elif sections:
            sections[-1].lines.append(line)
        else:
            header.append(line)
    if waiting is not None:
        (sections[-1].lines if sections else header).append(waiting)
    return header, sections


def _vertical_headings(lines: list[TextLine], body_size: float) -> list[TextLine]:
    """A heading set sideways ("E" over "X" over "P"...) is written after its section's
    content: read as one heading, put before that content (before its first dated line,
    the header above it staying the header)."""
    out: list[TextLine] = []
    block_start = 0
    index = 0
    while index < len(lines):
        end = index
        while (
            end < len(lines)
            and len(lines[end].text) <= 2
            and abs(lines[end].x - lines[index].x) < 3
        ):
            end += 1
        word = "".join(line.text for line in lines[index:end])
        if end - index >= 4 and heading_kind(
            dataclasses.replace(lines[index], text=word, heading=True), body_size
        ):
            heading = dataclasses.replace(lines[index], text=word.capitalize(), heading=True)
            block = out[block_start:]
            dated = next((at for at, line in enumerate(block) if find_range(line.text)), 0)
            out[block_start + dated : block_start + dated] = [heading]
            block_start = len(out)
            index = end
            continue
        out.append(lines[index])
        index += 1
    return out


def _margin_headings(lines: list[TextLine], body_size: float) -> Iterable[TextLine]:
    """ "EDUCATION<tab>First American University": a heading set in the left margin on
    its section's first line is two lines."""
    for line in lines:
        first, gap, rest = line.text.partition(COLUMN_GAP)
        label = dataclasses.replace(line, text=first)
        if gap and rest.strip() and heading_kind(label, body_size) is not None:
            yield label
            shift = line.size * 0.5 * (len(first) + 4)
            marked = rest[:1] in "■●•▪◆" and rest[1:2] == " "
            yield dataclasses.replace(
                line, text=rest[2:] if marked else rest, x=line.x + shift, marked=marked,
                bold=False, gap_before=0.0,
            )  # fmt: skip
        else:
            yield line


def _may_start_heading(line: TextLine) -> bool:
    words = line.text.split()
    return (line.bold or line.heading) and 1 <= len(words) <= 2 and not line.marked


STACKED_SIZE_GAP = 1.0
"""Points: the two lines of one heading are set in one size (a 20 pt name over a 12 pt
heading is a name, then a heading)."""


def _stacked(first: TextLine, second: TextLine) -> bool:
    return (
        (second.bold or second.heading)
        and abs(second.size - first.size) <= STACKED_SIZE_GAP
        and abs(second.x - first.x) < 2
        and second.gap_before < 0.6
        and len(second.text.split()) <= 3
    )


def _body_size(lines: Iterable[TextLine]) -> float:
    weights: collections.Counter[float] = collections.Counter()
    for line in lines:
        weights[round(line.size, 1)] += len(line.text)
    return weights.most_common(1)[0][0] if weights else 0.0


_NAMED = re.compile(r"^([^:：]{2,60}?)\s*[:：]\s+(.+)$")
_INHERITED = {Kind.EDUCATION: "institution", Kind.EXPERIENCE: "company"}


def _inherit(read: Read, before: list[dict[str, Any]], kind: Kind) -> None:
    """A second degree, or a second role, under one school or employer named once."""
    name = _INHERITED.get(kind)
    if name is None or name in read.fields or not before or name not in before[-1]:
        return
    if kind is Kind.EXPERIENCE and "title" not in read.fields:
        return
    read.put(name, before[-1][name], 0.5)


class _Draft:
    def __init__(self) -> None:
        self.body: dict[str, Any] = {
            "personal_info": {},
            "professional_summary": None,
            "experiences": [],
            "education": [],
            "projects": [],
            "skills": {"technical": [], "soft": [], "languages": [], "certifications": []},
            "custom_fields": {},
        }
        self.confidence: dict[str, float] = {}
        self.notes: list[str] = []
        self.listed = Listed()

    def person(self, fields: dict[str, str], confidence: dict[str, float]) -> None:
        self.body["personal_info"] = dict(fields)
        for name, value in confidence.items():
            self.confidence[f"personal_info.{name}"] = value
        if "full_name" not in fields:
            self.notes.append("personal_info.full_name: no name was found; type it in.")

    def section(self, section: _Section, widest: float) -> None:
        if section.kind in (Kind.SUMMARY, Kind.OTHER):
            section.lines = _labelled_skills(section.lines, self.listed)
        if section.kind is Kind.SUMMARY:
            summary = read_summary(section.lines)
            if summary:
                previous = self.body["professional_summary"]
                self.body["professional_summary"] = (
                    f"{previous}\n{summary}" if previous else summary
                )
                self.confidence["professional_summary"] = 0.8 * section.sure
        elif section.kind in (Kind.EXPERIENCE, Kind.EDUCATION, Kind.PROJECTS):
            self._entries(section, widest)
        elif section.kind is Kind.SKILLS:
            read_skills(section.lines, self.listed, widest)
        elif section.kind is Kind.LANGUAGES:
            read_languages(section.lines, self.listed)
        elif section.kind is Kind.CERTIFICATIONS:
            read_certifications(section.lines, self.listed)
        else:
            self.aside(section.title, [line.text for line in section.lines])

    def _entries(self, section: _Section, widest: float) -> None:
        component, reader = {
            Kind.EXPERIENCE: ("experiences", read_experience),
            Kind.EDUCATION: ("education", read_education),
            Kind.PROJECTS: ("projects", read_project),
        }[section.kind]
        for read in self._reads(section, widest, reader):
            if not read.fields:
                continue
            index = len(self.body[component])
            _inherit(read, self.body[component], section.kind)
            self.body[component].append(read.fields)
            for name, value in read.confidence.items():
                self.confidence[f"{component}.{index}.{name}"] = value * section.sure

    @staticmethod
    def _reads(section: _Section, widest: float, reader: Callable[[Entry], Read]) -> Iterator[Read]:
        for entry in group(section.lines, widest):
            named = [_NAMED.match(line.text) for line in entry.body]
            if section.kind is Kind.PROJECTS and not entry.head and named and all(named):
                # "• QuantSoftware Toolkit: Open source Python library...", one per bullet
                for match in named:
                    assert match is not None
                    read = Read()
                    read.put("name", match[1].strip(), 0.7)
                    read.put("description", match[2].strip(), 0.7)
                    yield read
                continue
            yield reader(entry)

    def aside(self, title: str, texts: list[str], *, noted: bool = True) -> None:
        if not texts:
            return
        stash = self.body["custom_fields"].setdefault(STASH_KEY, {"sections": []})
        stash["sections"].append({"title": title, "lines": texts})
        if noted and title != "header":
            self.notes.append(
                f"The section \u201c{title}\u201d has no place in a profile; its text is kept "
                f"in {KEPT_IN}."
            )

    def finished(self) -> dict[str, Any]:
        listed = self.listed
        skills = self.body["skills"]
        skills["technical"] = list(dict.fromkeys(listed.technical))
        skills["soft"] = list(dict.fromkeys(listed.soft))
        skills["languages"] = listed.languages
        skills["certifications"] = listed.certifications
        self.confidence.update(listed.confidence)
        self.fit()
        return self.body

    def fit(self) -> None:
        """Every value cut to what the profile takes; the rest kept aside and noted."""
        skills = self.body.setdefault("skills", {})
        skills["technical"] = self._names(skills.get("technical") or [], "technical")
        skills["soft"] = self._names(skills.get("soft") or [], "soft")
        self.body["professional_summary"] = fit_summary(
            self.body.get("professional_summary"), self._set_aside, self.notes
        )
        self._fit_person()
        for component, model in COMPONENT_MODELS.items():
            items = fit_count(
                self.body.get(component) or [], component, self._set_aside, self.notes, item_text
            )
            self.body[component] = [
                self._fit(model, item, f"{component}.{index}") for index, item in enumerate(items)
            ]
        fit_skill_total(skills, self._set_aside, self.notes)  # before each is fitted
        for group_name in ("languages", "certifications"):
            skills[group_name] = [
                self._fit(
                    SkillFields,
                    {"category": group_name.rstrip("s"), **item},
                    f"skills.{group_name}.{index}",
                    drop=("category",),
                )
                for index, item in enumerate(skills.get(group_name) or [])
            ]
        if STASH_KEY in self.body["custom_fields"]:
            fit_kept_aside(self.body["custom_fields"], self.notes)

    def _names(self, names: list[str], group_name: str) -> list[str]:
        return fit_names(names, f"skills.{group_name}", self._set_aside, self.notes)

    def _set_aside(self, title: str, texts: list[str]) -> None:
        """Kept aside by the fitting, which says why in its own note."""
        self.aside(title, texts, noted=False)

    def _fit_person(self) -> None:
        info = self.body.setdefault("personal_info", {})
        for _ in range(len(info) + 1):
            try:
                PersonalInfo.model_validate(info)
                return
            except ValidationError as error:
                bad = {
                    str(problem["loc"][0])
                    for problem in error.errors()
                    if problem["loc"] and problem["type"] != "missing"  # noted in person()
                }
                if not bad:
                    return
                for name in bad:
                    self._leave_out(f"personal_info.{name}", info.pop(name, None))

    def _leave_out(self, path: str, value: Any) -> None:
        """A value the profile refuses: out of the draft, kept aside, noted."""
        self.confidence.pop(path, None)
        text = item_text(value) if isinstance(value, dict) else value
        texts = [str(inner) for inner in text] if isinstance(text, list) else [str(text)]
        self._set_aside(path, texts)
        shown = texts[0] if len(texts) == 1 and len(texts[0]) <= 80 else f"{texts[0][:60]}…"
        self.notes.append(
            f"{path}: \u201c{shown}\u201d is not valid here; it is kept in {KEPT_IN}."
        )

    def _fit(
        self, model: type[BaseModel], item: dict[str, Any], path: str, drop: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """The item with every field the profile would refuse taken out (and noted); a
        required field the file does not show is noted for the person to fill in."""
        item = fit_entry(item, path, self._set_aside, self.notes)
        item = {key: value for key, value in item.items() if value not in (None, [], "")}
        left_out: set[str] = set()
        for _ in range(len(item) + 1):
            try:
                model.model_validate(item)
                break
            except ValidationError as error:
                missing = [p for p in error.errors() if p["type"] == "missing" and p["loc"]]
                wrong = [p for p in error.errors() if p["type"] != "missing" and p["loc"]]
                for problem in missing:
                    name = str(problem["loc"][0])
                    found = "kept aside" if name in left_out else "not found in the file"
                    self.notes.append(f"{path}.{name}: {found}; fill it in.")
                    self.confidence[f"{path}.{name}"] = 0.0
                if not wrong:
                    break
                for problem in wrong:
                    name = str(problem["loc"][0])
                    if name in item:
                        self._leave_out(f"{path}.{name}", item.pop(name))
                        left_out.add(name)
        return {key: value for key, value in item.items() if key not in drop}
