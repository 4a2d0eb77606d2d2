"""Stage 4, ``validating_quality``: the fabrication guard, the match score and the ATS checks.

``validate`` works on any document Markdown, a fresh draft or a user's edit of a
stored one. It returns the cleaned Markdown (see ``guard``) and a report.

Match score (``scoring``): the posting's must-haves and nice-to-haves (skills,
licences, certifications, degrees, years of experience) checked against the profile and
the document; the report's recommendations say, item by item, what was met and what
is missing. A resume and a cover letter from one profile get the same match score.

ATS score: what an applicant tracking system's parser reads, and only that: where the
contact details are, the section headings, one column of plain text, dates, length,
numbers in achievements, the letter's shape. It does NOT judge the writing: grammar,
spelling, tone and truth are not checked (the guard checks facts against the profile),
so a letter with broken grammar can score 100. The check messages and the
recommendations say so in words a user reads; the check names below are identifiers
for programs and never appear in a message.

Each check has a weight (a resume's weights and a cover letter's each sum to 100);
``ats_score`` is the weighted sum of the checks' scores (0-1):

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

from jobwise.domain.profile_summary import ProfileSummary
from jobwise.domain.skills import SkillTaxonomy, default_taxonomy
from jobwise.domain.writing.facts import ProfileFacts
from jobwise.domain.writing.guard import guard, section_key
from jobwise.domain.writing.length import markdown_lines, pages
from jobwise.domain.writing.markdown import Line, markdown_to_text, read
from jobwise.domain.writing.models import (
    AtsCheck,
    DocumentKind,
    GenerationOptions,
    JobAnalysis,
    KeywordCoverage,
    ValidationReport,
)
from jobwise.domain.writing.offline import COVER_LETTER_WORDS
from jobwise.domain.writing.scoring import explain, keyword_coverage, match_score, not_shown

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
    coverage = keyword_coverage(cleaned, analysis, skills, profile)
    checks = (
        resume_checks(cleaned, chosen, coverage, analysis)
        if kind == "resume"
        else letter_checks(cleaned, analysis)
    )
    ats = round(sum(c.weight * c.score for c in checks), 1)
    score = match_score(coverage, analysis)
    return ValidationReport(
        status="needs_review" if removed else "passed",
        markdown=cleaned,
        removed=removed,
        match_score=score,
        keywords=coverage,
        ats_score=min(100.0, ats),
        ats_score_details=checks,
        recommendations=_recommendations(checks, coverage, score, kind, len(removed)),
    )


# -- ATS checks: resume ---------------------------------------------------------------------

LABELS = {
    "contact_first": "Name and contact details at the top",
    "standard_headings": "Standard section headings",
    "single_column": "One column of plain text",
    "date_format": "Dates written one way",
    "length": "Length",
    "quantified_achievements": "Achievements with numbers",
    "no_first_person": "No first-person pronouns",
    "keywords": "The posting's required skills",
    "no_sections": "No section headings in a letter",
    "word_count": "Letter length",
    "paragraphs": "Body paragraphs",
    "names_role_and_company": "Names the role and the company",
    "salutation_and_closing": "Greeting and sign-off",
}
"""What each check looks at, as a user reads it (``AtsCheck.label``)."""
STRUCTURE_ONLY = (
    "The ATS score only checks the structure an applicant tracking system reads (contact "
    "details, headings, layout, dates, length); it does not check grammar, spelling or "
    "tone, so proofread the text yourself before sending it."
)


def _check(name: str, weights: dict[str, int], score: float, message: str) -> AtsCheck:
    score = max(0.0, min(1.0, score))
    return AtsCheck(
        name=name, weight=weights[name], passed=score >= 0.999, score=round(score, 3),
        message=message, label=LABELS[name],
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
    if score >= 1:
        message = "Your name comes first, then a line with your email or phone number."
    elif not named:
        message = (
            "Put your name on the first line and your email or phone number on the line "
            "under it: tracking systems read the top of the page for contact details."
        )
    else:
        message = (
            "Add your email address or phone number on the line right under your name: "
            "tracking systems read the top of the page for contact details."
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
    if score >= 1:
        message = "Every section has a name tracking systems recognise (Experience, Skills, ...)."
    else:
        parts = []
        if odd:
            names = ", ".join(f'"{h}"' for h in odd)
            parts.append(
                f"Rename {names} to a standard heading (Summary, Experience, Projects, "
                "Skills, Education or Certifications) so tracking systems file it correctly"
            )
        if missing:
            parts.append(f"Add a section named {' and '.join(missing)}")
        message = ". ".join(parts) + "."
    return _check("standard_headings", RESUME_WEIGHTS, score, message)


def _single_column(lines: list[Line], weights: dict[str, int]) -> AtsCheck:
    bad = [line.raw.strip() for line in lines if _multi_column(line.raw)]
    message = (
        "The text is one plain column, with no tables, images or emoji to confuse a parser."
        if not bad
        else f"Replace the tables, HTML, images or emoji on {len(bad)} line"
        f"{'' if len(bad) == 1 else 's'} (such as {bad[0][:60]!r}) with plain text: "
        "tracking systems often read them as garbage or skip them."
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
        "Dates are written the same way within each section."
        if not mixed
        else "Write every date the same way (for example 'Jan 2020 – Present') in your "
        + " and ".join(section.title() for section in mixed)
        + " section: mixed styles make tracking systems misread how long you held a role."
    )
    score = 1.0 - len(mixed) / max(len(by_section), 1)
    return _check("date_format", RESUME_WEIGHTS, score, message)


def _length(markdown: str, options: GenerationOptions) -> AtsCheck:
    estimated = pages(markdown_lines(markdown), options.template)
    fits = estimated <= options.max_pages
    score = 1.0 if fits else max(0.0, 1.0 - (estimated - options.max_pages))
    limit = f"{options.max_pages} page" + ("" if options.max_pages == 1 else "s")
    message = (
        f"About {estimated:.1f} pages: within the {limit} you asked for."
        if fits
        else f"About {estimated:.1f} pages: more than the {limit} you asked for. Leave out "
        "older roles or the weakest bullet points."
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
    if not bullets:
        message = (
            "No achievements are listed under Experience or Projects: add a few bullet "
            "points with what you did and its result, with real figures where you have them."
        )
    elif share >= QUANTIFIED_TARGET:
        message = f"{len(with_numbers)} of {len(bullets)} achievements give a figure."
    else:
        message = (
            f"Only {len(with_numbers)} of {len(bullets)} achievements give a figure: add the "
            "real numbers you have (%, time saved, patients, users, team size) to your "
            "profile's achievements."
        )
    return _check("quantified_achievements", RESUME_WEIGHTS, share / QUANTIFIED_TARGET, message)


def _first_person(lines: list[Line]) -> AtsCheck:
    prose = [line for line in lines if line.kind in ("bullet", "text") and line.section]
    hits = [line.text for line in prose if _FIRST_PERSON.search(line.text)]
    message = (
        "No first-person pronouns: the resume reads as resumes are expected to."
        if not hits
        else f"Leave out 'I', 'my' and 'we' on {len(hits)} line"
        f"{'' if len(hits) == 1 else 's'}, such as {hits[0][:60]!r}: start each line with "
        "what you did ('Led ...', 'Cut ...')."
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
    if not required:
        message = "The posting names no required skills to look for."
    elif not missing:
        message = "The resume names every skill the posting requires."
    else:
        message = (
            f"The resume names {len(found)} of the {len(required)} skills the posting "
            f"requires; not named: {', '.join(missing[:8])}. Add the ones you really have "
            "to your profile so they appear."
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
    sections = [line for line in lines if line.kind in ("section", "entry")]
    text = markdown_to_text(markdown).casefold()
    named = [n for n in (analysis.title, analysis.company) if n and n.casefold() in text]
    wanted = [n for n in (analysis.title, analysis.company) if n]
    return [
        _contact_first(lines, w),
        _single_column(lines, w),
        _check("no_sections", w, 0.0 if sections else 1.0,
               "The letter reads as a letter, without section headings." if not sections
               else "Remove the headings (lines starting with ## or ###): a cover letter is "
               "plain paragraphs."),
        _word_count(words),
        _paragraphs(len(body)),
        _check("names_role_and_company", w, len(named) / len(wanted) if wanted else 1.0,
               "The letter names the role and the company you apply to."
               if len(named) == len(wanted)
               else "Name the role (" + (analysis.title or "the job title") + ") and the "
               "company you apply to, as the posting writes them."),
        _check("salutation_and_closing", w,
               (0.5 if salutation is not None else 0.0) + (0.5 if signoff is not None else 0.0),
               "The letter opens with a greeting and ends with a sign-off."
               if salutation is not None and signoff is not None
               else "Open with a greeting (Dear Hiring Manager,) and end with a sign-off "
               "(Sincerely,) followed by your name."),
    ]  # fmt: skip


def _word_count(words: int) -> AtsCheck:
    low, high = COVER_LETTER_WORDS
    in_range = low <= words <= high
    score = 1.0 if in_range else max(0.0, 1 - abs(words - (low if words < low else high)) / low)
    if in_range:
        message = (
            f"{words} words, within the {low} to {high} recruiters expect (this counts "
            "words; it does not judge the writing)."
        )
    elif words < low:
        message = f"{words} words: add a paragraph on what you bring, to reach {low} to {high}."
    else:
        message = f"{words} words: cut to {high} or fewer; recruiters skim long letters."
    return _check("word_count", LETTER_WEIGHTS, score, message)


def _paragraphs(count: int) -> AtsCheck:
    fits = 3 <= count <= 4
    message = (
        f"{count} body paragraphs: an opening, your evidence and a close."
        if fits
        else f"{count} body paragraph{'' if count == 1 else 's'}: write 3 or 4 (why this "
        "job, what you bring with an example, a closing request for an interview)."
    )
    return _check("paragraphs", LETTER_WEIGHTS, 1.0 if fits else 0.5 if count else 0.0, message)


# -- advice -----------------------------------------------------------------------------------


def _recommendations(
    checks: list[AtsCheck],
    coverage: KeywordCoverage,
    score: float,
    kind: DocumentKind,
    removed: int,
) -> list[str]:
    """The match score explained, then what to change, then the ATS score's limits."""
    advice = explain(coverage, score)
    advice += [check.message for check in checks if not check.passed]
    hidden = not_shown(coverage) if kind == "resume" else []
    if hidden:
        advice.append(
            "Your profile has "
            + ", ".join(hidden[:8])
            + " but this resume does not name "
            + ("it" if len(hidden) == 1 else "them")
            + ": make sure the resume shows what the posting requires."
        )
    if coverage.missing and not coverage.qualifications:
        advice.append(
            "The posting asks for skills the document does not show: "
            + ", ".join(coverage.missing[:10])
            + ". Add the ones you really have to your profile."
        )
    if removed:
        advice.append(
            f"{removed} statement{' was' if removed == 1 else 's were'} not backed by your "
            "profile and taken out: review the document before sending it."
        )
    advice.append(STRUCTURE_ONLY)
    return advice
