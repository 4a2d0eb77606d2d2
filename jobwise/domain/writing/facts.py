"""What the profile states: the facts a document may use, and how to look them up.

Names are compared fuzzily (``rapidfuzz``), since a user may type "Nara Logics Inc"
for "Nara Logics, Inc"; numbers are compared exactly (after reading "2,000" as 2000
and "1.2 million" as 1200000): a number is either in the profile or it is not.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date

import snowballstemmer
from rapidfuzz import fuzz

from jobwise.domain.profile_summary import EducationSummary, ExperienceSummary, ProfileSummary
from jobwise.domain.skills import SkillTaxonomy, default_taxonomy
from jobwise.domain.writing.compiling import listed_parts, profile_text
from jobwise.domain.writing.markdown import date_range, month_year, year_range
from jobwise.domain.writing.quantities import Quantity, quantities_in, ranges_in, same_quantity
from jobwise.domain.writing.terms import skills_in

NAME_MATCH = 88
"""rapidfuzz ratio (0-100) at or above which two names are the same name."""
TEXT_MATCH = 70
"""token_set_ratio at or above which a line is an edit of a profile achievement."""

_NUMBER = re.compile(
    r"(?<![\w.])[$€£]?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s?(%|percent\b|[kK]\b|[mM]\b|bn\b|million\b|billion\b|thousand\b|x\b))?(?![\w])",
    re.IGNORECASE,
)
_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
LEADERSHIP = re.compile(
    r"\b(?:led|lead|leading|leads|headed|heading|managed|manager|managing|directed|director"
    r"|spearheaded|supervised|oversaw|overseeing|head of|cto|ceo|chief|founder|co-founder)\b",
    re.IGNORECASE,
)
"""Where the profile speaks of leading (verbs, and titles such as CTO or founder)."""
LEAD_CLAIM = re.compile(
    r"\b(?:led|leading|headed|managed|managing|directed|spearheaded|supervised|oversaw"
    r"|overseeing|head of)\b|\bLead\b(?! (?:developer|engineer|designer|architect)s?\b)",
    re.IGNORECASE,
)
"""What claims a lead role in a document: the verbs, not a noun in "Dear Hiring Manager"."""

Number = tuple[float, str]
"""(value, unit): unit is "%", "x" or "" (counts and amounts)."""

# Credentials spelt out, and the letters they are known by: a profile that says one
# supports a document that says the other.
CREDENTIAL_EXPANSIONS = {
    "registered nurse": "rn", "licensed practical nurse": "lpn", "nurse practitioner": "np",
    "basic life support": "bls", "advanced cardiovascular life support": "acls",
    "advanced cardiac life support": "acls", "pediatric advanced life support": "pals",
    "paediatric advanced life support": "pals", "neonatal resuscitation": "nrp",
    "project management professional": "pmp", "certified scrum master": "csm",
    "certified scrummaster": "csm", "certified public accountant": "cpa",
    "chartered financial analyst": "cfa", "emergency medical technician": "emt",
    "certified nursing assistant": "cna", "critical care registered nurse": "ccrn",
    "qualified teacher status": "qts", "certified kubernetes administrator": "cka",
}  # fmt: skip


def numbers_in(text: str) -> list[tuple[str, Number]]:
    """Every number written in ``text``, as (as written, normalised)."""
    found: list[tuple[str, Number]] = []
    for match in _NUMBER.finditer(text):
        whole, fraction, unit = match.group(1), match.group(2) or "", (match.group(3) or "")
        value = float(whole.replace(",", "") + fraction)
        unit = unit.lower()
        if unit in _SCALE:
            value *= _SCALE[unit]
            unit = ""
        found.append((match.group(0), (round(value, 6), "%" if unit in ("%", "percent") else unit)))
    return found


def same_name(a: str, b: str) -> bool:
    return fuzz.ratio(_fold(a), _fold(b)) >= NAME_MATCH


_ABBREVIATION_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
"""A full stop that is not a decimal point: "Sr." and "U.S." lose it, "1.2" keeps it."""


def fold_words(text: str) -> list[str]:
    """``text``'s words, case-folded, without punctuation ("Sr. Engineer" -> sr, engineer)."""
    return _fold(_ABBREVIATION_DOT.sub("", text)).split()


def stem(word: str) -> str:
    return str(_stemmer().stemWord(word.casefold()))


@functools.cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def _fold(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


@dataclass(frozen=True)
class Source:
    """One text of the profile (an achievement, a summary) and the figures in it."""

    text: str
    quantities: tuple[Quantity, ...]
    ranges: tuple[tuple[Quantity, Quantity], ...]

    @classmethod
    def of(cls, text: str) -> Source:
        # "Precepted 11 nurses": a capital that only opens the line is no product name
        # whose version 11 would be, so the figure is read as the draft's "I precepted 11".
        lowered = text[:1].lower() + text[1:]
        return cls(text, tuple(quantities_in(lowered)), tuple(ranges_in(lowered)))

    def states(self, quantity: Quantity) -> bool:
        """The same figure measuring the same thing: 200,000 visitors are not 200,000
        paying customers."""
        return any(
            same_quantity(quantity, own) and same_measure(quantity, own) for own in self.quantities
        )

    def states_change(self, change: tuple[Quantity, Quantity]) -> bool:
        start, end = change
        return any(same_quantity(start, a) and same_quantity(end, b) for a, b in self.ranges)


_GENERIC_FIELD = frozenset({"scienc", "art", "fine", "appli", "studi", "bachelor", "master"})
"""Stems a degree's name shares with any other ("Bachelor of Science"): no field."""


def same_measure(a: Quantity, b: Quantity) -> bool:
    """Whether two figures count the same thing, when both say what they count."""
    if a.unit != b.unit and (a.measure or b.measure):
        return False  # "40 beds" are not "40 minutes": a count with a noun is no duration
    if not a.measure or not b.measure:
        return True
    return bool({stem(w) for w in a.measure.split()} & {stem(w) for w in b.measure.split()})


def _source_texts(profile: ProfileSummary) -> list[str]:
    texts = [profile.summary or ""]
    for role in profile.experiences:
        texts += [role.title, role.description or "", *role.achievements]
    for project in profile.projects:
        texts += [project.name, project.description or ""]
    for school in profile.education:
        texts += [
            f"{school.degree} {school.field_of_study or ''}",
            school.gpa or "",
            *school.honors,
        ]
    texts += [*profile.certifications, *profile.skills, *(lang.name for lang in profile.languages)]
    return [t for t in texts if t]


@dataclass
class ProfileFacts:
    """The facts of one profile, ready for the guard's look-ups."""

    roles: list[ExperienceSummary]
    education: list[EducationSummary]
    projects: list[str]
    certifications: list[str]
    skills: set[str]
    """Canonical names, case-folded: listed, inside listed phrases, and named in the text."""
    listed_skills: list[str]
    numbers: set[Number]
    text: str
    """Every free-text field, case-folded, for "does the profile say this" questions."""
    places: list[str] = field(default_factory=list)
    vocabulary: frozenset[str] = frozenset()
    """Every word the profile uses (employers, schools, credentials, languages included),
    case-folded, with its stem and the acronyms of known credentials it spells out."""
    total_months: int = 0
    sources: list[Source] = field(default_factory=list)
    """Each text of the profile that can state a figure, with the figures it states."""
    own_words: str = ""
    """The profile's free text as one run of folded words, for ``states``."""
    credentials: str = ""
    """Certifications, education and the summary, folded: where a licence is stated."""

    @classmethod
    def of(cls, profile: ProfileSummary, taxonomy: SkillTaxonomy | None = None) -> ProfileFacts:
        skills = taxonomy or default_taxonomy()
        text = profile_text(profile)
        extra = [
            *(
                f"{e.degree} {e.field_of_study or ''} {e.institution} {e.gpa or ''}"
                for e in profile.education
            ),
            *(h for e in profile.education for h in e.honors),
            *(lang.name for lang in profile.languages),
            profile.contact.location or "",
        ]
        numbers = {n for _, n in numbers_in("\n".join([text, *extra]))}
        numbers |= _derived_numbers(profile)
        found = set(skills_in("\n".join([text, *extra]), skills))
        found |= set(listed_parts(profile.skills, skills))
        return cls(
            roles=list(profile.experiences),
            education=list(profile.education),
            projects=[p.name for p in profile.projects],
            certifications=list(profile.certifications),
            skills={s.casefold() for s in [*profile.skills, *found]},
            listed_skills=list(profile.skills),
            numbers=numbers,
            text="\n".join([text, *extra]).casefold(),
            places=[
                p
                for p in [profile.contact.location, *(r.location for r in profile.experiences)]
                if p
            ],
            vocabulary=_vocabulary(profile, "\n".join([text, *extra])),
            total_months=profile.total_experience_months,
            credentials=_credential_text(profile),
            own_words=" ".join(fold_words(text)),
            sources=[Source.of(t) for t in _source_texts(profile)],
        )

    # -- look-ups ------------------------------------------------------------------------

    @property
    def employers(self) -> list[str]:
        return list(dict.fromkeys(role.company for role in self.roles))

    def employer(self, name: str) -> str | None:
        return next((e for e in self.employers if same_name(e, name)), None)

    def roles_at(self, employer: str) -> list[ExperienceSummary]:
        return [role for role in self.roles if same_name(role.company, employer)]

    def has_skill(self, canonical: str) -> bool:
        return canonical.casefold() in self.skills

    def lists(self, item: str) -> bool:
        """A skills-list entry the profile has, as a skill or as the user wrote it."""
        return any(same_name(item, own) for own in self.listed_skills)

    def has_number(self, number: Number) -> bool:
        value, unit = number
        if number in self.numbers:
            return True
        # A bare number may restate a figure the profile gives with a unit ("40" of "40%").
        return unit == "" and any(v == value for v, _ in self.numbers)

    def leads(self, role: ExperienceSummary | None = None) -> bool:
        """Whether the profile (or one role of it) speaks of leading anything."""
        if role is None:
            return LEADERSHIP.search(self.text) is not None
        own = "\n".join([role.title, role.description or "", *role.achievements])
        return LEADERSHIP.search(own) is not None

    def states(self, sentence: str) -> bool:
        """Whether ``sentence`` is the profile's own words (a summary sentence, an
        achievement), whatever its case and punctuation."""
        words = " ".join(fold_words(sentence))
        return len(words) >= 12 and words in self.own_words

    def sources_of(self, quantity: Quantity) -> list[Source]:
        return [source for source in self.sources if source.states(quantity)]

    def months_at(self, employer: str) -> int:
        return sum(role.duration_months for role in self.roles_at(employer))

    def held_title(self, title: str) -> bool:
        """A title of one of the profile's roles (or a part of one, abbreviations
        written out: "Sr. Engineer" of "Senior Software Engineer")."""
        return any(same_title(title, role.title) for role in self.roles)

    def has_degree(self, level: str, field_words: str) -> bool:
        """An education entry at ``level`` (bachelor, master...) whose degree or field
        has ``field_words`` (any of its words, when given)."""
        wanted = {stem(w) for w in fold_words(field_words) if len(w) > 3} - _GENERIC_FIELD
        for entry in self.education:
            if degree_level(entry.degree) not in (level, ""):
                continue
            if degree_level(entry.degree) == "" and level not in entry.degree.casefold():
                continue
            own = {stem(w) for w in fold_words(f"{entry.degree} {entry.field_of_study or ''}")}
            own -= _GENERIC_FIELD
            if not wanted or wanted & own:
                return True
        return False

    def names(self, word: str) -> bool:
        """Whether the profile names ``word`` (a credential's word or acronym)."""
        folded = word.casefold().replace(".", "")
        return re.search(rf"(?<!\w){re.escape(folded)}(?!\w)", self.credentials) is not None

    def certification(self, text: str) -> str | None:
        return next(
            (c for c in self.certifications if fuzz.token_set_ratio(_fold(c), _fold(text)) >= 90),
            None,
        )

    def project(self, name: str) -> str | None:
        return next((p for p in self.projects if same_name(p, name)), None)


def _vocabulary(profile: ProfileSummary, text: str) -> frozenset[str]:
    names = [
        profile.name or "",
        *(r.company for r in profile.experiences),
        *(r.location or "" for r in profile.experiences),
        *(p.url or "" for p in profile.projects),
        *profile.soft_skills,
    ]
    words = set(fold_words("\n".join([text, *names])))
    folded = " ".join(fold_words(text))
    words |= {acronym for phrase, acronym in CREDENTIAL_EXPANSIONS.items() if phrase in folded}
    return frozenset(words | {stem(w) for w in words})


def _credential_text(profile: ProfileSummary) -> str:
    parts = [
        *profile.certifications,
        *(f"{e.degree} {e.field_of_study or ''} {e.institution}" for e in profile.education),
        profile.summary or "",
        *(r.title for r in profile.experiences),
        *(a for r in profile.experiences for a in r.achievements),
        *(r.description or "" for r in profile.experiences),
    ]
    folded = " ".join(fold_words("\n".join(parts)))
    acronyms = [a for phrase, a in CREDENTIAL_EXPANSIONS.items() if phrase in folded]
    return " ".join([folded, *acronyms])


def _derived_numbers(profile: ProfileSummary) -> set[Number]:
    """Numbers a truthful document may state that no field spells out: years of
    experience (overall and per role) and the years and days of every date."""
    found: set[Number] = set()
    total = profile.total_experience_months
    # Years in one field may be any whole count up to the total, never rounded up.
    found |= {(float(years), "") for years in range(total // 12 + 1)}
    for role in profile.experiences:
        found.add((float(role.duration_months // 12), ""))
        found.add((float(role.duration_months), ""))
    dates: list[date | None] = [d for r in profile.experiences for d in (r.start_date, r.end_date)]
    dates += [d for e in profile.education for d in (e.start_date, e.end_date)]
    for day in dates:
        if day is not None:
            found |= {(float(day.year), ""), (float(day.day), "")}
    return found


def role_meta_dates(role: ExperienceSummary) -> str:
    return date_range(role.start_date, role.end_date, current=role.is_current)


def dates_agree(
    written: str, role_start: date | None, role_end: date | None, current: bool
) -> bool:
    """Whether the date range written in a meta line is the role's (month or year precision)."""
    wanted = {
        date_range(role_start, role_end, current=current),
        year_range(role_start, None if current else role_end),
    }
    if role_start is not None:
        wanted.add(month_year(role_start))
    ranges = [_tidy_range(r) for r in DATE_RANGE.findall(written)]
    return not ranges or all(r in wanted for r in ranges)


def _tidy_range(written: str) -> str:
    tidy = re.sub(r"\s*[–—-]\s*", " – ", " ".join(written.split())).replace(".", "")
    return re.sub(r"(?i)\b(present|now|current)$", "Present", tidy)


DATE_RANGE = re.compile(
    r"(?:[A-Z][a-z]{2,8}\.? )?\d{4}\s*[–—-]\s*"
    r"(?:(?:[A-Z][a-z]{2,8}\.? )?\d{4}|Present|present|Now|now|Current|current)"
)


# -- titles and degrees as written ------------------------------------------------------

TITLE_EXPANSIONS = {
    "sr": "senior", "jr": "junior", "mgr": "manager", "eng": "engineer", "engr": "engineer",
    "dev": "developer", "vp": "vice president", "asst": "assistant", "assoc": "associate",
    "dir": "director", "rn": "registered nurse", "swe": "software engineer",
    "sde": "software development engineer", "snr": "senior", "mktg": "marketing",
}  # fmt: skip

_PLURAL = r"(?:s|['’]s)?"
DEGREE_LEVELS = (
    (
        "doctor",
        re.compile(rf"\b(?:ph\.?\s?d|doctor{_PLURAL}|doctorate|dphil|dnp|ed\.?d|j\.?d|m\.?d)\b"),
    ),
    (
        "master",
        re.compile(rf"\b(?:master{_PLURAL}|m\.?s\.?c?|m\.?a|mba|msn|m\.?ed|m\.?eng|mpa|mph)\b"),
    ),
    (
        "bachelor",
        re.compile(rf"\b(?:bachelor{_PLURAL}|b\.?s\.?c?|b\.?a|bsn|b\.?ed|b\.?eng|b\.?tech)\b"),
    ),
    ("associate", re.compile(rf"\b(?:associate{_PLURAL}|a\.?a\.?s|adn|a\.?a)\b")),
)


def expand_title(title: str) -> list[str]:
    """A title's words, abbreviations written out ("Sr. Eng" -> senior engineer)."""
    out: list[str] = []
    for word in fold_words(title):
        out.extend(TITLE_EXPANSIONS.get(word, word).split())
    return out


def same_title(written: str, held: str) -> bool:
    """The written title is the held one, or part of it ("Engineer" of "Senior Engineer");
    abbreviations count as written out ("Sr." is "Senior")."""
    mine, theirs = expand_title(written), expand_title(held)
    if not mine:
        return False
    return same_name(" ".join(mine), " ".join(theirs)) or set(mine) <= set(theirs)


def degree_level(text: str) -> str:
    folded = text.casefold()
    return next((name for name, pattern in DEGREE_LEVELS if pattern.search(folded)), "")
