"""The match score: how well the candidate meets what the posting asks, and why.

Each of the posting's must-haves and nice-to-haves (``JobAnalysis.must_haves`` /
``nice_to_haves``: skills, licences, certifications, degrees, years) is met or not by
the PROFILE, so a resume and a cover letter written from one profile for one job get
the same score: a letter that names few skills is not a worse match. The document is
checked too, for whether it SHOWS each one (``QualificationMatch.in_document``: the
advice "your profile has BLS but this resume does not name it"), never for whether the
candidate has it: a document names the job's title ("Registered Nurse") and quotes the
posting's requirements, which proves nothing about the candidate.

How each kind is met:

- a skill: the profile lists it (technical or soft) or its text names it (the taxonomy
  folds synonyms); a soft skill the profile does not name is met by anyone with work
  experience: a profile cannot prove or disprove "communication", the document shows it;
- a licence or certification: a known one (``credentials``: "RN" = "Registered Nurse" =
  "nursing licence") by any of its names in the profile's certifications, titles or
  text; another by its words (a close match of a listed certification); a licence of a
  US state ("active California RN license") only by one that names that state;
- a degree: one of the profile's degrees at the asked level or higher (Associate <
  Bachelor < Master < Doctorate) whose degree or field shares a word with a field asked
  ("BSN" is Nursing); no field asked: any field;
- years: the months of the roles whose title or text is about the area asked ("ICU" is
  met by "Intensive Care Unit"; "acute care" by ICU, ER or med/surg roles), overlaps
  counted once, at least the years asked; no area asked: all experience. "A leadership
  role" is met by lead, supervisor or manager roles, "an experienced history teacher" by
  teaching roles that name history.

``match_score`` (0-100) is the met share of the weights, counted by requirement LINE as a
reader counts them ("Python, API calls and JSON" is one requirement, half met with Python
alone; "Airflow, Luigi or dbt" is met by any one): a must-have line weighs
``MUST_WEIGHT``, a nice-to-have line ``NICE_WEIGHT``, and a line of soft skills only, which
anyone can claim, ``SOFT_WEIGHT`` at most. Deterministic: no clock, no model, ordered lists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from jobwise.domain.profile_summary import (
    EducationSummary,
    ExperienceSummary,
    LanguageSummary,
    ProfileSummary,
)
from jobwise.domain.skills import SkillTaxonomy, default_taxonomy
from jobwise.domain.writing.credentials import (
    Credential,
    area_terms,
    credential_named,
    degree_levels,
    fields_of_degree,
)
from jobwise.domain.writing.facts import ProfileFacts
from jobwise.domain.writing.markdown import markdown_to_text
from jobwise.domain.writing.models import (
    JobAnalysis,
    KeywordCoverage,
    Qualification,
    QualificationMatch,
)
from jobwise.domain.writing.terms import skills_in, word_stems

MUST_WEIGHT = 3.0
NICE_WEIGHT = 1.0
SOFT_WEIGHT = 1.0
"""A soft skill's weight as a must-have; half of it as a nice-to-have."""
LISTED = 12
"""Items an explanation names in one list."""
CERTIFICATE_MATCH = 85
"""rapidfuzz token-set ratio from which a listed certification is the one asked."""
_ALTERNATIVES = re.compile(
    r"\s(?:or|and/or)\s|\w/\w|\b(?:such as|e\.g\.|for example|like|one of|any of|either)\b",
    re.I,
)
"""Words that offer a choice between the things a line names."""
_GENERIC_FIELD_STEMS = frozenset({"scienc", "studi", "art", "general", "appli", "field"})
"""Words too common in degree names to tell two fields apart ("Computer Science",
"Nursing Science")."""


def weight(item: Qualification) -> float:
    if item.soft:
        return SOFT_WEIGHT if item.required else SOFT_WEIGHT / 2
    return MUST_WEIGHT if item.required else NICE_WEIGHT


# -- coverage -----------------------------------------------------------------------------


def keyword_coverage(
    markdown: str,
    analysis: JobAnalysis,
    taxonomy: SkillTaxonomy | None = None,
    profile: ProfileSummary | None = None,
) -> KeywordCoverage:
    """The posting's skills the document names, and (with a profile) every qualification
    checked against the profile and the document."""
    skills = taxonomy or default_taxonomy()
    text = markdown_to_text(markdown)
    found = {s.casefold() for s in skills_in(text, skills)}
    wanted = analysis.keywords
    matched = [s for s in wanted if s.casefold() in found]
    checked: list[QualificationMatch] = []
    if profile is not None:
        candidate = Candidate.of(profile, skills)
        document = Document(text, found)
        checked = [
            check(item, candidate, document)
            for item in [*analysis.must_haves, *analysis.nice_to_haves]
        ]
    return KeywordCoverage(
        required=wanted,
        matched=matched,
        missing=[s for s in wanted if s not in matched],
        qualifications=checked,
    )


def match_score(coverage: KeywordCoverage, analysis: JobAnalysis) -> float:
    """0-100: the weighted share of the qualifications met (see the module docstring).

    Without checked qualifications (no profile given, or a posting that asks for nothing
    this reader knows), the share of the posting's skills the document names, a required
    skill counting twice a preferred one."""
    if coverage.qualifications:
        groups = requirements(coverage.qualifications)
        total = sum(_group_weight(group) for group in groups)
        got = sum(_group_weight(group) * group_met(group) for group in groups)
        return round(100 * got / total, 1) if total else 0.0
    required = set(analysis.required_skills)
    total = sum(2 if s in required else 1 for s in coverage.required)
    got = sum(2 if s in required else 1 for s in coverage.matched)
    return round(100 * got / total, 1) if total else 0.0


def requirements(checked: list[QualificationMatch]) -> list[list[QualificationMatch]]:
    """The checked qualifications by the posting line they were read from, in order: a
    reader counts "Python, API calls and JSON" as one requirement, not three. A
    qualification read from no line (a skill the description names) stands alone."""
    groups: dict[tuple[bool, str], list[QualificationMatch]] = {}
    for match in checked:
        item = match.qualification
        key = (item.required, " ".join(item.line.split()).casefold() or f"\0{item.text}")
        groups.setdefault(key, []).append(match)
    return list(groups.values())


def group_met(group: list[QualificationMatch]) -> float:
    """0-1: how far one line is met. A line that offers a choice ("Python or Java", "tools
    such as Airflow, Luigi or dbt", "AWS or other cloud providers") is met by any one of its
    items; another line by the share of its items met."""
    met = [m.met for m in group]
    if any(met) and _ALTERNATIVES.search(group[0].qualification.line):
        return 1.0
    return sum(met) / len(met)


def _group_weight(group: list[QualificationMatch]) -> float:
    return max(weight(m.qualification) for m in group)


# -- the candidate and the document ---------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """The profile as the checks read it."""

    facts: ProfileFacts
    text: str
    """Every field as written (case kept: "RN" is an abbreviation, "rn" is not)."""
    soft_skills: frozenset[str]
    certifications: tuple[str, ...]
    education: tuple[EducationSummary, ...]
    roles: tuple[ExperienceSummary, ...]
    total_months: int
    languages: tuple[LanguageSummary, ...] = ()

    @classmethod
    def of(cls, profile: ProfileSummary, taxonomy: SkillTaxonomy) -> Candidate:
        parts = [profile.summary or "", *profile.certifications, *profile.skills]
        parts += [*profile.soft_skills]
        for role in profile.experiences:
            parts += [role.title, role.description or "", *role.achievements]
        for school in profile.education:
            parts += [school.degree, school.field_of_study or "", *school.honors]
        parts += [f"{p.name} {p.description or ''}" for p in profile.projects]
        return cls(
            facts=ProfileFacts.of(profile, taxonomy),
            text="\n".join(part for part in parts if part),
            soft_skills=frozenset(s.casefold() for s in profile.soft_skills),
            certifications=tuple(profile.certifications),
            education=tuple(profile.education),
            roles=tuple(profile.experiences),
            total_months=profile.total_experience_months,
            languages=tuple(profile.languages),
        )


@dataclass(frozen=True)
class Document:
    text: str
    skills: set[str]
    """Canonical names, case-folded."""


def check(item: Qualification, candidate: Candidate, document: Document) -> QualificationMatch:
    if item.kind == "skill":
        return _skill(item, candidate, document)
    if item.kind in ("licence", "certification"):
        return _credential(item, candidate, document)
    if item.kind == "degree":
        return _degree(item, candidate)
    if item.kind == "language":
        return _language(item, candidate)
    if item.kind == "condition":
        return QualificationMatch(qualification=item, met=True, have="yours to accept")
    return _years(item, candidate)


def _language(item: Qualification, candidate: Candidate) -> QualificationMatch:
    """Met when the profile lists the language, or, for the language the profile is written
    in (English), when it lists none: its author writes it."""
    asked = item.text.casefold()
    spoken = [lang for lang in candidate.languages if lang.name.casefold() == asked]
    if spoken:
        level = spoken[0].proficiency
        have = f"you speak it ({level})" if level else "you speak it"
        return QualificationMatch(qualification=item, met=True, have=have)
    met = not candidate.languages and asked == "english"
    return QualificationMatch(
        qualification=item, met=met, have="your profile is in English" if met else None
    )


def _skill(item: Qualification, candidate: Candidate, document: Document) -> QualificationMatch:
    key = item.text.casefold()
    in_document = key in document.skills
    in_profile = candidate.facts.has_skill(item.text) or key in candidate.soft_skills
    in_profile = in_profile or _said_in_words(item.text, candidate)
    if not in_profile and item.soft and candidate.roles:
        # A profile neither proves nor disproves "communication": anyone with work behind
        # them can claim it, and the document is where they show it (``in_document``).
        return QualificationMatch(
            qualification=item, met=True, have="yours to show", in_document=in_document
        )
    return QualificationMatch(
        qualification=item,
        met=in_profile,
        have="you have it" if in_profile else None,
        in_document=in_document,
    )


def _said_in_words(skill: str, candidate: Candidate) -> bool:
    """A skill of two words or more whose every word stands in one line of the profile:
    "Data Engineering" in the title "Data Engineer", "Data Modeling" in "Kimball dimensional
    modelling". One word alone ("Java" in "JavaScript") is the taxonomy's to read."""
    wanted = set(word_stems(skill))
    if len(wanted) < 2:
        return False
    return any(wanted <= set(word_stems(line)) for line in candidate.text.splitlines())


def _credential(
    item: Qualification, candidate: Candidate, document: Document
) -> QualificationMatch:
    known = credential_named(item.text)
    if known is not None:
        places = item.subjects if item.kind == "licence" else []
        listed = next(
            (c for c in candidate.certifications if _credential_in(known, places, c)), None
        )
        in_profile = listed is not None or any(
            _credential_in(known, places, line) for line in candidate.text.splitlines()
        )
        in_document = known.named_in(document.text)
    else:
        name = item.text
        close = (c for c in candidate.certifications if _close(c, name))
        listed = next(close, None)
        in_profile = listed is not None
        in_document = fuzz.partial_ratio(name.casefold(), document.text.casefold()) >= 95
    met = in_profile
    have = None
    if met:
        shown = (listed or "").split(",")[0].strip()
        have = f"you have it: {shown}" if shown and shown != item.text else "you have it"
    return QualificationMatch(qualification=item, met=met, have=have, in_document=in_document)


def _credential_in(known: Credential, places: list[str], text: str) -> bool:
    """Whether ``text`` names the credential, valid in one of the places asked (a state's
    licence: "RN, Oregon State Board of Nursing" is not a California licence)."""
    if not known.named_in(text):
        return False
    return not places or any(re.search(rf"\b{re.escape(p)}\b", text, re.I) for p in places)


def _close(listed: str, asked: str) -> bool:
    return fuzz.token_set_ratio(listed.casefold(), asked.casefold()) >= CERTIFICATE_MATCH


def _degree(item: Qualification, candidate: Candidate) -> QualificationMatch:
    asked = item.degree_level or 0
    for school in candidate.education:
        levels = degree_levels(school.degree, short=True) or ([1] if school.degree else [])
        if max(levels, default=0) >= asked and _same_field(item.subjects, school):
            field = school.field_of_study or ""
            shown = (
                school.degree
                if field.casefold() in school.degree.casefold()
                else (f"{school.degree}, {field}")
            )
            return QualificationMatch(qualification=item, met=True, have=f"you have {shown}")
    return QualificationMatch(qualification=item, met=False)


def _same_field(asked: list[str], school: EducationSummary) -> bool:
    if not asked:
        return True
    own = _field_stems(
        [school.degree, school.field_of_study or "", *fields_of_degree(school.degree)]
    )
    return any(_field_stems([field]) & own for field in asked)


def _field_stems(texts: Iterable[str]) -> set[str]:
    stems = set(word_stems(" ".join(texts)))
    specific = stems - _GENERIC_FIELD_STEMS
    return specific or stems


def _years(item: Qualification, candidate: Candidate) -> QualificationMatch:
    asked = item.years or 0
    wanted = area_terms(" ".join(item.subjects)) if item.subjects else set()
    if wanted:
        # An area of work ("a leadership role", "ICU") is met by roles in that area; only
        # an area no table knows falls back to any shared word.
        areas = {term for term in wanted if term.startswith("area:")}
        relevant = [r for r in candidate.roles if (areas or wanted) & _role_terms(r)]
        months = _months(relevant)
    else:
        months = candidate.total_months
    met = months >= 12 * asked
    return QualificationMatch(qualification=item, met=met, have=f"you have {_duration(months)}")


def _role_terms(role: ExperienceSummary) -> set[str]:
    return area_terms("\n".join([role.title, role.description or "", *role.achievements]))


def _months(roles: Iterable[ExperienceSummary]) -> int:
    """Months covered by at least one of the roles (overlaps counted once)."""
    covered: set[int] = set()
    for role in roles:
        if role.start_date is not None:
            first = role.start_date.year * 12 + role.start_date.month - 1
            covered.update(range(first, first + role.duration_months))
    return len(covered)


def _duration(months: int) -> str:
    if months >= 12:
        years = months // 12
        return f"{years} year" + ("" if years == 1 else "s")
    return "none" if months == 0 else f"{months} month" + ("" if months == 1 else "s")


# -- the explanation ----------------------------------------------------------------------


def explain(coverage: KeywordCoverage, score: float) -> list[str]:
    """Sentences that say what the match score weighed, and what is missing."""
    if not coverage.qualifications:
        return []
    must = [m for m in coverage.qualifications if m.qualification.required]
    nice = [m for m in coverage.qualifications if not m.qualification.required]
    lines = [
        f"Match score {score:g} of 100: it weighs each line of what the posting asks "
        "against your profile; a must-have line counts three times a nice-to-have, a line "
        "of soft skills such as communication once, and a line met in part counts in part."
    ]
    for label, group in (("must-haves", must), ("nice-to-haves", nice)):
        if group:
            lines.append(_group_sentence(label, group))
    return lines


def _group_sentence(label: str, group: list[QualificationMatch]) -> str:
    met = [f"{m.qualification.text} ({m.have})" for m in group if m.met]
    missing = [_missing(m) for m in group if not m.met]
    sentence = f"The posting's {label}: " + (_listed(met) if met else "none of them met")
    if missing:
        sentence += "; missing: " + _listed(missing)
    return sentence + "."


def _listed(items: list[str]) -> str:
    """At most ``LISTED`` items, then how many more: a sentence a user still reads."""
    shown = ", ".join(items[:LISTED])
    return shown + (f" and {len(items) - LISTED} more" if len(items) > LISTED else "")


def _missing(match: QualificationMatch) -> str:
    item = match.qualification
    if item.kind == "years" and match.have:
        return f"{item.text} ({match.have})"
    return item.text


def not_shown(coverage: KeywordCoverage) -> list[str]:
    """Must-haves the profile meets that the document does not name (skills and
    credentials: degrees and years are read from the profile's dates and education)."""
    return [
        m.qualification.text
        for m in coverage.qualifications
        if m.met
        and m.qualification.required
        and not m.in_document
        and m.qualification.kind in ("skill", "licence", "certification")
        and not m.qualification.soft
    ]
