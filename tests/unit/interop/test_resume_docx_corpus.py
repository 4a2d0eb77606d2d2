"""The DOCX reader on real DOCX resumes that no one here wrote (Word, LibreOffice, Google
Docs, pandoc): sources, licences and reading choices in tests/data/resumes/docx/SOURCES.md,
fields a person read in each document in its expected.json.

Each expected value is its own case, so a field the reader gets wrong is one strict xfail
whose reason says what the reader does: the gap stays recorded, and the xfail turns into a
failure the day the reader gets it right (then drop the mark).

What is asserted, compared case-insensitively with whitespace collapsed:
- full name: equals ``personal_info.full_name``;
- company: equals one ``experiences[i].company`` (the strict field, not the draft's text);
- institution: equals one ``education[i].institution`` (likewise);
- skill: equals one item of ``skills.technical`` / ``skills.soft``, or stands as a whole
  word in a line kept aside under ``custom_fields.resume_file``.

The .docx files are not committed (see SOURCES.md): a file found in none of the places in
``_corpus_dirs`` is skipped.
"""

from __future__ import annotations

import json
import os
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from jobwise.adapters.interop.resume_file.docx_lines import read_docx_lines
from jobwise.adapters.interop.resume_file.reader import read_resume

HERE = Path(__file__).resolve()
DATA = HERE.parents[2] / "data" / "resumes" / "docx"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (DATA / "expected.json").read_text(encoding="utf-8")
)


def _corpus_dirs() -> list[Path]:
    dirs = [DATA, HERE.parents[3].parent / "shared" / "resumes" / "docx"]
    if os.environ.get("JOBWISE_DOCX_CORPUS"):
        dirs.insert(0, Path(os.environ["JOBWISE_DOCX_CORPUS"]))
    return dirs


def _path(name: str) -> Path:
    for folder in _corpus_dirs():
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"{name} is not on this machine (see tests/data/resumes/docx/SOURCES.md)")


@cache
def _draft(name: str) -> dict[str, Any]:
    lines = read_docx_lines(_path(name).read_bytes())
    return read_resume(lines, "docx").draft


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _values(items: list[Any], key: str) -> set[str]:
    return {_norm(item.get(key) or "") for item in items if isinstance(item, dict)}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _strings(item)]
    if isinstance(value, list):
        return [text for item in value for text in _strings(item)]
    return []


def _skill_items(draft: dict[str, Any]) -> set[str]:
    skills = draft.get("skills") or {}
    items = [*skills.get("technical", []), *skills.get("soft", [])]
    return {_norm(item if isinstance(item, str) else item.get("name") or "") for item in items}


def _kept_aside(draft: dict[str, Any]) -> list[str]:
    return [_norm(text) for text in _strings(draft.get("custom_fields", {}).get("resume_file"))]


_PROSE = (
    "the line has 9+ words, so entries._is_body takes it as prose (PROSE_WORDS = 9) "
    "instead of as the entry's head"
)
XFAILS: dict[tuple[str, str, str], str] = {
    ("companies", "presume-sample-resume.docx", "Government of Ontario – Ministry of Culture"): (
        "the Junior Analyst entry's company is the previous entry's 'GlobalTown Investment "
        "and Consulting Corporation' (reader._inherit) and the line "
        "'Government of Ontario – Ministry of Culture (Toronto, Canada)' is its first "
        "achievement: the line is indented 7.2 pt under a head at 0 pt, which "
        f"entries._is_body reads as body, and even at equal indentation {_PROSE}"
    ),
    ("institutions", "pandoc-resume-sample.docx", "Awesome University"): (
        "institution is 'Awesome University (MyTown)' from 'PhD, Computer Science; Awesome "
        "University (MyTown)': a single word in brackets is not read as a place "
        "(words.is_place wants 'City, Region' or a country), so it stays on the school"
    ),
    ("institutions", "pandoc-resume-sample.docx", "University of HomeTown"): (
        "institution is 'Computer Science and Electrical Engineering; University of "
        "HomeTown (HomeTown)' and the BSc degree is lost: the line 'BSc, Computer Science "
        f"and Electrical Engineering; University of HomeTown (HomeTown)' is body ({_PROSE}), "
        "the school is then taken from the body with '; ' as no separator"
    ),
    ("institutions", "resumeenhancer-harshil-patel.docx", "Seneca Polytechnic"): (
        "institution is the whole line 'Seneca Polytechnic, Toronto, ON<76 spaces>GPA: "
        "3.9/4.0 | President’s Honour list' (the gap is typed as spaces in one run): the line "
        f"is body ({_PROSE}) and entries._school_split cuts only at commas, keeping the "
        "line whole when the rest after the school is not a place"
    ),
    ("skills", "pandoc-resume-sample.docx", "Common Lisp"): (
        "no skill is read: 'Basic knowledge of C, x86 assembly, forth, Common Lisp' under "
        "the bold definition term 'Programming Languages' (in the 'Technical Experience' "
        "section) ends up in projects[0].description, neither in skills nor in "
        "custom_fields.resume_file"
    ),
    ("skills", "pandoc-resume-sample.docx", "x86 assembly"): (
        "no skill is read: the 'Programming Languages' group inside 'Technical Experience' "
        "ends up in projects[0].description"
    ),
    ("skills", "reannaschultz-resume-example.docx", "Python"): (
        "the skill item is '(Beginner) Python' from 'Programming: (Beginner) Python, Java, "
        "HTML, CSSGitHub Repo': the level in brackets stays on the skill"
    ),
    ("skills", "reannaschultz-resume-example.docx", "Linux"): (
        "the skill item is 'Linux and Windows' from 'OS Proficiency: Linux and Windows': "
        "'and' does not split a skill list"
    ),
    ("skills", "quickapply-henry-ives.docx", "Python"): (
        "the skill item is 'Python (TensorFlow, Django)' from 'Most Experience – Python "
        "(TensorFlow, Django), JavaScript (React, Node.js), Java, …': the frameworks in "
        "brackets stay on the language and are no skills of their own"
    ),
    ("skills", "resumeenhancer-harshil-patel.docx", "PostgreSQL"): (
        "the skill item is 'SQL (Oracle, MySQL, PostgreSQL)': the list in brackets is kept "
        "as one item, so PostgreSQL and MySQL are no skills of their own"
    ),
}
"""(field, file, expected value) → what the reader does wrong."""


def _cases(field: str) -> list[Any]:
    cases = []
    for name, expected in EXPECTED.items():
        for value in expected[field]:
            reason = XFAILS.get((field, name, value))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(name, value, marks=marks, id=f"{name}:{value}"))
    return cases


def test_every_expected_file_has_its_source_row() -> None:
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    assert len(EXPECTED) >= 4
    for name in EXPECTED:
        assert f"| {name} |" in sources, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_file_reads_into_a_draft(name: str) -> None:
    draft = _draft(name)
    assert draft["personal_info"]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=XFAILS[("full_name", name, "")])]
            if ("full_name", name, "") in XFAILS
            else [],
        )
        for name in sorted(EXPECTED)
    ],
)
def test_full_name(name: str) -> None:
    got = _draft(name)["personal_info"].get("full_name") or ""
    assert _norm(got) == _norm(EXPECTED[name]["full_name"])


@pytest.mark.parametrize(("name", "company"), _cases("companies"))
def test_company(name: str, company: str) -> None:
    draft = _draft(name)
    assert _norm(company) in _values(draft.get("experiences", []), "company")


@pytest.mark.parametrize(("name", "institution"), _cases("institutions"))
def test_institution(name: str, institution: str) -> None:
    draft = _draft(name)
    assert _norm(institution) in _values(draft.get("education", []), "institution")


@pytest.mark.parametrize(("name", "skill"), _cases("skills"))
def test_skill(name: str, skill: str) -> None:
    draft = _draft(name)
    wanted = _norm(skill)
    if wanted in _skill_items(draft):
        return
    word = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    assert any(word.search(line) for line in _kept_aside(draft)), (skill, _skill_items(draft))
