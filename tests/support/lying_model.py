"""A language model that lies, one kind of lie at a time, for testing the fabrication guard.

``truthful_resume`` / ``truthful_letter`` answer the generator's prompt the way an honest
model would, from the prompt's CANDIDATE JSON only. Each ``Lie`` in ``LIES`` then puts one
kind of fabrication into such an answer (an invented employer, an upgraded title, a
borrowed number, a degree never earned...), adapted to the candidate: it uses their real
employers, titles, skills and numbers, and has nursing and teaching variants where a
software lie would not fit. Applying a lie says what it told (``Told``): the marker (the
exact text of the lie as the rendered document shows it, which must not survive the
guard), the whole sentence, bullet or heading it sits in, and the true line it replaced
when it edited one instead of adding one.

``LyingModel`` is a ``FakeOpenAI`` responder: it reads the prompt, answers the schema the
request asks for ("resume" or "cover_letter") truthfully plus the lie it was made with,
and records what it told. ``LyingModel.inventive(seed)`` tells 5 random lies at once.
"""

from __future__ import annotations

import copy
import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from jobwise.domain.writing.sentences import split_sentences
from tests.support.resume_answers import month, prompt_part

Answer = dict[str, Any]
Candidate = dict[str, Any]
Job = dict[str, Any]
Field = Literal["software", "nursing", "teaching"]
LieKinds = Literal["resume", "cover_letter", "both"]

TODAY = date(2026, 11, 30)
"""The day the tests' profiles are summarised on (``material.TODAY``): tenures end here."""
INVENTIVE_LIES = 5
_WORDS = {
    2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight",
    9: "nine", 10: "ten", 11: "eleven", 12: "twelve",
}  # fmt: skip
_VERB_START = re.compile(
    r"^(?:[A-Z][a-z]+ed|Built|Wrote|Led|Ran|Made|Won|Grew|Cut|Set|Took|Drove|Taught|Oversaw"
    r"|Rebuilt|Rewrote|Brought|Began|Kept|Held|Sold)\b"
)
"""An achievement that opens with a verb in the past reads as a sentence: "I built ..." """
_LEADING = re.compile(
    r"\b(?:led|lead|managed|directed|oversaw|headed|supervised|spearheaded)\b", re.IGNORECASE
)
_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w.]*\d)")
_UNIT = re.compile(r"^\s*(%|ms\b|s\b|seconds?\b|minutes?\b|hours?\b|days?\b|x\b|k\b|million\b)")
_NOUN = re.compile(r"^\+?\s*((?:[a-z]+ )?[a-z]{2,}s)\b")
"""A counted thing after a number: "visitors", "team members" (plural, so "Dota 2 custom
game" is no metric)."""
_UNITS = r"(%|ms|s|seconds|minutes|hours|days)?"
_TO = re.compile(rf"\b(\d[\d,.]*)\s*{_UNITS}\s+to\s+(\d[\d,.]*)\s*{_UNITS}")
"""A change "from 820 ms to 6 ms": group 3 and 4 are the end value and its unit."""
_SWAPS = {
    "%": "x", "ms": "s", "s": "ms", "second": "minute", "seconds": "minutes",
    "minute": "hour", "minutes": "hours", "hour": "second", "hours": "seconds",
    "day": "hour", "days": "hours", "x": "%", "k": " million", "million": " billion",
    "visitors": "paying customers", "users": "paying customers",
    "players": "paying subscribers", "patients": "beds", "students": "schools",
}  # fmt: skip


class NoRoomForLie(AssertionError):
    """The answer has nothing left this lie could be told in."""


# -- what a lie told ----------------------------------------------------------------------


@dataclass(frozen=True)
class Told:
    """One lie as it reads in the answer."""

    lie: str
    marker: str
    """The exact text of the lie in the rendered document; gone once the guard is done."""
    sentence: str
    """The whole sentence, bullet, heading or line the lie sits in."""
    replaced: str | None = None
    """The true line the lie edited; None when it added a new one."""

    @property
    def edits(self) -> bool:
        return self.replaced is not None


@dataclass(frozen=True)
class TrueLine:
    """A line of the truthful answer, and the profile text it restates (if one)."""

    text: str
    source: str | None = None


@dataclass(frozen=True)
class Lie:
    """One kind of lie: ``apply`` puts it into an answer (in place) and says what it told."""

    name: str
    kinds: LieKinds
    tell: Callable[[Answer, Candidate, Job], Told] = field(repr=False)

    def fits(self, kind: str) -> bool:
        return self.kinds == "both" or self.kinds == kind

    def apply(self, answer: Answer, candidate: Candidate, job: Job) -> Told:
        """Mutates ``answer``; ``Told.marker`` is the lie's exact text in the document."""
        return self.tell(answer, candidate, job)


# -- the truthful answers -----------------------------------------------------------------


def truthful_resume(candidate: Candidate, job: Job) -> Answer:
    """The resume an honest model writes: the candidate's own words, nothing added."""
    skills = list(candidate["skills"])
    summary = candidate.get("own_summary") or (
        f"{candidate['current_title']} with experience in {_and(skills[:3])}."
    )
    return {
        "summary": summary,
        "experiences": [
            {
                "title": role["title"],
                "company": role["company"],
                "location": role.get("location"),
                "dates": _dates(role),
                "bullets": list(role["achievements"]),
            }
            for role in candidate["experiences"]
        ],
        "skills": skills,
        "education": [
            {
                "degree": _degree(school),
                "institution": school["institution"],
                "dates": _years(school),
            }
            for school in candidate["education"]
        ],
        "certifications": list(candidate["certifications"]),
    }


def truthful_letter(candidate: Candidate, job: Job) -> Answer:
    """The letter an honest model writes: an opening, real achievements, a plain closing."""
    at = f" at {job['company']}" if job.get("company") else ""
    told = [_achievement_sentence(role, text) for role, text in _sentence_achievements(candidate)]
    if not told:
        role = candidate["experiences"][0]
        told = [f"At {role['company']}, I worked as {role['title']}."]
    half = (len(told) + 1) // 2
    skills = f"My skills include {_and(list(candidate['skills'])[:3])}."
    return {
        "salutation": "Dear Hiring Manager,",
        "paragraphs": [
            f"I am writing to apply for the {job['title']} role{at}.",
            " ".join(told[:half]),
            " ".join([*told[half:], skills]),
            "Thank you for considering my application. I would welcome the chance to talk.",
        ],
        "closing": "Sincerely,",
    }


def true_lines(answer: Answer, candidate: Candidate) -> list[TrueLine]:
    """Every line of a truthful answer the guard must leave standing, with its source."""
    achievements = {
        _fold(a).rstrip("."): a for r in candidate["experiences"] for a in r["achievements"]
    }
    if "paragraphs" in answer:
        lines = []
        for paragraph in answer["paragraphs"]:
            for sentence in split_sentences(paragraph):
                source = next(
                    (a for k, a in achievements.items() if k and k in _fold(sentence)), None
                )
                lines.append(TrueLine(sentence, source))
        return lines
    found = [TrueLine(s) for s in split_sentences(answer["summary"])]
    for role in answer["experiences"]:
        found.append(TrueLine(f"{role['title']}, {role['company']}"))
        found.extend(TrueLine(b, b) for b in role["bullets"])
    found.extend(TrueLine(s) for s in answer["skills"])
    found.extend(TrueLine(f"{e['degree']}, {e['institution']}") for e in answer["education"])
    found.extend(TrueLine(c) for c in answer["certifications"])
    return found


def abbreviate_senior(answer: Answer) -> Answer:
    """The truthful answer with "Senior" written "Sr." in entry headings: no lie."""
    for role in answer.get("experiences", []):
        role["title"] = re.sub(r"\bSenior\b", "Sr.", role["title"])
    return answer


# -- the model ------------------------------------------------------------------------------


class LyingModel:
    """A ``FakeOpenAI`` responder: the truthful answer plus ``lie`` (None: no lie at all)."""

    def __init__(
        self,
        lie: str | None = None,
        *,
        lies: int = 0,
        seed: int = 0,
        tweak: Callable[[Answer], Answer] | None = None,
    ) -> None:
        self.lie = BY_NAME[lie] if lie else None
        self.random_lies = lies
        self.rng = random.Random(seed)
        self.tweak = tweak
        self.told: list[Told] = []
        """Every lie told, oldest first (over all requests)."""
        self.truths: list[TrueLine] = []
        """The truthful answer's lines, of the latest request."""
        self.truthful: Answer = {}
        self.answers: list[Answer] = []

    @classmethod
    def inventive(cls, seed: int = 0) -> LyingModel:
        """Tells ``INVENTIVE_LIES`` random lies per answer (the same ones for one seed)."""
        return cls(lies=INVENTIVE_LIES, seed=seed)

    @property
    def last(self) -> Told | None:
        return self.told[-1] if self.told else None

    @property
    def marker(self) -> str | None:
        return self.last.marker if self.last else None

    @property
    def sentence(self) -> str | None:
        return self.last.sentence if self.last else None

    def __call__(self, request: dict[str, Any]) -> Answer:
        kind = ((request.get("response_format") or {}).get("json_schema") or {}).get("name")
        if kind not in ("resume", "cover_letter"):
            return {}
        candidate, job = prompt_part(request, "CANDIDATE"), prompt_part(request, "JOB")
        writer = truthful_resume if kind == "resume" else truthful_letter
        self.truthful = writer(candidate, job)
        if self.tweak is not None:
            self.truthful = self.tweak(self.truthful)
        self.truths = true_lines(self.truthful, candidate)
        answer = copy.deepcopy(self.truthful)
        for lie in self._chosen(kind):
            try:
                self.told.append(lie.apply(answer, candidate, job))
            except NoRoomForLie:
                continue  # a random pick this answer has no room for (no bullet left)
        self.answers.append(answer)
        return answer

    def _chosen(self, kind: str) -> list[Lie]:
        if self.lie is not None:
            return [self.lie]
        fitting = [lie for lie in LIES if lie.fits(kind)]
        return self.rng.sample(fitting, min(self.random_lies, len(fitting)))


# -- small helpers ----------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _dates(role: dict[str, Any]) -> str:
    return f"{month(role['start_date'])} – {month(role['end_date'], role['is_current'])}"


def _years(school: dict[str, Any]) -> str:
    start, end = school.get("start_date"), school.get("end_date")
    if not start:
        return ""
    return f"{start[:4]} – {end[:4] if end else 'Present'}"


def _degree(school: dict[str, Any]) -> str:
    studied = school.get("field_of_study")
    return f"{school['degree']} in {studied}" if studied else str(school["degree"])


def _lower_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():
        return text  # an acronym: "AWS ..."
    return text[:1].lower() + text[1:]


def _stop(text: str) -> str:
    return text.rstrip().rstrip(".") + "."


def _first_person(achievement: str) -> str:
    """ "Built X" -> "I built X"; a sentence with its own subject stays as it is."""
    text = achievement.rstrip().rstrip(".")
    return f"I {_lower_first(text)}" if _VERB_START.match(text) else _lower_first(text)


def _achievement_sentence(role: dict[str, Any], achievement: str) -> str:
    return f"At {role['company']}, where I worked as {role['title']}, {_first_person(achievement)}."


def _sentence_achievements(candidate: Candidate) -> list[tuple[dict[str, Any], str]]:
    """(role, achievement) pairs that read as sentences ("Built X", not "React"), one a role."""
    pairs = []
    for role in candidate["experiences"]:
        fitting = [a for a in role["achievements"] if _VERB_START.match(a) and len(a.split()) >= 4]
        if fitting:
            pairs.append((role, fitting[0]))
    return pairs[:4]


def field_of(candidate: Candidate) -> Field:
    """Which variants of a lie fit this candidate's work."""
    titles = " ".join(
        [candidate.get("current_title") or "", *(r["title"] for r in candidate["experiences"])]
    )
    said = _fold(" ".join([titles, *candidate["skills"]]))
    if re.search(r"\b(?:nurse|nursing|rn|bsn|clinical|patient care)\b", said):
        return "nursing"
    if re.search(r"\b(?:teacher|teaching|classroom|curriculum|tutor|lecturer)\b", said):
        return "teaching"
    return "software"


def _is_letter(answer: Answer) -> bool:
    return "paragraphs" in answer


def _add_prose(answer: Answer, sentence: str, where: int = 1) -> None:
    """A sentence into the resume's summary, or into a letter paragraph (0 opening, -1 end)."""
    if _is_letter(answer):
        paragraphs = answer["paragraphs"]
        paragraphs[where] = f"{paragraphs[where]} {sentence}".strip()
    else:
        answer["summary"] = f"{answer['summary']} {sentence}".strip()


def _prose(answer: Answer, marker: str, sentence: str, name: str, where: int = 1) -> Told:
    _add_prose(answer, sentence, where)
    return Told(name, marker, sentence)


def _add_bullet(answer: Answer, bullet: str, role: int = 0) -> None:
    roles = answer["experiences"]
    roles[min(role, len(roles) - 1)]["bullets"].append(bullet)


def _claim(
    answer: Answer, name: str, marker: str, bullet: str, sentence: str, where: int = 1
) -> Told:
    """A new resume bullet, or a new letter sentence: the same lie in either document."""
    if _is_letter(answer):
        return _prose(answer, marker, sentence, name, where)
    _add_bullet(answer, bullet)
    return Told(name, marker, bullet)


def _untouched(answer: Answer, candidate: Candidate) -> list[tuple[dict[str, Any], int]]:
    """(answer role, bullet index) of bullets still as the profile has them."""
    achievements = {a for r in candidate["experiences"] for a in r["achievements"]}
    return [
        (role, index)
        for role in answer.get("experiences", [])
        for index, bullet in enumerate(role["bullets"])
        if bullet in achievements
    ]


def _sentence_like(text: str) -> bool:
    return bool(_VERB_START.match(text)) and len(text.split()) >= 4


def _pick_bullet(
    answer: Answer, candidate: Candidate, want: Callable[[str], bool] = _sentence_like
) -> tuple[dict[str, Any], int]:
    spots = _untouched(answer, candidate)
    fitting = [s for s in spots if want(s[0]["bullets"][s[1]])]
    if not fitting:
        fitting = [s for s in spots if len(s[0]["bullets"][s[1]].split()) >= 4] or spots
    if not fitting:
        raise NoRoomForLie("no true bullet left to edit")
    return fitting[0]


def _edit(
    answer: Answer,
    candidate: Candidate,
    name: str,
    change: Callable[[str], tuple[str, str]],
    want: Callable[[str], bool] = _sentence_like,
    where: int = 1,
) -> Told:
    """Edit a true achievement: in place on a resume bullet, as a new letter sentence.

    ``change(achievement)`` gives the edited text and the marker."""
    if _is_letter(answer):
        role, text = _letter_source(candidate, want)
        edited, marker = change(text)
        sentence = f"At {role['company']}, {_first_person(edited)}."
        return _prose(answer, marker, sentence, name, where)
    role, index = _pick_bullet(answer, candidate, want)
    original = role["bullets"][index]
    edited, marker = change(original)
    role["bullets"][index] = edited
    return Told(name, marker, edited, replaced=original)


def _letter_source(candidate: Candidate, want: Callable[[str], bool]) -> tuple[dict[str, Any], str]:
    pairs = [(r, a) for r in candidate["experiences"] for a in r["achievements"]]
    fitting = [p for p in pairs if want(p[1])] or [p for p in pairs if _sentence_like(p[1])]
    if not fitting:
        fitting = pairs
    if not fitting:
        role = candidate["experiences"][0]
        return role, f"Worked as {role['title']}"
    return fitting[0]


def _with_clause(clause: str) -> Callable[[str], tuple[str, str]]:
    """An edit that adds ``, <clause>`` to an achievement; the clause is the marker."""

    def change(text: str) -> tuple[str, str]:
        return f"{text.rstrip().rstrip('.')}, {clause}.", clause

    return change


def _tenure_years(role: dict[str, Any]) -> float:
    start = date.fromisoformat(role["start_date"])
    end = (
        TODAY
        if role["is_current"] or not role["end_date"]
        else date.fromisoformat(role["end_date"])
    )
    return (end - start).days / 365.25


def _tenure_at(candidate: Candidate, company: str) -> float:
    """Years at one employer, every role there counted (a lie must exceed them all)."""
    return sum(_tenure_years(r) for r in candidate["experiences"] if r["company"] == company)


def _career_years(candidate: Candidate) -> float:
    """An upper bound of the whole career: every role's tenure added up."""
    return sum(_tenure_years(r) for r in candidate["experiences"])


def _unused_number(candidate: Candidate, wanted: int) -> int:
    """``wanted``, or the next number the candidate's text never states."""
    text = " ".join(a for r in candidate["experiences"] for a in r.get("achievements", []))
    text += " " + " ".join(r.get("description") or "" for r in candidate["experiences"])
    while re.search(rf"(?<![\d.,]){wanted}(?![\d.,]\d)", text):
        wanted += 3
    return wanted


def _short_roles(candidate: Candidate) -> list[dict[str, Any]]:
    """Real roles, shortest tenure first: the ones a lie about years says most about."""
    return sorted(candidate["experiences"], key=_tenure_years)


def _upgrade(title: str, kind: Field) -> str:
    """A bigger title than ``title``: Senior -> Principal, Nurse -> Nurse Manager."""
    if kind == "nursing":
        return "Director of Nursing" if "Manager" in title else "Nurse Manager"
    if kind == "teaching":
        return "Head Teacher" if "Teacher" in title and "Head" not in title else "Principal"
    bare = re.sub(r"^(?:Senior|Sr\.|Lead|Junior|Jr\.|Staff|Principal)\s+", "", title)
    if bare == title and re.search(r"\bEngineer\b", title):
        return re.sub(r"\bEngineer\b", "Staff Engineer", title)
    return f"Principal {bare}"


def _article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _missing_skills(candidate: Candidate, job: Job) -> list[str]:
    """Skills the candidate does not have: the posting's first, as a tempted model would."""
    known = _fold(str(candidate))
    pool = [
        *job.get("required_skills", []),
        *job.get("preferred_skills", []),
        "Kubernetes", "Scala", "GraphQL", "Kafka", "Elixir", "Snowflake", "Tableau",
    ]  # fmt: skip
    return [s for s in dict.fromkeys(pool) if len(s) >= 4 and _fold(s) not in known]


def _skill(candidate: Candidate, nth: int = 0) -> str:
    """A short, plain skill of the candidate's ("React", not "Redux / Apollo")."""
    named = [str(s) for s in candidate["skills"]]
    pool = [s for s in named if 3 <= len(s) <= 20 and "/" not in s] or named or ["software"]
    return pool[nth % len(pool)]


def _target(job: Job) -> str:
    return str(job.get("company") or "Northwind Traders")


def _school(candidate: Candidate) -> dict[str, Any] | None:
    return candidate["education"][0] if candidate["education"] else None


# -- words that differ by field of work -------------------------------------------------------

_VARIANTS: dict[Field, dict[str, str]] = {
    "software": {
        "staff_title": "Staff Engineer", "team": "platform", "people": "engineers",
        "licence": "Texas Professional Engineer license", "abbreviation": "MSCS-prepared",
        "noun": "engineer", "degree": "Master of Science in Computer Science",
        "institution": "Stanford University",
        "certificate": "AWS Certified Developer – Professional",
        "certified": "Certified Kubernetes Administrator (CKA)",
        "users": "serving 10 million users", "clients": "for clients such as Google and Netflix",
        "journal": "published in Nature", "volunteer_title": "Volunteer Mentor",
        "volunteer_org": "Code.org", "volunteer_work": "Mentored students learning to code.",
        "talk": "KubeCon Europe", "scope": "on call for 200 production services",
        "project": "Ledgerline, an open-source {skill} library used by 300 companies",
        "field": "software engineering", "studied": "studied at MIT",
    },
    "nursing": {
        "staff_title": "Charge Nurse", "team": "ICU", "people": "nurses",
        "licence": "Texas RN license", "abbreviation": "MSN-prepared", "noun": "nurse",
        "degree": "Master of Science in Nursing", "institution": "St. Luke's College",
        "certificate": "PALS Provider", "certified": "ACLS-certified critical care nurse (CCRN)",
        "users": "caring for 10,000 patients a year",
        "clients": "for partner hospitals such as Mayo Clinic and Cleveland Clinic",
        "journal": "published in the American Journal of Nursing",
        "volunteer_title": "Volunteer Nurse", "volunteer_org": "the American Red Cross",
        "volunteer_work": "Staffed blood drives and disaster shelters.",
        "talk": "the ANA Annual Conference", "scope": "responsible for 40 beds",
        "project": "Carepath, a {skill} training programme adopted by 12 hospitals",
        "field": "nursing", "studied": "studied at Johns Hopkins School of Nursing",
    },
    "teaching": {
        "staff_title": "Head of Department", "team": "curriculum", "people": "teachers",
        "licence": "Texas teaching certificate", "abbreviation": "MEd-prepared",
        "noun": "teacher", "degree": "Master of Education",
        "institution": "Bank Street College of Education", "certificate": "PMP",
        "certified": "Google Certified Educator",
        "users": "reaching 10,000 students a year",
        "clients": "for partner schools such as Eton College and Phillips Academy",
        "journal": "published in the Harvard Educational Review",
        "volunteer_title": "Volunteer Tutor", "volunteer_org": "Big Brothers Big Sisters",
        "volunteer_work": "Tutored pupils in reading every week.",
        "talk": "ISTE Live", "scope": "teaching 300 students a term",
        "project": "Brightpath, a {skill} course adopted by 12 school districts",
        "field": "teaching", "studied": "studied at Columbia University",
    },
}  # fmt: skip


def _say(candidate: Candidate, key: str) -> str:
    return _VARIANTS[field_of(candidate)][key]


# -- numbers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Number:
    text: str
    """As written: "200,000"."""
    unit: str
    """What follows it: "%", "ms", "visitors", ""."""
    start: int
    end: int

    @property
    def value(self) -> float:
        return float(self.text.replace(",", ""))

    @property
    def phrase(self) -> str:
        gap = "" if self.unit in ("%", "x", "k") else " "
        return f"{self.text}{gap}{self.unit}".strip()


def _numbers(text: str) -> list[_Number]:
    found = []
    for match in _NUMBER.finditer(text):
        after = text[match.end() :]
        unit = _UNIT.match(after) or _NOUN.match(after)
        if unit is None:
            continue  # a year, a version ("Drupal 7"): not a metric
        word = unit.group(1)
        if word in ("k", "million"):  # "1.2 million players": the players count too
            counted = _NOUN.match(after[unit.end() :])
            word = f"{word} {counted.group(1)}" if counted else word
        found.append(_Number(match.group(1), word, match.start(), match.end()))
    return found


def _written(value: float, like: str) -> str:
    if value == int(value):
        return f"{int(value):,}" if "," in like or value >= 10_000 else str(int(value))
    return f"{value:g}"


def _numbered(candidate: Candidate, job: Job) -> list[tuple[str, _Number, dict[str, Any] | None]]:
    """(text, number, role) for every metric: achievements, then descriptions, then the job."""
    found: list[tuple[str, _Number, dict[str, Any] | None]] = []
    for role in candidate["experiences"]:
        found += [(a, n, role) for a in role["achievements"] for n in _numbers(a)]
    for role in candidate["experiences"]:
        found += [
            (role.get("description") or "", n, None)
            for n in _numbers(role.get("description") or "")
        ]
    for duty in job.get("responsibilities", []):
        found += [(duty, n, None) for n in _numbers(duty)]
    return found


# -- the lies --------------------------------------------------------------------------------------


def invented_employer(answer: Answer, c: Candidate, j: Job) -> Told:
    title, company = _say(c, "staff_title"), "Globex Corporation"
    answer["experiences"].insert(
        1,
        {"title": title, "company": company, "dates": "Jan 2011 – Dec 2012",
         "bullets": [f"Owned the {_say(c, 'team')} roadmap end to end."]},
    )  # fmt: skip
    return Told("invented_employer", company, f"{title}, {company}")


def target_as_employer(answer: Answer, c: Candidate, j: Job) -> Told:
    title = c["experiences"][0]["title"]
    heading = f"{title}, {_target(j)}"
    answer["experiences"].append(
        {"title": title, "company": _target(j), "dates": "Jan 2009 – Dec 2010",
         "bullets": [f"Worked with {_skill(c)} on the {_say(c, 'team')} team."]},
    )  # fmt: skip
    return Told("target_as_employer", heading, heading)


def target_in_prose(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = f"two years on the {_target(j)} {_say(c, 'team')} team"
    return _prose(answer, marker, f"I spent {marker}.", "target_in_prose")


def tenure_in_words(answer: Answer, c: Candidate, j: Job) -> Told:
    role = _short_roles(c)[0]
    years = _WORDS[min(12, max(3, int(_tenure_at(c, role["company"])) + 2))]
    marker = f"During my {years} years at {role['company']}"
    sentence = f"{marker}, I worked as {role['title']}."
    return _prose(answer, marker, sentence, "tenure_in_words", where=2)


def years_at_employer_words(answer: Answer, c: Candidate, j: Job) -> Told:
    roles = _short_roles(c)
    role = roles[1] if len(roles) > 1 else roles[0]
    marker = (
        f"{_WORDS[min(12, int(_tenure_at(c, role['company'])) + 3)]} years at {role['company']}"
    )
    return _prose(answer, marker, f"I spent {marker}.", "years_at_employer_words", where=-1)


def title_upgrade_heading(answer: Answer, c: Candidate, j: Job) -> Told:
    role = answer["experiences"][0]
    original = f"{role['title']}, {role['company']}"
    role["title"] = _upgrade(role["title"], field_of(c))
    heading = f"{role['title']}, {role['company']}"
    return Told("title_upgrade_heading", heading, heading, replaced=original)


def title_upgrade_prose(answer: Answer, c: Candidate, j: Job) -> Told:
    bigger = _upgrade(c["experiences"][0]["title"], field_of(c))
    _, achievement = _letter_source(c, _sentence_like)
    marker = f"As {_article(bigger)} {bigger}"
    sentence = f"{marker}, {_first_person(achievement)}."
    return _prose(answer, marker, sentence, "title_upgrade_prose")


def target_title_claimed(answer: Answer, c: Candidate, j: Job) -> Told:
    wanted = set(_fold(j["title"]).split())
    if any(wanted <= set(_fold(r["title"]).split()) for r in c["experiences"]):
        raise NoRoomForLie("the target title is a shorter form of a title held: no lie")
    if _is_letter(answer):
        role = c["experiences"][0]
        marker = f"As {j['title']} at {role['company']}"
        return _prose(
            answer, marker, f"{marker}, I owned the {_say(c, 'team')} work.", "target_title_claimed"
        )
    role = answer["experiences"][0]
    original = f"{role['title']}, {role['company']}"
    role["title"] = j["title"]
    heading = f"{role['title']}, {role['company']}"
    return Told("target_title_claimed", heading, heading, replaced=original)


def invented_licence(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = f"active {_say(c, 'licence')}"
    subject = "I hold" if _is_letter(answer) else "Holds"
    return _prose(answer, marker, f"{subject} an {marker}.", "invented_licence", where=-1)


def degree_abbreviation(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = f"{_say(c, 'abbreviation')} {_say(c, 'noun')}"
    return _prose(answer, marker, f"I am an {marker}.", "degree_abbreviation", where=0)


def invented_degree_entry(answer: Answer, c: Candidate, j: Job) -> Told:
    degree, school = _say(c, "degree"), _say(c, "institution")
    answer["education"].insert(0, {"degree": degree, "institution": school, "dates": "2010 – 2012"})
    return Told("invented_degree_entry", school, f"{degree}, {school}")


def degree_upgraded(answer: Answer, c: Candidate, j: Job) -> Told:
    school = _school(c)
    if school is None or _is_letter(answer):
        where = f" from {school['institution']}" if school else ""
        marker = f"master's degree{where}"
        return _prose(answer, marker, f"I hold a {marker}.", "degree_upgraded")
    entry = answer["education"][0]
    original = f"{entry['degree']}, {entry['institution']}"
    bigger = (
        "Doctorate" if re.search(r"master|msc|\bma\b|\bms\b", school["degree"], re.I) else "Masters"
    )
    entry["degree"] = _degree({**school, "degree": bigger})
    heading = f"{entry['degree']}, {entry['institution']}"
    return Told("degree_upgraded", entry["degree"], heading, replaced=original)


def degree_field_changed(answer: Answer, c: Candidate, j: Job) -> Told:
    school = _school(c)
    other = "Electrical Engineering" if "computer" in _fold(str(school)) else "Computer Science"
    if school is None or _is_letter(answer):
        where = f" at {school['institution']}" if school else ""
        marker = f"studied {other}{where}"
        return _prose(answer, marker, f"I {marker}.", "degree_field_changed")
    entry = answer["education"][0]
    original = f"{entry['degree']}, {entry['institution']}"
    entry["degree"] = f"{school['degree']} in {other}"
    heading = f"{entry['degree']}, {entry['institution']}"
    return Told("degree_field_changed", entry["degree"], heading, replaced=original)


def invented_institution_prose(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = _say(c, "studied")
    return _prose(answer, marker, f"I {marker}.", "invented_institution_prose", where=-1)


def invented_certification_entry(answer: Answer, c: Candidate, j: Job) -> Told:
    name = _say(c, "certificate")
    if field_of(c) == "software" and "aws" not in _fold(str(c["skills"])):
        name = "PMP"  # an AWS certificate only for someone who lists AWS
    answer["certifications"].append(name)
    return Told("invented_certification_entry", name, name)


def invented_certification_prose(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = _say(c, "certified")
    return _prose(answer, marker, f"I am a {marker}.", "invented_certification_prose", where=2)


def team_size(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = f"a team of {_unused_number(c, 14)} {_say(c, 'people')}"
    role = c["experiences"][0]
    return _claim(
        answer, "team_size", marker, f"Led {marker} on the {_say(c, 'team')} work.",
        f"At {role['company']}, I led {marker}.",
    )  # fmt: skip


def metric_inflated(answer: Answer, c: Candidate, j: Job) -> Told:
    def has_number(text: str) -> bool:
        return bool(_numbers(text))

    def change(text: str) -> tuple[str, str]:
        found = _numbers(text)
        if not found:  # the profile states no metric: this lie invents one
            return _with_clause("cutting release time by 45%")(text)
        number = found[0]
        bigger = _written(number.value * 10, number.text)
        return text[: number.start] + bigger + text[number.end :], bigger

    want = (
        has_number
        if any(_numbers(a) for r in c["experiences"] for a in r["achievements"])
        else _sentence_like
    )
    return _edit(answer, c, "metric_inflated", change, want)


def metric_in_words(answer: Answer, c: Candidate, j: Job) -> Told:
    return _edit(answer, c, "metric_in_words", _with_clause("cutting costs by forty percent"))


def tenfold(answer: Answer, c: Candidate, j: Job) -> Told:
    return _edit(answer, c, "tenfold", _with_clause("growing usage tenfold"), where=2)


def doubled(answer: Answer, c: Candidate, j: Job) -> Told:
    return _edit(answer, c, "doubled", _with_clause("which doubled weekly active users"))


def fraction(answer: Answer, c: Candidate, j: Job) -> Told:
    thing = "patient falls" if field_of(c) == "nursing" else "running costs"
    return _edit(answer, c, "fraction", _with_clause(f"reducing {thing} by a third"), where=2)


def number_borrowed(answer: Answer, c: Candidate, j: Job) -> Told:
    """The end value of one achievement's "X to Y" (or any metric) put into another's."""
    numbered = _numbered(c, j)
    ranged = [(t, n, r) for t, n, r in numbered if _TO.search(t)]
    text, number, source = (ranged or numbered or [("", _Number("820", "ms", 0, 3), None)])[0]
    if ranged:
        found = _TO.search(text)
        assert found is not None
        phrase = f"{found.group(3)} {found.group(4) or ''}".strip()
    else:
        phrase = number.phrase
    clause = f"reaching {phrase}"

    def other(achievement: str) -> bool:
        return _sentence_like(achievement) and (
            source is None or achievement not in source["achievements"]
        )

    return _edit(answer, c, "number_borrowed", _with_clause(clause), other)


def unit_swapped(answer: Answer, c: Candidate, j: Job) -> Told:
    def swappable(text: str) -> bool:
        return any(n.unit in _SWAPS for n in _numbers(text))

    def change(text: str) -> tuple[str, str]:
        number = next((n for n in _numbers(text) if n.unit in _SWAPS), None)
        if number is None:  # no metric with a unit in the profile: invent one
            return _with_clause("in 30 seconds")(text)
        swapped = _SWAPS[number.unit]
        unit_end = text.index(number.unit, number.end) + len(number.unit)
        gap = "" if swapped in ("%", "x") or swapped.startswith(" ") else " "
        new = f"{number.text}{gap}{swapped}"
        return text[: number.start] + new + text[unit_end:], new

    has_unit = any(swappable(a) for r in c["experiences"] for a in r["achievements"])
    return _edit(answer, c, "unit_swapped", change, swappable if has_unit else _sentence_like)


def percent_range(answer: Answer, c: Candidate, j: Job) -> Told:
    return _edit(answer, c, "percent_range", _with_clause("improving conversion by 30–40%"))


def money(answer: Answer, c: Candidate, j: Job) -> Told:
    return _edit(answer, c, "money", _with_clause("managing a $2M budget"), where=2)


def users(answer: Answer, c: Candidate, j: Job) -> Told:
    return _edit(answer, c, "users", _with_clause(_say(c, "users")))


def invented_project(answer: Answer, c: Candidate, j: Job) -> Told:
    project = _say(c, "project").format(skill=_skill(c))
    marker = project.split(",")[0]
    return _claim(answer, "invented_project", marker, f"Built {project}.", f"I built {project}.")


def invented_skill_list(answer: Answer, c: Candidate, j: Job) -> Told:
    skill = _missing_skills(c, j)[0]
    answer["skills"].append(skill)
    return Told("invented_skill_list", skill, skill)


def invented_skill_prose(answer: Answer, c: Candidate, j: Job) -> Told:
    missing = _missing_skills(c, j)
    marker = f"hands-on experience with {missing[1 if len(missing) > 1 else 0]}"
    return _prose(answer, marker, f"I have deep {marker}.", "invented_skill_prose")


def years_inflated(answer: Answer, c: Candidate, j: Job) -> Told:
    years = int(c.get("years_of_experience") or 0) + 12
    marker = f"{years} years of experience"
    sentence = f"I bring {marker} in {_say(c, 'field')}."
    return _prose(answer, marker, sentence, "years_inflated", where=0)


def experience_in_words(answer: Answer, c: Candidate, j: Job) -> Told:
    real = _career_years(c)
    span = "a decade" if real < 10 else "two decades" if real < 20 else "three decades"
    marker = f"{span} of experience in {_say(c, 'field')}"
    return _prose(answer, marker, f"I bring {marker}.", "experience_in_words")


def lead_claim(answer: Answer, c: Candidate, j: Job) -> Told:
    def change(text: str) -> tuple[str, str]:
        if text.startswith("Contributed to"):
            return "Led" + text[len("Contributed to") :], "Led" + text[len("Contributed to") :]
        return f"Led the team that {_lower_first(text)}", "Led the team that"

    def modest(text: str) -> bool:
        return _sentence_like(text) and not _LEADING.search(text)

    def contributed(text: str) -> bool:
        return text.startswith("Contributed to")

    said = [a for r in c["experiences"] for a in r["achievements"]]
    told = _edit(
        answer, c, "lead_claim", change, contributed if any(map(contributed, said)) else modest
    )
    if _is_letter(answer):  # "At X, I led the team that ..." (first person of "Led ...")
        return Told(told.lie, told.marker.replace("Led", "led", 1), told.sentence)
    return told


def dates_shifted(answer: Answer, c: Candidate, j: Job) -> Told:
    role = c["experiences"][0]
    start = date.fromisoformat(role["start_date"])
    earlier = start.replace(year=start.year - 2)
    if _is_letter(answer):
        marker = f"since {earlier.year}"
        return _prose(
            answer, marker, f"I have worked with {role['company']} {marker}.", "dates_shifted"
        )
    entry = answer["experiences"][0]
    original = entry["dates"]
    entry["dates"] = f"{month(earlier.isoformat())} – {month(role['end_date'], role['is_current'])}"
    return Told("dates_shifted", entry["dates"], entry["dates"], replaced=original)


def invented_award(answer: Answer, c: Candidate, j: Job) -> Told:
    company = c["experiences"][0]["company"]
    marker = "Employee of the Year 2022"
    return _claim(
        answer, "invented_award", marker, f"Named {marker} at {company}.",
        f"At {company}, I was named {marker}.", where=2,
    )  # fmt: skip


def invented_language(answer: Answer, c: Candidate, j: Job) -> Told:
    spoken = _fold(str(c.get("languages") or []))
    language = "Portuguese" if "spanish" in spoken else "Spanish"
    marker = f"fluent in {language}"
    return _prose(answer, marker, f"I am {marker}.", "invented_language", where=-1)


def invented_clients(answer: Answer, c: Candidate, j: Job) -> Told:
    return _edit(answer, c, "invented_clients", _with_clause(f"delivered {_say(c, 'clients')}"))


def invented_publication(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = _say(c, "journal")
    return _claim(
        answer, "invented_publication", marker, f"Research on {_skill(c)} {marker}.",
        f"My research on {_skill(c)} was {marker}.",
    )  # fmt: skip


def invented_patent(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = "inventor on a US patent"
    return _claim(
        answer, "invented_patent", marker, f"Named {marker} for {_skill(c)} caching.",
        f"I am the named {marker} for {_skill(c)} caching.", where=2,
    )  # fmt: skip


def invented_clearance(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = "Top Secret (TS/SCI) security clearance"
    subject = "I hold" if _is_letter(answer) else "Holds"
    return _prose(answer, marker, f"{subject} an active {marker}.", "invented_clearance", where=-1)


def invented_honours(answer: Answer, c: Candidate, j: Job) -> Told:
    school = _school(c)
    if school is None or _is_letter(answer):
        where = f" from {school['institution']}" if school else ""
        marker = "graduated summa cum laude"
        return _prose(answer, marker, f"I {marker}{where}.", "invented_honours")
    entry = answer["education"][0]
    original = entry["dates"]
    entry["dates"] = f"{entry['dates']} · Summa cum laude".lstrip(" ·")
    return Told("invented_honours", "Summa cum laude", entry["dates"], replaced=original)


def invented_gpa(answer: Answer, c: Candidate, j: Job) -> Told:
    school = _school(c)
    if school is None or _is_letter(answer):
        marker = "a 3.9 GPA"
        return _prose(answer, marker, f"I graduated with {marker}.", "invented_gpa", where=2)
    entry = answer["education"][0]
    original = entry["dates"]
    entry["dates"] = f"{entry['dates']} · GPA 3.9/4.0".lstrip(" ·")
    return Told("invented_gpa", "GPA 3.9/4.0", entry["dates"], replaced=original)


def invented_promotion(answer: Answer, c: Candidate, j: Job) -> Told:
    company = c["experiences"][0]["company"]
    marker = "promoted twice in 18 months"
    return _claim(
        answer, "invented_promotion", marker, f"Was {marker}.",
        f"At {company}, I was {marker}.",
    )  # fmt: skip


def top_performer(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = "top 1% performer"
    return _claim(
        answer, "top_performer", marker, f"Rated a {marker} company-wide.",
        f"I was rated a {marker} company-wide.", where=0,
    )  # fmt: skip


def invented_volunteer(answer: Answer, c: Candidate, j: Job) -> Told:
    title, org = _say(c, "volunteer_title"), _say(c, "volunteer_org")
    if _is_letter(answer):
        marker = f"{title.lower()} at {org}"
        return _prose(
            answer, marker, f"Outside work, I serve as a {marker}.", "invented_volunteer", -1
        )
    answer["experiences"].append(
        {"title": title, "company": org, "dates": "Jan 2019 – Present",
         "bullets": [_say(c, "volunteer_work")]}
    )  # fmt: skip
    return Told("invented_volunteer", f"{title}, {org}", f"{title}, {org}")


def invented_employer_prose(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = "my work at Initech Systems"
    sentence = f"Before that, {marker} taught me {_skill(c, 1)}."
    return _prose(answer, marker, sentence, "invented_employer_prose", where=2)


def invented_talk(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = f"a talk on {_skill(c)} at {_say(c, 'talk')}"
    return _claim(answer, "invented_talk", marker, f"Gave {marker}.", f"I gave {marker}.")


def invented_scope(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = _say(c, "scope")
    company = c["experiences"][0]["company"]
    return _claim(
        answer,
        "invented_scope",
        marker,
        f"Was {marker}.",
        f"At {company}, I was {marker}.",
        where=2,
    )


def invented_reporting_line(answer: Answer, c: Candidate, j: Job) -> Told:
    marker = "reporting directly to the CEO"
    return _edit(answer, c, "invented_reporting_line", _with_clause(marker))


def invented_employer_bullet(answer: Answer, c: Candidate, j: Job) -> Told:
    """A real role's bullet that claims work done at another, invented, company."""
    marker = "on secondment to Hooli"
    return _edit(answer, c, "invented_employer_bullet", _with_clause(marker), where=2)


_TELLERS: list[tuple[Callable[[Answer, Candidate, Job], Told], LieKinds]] = [
    (invented_employer, "resume"),
    (target_as_employer, "resume"),
    (target_in_prose, "both"),
    (tenure_in_words, "both"),
    (years_at_employer_words, "both"),
    (title_upgrade_heading, "resume"),
    (title_upgrade_prose, "both"),
    (target_title_claimed, "both"),
    (invented_licence, "both"),
    (degree_abbreviation, "both"),
    (invented_degree_entry, "resume"),
    (degree_upgraded, "both"),
    (degree_field_changed, "both"),
    (invented_institution_prose, "both"),
    (invented_certification_entry, "resume"),
    (invented_certification_prose, "both"),
    (team_size, "both"),
    (metric_inflated, "both"),
    (metric_in_words, "both"),
    (tenfold, "both"),
    (doubled, "both"),
    (fraction, "both"),
    (number_borrowed, "both"),
    (unit_swapped, "both"),
    (percent_range, "both"),
    (money, "both"),
    (users, "both"),
    (invented_project, "both"),
    (invented_skill_list, "resume"),
    (invented_skill_prose, "both"),
    (years_inflated, "both"),
    (experience_in_words, "both"),
    (lead_claim, "both"),
    (dates_shifted, "both"),
    (invented_award, "both"),
    (invented_language, "both"),
    (invented_clients, "both"),
    (invented_publication, "both"),
    (invented_patent, "both"),
    (invented_clearance, "both"),
    (invented_honours, "both"),
    (invented_gpa, "both"),
    (invented_promotion, "both"),
    (top_performer, "both"),
    (invented_volunteer, "both"),
    (invented_employer_prose, "both"),
    (invented_talk, "both"),
    (invented_scope, "both"),
    (invented_reporting_line, "both"),
    (invented_employer_bullet, "both"),
]
LIES: tuple[Lie, ...] = tuple(Lie(tell.__name__, kinds, tell) for tell, kinds in _TELLERS)
"""Every kind of lie the model can tell."""
BY_NAME = {lie.name: lie for lie in LIES}
