"""The resume's summary: the candidate's own when it fits the job, else built from facts.

The user's own professional summary fits the job when it names the job's role words
or one of the skills the job asks for (``field``), and does not speak in the first
person (a resume never does). It is then used as written. Otherwise the summary is
built only from facts: the newest title in the job's field, the years in that field
when known (``compiling.stated_years``), the strongest matching skills and one real
achievement, word for word. No filler ("Ready to make an immediate impact"), and never
the target company: a summary names only employers the candidate worked for.
"""

from __future__ import annotations

import re

from jobwise.domain.skills import default_taxonomy
from jobwise.domain.writing.field import field_skills, in_field, role_words
from jobwise.domain.writing.markdown import one_line
from jobwise.domain.writing.models import (
    CompiledProfile,
    JobAnalysis,
    RankedAchievement,
    RankedExperience,
    Tone,
)
from jobwise.domain.writing.phrasing import TIE_MIN_WORDS, and_list, is_own_words, years_text
from jobwise.domain.writing.terms import skills_in, word_stems

SUMMARY_SKILLS = 3
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|my|me)\b")

# (title with years, title without years, no title) + the achievement sentence.
_OPENERS: dict[Tone, tuple[str, str, str, str]] = {
    "professional": (
        "{label} with {years} of experience, working with {skills}.",
        "{label} working with {skills}.",
        "Experienced in {skills}.",
        "{achievement} ({company}).",
    ),
    "concise": (
        "{label}; {years} of experience; skills: {skills}.",
        "{label}; skills: {skills}.",
        "Skills: {skills}.",
        "{achievement} ({company}).",
    ),
    "bold": (
        "{label} with {years} of experience and a track record in {skills}.",
        "{label} with a track record in {skills}.",
        "Track record in {skills}.",
        "Highlight: {achievement} ({company}).",
    ),
}
_NO_SKILLS = {
    "professional": ("{label} with {years} of experience.", "{label}."),
    "concise": ("{label}; {years} of experience.", "{label}."),
    "bold": ("{label} with {years} of experience.", "{label}."),
}


def own_summary_fits(summary: str | None, analysis: JobAnalysis) -> bool:
    """Whether the candidate's own summary can stand as the summary for this job."""
    if not summary or not summary.strip() or _FIRST_PERSON.search(summary):
        return False
    shares_role = bool(role_words(analysis) & set(word_stems(summary)))
    return shares_role or bool(field_skills(analysis) & set(skills_in(summary)))


def summary_paragraph(compiled: CompiledProfile, analysis: JobAnalysis, tone: Tone) -> str:
    """The summary: the candidate's own when it fits the job, else built from facts."""
    if compiled.own_summary and own_summary_fits(compiled.own_summary, analysis):
        return one_line(compiled.own_summary)
    return built_summary(compiled, analysis, tone)


def built_summary(compiled: CompiledProfile, analysis: JobAnalysis, tone: Tone) -> str:
    with_years, without_years, untitled, told = _OPENERS[tone]
    role = field_role(compiled, analysis)
    label = one_line(role.title if role else compiled.current_title or "")
    skills = summary_skills(compiled)
    years = compiled.years_of_experience
    values = {"label": label, "years": years_text(years), "skills": and_list(skills)}
    if skills:
        first = (with_years if years else without_years) if label else untitled
    elif label:
        first = _NO_SKILLS[tone][0 if years else 1]
    else:
        first = ""
    sentences = [first.format(**values)] if first else []
    best = best_achievement(compiled)
    if best is not None:
        owner, achievement = best
        text = one_line(achievement.text).rstrip(" .;")
        sentences.append(told.format(company=one_line(owner.company), achievement=text))
    return " ".join(sentences)


def field_role(
    compiled: CompiledProfile, analysis: JobAnalysis, *, strict: bool = False
) -> RankedExperience | None:
    """The newest role in the job's field, else (unless ``strict``) the newest one."""
    taxonomy = default_taxonomy()
    for role in compiled.experiences:
        texts = [role.description or "", *(a.text for a in role.achievements)]
        if in_field(role.title, texts, analysis, taxonomy):
            return role
    return compiled.experiences[0] if compiled.experiences and not strict else None


def summary_skills(compiled: CompiledProfile) -> list[str]:
    """The strongest matching skills, soft ones left out (they are claims, not skills
    a summary can show)."""
    taxonomy = default_taxonomy()
    return [s.shown_as for s in compiled.matched_skills if taxonomy.category_of(s.name) != "soft"][
        :SUMMARY_SKILLS
    ]


def best_achievement(
    compiled: CompiledProfile,
) -> tuple[RankedExperience, RankedAchievement] | None:
    """The most relevant achievement told in the candidate's own words."""
    found = [
        (role, a)
        for role in compiled.experiences
        for a in role.achievements
        if len(a.text.split()) >= TIE_MIN_WORDS and is_own_words(a.text)
    ]
    return max(found, key=lambda pair: pair[1].score, default=None)
