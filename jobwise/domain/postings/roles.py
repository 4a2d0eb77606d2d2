"""Job titles: does a line name a role, and which words of a sentence are the title."""

from __future__ import annotations

import re

_ROLE_NOUNS = (
    "engineer|engineers|developer|developers|programmer|architect|manager|designer|analyst"
    "|scientist|researcher|lead|head|director|vp|svp|evp|vice president|president|officer|cto"
    "|ceo|cfo|coo|cio|ciso|cpo|specialist|consultant|administrator|admin|technician|coordinator"
    "|associate|assistant|intern|internship|apprentice|trainee|representative|rep|agent|advocate"
    "|writer|editor|tester|sre|recruiter|accountant|bookkeeper|controller|executive|strategist"
    "|marketer|owner|partner|nurse|teacher|tutor|instructor|trainer|operator|chef|cook|barista"
    "|cashier|clerk|driver|electrician|mechanic|planner|buyer|auditor|counsel|attorney|lawyer"
    "|paralegal|therapist|pharmacist|physician|producer|photographer|animator|illustrator"
    "|copywriter|generalist|expert|fellow|evangelist|librarian|secretary|receptionist"
    "|supervisor|foreman|steward|principal|staff|member of technical staff|dba|devops|qa"
    "|sdet|sde|swe|mle|pm|tpm|artist|translator|investigator|advisor|adviser"
    "|coach|mentor|guide|hacker|craftsperson|maintainer|estimator|surveyor|inspector"
    "|dispatcher|courier|picker|packer|handler|caretaker|cleaner|porter|waiter"
    "|waitress|server|bartender|host|hostess|concierge|carer|caregiver|midwife|dentist"
    "|hygienist|optometrist|veterinarian|vet|scrum master|product owner|success manager"
    "|educator|anesthetist|practitioner|paramedic|surgeon|doctor|dietitian|dietician"
    "|radiographer|phlebotomist|sonographer|psychologist|counselor|counsellor|aide|carpenter"
    "|plumber|welder|machinist|janitor|custodian|housekeeper|attendant|firefighter|lifeguard"
    "|teller|underwriter|actuary|economist|statistician|journalist|reporter|curator|archivist"
    "|lecturer|professor|pilot|social worker|care worker|support worker"
)
ROLE_RE = re.compile(rf"\b(?:{_ROLE_NOUNS})\b", re.IGNORECASE)
"""A word that names a job; its presence is what makes a short line a title."""

_SPECIALTY_WORDS = """backend back-end frontend front-end fullstack full-stack platform
    infrastructure data payments mobile ios android web ml ai growth
    security cloud devops sre api apis core search identity billing
    checkout integrations tooling observability reliability analytics
    product performance internal tools design systems machine learning"""
SPECIALTY = frozenset(_SPECIALTY_WORDS.split())
"""Words that, after a dash, continue the title ("Software Engineer - Backend")."""
_UNIT_WORDS = frozenset(
    {"team", "teams", "unit", "department", "division", "care", "ward", "operations", "office",
     "squad", "programme", "program", "shift", "shifts", "nights", "weekends"}
)  # fmt: skip
"""Words that name a team, unit or shift of a job ("Critical Care", "2nd Shift")."""


def names_a_unit(name: str) -> bool:
    """ "Event Platform", "Data Platform", "Critical Care", "2nd Shift": a team's, unit's or
    shift's name, made of the words a title's specialty or an employer's unit is named
    with."""
    words = [word.lower().strip("()[],.") for word in name.split()]
    return any(word in SPECIALTY or word in _UNIT_WORDS for word in words)


_CONNECTORS = frozenset({"of", "and", "&", "/", "-", "–", "—", "for", "in", "de", "la", "+"})
_LEADING_ADJECTIVES = frozenset(
    {
        "experienced", "talented", "passionate", "motivated", "driven", "skilled", "new",
        "seasoned", "curious", "enthusiastic", "great", "strong", "exceptional", "brilliant",
        "ambitious", "pragmatic", "hands-on", "full-time", "part-time", "remote", "permanent",
        "contract", "freelance", "dedicated", "detail-oriented", "versatile", "proactive",
    }
)  # fmt: skip
_ROMAN_RE = re.compile(r"(?:I{1,3}|IV|V|[1-5])")
_GENDER_RE = re.compile(
    r"[ ]*[(\[][ ]*(?:[mwfdhxe][ ]*/[ ]*){1,3}[mwfdhxe][ ]*[)\]]|[ ]*\((?:all genders|gn|w/m/d"
    r"|m/w/d|f/m/d|m/f/d)\)",
    re.IGNORECASE,
)
_TITLE_LEADS_RE = re.compile(
    r"^(?:(?:we(?: ?are|['’]re) |now )?hiring[:!]?|job(?: title)?:|title:|position:|role:"
    r"|vacancy:|opening:|new role:|job opening:)[ ]*",
    re.IGNORECASE,
)
_TITLE_TAILS_RE = re.compile(
    r"[ ]*(?:[-–—|][ ]*)?(?:job post|linkedin|indeed|glassdoor|job description|job advert)$", re.I
)
_AFTER_ROLE = frozenset(
    {"contract", "contractor", "freelance", "permanent", "role", "position", "opportunity",
     "vacancy", "full-time", "part-time", "temp"}
)  # fmt: skip
_PAREN_RE = re.compile(r"[ ]*[(\[]([^()\[\]]{1,40})[)\]]")


def has_role(text: str) -> bool:
    return ROLE_RE.search(text) is not None


def clean_title(text: str) -> str:
    """The title alone: no "(m/f/d)", no "Job Title:" lead, no "- job post" tail."""
    title = _GENDER_RE.sub("", text)
    title = _TITLE_LEADS_RE.sub("", title.strip())
    title = _TITLE_TAILS_RE.sub("", title).strip(" *_#:|-–—!.,")
    words = title.split()
    # "ML Engineer contract", "Data Analyst role": the last word describes the job, not its name.
    if len(words) > 2 and words[-1].lower() in _AFTER_ROLE and ROLE_RE.fullmatch(words[-2]):
        title = " ".join(words[:-1])
    return title


def split_parentheticals(text: str) -> tuple[str, list[str]]:
    """ "Backend Engineer (Remote)" -> ("Backend Engineer", ["Remote"])."""
    notes = [match.group(1).strip() for match in _PAREN_RE.finditer(text)]
    return _PAREN_RE.sub("", text).strip(), notes


def role_phrase(text: str) -> str | None:
    """The title at the start of ``text``: "an experienced Senior Data Engineer to join..."
    gives "Senior Data Engineer". None when no role word ends a run of title words."""
    words = text.split()[:16]
    start = 0
    while start < len(words) and words[start].lower() in {"a", "an", "the", "our", "two"}:
        start += 1
    while start < len(words) and words[start].lower().strip(",") in _LEADING_ADJECTIVES:
        start += 1
    last_role = -1
    index = start
    for index in range(start, len(words)):
        word = words[index].rstrip(",.;:!?")
        if not _title_word(word, index == start):
            break
        if ROLE_RE.fullmatch(word.strip("()")):
            last_role = index
        if word != words[index]:
            break
    if last_role < start:
        return None
    end = _of_tail(words, last_role + 1)
    phrase = words[start:end]
    following = words[end] if end < len(words) and end == last_role + 1 else ""
    if _ROMAN_RE.fullmatch(following.rstrip(",.;:")):
        phrase.append(following.rstrip(",.;:"))
    return " ".join(phrase).strip(" ,;:.!?")


def _of_tail(words: list[str], after: int) -> int:
    """ "Head of Engineering": the "of ..." after a role word belongs to the title."""
    if after >= len(words) or words[after].lower() != "of":
        return after
    end = after + 1
    while end < min(len(words), after + 5):
        word = words[end]
        bare = word.rstrip(",.;:!?")
        if not _title_word(bare, False) or bare.lower() in _CONNECTORS:
            break
        end += 1
        if word != bare:
            break
    return end if end > after + 1 else after


def _title_word(word: str, first: bool) -> bool:
    if not word:
        return False
    if word.lower() in _CONNECTORS and not first:
        return True
    head = word.lstrip("(")[:1]
    return head.isupper() or head.isdigit() or word.lower() in {"iOS".lower(), "e-commerce"}
