"""What else a short cover letter may tell, every fact as the profile states it.

A letter under its target length after the achievements of the job's field reaches,
in this order, for more of the candidate's own material (``letter.write_letter``):

* the candidate's own summary: its first-person sentences, and its headline ("Data
  analyst who spent seven years teaching...") told as "I am a data analyst who...";
* the education entry nearest the job (degree, field, institution);
* the certifications and licences the posting asks for;
* the setting of a role the letter tells ("24-bed medical-surgical ICU.");
* the projects that share something with the job, name and description.

Each item has several phrasings whose opening words differ, so the letter can keep
its rule that no two sentences open alike. None of them adds a claim of its own:
"I hold" is said of a degree or a certificate the profile lists, never of more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobwise.domain.profile_summary import role_months, union_months
from jobwise.domain.writing.claims import ROLE_NOUNS
from jobwise.domain.writing.credentials import credential_named, credentials_in
from jobwise.domain.writing.markdown import one_line
from jobwise.domain.writing.models import (
    CompiledEducation,
    CompiledProfile,
    JobAnalysis,
    RankedExperience,
    RankedProject,
)
from jobwise.domain.writing.phrasing import (
    BASE_VERBS,
    TIE_MIN_WORDS,
    achievement_clause,
    and_list,
    is_own_words,
)
from jobwise.domain.writing.sentences import split_sentences
from jobwise.domain.writing.terms import word_stems

OWN_SENTENCES = 2
"""First-person sentences of the candidate's summary a letter may tell."""
HEADLINE_MIN_WORDS = 4
"""A shorter headline ("Registered nurse.") says no more than the opening does."""
SETTING_MAX_WORDS = 20
"""A longer description is prose about the company, not the setting of the role."""
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|my|me|we|our|us)\b")
_FIRST_PERSON_START = re.compile(r"I(?:'m|’m|'ve|’ve)?\b")
_CLICHES = re.compile(
    r"\b(?:visionary|proven|results[- ]driven|passionate|dynamic|synerg\w*|go-getter|"
    r"self-starter|detail-oriented|team player|think outside|best[- ]in[- ]class|"
    r"track record|hard[- ]working|motivated)\b",
    re.I,
)
"""Words a recruiter skims past; a summary sentence holding one is not told."""

HEADLINE = ("I am {thing}.", "In short, I am {thing}.", "Put simply, I am {thing}.")
DEGREE = (
    "I hold {article} {degree} from {institution}.",
    "My degree is {article} {degree} from {institution}.",
    "In education, I hold {article} {degree} from {institution}.",
)
STUDIED = ("I studied {field} at {institution}.", "My studies were in {field} at {institution}.")
CREDENTIALS = (
    "I hold the {names} your posting asks for.",
    "Your posting asks for {names}, and I hold {them}.",
    "Among my credentials: {names}, as your posting asks.",
)
SETTING = (
    "The setting at {company}: {text}.",
    "My role at {company} was in this setting: {text}.",
    "For context, my work at {company}: {text}.",
)
PROJECT_OWN = (
    "On my project {name}, {clause}.",
    "In another project of mine, {name}, {clause}.",
    "For the project {name}, {clause}.",
)
PROJECT_PLAIN = (
    "One project of mine is {name}: {text}.",
    "Another project of mine is {name}: {text}.",
    "My project {name}: {text}.",
)


def letter_extras(compiled: CompiledProfile, analysis: JobAnalysis) -> list[Extra]:
    """The further material a short letter may tell, most telling first. A sentence that
    names a title the candidate never held ("Rogue Landlord and Agent Checker", a
    project) is left out: a recruiter, and the guard, read it as that title claimed."""
    extras = [
        *summary_extras(compiled),
        *setting_extras(compiled.experiences),
        *education_extras(compiled, analysis),
        *credential_extras(compiled, analysis),
        *project_extras(compiled.projects),
    ]
    return [e for e in extras if e.options and not _names_unheld_title(e.options[0], compiled)]


@dataclass(frozen=True)
class Extra:
    """One sentence a letter may add, in the phrasings it can take (first free wins)."""

    options: tuple[str, ...]
    paragraph: str
    """Where it goes: "opening", "closing" (before the close) or "middle"."""
    role: RankedExperience | None = None
    """For a setting: the role it describes (told beside that role's achievement)."""


def summary_extras(compiled: CompiledProfile) -> list[Extra]:
    """The candidate's own summary: its headline, then its first-person sentences; a
    sentence is left out when the dates cannot back it (``_backed``)."""
    sentences = [
        s for s in split_sentences(one_line(compiled.own_summary or "")) if _backed(s, compiled)
    ]
    found: list[Extra] = []
    if sentences and (thing := _headline(sentences[0])):
        found.append(Extra(tuple(o.format(thing=thing) for o in HEADLINE), "opening"))
    own = [s for s in sentences if _FIRST_PERSON_START.match(s) and _tellable(s)]
    for sentence in own[:OWN_SENTENCES]:
        found.append(Extra((sentence if sentence[-1] in ".!?" else f"{sentence}.",), "opening"))
    return found


def _backed(sentence: str, compiled: CompiledProfile) -> bool:
    """Whether a summary sentence claims nothing the dates and degrees do not show: no
    more years than all the roles span ("6 years of experience" over 4 years of dates),
    no degree ("while finishing a master's degree": one the profile does not list)."""
    if _DEGREE.search(sentence):
        return False
    spans = (
        role_months(r.start_date, r.end_date, today=compiled.as_of) for r in compiled.experiences
    )
    total = union_months(spans)
    for match in _YEARS.finditer(sentence):
        count = match.group(1).lower()
        years = int(count) if count.isdigit() else _NUMBER_WORDS.get(count, 0)
        if years * 12 > total:  # "my first year" counts nothing
            return False
    return True


_NUMBER_WORDS = {
    word: value
    for value, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
} | {"thirty": 30, "forty": 40, "a": 1, "an": 1}
_DEGREE = re.compile(
    r"\b(?:degree|bachelor|master|diploma|doctorate|ph\.?d|mba|msc|bsc)(?:['’]?s)?\b", re.I
)
"""A degree named in a summary sentence: ``credentials.degree_levels`` reads "med-surg"
as an M.Ed, so the plain words are looked for here."""
_YEARS = re.compile(r"\b(\d+|[a-z]+)\+?\s+(?:full\s+)?years?\b", re.I)


def _tellable(sentence: str) -> bool:
    return len(sentence.split()) > TIE_MIN_WORDS and not _CLICHES.search(sentence)


def _headline(sentence: str) -> str | None:
    """ "Data analyst who spent seven years ..." -> "a data analyst who spent seven
    years ...": a summary's first sentence that names what the candidate is, as a noun
    phrase (no verb first, no first person but a trailing "my"), its words unchanged but
    the first letter of a common word. None when it is not such a phrase."""
    text = sentence.rstrip(" .!")
    first, _, rest = text.partition(" ")
    if len(text.split()) < HEADLINE_MIN_WORDS or _CLICHES.search(text) or is_own_words(text):
        return None
    if '"' in text:
        return None
    if _FIRST_PERSON_START.match(text) or first.lower() in _NOT_A_NOUN or first[:1].islower():
        return None
    second = rest.split(" ", 1)[0]
    # "English Language and Literature teacher": a name stays capitalised; "Data analyst"
    # is a common noun and reads "a data analyst".
    common = first[1:].islower() and not second[:1].isupper()
    phrase = (first.lower() if common else first) + " " + rest
    article = "an" if phrase[:1].lower() in "aeiou" else "a"
    return f"{article} {phrase}"


_NOT_A_NOUN = frozenset(
    {"calm", "strict", "able", "experienced", "skilled", "known", "focused", "seeking", "six",
     "seven", "eight", "nine", "ten", "five", "four", "three", "two", "one", "over", "with",
     "for", "after", "since", "currently", "now", "recently", "the", "a", "an", "this"}
)  # fmt: skip
"""First words of a summary sentence that is not a noun phrase naming the candidate."""


def education_extras(compiled: CompiledProfile, analysis: JobAnalysis) -> list[Extra]:
    """The degree nearest the job: the one sharing most words with the posting."""
    if not compiled.education:
        return []
    asked = set(word_stems(" ".join([analysis.title, *analysis.requirements])))
    school = max(
        compiled.education,
        key=lambda e: len(asked & set(word_stems(f"{e.degree} {e.field_of_study or ''}"))),
    )
    return [Extra(_degree_options(school), "closing")]


def _degree_options(school: CompiledEducation) -> tuple[str, ...]:
    degree = one_line(school.degree)
    field_of_study = one_line(school.field_of_study or "")
    institution = one_line(school.institution)
    if not degree or "incomplete" in f"{degree} {field_of_study}".lower():
        if not field_of_study:
            return ()
        return tuple(o.format(field=field_of_study, institution=institution) for o in STUDIED)
    named = degree
    if field_of_study and field_of_study.lower() not in degree.lower():
        named = f"{degree} in {field_of_study}"
    article = "an" if named[:1].lower() in "aeiou" else "a"
    values = {"article": article, "degree": named, "institution": institution}
    return tuple(o.format(**values) for o in DEGREE)


def credential_extras(compiled: CompiledProfile, analysis: JobAnalysis) -> list[Extra]:
    """The certifications and licences the posting asks for, named as the profile does."""
    wanted = [
        q for q in [*analysis.must_haves, *analysis.nice_to_haves]
        if q.kind in ("licence", "certification")
    ]  # fmt: skip
    known = {credential_named(q.text) for q in wanted} - {None}
    asked_words = [set(word_stems(q.text)) for q in wanted]
    held = [
        name
        for name in compiled.certifications
        if (
            known & set(credentials_in(name))
            or any(words and words <= set(word_stems(name)) for words in asked_words)
        )
        and not _names_unheld_title(name, compiled)
    ]
    if not held:
        return []
    names = and_list([one_line(name) for name in held])
    them = "it" if len(held) == 1 else "each of them"
    return [Extra(tuple(o.format(names=names, them=them) for o in CREDENTIALS), "closing")]


def _names_unheld_title(name: str, compiled: CompiledProfile) -> bool:
    """ "Registered Nurse (RN), ... Board of Nursing": a licence named by a title reads,
    to a recruiter and to the guard, as that title held; it is told only by a candidate
    who held such a title (an ICU charge nurse's RN licence stays on the resume)."""
    for run in re.findall(r"[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*", name):
        words = run.split()
        nouns = [i for i, w in enumerate(words) if w.casefold().removesuffix("s") in ROLE_NOUNS]
        if not nouns:
            continue
        title = " ".join(words[: nouns[-1] + 1]).casefold()  # "Agent" of "Agent Checker"
        if not any(title in r.title.casefold() for r in compiled.experiences):
            return True
    return False


def setting_extras(roles: list[RankedExperience]) -> list[Extra]:
    """The setting of each role the letter tells, when its description gives one as a
    short phrase ("Payments and booking APIs."); a description in sentences of the
    candidate's work is told as achievements already (``phrasing.told``)."""
    found = []
    for role in roles:
        text = one_line(role.description or "").rstrip(" .")
        if not text or len(split_sentences(text)) > 1 or len(text.split()) > SETTING_MAX_WORDS:
            continue
        first = text.split(" ", 1)[0]
        verb = first.lower().rstrip("s") in BASE_VERBS or is_own_words(text)
        about_company = first.casefold() == role.company.split(" ")[0].casefold()
        if verb or about_company or _FIRST_PERSON.search(text) or '"' in text:
            continue
        values = {"company": one_line(role.company), "text": text}
        found.append(Extra(tuple(o.format(**values) for o in SETTING), "middle", role))
    return found


def project_extras(projects: list[RankedProject]) -> list[Extra]:
    """Each project that shares something with the job: its name and description."""
    found = []
    for project in projects:
        text = one_line(project.description or "").rstrip(" .")
        if len(text.split()) < TIE_MIN_WORDS or '"' in text or len(split_sentences(text)) > 1:
            continue
        name = one_line(project.name)
        if is_own_words(text):
            clause = achievement_clause(text)
            options = tuple(o.format(name=name, clause=clause) for o in PROJECT_OWN)
        else:
            options = tuple(o.format(name=name, text=text) for o in PROJECT_PLAIN)
        found.append(Extra(options, "middle"))
    return found
