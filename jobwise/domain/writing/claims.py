"""What a sentence claims about the candidate, beyond its numbers and skills.

The guard (``guard``) reads every line of a draft, headings and prose alike; this
module finds the claims a sentence makes in words and says which the profile does not
back. Each check returns the reasons a sentence cannot stay (empty when it can):

- ``unknown_names``: a name (a capitalised word or an acronym) that neither the profile
  nor the posting contains: an invented employer, school, client, place or credential.
- ``title_claims``: a job title the candidate is said to hold ("As a Principal
  Engineer") that is not one of the profile's titles ("Sr." is "Senior").
- ``degree_claims``: a degree (MSN, "Master of Science in Nursing", "B.S. in ...")
  whose level and field no education entry has.
- ``credential_claims``: a licence or certificate ("Texas RN license", "PALS") that
  the profile's certifications and text do not name.
- ``duration_claims``: years of experience, overall or at one employer, beyond what
  the dates give (counted down, never rounded up).
- ``claim_words``: things a profile would state if they were true (an award, a
  patent, a clearance, a promotion, a publication, fluency) that it does not state.

A sentence about the posting ("Your team needs ...", with no I/my) claims nothing
about the candidate and is not checked here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobwise.domain.writing.facts import (
    DEGREE_LEVELS,
    TITLE_EXPANSIONS,
    ProfileFacts,
    fold_words,
    stem,
)
from jobwise.domain.writing.models import JobAnalysis
from jobwise.domain.writing.terms import STOPWORDS


def frozenset_of(words: str) -> frozenset[str]:
    return frozenset(words.split())


_TOKEN = re.compile(r"(?<![\w.])[^\W\d_][\w'’&.]*")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I’m|I've|I’ve|me|my|mine|myself)\b")
_ABOUT_THEM = re.compile(r"\b(?:you|your|yours)\b", re.IGNORECASE)
ALWAYS_KNOWN = frozenset_of(
    """i dear hiring manager managers team sincerely regards kind best yours faithfully
    truly respectfully thank thanks summary experience skills education certifications
    projects technical soft languages present current january february march april may
    june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec monday tuesday wednesday thursday friday mr mrs ms dr
    """
)
"""Capitalised words any letter or resume may use (salutations, months, headings)."""

ROLE_NOUNS = frozenset_of(
    """engineer developer programmer architect manager director lead head nurse teacher
    analyst scientist designer consultant specialist coordinator officer administrator
    assistant associate intern technician educator instructor professor lecturer tutor
    practitioner therapist pharmacist accountant strategist marketer writer editor
    producer supervisor representative agent planner founder cto ceo cfo coo cio vp
    president executive researcher fellow advisor counselor counsellor paramedic
    physician clerk controller auditor recruiter owner principal chief superintendent
    """
)
"""Last words of a job title: "Principal Engineer", "Nurse", "Marketing Manager"."""
_HOLDING = re.compile(
    r"(?:\b(?:as|am|was|were|been|being|became|become|promoted to|hired as|worked as"
    r"|served as|role as|position as|job as|title of|titled)\s+(?:an?\s+|the\s+|a\s+)?)$",
    re.IGNORECASE,
)
"""What comes before a title held: "As a", "worked as", "promoted to"."""
_FORWARD = re.compile(
    r"\b(?:would|will|ready|to (?:make|join|grow|contribute|serve|work)|apply|applying"
    r"|look forward|hope|eager|excited|your next|as your)\b",
    re.IGNORECASE,
)
"""Words that make a title the one applied to, not one held."""

DEGREES: dict[str, tuple[str, str]] = {
    # acronym (folded, no dots) -> (level, field words it implies)
    "bsn": ("bachelor", "nursing"), "msn": ("master", "nursing"), "dnp": ("doctor", "nursing"),
    "adn": ("associate", "nursing"), "mba": ("master", "business"), "med": ("master",
    "education"), "bed": ("bachelor", "education"), "edd": ("doctor", "education"),
    "bs": ("bachelor", ""), "bsc": ("bachelor", ""), "ba": ("bachelor", ""),
    "beng": ("bachelor", ""), "btech": ("bachelor", ""), "ms": ("master", ""),
    "msc": ("master", ""), "ma": ("master", ""), "meng": ("master", ""),
    "mpa": ("master", "public"), "mph": ("master", "public health"), "phd": ("doctor", ""),
    "dphil": ("doctor", ""), "jd": ("doctor", "law"), "md": ("doctor", "medicine"),
    "aas": ("associate", ""), "aa": ("associate", ""),
}  # fmt: skip
_DEGREE_WORDS = re.compile(
    r"\b(bachelor|master|doctor(?:ate|al)?|associate)(?:['’]s|s)?(?:\s+(?:of|in)\s+"
    r"((?:[A-Z][\w&-]*\s?(?:and\s|&\s|of\s|in\s)?){1,6}))?|\bph\.?\s?d\b|\bdegree\s+in\s+"
    r"((?:[A-Z][\w&-]*\s?(?:and\s|&\s|of\s)?){1,5})",
    re.IGNORECASE,
)
_ACRONYM_DEGREE = re.compile(
    r"(?<![\w.])(B\.?S\.?N|M\.?S\.?N|DNP|ADN|MBA|M\.?Ed|B\.?Ed|Ed\.?D|B\.?Sc?|B\.?A|B\.?Eng"
    r"|B\.?Tech|M\.?Sc?|M\.?A|M\.?Eng|MPA|MPH|Ph\.?D|DPhil|J\.?D|AAS)\.?(?![\w])"
)

CREDENTIALS = frozenset_of(
    """rn lpn lvn np aprn cna bls acls pals nrp tncc ccrn cen cnor ocn pmp capm csm psm
    cspo safe cpa cfa cma cia shrm phr sphr cissp cism cisa ceh oscp cka ckad ckad ccna
    ccnp ccie itil comptia mcse mcsa rhce lcsw lpc bcba cdl emt ceu tesol tefl celta
    qts pgce nbct"""
)
"""Acronyms of licences and certificates: named only when the profile names them."""
_CREDENTIAL_WORD = re.compile(
    r"\b(?:licen[cs]e[ds]?|certified|certification|certificate|credential(?:ed)?|accredited"
    r"|board[- ]certified)\b",
    re.IGNORECASE,
)
_GENERIC_CREDENTIAL_WORDS = frozenset_of(
    """license licence licensed licenses licences certified certification certificate
    certifications certificates credential credentialed accredited board active current
    valid holds hold holder holding state provider an a the and in of with my i as full
    unrestricted compact multistate registration registered"""
)

CLAIM_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("an award", r"\baward(?:s|ed|-winning)?\b|\bemployee of the (?:year|month)\b"),
        ("a patent", r"\bpatent(?:s|ed)?\b"),
        ("a publication", r"\bpublished\b|\bpublications?\b|\bpeer[- ]reviewed\b"),
        ("a security clearance", r"\bclearance\b"),
        ("academic honours", r"\bcum laude\b|\bvaledictorian\b|\bdean['’]s list\b|\bhonou?rs\b"),
        ("a scholarship", r"\bscholarships?\b|\bfellowships?\b"),
        ("a promotion", r"\bpromot(?:ed|ion|ions)\b"),
        ("a ranking", r"\btop \d+\s?%|\btop performer\b|\branked\b|\b#1\b|\bnumber one\b"),
        ("fluency in a language", r"\bfluent\b|\bfluency\b|\bbilingual\b|\bnative speaker\b"),
        ("a talk", r"\bkeynote\b|\bspoke at\b|\bspeaker at\b"),
        ("volunteer work", r"\bvolunteer(?:ed|ing|s)?\b"),
        ("a GPA", r"\bgpa\b|\bgrade point\b"),
    )
)
"""What a profile would say if it were true; said in a draft only where it does."""
CLAIM_STEMS = {
    "an award": ("award",),
    "a patent": ("patent",),
    "a publication": ("publish", "public", "peer"),
    "a security clearance": ("clearanc",),
    "academic honours": ("laud", "valedictorian", "dean", "honor", "honour"),
    "a scholarship": ("scholarship", "fellowship"),
    "a promotion": ("promot",),
    "a ranking": ("top", "rank"),
    "fluency in a language": ("fluent", "fluenci", "bilingu", "nativ"),
    "a talk": ("keynot", "spoke", "speaker", "talk"),
    "volunteer work": ("volunt",),
    "a GPA": ("gpa", "grade"),
}
"""The stems whose presence in the profile backs each claim word."""


@dataclass(frozen=True)
class JobWords:
    """What the posting names: its words may be named back to it, as the job's."""

    words: frozenset[str]
    title: str
    company: str


def job_words(analysis: JobAnalysis) -> JobWords:
    parts = [
        analysis.title, analysis.role, analysis.company or "", analysis.location or "",
        *analysis.requirements, *analysis.nice_to_have, *analysis.responsibilities,
        *analysis.required_skills, *analysis.preferred_skills, *analysis.other_skills,
    ]  # fmt: skip
    return JobWords(
        words=frozenset(fold_words("\n".join(parts))),
        title=analysis.title,
        company=analysis.company or "",
    )


def about_the_job(sentence: str) -> bool:
    """A sentence about the reader or the posting, with nothing about the candidate."""
    return _ABOUT_THEM.search(sentence) is not None and _FIRST_PERSON.search(sentence) is None


def unknown_names(sentence: str, facts: ProfileFacts, job: JobWords) -> list[str]:
    names: list[str] = []
    for index, token in enumerate(_tokens(sentence)):
        for part in re.split(r"[-/]", token):
            part = part.rstrip(".").removesuffix("'s").removesuffix("’s")
            if not part or not part[0].isupper():
                continue
            acronym = len(part) >= 2 and part.replace(".", "").isupper()
            if index == 0 and not acronym:
                continue  # a sentence's first word is capitalised whatever it is
            if not _known_word(part, facts, job):
                names.append(part)
    unknown = list(dict.fromkeys(names))
    return [f"names {', '.join(unknown)}, which the profile does not"] if unknown else []


def _known_word(word: str, facts: ProfileFacts, job: JobWords) -> bool:
    folded = word.casefold().replace(".", "")
    return (
        folded in ALWAYS_KNOWN
        or folded in facts.vocabulary
        or stem(folded) in facts.vocabulary
        or folded in job.words
        or folded in STOPWORDS
        or folded.isdigit()
    )


def _tokens(sentence: str) -> list[str]:
    return _TOKEN.findall(sentence)


# -- titles ------------------------------------------------------------------------------


def title_claims(sentence: str, facts: ProfileFacts, job: JobWords) -> list[str]:
    why: list[str] = []
    for start, title in _titles(sentence):
        if facts.held_title(title):
            continue
        after = sentence[start + len(title) :]
        held = _HOLDING.search(sentence[:start]) is not None or (
            start == 0 and re.match(r"\s*(?:with|who|,|;)", after) is not None
        )
        if held and _named_by_job(title, job) and _FORWARD.search(sentence[:start]):
            continue  # "ready to grow as your next Staff Engineer": the role applied to
        if held or not _named_by_job(title, job):
            why.append(f"the candidate never held the title {title}")
    return why


def _titles(sentence: str) -> list[tuple[int, str]]:
    """(offset, title) of each title-like phrase: capitalised words ending in a role noun,
    or lower-case words after "as a" ending in one."""
    found: list[tuple[int, str]] = []
    words = list(re.finditer(r"[A-Za-z][A-Za-z.&'-]*", sentence))
    run: list[re.Match[str]] = []
    for match in [*words, None]:
        capital = match is not None and (match.group()[0].isupper() or match.group() == "of")
        if capital and match is not None:
            run.append(match)
            if not _ends_run(match.group()):
                continue
            match = None
        while run and run[-1].group() == "of":
            run.pop()
        if run:
            found.extend(_title_in_run(sentence, run))
        run = []
    for match in re.finditer(
        r"\b(?:as|am|was) (?:an? |the )?((?:[a-z]+ ){0,3}([a-z]+))\b", sentence
    ):
        if match.group(2) in ROLE_NOUNS:
            found.append((match.start(1), match.group(1)))
    return found


def _title_in_run(sentence: str, run: list[re.Match[str]]) -> list[tuple[int, str]]:
    # The title ends at the last role noun of the run ("Senior Engineer Acme" is rare).
    last = max((i for i, m in enumerate(run) if _noun(m.group()) in ROLE_NOUNS), default=-1)
    if last < 0:
        return []
    if last + 1 < len(run) and run[last + 1].group().endswith("s") and last == 0:
        return []
    first = 0
    while first < last and run[first].group().casefold() in _NOT_TITLE_WORDS:
        first += 1
    start, end = run[first].start(), run[last].end()
    title = sentence[start:end]
    if title.casefold() in {"hiring manager", "manager", "team lead"}:
        return []
    if run[last].group().casefold().endswith("s") and _noun(run[last].group()) != run[
        last
    ].group().casefold().rstrip("."):
        return []  # plural: "Product Managers" are colleagues, not a title held
    return [(start, title)]


def _ends_run(word: str) -> bool:
    """A full stop ends a title unless it ends an abbreviation titles use ("Sr.")."""
    return word.endswith(".") and word[:-1].casefold() not in TITLE_EXPANSIONS


_NOT_TITLE_WORDS = frozenset_of("a an the as my our your dear at for with in of and i")


def _noun(word: str) -> str:
    folded = word.casefold().rstrip(".")
    return folded[:-1] if folded.endswith("s") and folded[:-1] in ROLE_NOUNS else folded


def _named_by_job(title: str, job: JobWords) -> bool:
    words = fold_words(title)
    return bool(words) and all(w in job.words for w in words)


# -- degrees -----------------------------------------------------------------------------


def degree_claims(sentence: str, facts: ProfileFacts) -> list[str]:
    why: list[str] = []
    for written, level, field in _degrees(sentence):
        if not facts.has_degree(level, field):
            why.append(f"the profile has no {written}")
    return why


def _degrees(sentence: str) -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    for match in _ACRONYM_DEGREE.finditer(sentence):
        key = match.group(1).replace(".", "").casefold()
        if key in ("ba", "ma", "ms", "md", "jd", "bs") and not _degree_context(sentence, match):
            continue  # "MA" is also Massachusetts, "MS" Microsoft, "BS" ... context decides
        level, field = DEGREES.get(key, ("", ""))
        if level:
            found.append((match.group(0), level, field))
    for match in _DEGREE_WORDS.finditer(sentence):
        head = match.group(0).casefold()
        level = next((name for name, pattern in DEGREE_LEVELS if pattern.search(head)), "")
        if level == "associate" and not re.search(r"\bdegree\b|\bof\b|\bin\b", head):
            continue  # "Associate" is also a title
        if level == "doctor" and head.startswith("doctor") and " of " not in head:
            continue
        if not level or not _names_a_degree(sentence, match):
            continue
        field = (match.group(2) or match.group(3) or "").strip()
        found.append((match.group(0).strip(), level, field))
    return found


def _names_a_degree(sentence: str, match: re.Match[str]) -> bool:
    """ "Master's", "Master of Science", "degree in ..." name a degree; "Scrum Master"
    and "12 line associates" do not."""
    head = match.group(0).casefold()
    if head.startswith("degree") or "ph" in head[:2]:
        return True
    around = sentence[match.start() : match.end() + 30].casefold()
    return bool(re.match(r"\w+(?:['’]s\b|\s+(?:of|in)\s)", around)) or "degree" in around


def _degree_context(sentence: str, match: re.Match[str]) -> bool:
    around = sentence[max(0, match.start() - 25) : match.end() + 25].casefold()
    return bool(re.search(r"\bdegree|\bin [a-z]|\bfrom\b|\bgraduat|-prepared|\bholds?\b", around))


# -- licences and certificates -----------------------------------------------------------


def credential_claims(sentence: str, facts: ProfileFacts) -> list[str]:
    why: list[str] = []
    for token in re.findall(r"(?<![\w-])[A-Z][A-Za-z]{1,5}(?![\w])", sentence):
        if token.casefold() in CREDENTIALS and token.isupper() and not facts.names(token):
            why.append(f"the profile shows no {token}")
    for match in _CREDENTIAL_WORD.finditer(sentence):
        phrase = _credential_phrase(sentence, match)
        missing = [w for w in phrase if not facts.names(w)]
        if missing:
            why.append(f"the profile shows no such credential ({' '.join(phrase)})")
    return list(dict.fromkeys(why))


def _credential_phrase(sentence: str, match: re.Match[str]) -> list[str]:
    """The distinctive words of a licence or certificate named around ``match``:
    capitalised words just before it in its clause ("Texas RN license") or after
    "certified" ("Certified Developer – Professional"). "I certified forklift
    operators" is a verb, and names nothing."""
    clause = re.split(r"[,;:.()]\s", sentence[max(0, match.start() - 80) : match.start()])[-1]
    before = re.findall(r"[A-Za-z][\w&+.-]*", clause)
    if before and before[-1] in ("I", "we", "We"):
        return []
    after = re.findall(r"[A-Za-z][\w&+.-]*", sentence[match.end() : match.end() + 60])
    words: list[str] = []
    for word in reversed(before[-4:]):
        if not word[0].isupper() or word == "I":
            break
        words.insert(0, word)
    if match.group().casefold().startswith("certified"):
        for word in after[:4]:
            if not word[0].isupper():
                break
            words.append(word)
    return [
        w.rstrip(".") for w in words if w.casefold().rstrip(".") not in _GENERIC_CREDENTIAL_WORDS
    ]


# -- durations ---------------------------------------------------------------------------

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "a": 1, "an": 1, "a couple of": 2, "several": 3,
}  # fmt: skip
_DURATION = re.compile(
    r"\b(\d+(?:\.\d+)?|a couple of|"
    + "|".join(k for k in _NUMBER_WORDS if " " not in k)
    + r")\+?\s*(?:-\s*)?(years?|yrs?|months?|decades?)\b",
    re.IGNORECASE,
)
_AT_EMPLOYER = re.compile(
    r"^[^.;]{0,25}?\b(?:at|with|for)\s+([A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,4})"
)


def duration_claims(sentence: str, facts: ProfileFacts) -> list[str]:
    """Years (or months) of experience stated, overall or at one employer, against the
    dates: "three years at Stripe" needs three full years there."""
    why: list[str] = []
    for match in _DURATION.finditer(sentence):
        amount = _amount(match.group(1))
        unit = match.group(2).casefold()
        months = amount * (120 if unit.startswith("decade") else 12 if unit.startswith("y") else 1)
        if amount <= 1 and not unit.startswith("decade"):
            continue  # "a year" of something is rarely a claim of tenure
        tail = sentence[match.end() :]
        employer_match = _AT_EMPLOYER.match(tail)
        employer = facts.employer(employer_match.group(1)) if employer_match else None
        limit = facts.months_at(employer) if employer else facts.total_months
        if re.match(r"\s*(?:ago|old|later|earlier)\b", tail):
            continue
        if months > limit:
            where = f" at {employer}" if employer else ""
            why.append(f"{match.group(0)}{where} is more than the dates show")
    return why


_SINCE = re.compile(r"\b(?:since|from|starting in|began in|joined in)\s+((?:19|20)\d\d)\b")


def since_claims(sentence: str, facts: ProfileFacts) -> list[str]:
    """ "At Acme since 2018": a year something began must be a start year, of a role at
    the employer the sentence names when it names one."""
    why: list[str] = []
    named = [e for e in facts.employers if e.casefold() in sentence.casefold()]
    roles = [r for e in named for r in facts.roles_at(e)] or facts.roles
    starts = {r.start_date.year for r in roles if r.start_date is not None}
    for match in _SINCE.finditer(sentence):
        if re.search(r"\s*(?:to|until|through|–|-)\s*(?:19|20)\d\d", sentence[match.end() :][:12]):
            continue  # "from 2018 to 2020" is a span, checked as dates elsewhere
        if int(match.group(1)) not in starts:
            why.append(f"nothing in the profile began in {match.group(1)}")
    return why


def _amount(written: str) -> float:
    folded = written.casefold()
    return float(_NUMBER_WORDS[folded]) if folded in _NUMBER_WORDS else float(folded)


# -- claim words -------------------------------------------------------------------------


def claim_words(sentence: str, facts: ProfileFacts) -> list[str]:
    why: list[str] = []
    for label, pattern in CLAIM_WORDS:
        if pattern.search(sentence) and not any(s in facts.vocabulary for s in CLAIM_STEMS[label]):
            why.append(f"it claims {label} the profile does not mention")
    return why
