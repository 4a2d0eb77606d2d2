"""Stage 4, ``validating_quality``: the fabrication guard, keyword coverage and ATS checks.

``validate`` works on any document Markdown, a fresh draft or a user's edit of a
stored one. It returns the cleaned Markdown (see ``guard``) and a report.

Keyword coverage: the posting's skills (required, then preferred), found in the
document under any of their names (the taxonomy folds synonyms). ``match_score`` is
the weighted share found, a required skill counting twice a preferred one.

ATS checks, each with its weight (a resume's weights and a cover letter's each sum
to 100); ``ats_score`` is the weighted sum of the checks' scores (0-1):

Resume
    ``contact_first`` 15: the name, then a contact line with an email or phone.
    ``standard_headings`` 15: sections named as ATS expect (Summary, Experience,
    Projects, Skills, Education, Certifications), with Experience, Skills, Education.
    ``single_column`` 10: no tables, HTML, images or emoji.
    ``date_format`` 10: every date range of a section written one way.
    ``length`` 15: the length model (``length``) fits ``max_pages``.
    ``quantified_achievements`` 15: share of bullets with a number (full marks at 40%).
    ``no_first_person`` 10: no I/me/my/we/our.
    ``keywords`` 10: share of the required skills the document names.

Cover letter
    ``contact_first`` 15, ``single_column`` 10 (as above); ``no_sections`` 10: no ``##``
    headings; ``word_count`` 20: 250 to 400 words; ``paragraphs`` 15: 3 or 4 body
    paragraphs; ``names_role_and_company`` 15; ``salutation_and_closing`` 15.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jobwise.generation.facts import ProfileFacts
from jobwise.generation.guard import guard, section_key
from jobwise.generation.length import markdown_lines, pages
from jobwise.generation.markdown import Line, markdown_to_text, read
from jobwise.generation.models import (
    AtsCheck,
    DocumentKind,
    GenerationOptions,
    JobAnalysis,
    KeywordCoverage,
    ValidationReport,
)
from jobwise.generation.offline import COVER_LETTER_WORDS
from jobwise.generation.terms import skills_in
from jobwise.skills import SkillTaxonomy, default_taxonomy
from queries.profile_summary import ProfileSummary

STANDARD_SECTIONS = ("summary", "experience", "projects", "skills", "education", "certifications")
REQUIRED_SECTIONS = ("experience", "skills", "education")
QUANTIFIED_TARGET = 0.4
RESUME_WEIGHTS = {
    "contact_first": 15,
    "standard_headings": 15,
    "single_column": 10,
    "date_format": 10,
    "length": 15,
    "quantified_achievements": 15,
    "no_first_person": 10,
    "keywords": 10,
}
LETTER_WEIGHTS = {
    "contact_first": 15,
    "single_column": 10,
    "no_sections": 10,
    "word_count": 20,
    "paragraphs": 15,
    "names_role_and_company": 15,
    "salutation_and_closing": 15,
}
_EMAIL_OR_PHONE = re.compile(r"@|\+?\d[\d ()./-]{6,}\d")
_MULTI_COLUMN = re.compile(r"^\s*\|.*\|\s*$|!\[|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_TAG_START = re.compile(r"<[a-zA-Z/]")
_FIRST_PERSON = re.compile(r"\b(?:I|me|my|mine|myself|we|our|us)\b|\bI['’]", re.IGNORECASE)
_DATE_STYLES = (
    ("Mon YYYY – Mon YYYY", re.compile(r"\b[A-Z][a-z]{2} \d{4} – (?:[A-Z][a-z]{2} \d{4}|Present)")),
    ("YYYY – YYYY", re.compile(r"(?<![A-Za-z] )\b\d{4} – (?:\d{4}|Present)")),
    ("MM/YYYY", re.compile(r"\b\d{1,2}/\d{4}\b")),
    ("Month YYYY", re.compile(r"\b[A-Z][a-z]{3,8} \d{4}\s*[-–—]")),
)


def validate(
    markdown: str,
    kind: DocumentKind,
    profile: ProfileSummary,
    analysis: JobAnalysis,
    options: GenerationOptions | None = None,
    *,
    taxonomy: SkillTaxonomy | None = None,
) -> ValidationReport:
    """The cleaned document and its report (see the module docstring)."""
    chosen = options or GenerationOptions()
    skills = taxonomy or default_taxonomy()
    cleaned, removed = guard(markdown, ProfileFacts.of(profile, skills), analysis, skills)
    coverage = keyword_coverage(cleaned, analysis, skills)
    checks = (
        resume_checks(cleaned, chosen, coverage, analysis)
        if kind == "resume"
        else letter_checks(cleaned, analysis)
    )
    ats = round(sum(c.weight * c.score for c in checks), 1)
    return ValidationReport(
        status="needs_review" if removed else "passed",
        markdown=cleaned,
        removed=removed,
        match_score=match_score(coverage, analysis),
        keywords=coverage,
        ats_score=min(100.0, ats),
        ats_score_details=checks,
        recommendations=_recommendations(checks, coverage, len(removed)),
    )


# -- keywords -----------------------------------------------------------------------------


def keyword_coverage(
    markdown: str, analysis: JobAnalysis, taxonomy: SkillTaxonomy | None = None
) -> KeywordCoverage:
    found = {s.casefold() for s in skills_in(markdown_to_text(markdown), taxonomy)}
    wanted = analysis.keywords
    matched = [s for s in wanted if s.casefold() in found]
    return KeywordCoverage(
        required=wanted, matched=matched, missing=[s for s in wanted if s not in matched]
    )


def match_score(coverage: KeywordCoverage, analysis: JobAnalysis) -> float:
    """0-100: the share of the posting's skills found, a required one counting twice."""
    required = set(analysis.required_skills)
    total = sum(2 if s in required else 1 for s in coverage.required)
    got = sum(2 if s in required else 1 for s in coverage.matched)
    return round(100 * got / total, 1) if total else 0.0


# -- ATS checks: resume ---------------------------------------------------------------------


def _check(name: str, weights: dict[str, int], score: float, message: str) -> AtsCheck:
    score = max(0.0, min(1.0, score))
    return AtsCheck(
        name=name, weight=weights[name], passed=score >= 0.999, score=round(score, 3),
        message=message,
    )  # fmt: skip


def resume_checks(
    markdown: str, options: GenerationOptions, coverage: KeywordCoverage, analysis: JobAnalysis
) -> list[AtsCheck]:
    lines = read(markdown)
    w = RESUME_WEIGHTS
    checks: list[Callable[[], AtsCheck]] = [
        lambda: _contact_first(lines, w),
        lambda: _standard_headings(lines),
        lambda: _single_column(lines, w),
        lambda: _date_format(lines),
        lambda: _length(markdown, options),
        lambda: _quantified(lines),
        lambda: _first_person(lines),
        lambda: _keywords(coverage, analysis),
    ]
    return [check() for check in checks]


def _contact_first(lines: list[Line], weights: dict[str, int]) -> AtsCheck:
    content = [line for line in lines if line.kind != "blank"]
    named = bool(content) and content[0].kind == "name"
    contact = len(content) > 1 and content[1].kind == "contact"
    reachable = contact and _EMAIL_OR_PHONE.search(content[1].text) is not None
    score = (0.4 if named else 0.0) + (0.6 if reachable else 0.3 if contact else 0.0)
    message = (
        "The name and a contact line with an email or phone come first."
        if score >= 1
        else "Start with the name (# Name) and a contact line with an email or phone number."
    )
    return _check("contact_first", weights, score, message)


def _standard_headings(lines: list[Line]) -> AtsCheck:
    headings = [line.text for line in lines if line.kind == "section"]
    standard = [h for h in headings if h.casefold() in STANDARD_SECTIONS]
    keys = {section_key(h) for h in headings}
    present = [s for s in REQUIRED_SECTIONS if s in keys]
    share = (len(standard) / len(headings) if headings else 0.0) * 0.5
    score = share + 0.5 * len(present) / len(REQUIRED_SECTIONS)
    odd = [h for h in headings if h.casefold() not in STANDARD_SECTIONS]
    missing = [s.title() for s in REQUIRED_SECTIONS if s not in keys]
    message = (
        "Sections use standard names."
        if score >= 1
        else "; ".join(
            part
            for part in (
                f"Rename sections ATS may not recognise: {', '.join(odd)}" if odd else "",
                f"Add sections: {', '.join(missing)}" if missing else "",
            )
            if part
        )
    )
    return _check("standard_headings", RESUME_WEIGHTS, score, message + ("" if score >= 1 else "."))


def _single_column(lines: list[Line], weights: dict[str, int]) -> AtsCheck:
    bad = [line.raw.strip() for line in lines if _multi_column(line.raw)]
    message = (
        "Single column: no tables, HTML, images or emoji."
        if not bad
        else f"Remove tables, HTML, images and emoji ({len(bad)} lines), e.g. {bad[0][:60]!r}."
    )
    return _check("single_column", weights, 0.0 if bad else 1.0, message)


def _multi_column(raw: str) -> bool:
    """A table row, an HTML tag, an image or an emoji: what ``<[a-zA-Z/][^>]*>`` in one
    pattern found by rescanning the rest of the line from every ``<a`` (quadratic); a tag
    is a ``<`` and a letter or ``/`` with a ``>`` anywhere after them."""
    if _MULTI_COLUMN.search(raw):
        return True
    last = raw.rfind(">")
    return last >= 2 and _TAG_START.search(raw, 0, last) is not None


def _date_format(lines: list[Line]) -> AtsCheck:
    by_section: dict[str, set[str]] = {}
    for line in lines:
        if line.kind in ("meta", "text") and line.section:
            styles = {name for name, pattern in _DATE_STYLES if pattern.search(line.text)}
            by_section.setdefault(section_key(line.section), set()).update(styles)
    mixed = [section for section, styles in by_section.items() if len(styles) > 1]
    message = (
        "Dates are written one way in each section."
        if not mixed
        else f"Write dates one way (e.g. 'Jan 2020 – Present') in: {', '.join(mixed)}."
    )
    score = 1.0 - len(mixed) / max(len(by_section), 1)
    return _check("date_format", RESUME_WEIGHTS, score, message)


def _length(markdown: str, options: GenerationOptions) -> AtsCheck:
    estimated = pages(markdown_lines(markdown), options.template)
    fits = estimated <= options.max_pages
    score = 1.0 if fits else max(0.0, 1.0 - (estimated - options.max_pages))
    message = (
        f"About {estimated:.1f} pages: within {options.max_pages}."
        if fits
        else f"About {estimated:.1f} pages: cut to {options.max_pages} "
        "(fewer older roles or bullets)."
    )
    return _check("length", RESUME_WEIGHTS, score, message)


def _bullets(lines: list[Line]) -> list[Line]:
    return [
        line
        for line in lines
        if line.kind == "bullet" and section_key(line.section) in ("experience", "projects")
    ]


def _quantified(lines: list[Line]) -> AtsCheck:
    bullets = _bullets(lines)
    with_numbers = [b for b in bullets if re.search(r"\d", b.text)]
    share = len(with_numbers) / len(bullets) if bullets else 0.0
    message = (
        f"{len(with_numbers)} of {len(bullets)} achievements carry a number."
        if share >= QUANTIFIED_TARGET
        else f"Only {len(with_numbers)} of {len(bullets)} achievements carry a number: add the "
        "real figures (%, time saved, users, team size) to your profile's achievements."
    )
    return _check("quantified_achievements", RESUME_WEIGHTS, share / QUANTIFIED_TARGET, message)


def _first_person(lines: list[Line]) -> AtsCheck:
    prose = [line for line in lines if line.kind in ("bullet", "text") and line.section]
    hits = [line.text for line in prose if _FIRST_PERSON.search(line.text)]
    message = (
        "No first-person pronouns."
        if not hits
        else f"Drop first-person pronouns (I, my, we) from {len(hits)} lines, "
        f"e.g. {hits[0][:60]!r}."
    )
    score = 1.0 - len(hits) / max(len(prose), 1)
    return _check(
        "no_first_person", RESUME_WEIGHTS, 0.0 if hits and score < 0.8 else score, message
    )


def _keywords(coverage: KeywordCoverage, analysis: JobAnalysis) -> AtsCheck:
    required = analysis.required_skills or coverage.required
    found = [s for s in required if s in coverage.matched]
    share = len(found) / len(required) if required else 1.0
    missing = [s for s in required if s not in found]
    message = (
        "Every required skill appears."
        if not missing
        else f"{len(found)} of {len(required)} required skills appear; missing: "
        + ", ".join(missing[:8])
        + "."
    )
    return _check("keywords", RESUME_WEIGHTS, share, message)


# -- ATS checks: cover letter -----------------------------------------------------------------


def letter_checks(markdown: str, analysis: JobAnalysis) -> list[AtsCheck]:
    lines = read(markdown)
    w = LETTER_WEIGHTS
    texts = [line for line in lines if line.kind == "text"]
    salutation = next((i for i, t in enumerate(texts) if t.text.startswith("Dear ")), None)
    start = 0 if salutation is None else salutation + 1
    signoff = next(
        (
            i
            for i, t in enumerate(texts)
            if i >= start and re.fullmatch(r"[A-Z][\w ]{2,30},", t.text)
        ),
        None,
    )
    body = texts[start : signoff if signoff is not None else len(texts)]
    words = sum(len(t.text.split()) for t in texts[(salutation or 0) :])
    low, high = COVER_LETTER_WORDS
    sections = [line for line in lines if line.kind in ("section", "entry")]
    text = markdown_to_text(markdown).casefold()
    named = [n for n in (analysis.title, analysis.company) if n and n.casefold() in text]
    wanted = [n for n in (analysis.title, analysis.company) if n]
    in_range = low <= words <= high
    paragraphs_ok = 3 <= len(body) <= 4
    word_score = (
        1.0 if in_range else max(0.0, 1 - abs(words - (low if words < low else high)) / low)
    )
    return [
        _contact_first(lines, w),
        _single_column(lines, w),
        _check("no_sections", w, 0.0 if sections else 1.0,
               "No section headings." if not sections else "A letter has no ## or ### headings."),
        _check("word_count", w, word_score, f"{words} words" + (
            "." if in_range else f": aim for {low} to {high}.")),
        _check("paragraphs", w, 1.0 if paragraphs_ok else 0.5 if body else 0.0,
               f"{len(body)} body paragraphs" + ("." if paragraphs_ok else ": write 3 or 4.")),
        _check("names_role_and_company", w, len(named) / len(wanted) if wanted else 1.0,
               "Names the role and the company." if len(named) == len(wanted)
               else "Name the role and the company you apply to."),
        _check("salutation_and_closing", w,
               (0.5 if salutation is not None else 0.0) + (0.5 if signoff is not None else 0.0),
               "Has a salutation and a closing." if salutation is not None and signoff is not None
               else "Open with a salutation (Dear ...,) and close with a sign-off (Sincerely,)."),
    ]  # fmt: skip


# -- advice -----------------------------------------------------------------------------------


def _recommendations(checks: list[AtsCheck], coverage: KeywordCoverage, removed: int) -> list[str]:
    advice = [check.message for check in checks if not check.passed]
    if coverage.missing:
        advice.append(
            "The posting asks for skills the document does not show: "
            + ", ".join(coverage.missing[:10])
            + ". Add the ones you really have to your profile."
        )
    if removed:
        advice.append(
            f"{removed} statements were not backed by the profile and were taken out: "
            "review them before sending."
        )
    return advice
