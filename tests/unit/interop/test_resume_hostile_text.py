"""``read_resume`` on pathological text in every section kind: it returns a draft, cuts
(and notes) an overlong line, and its draft is one ``POST /api/v1/profiles`` takes: the
body check and the route's model refuse it only for a required field the file lacks,
never for a value the reader produced.

No timing is asserted here (that belongs in bench/); each case is small enough that the
whole file runs in a few seconds.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from jobwise.adapters.interop.resume_file.lines import TextLine
from jobwise.adapters.interop.resume_file.reader import (
    MAX_LINE_CHARS,
    STASH_KEY,
    ResumeDraft,
    read_resume,
)
from jobwise.domain.characters import text_problem
from jobwise.domain.profile import CUSTOM_FIELDS_MAX_BYTES, json_size
from jobwise.domain.profile_items import DESCRIPTION_MAX, ITEMS_MAX
from jobwise.domain.storable import find_unstorable
from jobwise.entrypoints.http.api import MAX_BODY_DEPTH
from jobwise.entrypoints.http.routes.profile_shapes import CreateProfileRequest
from tests.unit.interop.resume_lines import heading, line, name

SECTIONS = [
    "Summary",
    "Experience",
    "Education",
    "Skills",
    "Projects",
    "Certifications",
    "Languages",
    "Publications",
]
SIZE = 200_000
PATTERNS: dict[str, str] = {
    "dots": "a." * (SIZE // 2),
    "emails": "a@a." * (SIZE // 4),
    "digits": "1 " * (SIZE // 2),
    "parens": "(" * SIZE,
    "nul": "\x00" * SIZE,
    "c0_controls": "".join(chr(code) for code in range(32)) * (SIZE // 32),
    "c1_controls": "".join(chr(code) for code in range(0x7F, 0xA0)) * (SIZE // 33),
    "rtl_marks": "\u202eabc\u200f" * (SIZE // 5),
    "date_dashes": "2019 - " * (SIZE // 7),
    "tabs": "a\t" * (SIZE // 2),
    "commas": "a," * (SIZE // 2),
    "at_signs": "@" * SIZE,
    "labels": "Skills: " + "x:" * (SIZE // 2),
    "urls": "http://" + "a" * SIZE,
    "linkedin": "linkedin.com/in/" * (SIZE // 16),
    "bullets": "• " * (SIZE // 2),
    "ranges": "Jan 2020 – " * (SIZE // 11),
    "han": "年" * SIZE,
    "places": "Austin, TX, " * (SIZE // 12),
}


def refusals(draft: ResumeDraft) -> list[str]:
    """What ``POST /api/v1/profiles`` would refuse in the draft other than a missing
    field: the body check every JSON body goes through, then the route's model."""
    found: list[str] = []
    problem = find_unstorable(
        draft.draft, max_depth=MAX_BODY_DEPTH, strict_keys=False, text_rule=text_problem
    )
    if problem is not None:
        found.append(f"body {problem.path}: {problem.reason}")
    try:
        CreateProfileRequest.model_validate(draft.draft)
    except ValidationError as error:
        found.extend(
            f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}"
            for problem in error.errors()
            if problem["type"] != "missing"
        )
    return found


def resume_of(text: str, section: str = "all") -> list[TextLine]:
    """``text`` as the header's second line (``header``), or as the body of one section
    kind, or (``all``) both and every section kind's."""
    lines = [name(), line("jane@example.com")]
    if section in ("header", "all"):
        lines.append(line(text))
    for title in SECTIONS:
        if section in (title, "all"):
            lines += [heading(title), line(text)]
    return lines


# -- every pattern in every section ------------------------------------------------------


@pytest.mark.parametrize("section", ["header", *SECTIONS])
@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_pathological_text_reads_as_a_draft_the_profile_takes(pattern: str, section: str) -> None:
    draft = read_resume(resume_of(PATTERNS[pattern], section), "pdf")
    assert draft.draft["personal_info"]["full_name"] == "Jane Doe"
    assert refusals(draft) == []


@pytest.mark.parametrize("pattern", ["dots", "parens", "han"])
def test_pathological_text_as_a_docx_paragraph_too(pattern: str) -> None:
    lines = [
        TextLine(text=text.text, page=1, heading=text.bold) for text in resume_of(PATTERNS[pattern])
    ]
    draft = read_resume(lines, "docx")
    assert draft.format == "docx"
    assert refusals(draft) == []


def test_pathological_text_as_the_name_line() -> None:
    refused: dict[str, list[str]] = {}
    for pattern, text in PATTERNS.items():
        draft = read_resume([line(text, size=20.0), heading("Skills"), line("Python")], "pdf")
        if refusals(draft):
            refused[pattern] = refusals(draft)
    assert refused == {}


# -- overlong lines -----------------------------------------------------------------------


def test_a_line_over_the_limit_is_cut_and_noted() -> None:
    text = "Distributed systems, " * 1000
    draft = read_resume([name(), heading("Publications"), line(text, page=2)], "pdf")
    kept = draft.draft["custom_fields"][STASH_KEY]["sections"][0]["lines"][0]
    assert kept == text[:MAX_LINE_CHARS]
    shown = [shown.text for shown in draft.lines]
    assert shown[-1] == text[:MAX_LINE_CHARS]
    assert any(f"{len(text):,} characters on page 2" in note for note in draft.notes)


def test_a_line_at_the_limit_is_kept_whole() -> None:
    text = "x" * MAX_LINE_CHARS
    draft = read_resume([name(), heading("Publications"), line(text)], "pdf")
    assert draft.draft["custom_fields"][STASH_KEY]["sections"][0]["lines"] == [text]
    assert not any("was cut" in note for note in draft.notes)


def test_many_long_lines_are_each_cut() -> None:
    lines = [name(), heading("Publications"), *(line("y" * 5000) for _ in range(20))]
    draft = read_resume(lines, "pdf")
    assert sum("was cut" in note for note in draft.notes) == 20
    assert all(len(shown.text) <= MAX_LINE_CHARS for shown in draft.lines)


def test_empty_and_blank_lines_are_skipped() -> None:
    draft = read_resume([line(""), line("   "), name(), heading("Skills"), line("Go")], "pdf")
    assert draft.draft["skills"]["technical"] == ["Go"]
    assert [shown.text for shown in draft.lines] == ["Jane Doe", "Skills", "Go"]


# -- values the reader makes that the profile refuses (one cause each) --------------------


def _draft(*body: TextLine, title: str = "Jane Doe") -> ResumeDraft:
    return read_resume([line(title, size=20.0), line("jane@example.com"), *body], "pdf")


def kept_aside(draft: ResumeDraft) -> dict[str, list[str]]:
    sections = draft.draft["custom_fields"].get(STASH_KEY, {"sections": []})["sections"]
    return {section["title"]: section["lines"] for section in sections}


def test_a_long_summary_fits_the_profile() -> None:
    prose = "I build reliable backend systems and care about tests. " * 50
    draft = _draft(heading("Summary"), line(prose), line(prose), line(prose))
    assert refusals(draft) == []
    summary = draft.draft["professional_summary"]
    assert len(summary) <= DESCRIPTION_MAX and summary.endswith("tests.")
    (rest,) = kept_aside(draft).values()
    assert " ".join([summary, *rest]).split() == " ".join([prose] * 3).split()
    assert any(note.startswith("professional_summary:") for note in draft.notes)


def test_a_long_skill_fits_the_profile() -> None:
    long = "Distributed systems design " * 10
    draft = _draft(heading("Skills"), line("Python, " + long))
    assert refusals(draft) == []
    assert draft.draft["skills"]["technical"] == ["Python"]
    assert list(kept_aside(draft).values()) == [[long.strip()]]
    assert any(note.startswith("skills.technical:") for note in draft.notes)


def test_more_skills_than_a_profile_holds_fit_it() -> None:
    tools = [f"Tool{i}" for i in range(150)]
    draft = _draft(heading("Skills"), line(", ".join(tools)))
    assert refusals(draft) == []
    assert draft.draft["skills"]["technical"] == tools[:ITEMS_MAX]
    assert list(kept_aside(draft).values()) == [tools[ITEMS_MAX:]]


def test_kept_aside_text_fits_custom_fields() -> None:
    lines = [line(f"Paper {i}: " + "w" * 2000) for i in range(60)]
    draft = _draft(heading("Publications"), *lines)
    assert refusals(draft) == []
    assert json_size(draft.draft["custom_fields"]) <= CUSTOM_FIELDS_MAX_BYTES
    kept = kept_aside(draft)["Publications"]
    assert 0 < len(kept) < 60 and kept == [text.text for text in lines[: len(kept)]]
    assert any("were not kept" in note for note in draft.notes)


def test_a_windows_1252_apostrophe_in_the_name_is_read_as_one() -> None:
    # A PDF whose font maps its apostrophe to U+0092 (the Windows-1252 code).
    draft = _draft(heading("Skills"), line("Go"), title="Jane O\x92Brien")
    assert refusals(draft) == []
    assert draft.draft["personal_info"]["full_name"] == "Jane O\u2019Brien"


def test_a_c1_control_character_in_a_summary_is_not_kept() -> None:
    draft = _draft(heading("Summary"), line("I\x92m a backend developer."))
    assert refusals(draft) == []
    assert draft.draft["professional_summary"] == "I\u2019m a backend developer."


def test_a_c1_control_character_in_an_achievement_is_not_kept() -> None:
    draft = _draft(
        heading("Experience"),
        line("Engineer, Acme\tJan 2020 – Present", bold=True),
        line("Wrote \x93fast\x94 code.", marked=True, x=60.0),
    )
    assert refusals(draft) == []
    assert draft.draft["experiences"][0]["achievements"] == ["Wrote \u201cfast\u201d code."]


def test_a_control_character_in_a_kept_section_is_not_kept() -> None:
    draft = _draft(heading("Awards"), line("Best paper \x85\x00 2019"))
    assert refusals(draft) == []
    assert kept_aside(draft)["Awards"] == ["Best paper \u2026 2019"]


def test_a_name_longer_than_a_name_is_kept_aside() -> None:
    draft = _draft(heading("Skills"), line("Go"), title="Jane " * 60)
    assert refusals(draft) == []
    assert "full_name" not in draft.draft["personal_info"]
    assert ("Jane " * 60).strip() in kept_aside(draft)["header"]
    assert any(note.startswith("personal_info.full_name") for note in draft.notes)


def test_a_role_with_more_bullets_than_a_profile_holds_keeps_the_first() -> None:
    bullets = [line(f"Shipped feature {i}.", marked=True, x=60.0) for i in range(150)]
    draft = _draft(
        heading("Experience"), line("Engineer, Acme\tJan 2020 – Present", bold=True), *bullets
    )
    assert refusals(draft) == []
    (role,) = draft.draft["experiences"]
    assert role["achievements"] == [f"Shipped feature {i}." for i in range(ITEMS_MAX)]
    kept = kept_aside(draft)["experiences.0.achievements, past the profile's 100"]
    assert kept == [f"Shipped feature {i}." for i in range(ITEMS_MAX, 150)]


def _no_strings_with(value: Any, bad: str) -> bool:
    if isinstance(value, str):
        return bad not in value
    if isinstance(value, dict):
        return all(_no_strings_with(inner, bad) for inner in value.values())
    if isinstance(value, list):
        return all(_no_strings_with(inner, bad) for inner in value)
    return True


def test_the_check_sees_a_refused_value() -> None:
    draft = _draft(heading("Skills"), line("Go"))
    draft.draft["professional_summary"] = "x" * 6000
    assert refusals(draft) != []
    assert _no_strings_with(draft.draft["skills"], "\x00")


def test_a_title_the_profile_refuses_is_kept_aside_and_asked_for() -> None:
    title = "Principal " * 30 + "Engineer"
    draft = _draft(
        heading("Experience"),
        line(f"{title}, Acme\tJan 2020 – Present", bold=True),
        line("Did it.", marked=True, x=60.0),
    )
    assert refusals(draft) == []
    (role,) = draft.draft["experiences"]
    assert "title" not in role and role["company"] == "Acme"
    assert kept_aside(draft)["experiences.0.title"] == [title]
    assert "experiences.0.title: kept aside; fill it in." in draft.notes


def test_skills_of_every_group_together_fit_the_profile() -> None:
    tools = [f"Tool{i}" for i in range(150)]
    draft = _draft(
        heading("Skills"), line(", ".join(tools)), heading("Languages"), line("English, French")
    )
    assert refusals(draft) == []
    skills = draft.draft["skills"]
    assert [item["name"] for item in skills["languages"]] == ["English", "French"]
    assert skills["technical"] == tools[: ITEMS_MAX - 2]
    assert sum(len(group) for group in skills.values()) == ITEMS_MAX
    kept = [line for lines in kept_aside(draft).values() for line in lines]
    assert kept == tools[ITEMS_MAX - 2 :]
