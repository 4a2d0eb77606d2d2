"""Stage 3 without a language model: a deterministic writer that never invents a fact.

Every fact on the page is copied from the compiled profile (titles, employers, dates,
achievements word for word); the writer only chooses, orders and frames them. The
framing sentences come from a small phrasebook per tone, so tone changes the wording
and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from jobwise.generation.analysis import years_required
from jobwise.generation.markdown import (
    date_range,
    join,
    long_date,
    one_line,
    word_count,
    year_range,
)
from jobwise.generation.models import (
    CompiledProfile,
    DocumentKind,
    Draft,
    GenerationOptions,
    JobAnalysis,
    RankedAchievement,
    RankedExperience,
    Tone,
)
from jobwise.generation.terms import skills_in, word_stems

COVER_LETTER_WORDS = (250, 400)
"""The body of a cover letter (salutation to signature) stays within these counts."""
SUMMARY_SKILLS = 3
LETTER_TIES = 3


def write_offline(
    kind: DocumentKind,
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    options: GenerationOptions | None = None,
) -> Draft:
    """The resume or cover letter for this job, from the compiled profile alone."""
    chosen = options or GenerationOptions()
    if kind == "resume":
        markdown = resume_markdown(compiled, analysis, chosen)
    else:
        markdown = cover_letter_markdown(compiled, analysis, chosen)
    return Draft(
        kind=kind,
        markdown=markdown,
        writer="offline",
        employers=_unique(e.company for e in compiled.experiences) if kind == "resume" else [],
        skills=[s.name for s in compiled.skills] if kind == "resume" else [],
        word_count=word_count(markdown),
    )


# -- the resume ---------------------------------------------------------------------------


def resume_markdown(
    compiled: CompiledProfile, analysis: JobAnalysis, options: GenerationOptions
) -> str:
    blocks = [_header(compiled)]
    if options.shows("summary"):
        blocks.append(f"## Summary\n{summary_paragraph(compiled, analysis, options.tone)}")
    blocks.append("## Experience\n" + "\n\n".join(_role(r) for r in compiled.experiences))
    if compiled.projects:
        blocks.append("## Projects\n" + "\n\n".join(_project(p) for p in compiled.projects))
    if options.shows("skills") and (skills := _skills_block(compiled)):
        blocks.append("## Skills\n" + skills)
    if compiled.education:
        blocks.append("## Education\n" + "\n\n".join(_education(e) for e in compiled.education))
    if compiled.certifications:
        bullets = "\n".join(f"- {one_line(name)}" for name in compiled.certifications)
        blocks.append("## Certifications\n" + bullets)
    return "\n\n".join(blocks) + "\n"


def _header(compiled: CompiledProfile) -> str:
    contact = join(compiled.email, compiled.phone, compiled.location, *compiled.links)
    return (
        f"# {one_line(compiled.name) or 'Candidate'}\n{contact}"
        if contact
        else f"# {compiled.name}"
    )


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


def _skills_block(compiled: CompiledProfile) -> str:
    lines = []
    if compiled.skills:
        lines.append("**Technical:** " + ", ".join(one_line(s.shown_as) for s in compiled.skills))
    if compiled.soft_skills:
        lines.append("**Soft skills:** " + ", ".join(compiled.soft_skills))
    if compiled.languages:
        lines.append("**Languages:** " + ", ".join(compiled.languages))
    return "\n".join(lines)


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


# -- the summary --------------------------------------------------------------------------

_SUMMARY: dict[Tone, tuple[str, str, str]] = {
    # (with years, without years, the role sentence)
    "professional": (
        "{label} with {years} of experience and hands-on expertise in {skills}.",
        "{label} with hands-on expertise in {skills}.",
        "Brings a record of delivered work to the {title} role{at_company}.",
    ),
    "concise": (
        "{label}; {years} of experience; core skills: {skills}.",
        "{label}; core skills: {skills}.",
        "Target role: {title}{at_company}.",
    ),
    "bold": (
        "{label} with {years} of shipping real work in {skills}.",
        "{label} who ships real work in {skills}.",
        "Ready to make an immediate impact as {title}{at_company}.",
    ),
}


def summary_paragraph(compiled: CompiledProfile, analysis: JobAnalysis, tone: Tone) -> str:
    """Names the role, the strongest matching skills and the years of experience."""
    with_years, without_years, role_sentence = _SUMMARY[tone]
    skills = [s.shown_as for s in (compiled.matched_skills or compiled.skills)][:SUMMARY_SKILLS]
    values = {
        "label": one_line(compiled.current_title or "Professional"),
        "years": _years(compiled.years_of_experience),
        "skills": _and(skills) or "the work described below",
        "title": analysis.title or "this",
        "at_company": f" at {analysis.company}" if analysis.company else "",
    }
    first = with_years if compiled.years_of_experience else without_years
    return f"{first.format(**values)} {role_sentence.format(**values)}"


def _years(years: int) -> str:
    return f"{years} year" if years == 1 else f"{years} years"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# -- the cover letter ---------------------------------------------------------------------

_LETTER: dict[Tone, dict[str, str]] = {
    "professional": {
        "opening": "I am writing to apply for the {title} position{at_company}.",
        "background": "{article_label} with {years} of experience, I bring hands-on "
        "expertise in {skills}, which your posting names among its requirements.",
        "no_skills": "{article_label} with {years} of experience, I would bring a steady record "
        "of delivered work to your team.",
        "tie": 'Your posting asks for "{requirement}". As {title} at {company}, {clause}.',
        "untied": "As {title} at {company}, {clause}.",
        "more_skills": "I also work comfortably with {skills}.",
        "responsibilities": "The responsibilities you describe, such as {items}, are the work "
        "I want to do next.",
        "education": "My studies in {field} at {institution} gave me a solid foundation.",
        "closing": "I would welcome the opportunity to discuss how my experience can help "
        "{company_or_team}. Thank you for your time and consideration.",
        "salutation": "Dear Hiring Manager,",
        "signoff": "Sincerely,",
    },
    "concise": {
        "opening": "I am applying for the {title} role{at_company}.",
        "background": "I bring {years} of experience and practical skills in {skills}.",
        "no_skills": "I bring {years} of experience and a record of delivered work.",
        "tie": 'You need "{requirement}". At {company}, as {title}, {clause}.',
        "untied": "At {company}, as {title}, {clause}.",
        "more_skills": "I also use {skills}.",
        "responsibilities": "I want to take on work such as {items}.",
        "education": "I studied {field} at {institution}.",
        "closing": "I would be glad to talk about the role. Thank you for your time.",
        "salutation": "Dear Hiring Manager,",
        "signoff": "Kind regards,",
    },
    "bold": {
        "opening": "The {title} role{at_company} is exactly the challenge I am looking for.",
        "background": "Over {years} of hands-on work I have built my craft around {skills}, "
        "the very skills your posting puts first.",
        "no_skills": "Over {years} of hands-on work I have learned to deliver, and I am ready "
        "to do it for your team.",
        "tie": 'You want "{requirement}", and I can show it: as {title} at {company}, {clause}.',
        "untied": "As {title} at {company}, {clause}.",
        "more_skills": "On top of that, I bring {skills}.",
        "responsibilities": "I am eager to own work such as {items}.",
        "education": "My studies in {field} at {institution} sharpened how I approach problems.",
        "closing": "I would love to show {company_or_team} what I can do. Thank you for "
        "considering my application.",
        "salutation": "Dear Hiring Manager,",
        "signoff": "Sincerely,",
    },
}
_PAST_VERBS = frozenset(
    {
        "built", "led", "ran", "cut", "wrote", "made", "grew", "drove", "set", "won", "took",
        "brought", "began", "became", "taught", "oversaw", "sold", "spoke", "kept", "met",
        "gave", "found", "held", "rebuilt", "rewrote", "undertook", "saw", "shipped", "spun",
    }
)  # fmt: skip
_BASE_VERBS = frozenset(
    {
        "build", "design", "develop", "lead", "manage", "create", "implement", "maintain", "own",
        "drive", "deliver", "write", "run", "ship", "architect", "migrate", "automate", "optimize",
        "optimise", "improve", "reduce", "increase", "mentor", "establish", "launch", "deploy",
        "work", "contribute", "help", "support", "coordinate", "collaborate", "partner", "scale",
    }
)  # fmt: skip


_PASSIVE = frozenset(
    {"tasked", "promoted", "hired", "selected", "awarded", "recognized", "recognised", "asked",
     "invited", "chosen", "named", "appointed", "nominated", "entrusted", "assigned"}
)  # fmt: skip
TIE_MIN_WORDS = 5
FILLER_STORIES = 12
"""At most this many more achievements are told while a letter is too short."""
"""Shorter achievements ("React") are labels, not results to tell in a sentence."""
_CLAUSE_END = re.compile(r"[;.!?]\s|\s[-–—]\s|,\s(?:but|and|or|while|which|so)\s")
_LABEL_LEAD = re.compile(r"^[A-Z][\w /&-]{0,30}:\s+")


@dataclass(frozen=True)
class _Tie:
    requirement: str | None
    role: RankedExperience
    achievement: RankedAchievement


def cover_letter_markdown(
    compiled: CompiledProfile, analysis: JobAnalysis, options: GenerationOptions
) -> str:
    phrases = _LETTER[options.tone]
    values = _letter_values(compiled, analysis)
    ties = _ties(compiled, analysis)
    low, high = COVER_LETTER_WORDS
    body: list[str] = []
    for count in (LETTER_TIES, 2, 1):
        for shortest in (False, True):
            chosen = _pick(ties, count, shortest)
            body = _letter_body(compiled, analysis, phrases, values, chosen, low)
            if _words(body) <= high:
                break
        if _words(body) <= high:
            break
    head = _header(compiled)
    dated = long_date(compiled.as_of)
    closing = [phrases["signoff"], one_line(compiled.name)]
    return "\n\n".join([head, dated, phrases["salutation"], *body, *closing]) + "\n"


def _words(paragraphs: list[str]) -> int:
    # As validation counts: the body plus salutation (3), sign-off (1) and name (2-3).
    return sum(len(p.split()) for p in paragraphs) + 7


def _letter_values(compiled: CompiledProfile, analysis: JobAnalysis) -> dict[str, str]:
    label = one_line(compiled.current_title or "professional")
    skills = [s.shown_as for s in compiled.matched_skills][:SUMMARY_SKILLS]
    return {
        "title": analysis.title or "advertised",
        "at_company": f" at {analysis.company}" if analysis.company else "",
        "company_or_team": analysis.company or "your team",
        "article_label": f"{'An' if label[:1].lower() in 'aeiou' else 'A'} {label}",
        "years": _years(max(compiled.years_of_experience, 1)),
        "skills": _and(skills),
    }


def _letter_body(
    compiled: CompiledProfile,
    analysis: JobAnalysis,
    phrases: dict[str, str],
    values: dict[str, str],
    ties: list[_Tie],
    low: int,
) -> list[str]:
    background = phrases["background" if values["skills"] else "no_skills"]
    opening = f"{phrases['opening'].format(**values)} {background.format(**values)}"
    sentences = [_tie_sentence(tie, phrases) for tie in ties]
    middle = [" ".join(sentences[:2])] if sentences else []
    third = sentences[2:]
    closing = phrases["closing"].format(**values)
    for extra in _fillers(compiled, analysis, phrases, ties):
        if _words([opening, *middle, " ".join(third), closing]) >= low:
            break
        third.append(extra)
    body = [opening, *middle]
    if third:
        body.append(" ".join(third))
    return [*body, closing]


def _fillers(
    compiled: CompiledProfile, analysis: JobAnalysis, phrases: dict[str, str], ties: list[_Tie]
) -> list[str]:
    """Sentences added, in this order, while the letter is under its minimum length."""
    more = [s.shown_as for s in compiled.matched_skills][SUMMARY_SKILLS:][:4]
    extra = [s.shown_as for s in compiled.skills if s.kind == "related"][:3]
    fillers: list[str] = []
    if more or extra:
        fillers.append(phrases["more_skills"].format(skills=_and([*more, *extra][:4])))
    told = {tie.achievement.text for tie in ties}
    last: RankedExperience | None = None
    for role in compiled.experiences:
        for achievement in _told(role):
            if achievement.text not in told and len(fillers) < FILLER_STORIES:
                tie = _Tie(None, role, achievement)
                same = last is role
                fillers.append(_tie_sentence(tie, phrases, same_role=same))
                told.add(achievement.text)
                last = role
    for sentence in re.split(r"(?<=[.!?])\s+", compiled.own_summary or ""):
        if re.match(r"I(?:'m|’m|'ve|’ve)?\b", sentence) and len(sentence.split()) > TIE_MIN_WORDS:
            fillers.append(sentence.strip())
    theirs = {s.name for s in compiled.skills}
    plain = [
        r
        for r in analysis.responsibilities
        if len(r) <= 120
        and not re.search(r"\d", r)
        and not re.match(r"(?i)(?:we|you|our|the|this|it)\b", r)
        and set(skills_in(r)) <= theirs
    ][:2]
    if plain:
        items = _and([_clause_of(r) for r in plain])
        fillers.append(phrases["responsibilities"].format(items=items))
    for school in compiled.education[:1]:
        if school.field_of_study:
            fillers.append(
                phrases["education"].format(
                    field=one_line(school.field_of_study), institution=one_line(school.institution)
                )
            )
    return fillers


def _tie_sentence(tie: _Tie, phrases: dict[str, str], *, same_role: bool = False) -> str:
    if same_role:
        return f"In the same role, {achievement_clause(tie.achievement.text)}."
    template = phrases["tie" if tie.requirement else "untied"]
    return template.format(
        requirement=tie.requirement or "",
        title=one_line(tie.role.title),
        company=one_line(tie.role.company),
        clause=achievement_clause(tie.achievement.text),
    )


def achievement_clause(text: str) -> str:
    """An achievement as the end of a first-person sentence, its words unchanged.

    "Cut p99 latency by 40%" -> "I cut p99 latency by 40%"; a line that does not
    start with a verb is quoted: 'one result of my work: "Millions of sites use it"'.
    """
    text = one_line(text).rstrip(" .;")
    first, _, rest = text.partition(" ")
    word = first.lower()
    if first in ("I", "I'm", "I’m", "I've", "I’ve"):
        return text
    if word in _PASSIVE:
        return f"I was {word} {rest}".rstrip()
    if word.endswith("ed") or word in _PAST_VERBS or word in _BASE_VERBS:
        lowered = word if first[1:2].islower() or len(first) == 1 else first
        return f"I {lowered} {rest}".rstrip()
    return f'one result of my work: "{text}"'


def _clause_of(requirement: str) -> str:
    """The first clause of a posting line, lower-cased at the start, without end marks
    ("Languages: Python (primary), Go" -> "Python (primary), Go")."""
    line = _LABEL_LEAD.sub("", requirement.strip())
    clause = _CLAUSE_END.split(line, maxsplit=1)[0].rstrip(" .;:,")
    if len(clause) > 90:
        cut = clause[:90]
        clause = cut.rsplit(", ", 1)[0] if ", " in cut[40:] else cut.rsplit(" ", 1)[0]
    return clause[:1].lower() + clause[1:] if clause[1:2].islower() else clause


def _told(role: RankedExperience) -> list[RankedAchievement]:
    """What a letter can tell of a role: its achievements that are sentences, and the
    sentences of its description."""
    told = [a for a in role.achievements if len(a.text.split()) >= TIE_MIN_WORDS]
    for sentence in re.split(r"(?<=[.!?])\s+", role.description or ""):
        first = sentence.split(" ", 1)[0]
        about_company = first.casefold() == role.company.split(" ")[0].casefold()
        own_words = not achievement_clause(sentence).startswith("one result")
        words = len(sentence.split())
        if words > TIE_MIN_WORDS and sentence[:1].isalpha() and own_words and not about_company:
            told.append(RankedAchievement(text=sentence, score=0.0))
    return told


def _ties(compiled: CompiledProfile, analysis: JobAnalysis) -> list[_Tie]:
    """Achievements matched to the stated requirements they answer, best pairs first."""
    lines = analysis.requirements or analysis.responsibilities
    theirs = {s.name for s in compiled.skills}
    # A requirement is answered only when the candidate has every skill it names:
    # "You want X, and I can show it" is a claim.
    wanted = [
        (line, set(skills_in(line)), set(word_stems(line)))
        for line in (_clause_of(line) for line in lines)
        if set(skills_in(line)) <= theirs
        and (years_required([line]) or 0) <= compiled.years_of_experience
    ]
    scored: list[tuple[float, _Tie]] = []
    for role in compiled.experiences:
        for achievement in _told(role):
            skills = set(skills_in(achievement.text))
            words = set(word_stems(achievement.text))
            for line, line_skills, line_words in wanted:
                overlap = 2 * len(skills & line_skills) + 0.5 * len(words & line_words)
                if overlap >= 1:
                    tie = _Tie(line, role, achievement)
                    scored.append((overlap + achievement.score / 10, tie))
    scored.sort(key=lambda pair: -pair[0])
    ties: list[_Tie] = []
    for _, tie in scored:
        if all(
            t.requirement != tie.requirement and t.achievement is not tie.achievement for t in ties
        ):
            ties.append(tie)
    if len(ties) < 2:  # too few stated requirements answered: lead with the best work
        for role in compiled.experiences:
            for achievement in _told(role)[:1]:
                if all(t.achievement is not achievement for t in ties):
                    ties.append(_Tie(None, role, achievement))
    return ties


def _pick(ties: list[_Tie], count: int, shortest: bool) -> list[_Tie]:
    if not shortest:
        return ties[:count]
    return sorted(ties[: count * 2], key=lambda t: len(t.achievement.text))[:count]


def _unique(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]
