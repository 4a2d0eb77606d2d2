"""The names of credentials: licences, certifications, degree levels and fields of work.

Postings and profiles spell one credential many ways ("RN license", "Registered Nurse",
"nursing licence"; "BSN", "Bachelor of Science in Nursing"; "ICU", "intensive care").
This module holds the few tables that fold them, so reading a posting (``qualifications``)
and checking a profile against it (``scoring``) agree on what is the same thing. The
tables are small and plain on purpose: a credential they lack is still read by the
generic rules ("X certification", "X licence") and matched by its words.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from jobwise.domain.writing.terms import word_stems


class Credential(NamedTuple):
    name: str
    """As the explanations show it: "RN licence", "BLS"."""
    kind: Literal["licence", "certification"]
    abbreviations: re.Pattern[str] | None
    """Its capitals ("RN", "BLS"), matched case-sensitively: "ren", "pals" are words."""
    phrases: re.Pattern[str] | None
    """Its spelled-out names, matched in any case."""

    def named_in(self, text: str) -> bool:
        return any(p is not None and p.search(text) for p in (self.abbreviations, self.phrases))


def _credential(
    name: str, kind: Literal["licence", "certification"], abbreviations: str, phrases: str = ""
) -> Credential:
    def compiled(spelled: str, flags: int) -> re.Pattern[str] | None:
        return re.compile(rf"(?<![\w+-])(?:{spelled})(?![\w+])", flags) if spelled else None

    return Credential(name, kind, compiled(abbreviations, 0), compiled(phrases, re.I))


# A licence is the legal right to practise; a certification is a course or exam passed.
CREDENTIALS: tuple[Credential, ...] = (
    _credential("RN licence", "licence", r"RN|R\.N\.",
                r"registered nurse|nursing licen[cs]e|nurse licen[cs]e|licensed nurse"
                r"|nursing licensure|nurse licensure"),
    _credential("LPN licence", "licence", r"LPN|LVN", r"licensed (?:practical|vocational) nurse"),
    _credential("Nurse Practitioner licence", "licence", r"APRN|FNP", r"nurse practitioner"),
    _credential("Teaching licence", "licence", r"QTS",
                r"teaching (?:licen[cs]e|certificat(?:e|ion)|credential)"
                r"|teacher (?:licen[cs]e|certificat(?:e|ion)|licensure)"
                r"|educator licen[cs](?:e|ure)|qualified teacher status"),
    _credential("Driver's licence", "licence", r"CDL",
                r"driver['’]?s licen[cs]e|driving licen[cs]e"),
    _credential("CPA licence", "licence", r"CPA", r"certified public accountant"),
    _credential("PE licence", "licence", r"P\.E\.",
                r"professional engineer(?:ing)? licen[cs]e"),
    _credential("Pharmacist licence", "licence", r"RPh",
                r"pharmacist licen[cs]e|licensed pharmacist"),
    _credential("Law licence", "licence", "",
                r"bar admission|admitted to (?:the|a) (?:state )?bar"),
    _credential("BLS", "certification", r"BLS", r"basic life support"),
    _credential("ACLS", "certification", r"ACLS", r"advanced cardi(?:ac|ovascular) life support"),
    _credential("PALS", "certification", r"PALS", r"pediatric advanced life support"),
    _credential("TNCC", "certification", r"TNCC", r"trauma nursing core course"),
    _credential("NRP", "certification", r"NRP", r"neonatal resuscitation program"),
    _credential("CCRN", "certification", r"CCRN"),
    _credential("CEN", "certification", r"CEN", r"certified emergency nurse"),
    _credential("CPI", "certification", r"CPI", r"crisis prevention intervention"),
    _credential("CPR", "certification", r"CPR"),
    _credential("PMP", "certification", r"PMP", r"project management professional"),
    _credential("CAPM", "certification", r"CAPM"),
    _credential("Certified ScrumMaster", "certification", r"CSM|PSM",
                r"certified scrum ?master|professional scrum master"),
    _credential("AWS Certified", "certification", "",
                r"AWS[- ]certified|AWS certifications?|certified AWS"),
    _credential("Azure certification", "certification", r"AZ-\d{3}",
                r"microsoft certified|azure certifications?"),
    _credential("Google Cloud certification", "certification", "",
                r"google cloud certified|GCP certifications?"),
    _credential("CKA", "certification", r"CKA|CKAD", r"certified kubernetes"),
    _credential("CISSP", "certification", r"CISSP"),
    _credential("CISM", "certification", r"CISM"),
    _credential("CISA", "certification", r"CISA"),
    _credential("Security+", "certification", "", r"security\+"),
    _credential("CompTIA A+", "certification", "", r"comptia a\+|A\+ certification"),
    _credential("Network+", "certification", "", r"network\+"),
    _credential("CCNA", "certification", r"CCNA|CCNP"),
    _credential("ITIL", "certification", r"ITIL"),
    _credential("Six Sigma", "certification", "", r"six sigma"),
    _credential("CFA", "certification", r"CFA", r"chartered financial analyst"),
    _credential("SHRM-CP", "certification", r"SHRM-CP|SHRM-SCP|PHR|SPHR"),
    _credential("ServSafe", "certification", "", r"servsafe"),
    _credential("OSHA 10/30", "certification", r"OSHA[- ](?:10|30)"),
    _credential("PRINCE2", "certification", r"PRINCE2|PRINCE 2"),
    _credential("DBS check", "certification", r"DBS", r"disclosure and barring"),
)  # fmt: skip


def credentials_in(text: str) -> list[Credential]:
    """The known credentials ``text`` names, in table order, each once."""
    return [c for c in CREDENTIALS if c.named_in(text)]


def credential_named(name: str) -> Credential | None:
    return next((c for c in CREDENTIALS if c.name == name), None)


# -- degrees -------------------------------------------------------------------------------

DEGREE_LEVELS = {
    0: "High school diploma", 1: "Degree", 2: "Bachelor's degree", 3: "Master's degree",
    4: "Doctorate",
}  # fmt: skip
"""A level and how explanations name it; 1 is an associate degree or a degree of any level.
A higher level meets a lower one: a Master's meets "Bachelor's degree"."""
_LEVEL_PATTERNS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (4, re.compile(r"\b(?:ph\.?\s?d|doctorate|doctoral|DNP|Ed\.?D|D\.?Phil|M\.?D)\b", re.I)),
    (3, re.compile(r"\b(?:masters?|master['’]s|MSc|M\.Sc|M\.S\.|MSN|MBA|(?-i:M\.?Ed)|MEng|MPH|MFA"
                   r"|graduate degree|advanced degree|higher degree|postgraduate)\b", re.I)),
    (2, re.compile(r"\b(?:bachelors?|bachelor['’]s|BSc|B\.Sc|B\.S\.|BSN|B\.A\.|BEng|B\.Eng"
                   r"|undergraduate degree|(?:4|four)[- ]year (?:degree|bachelor|college)"
                   r"|college degree|university degree)\b", re.I)),
    (1, re.compile(r"\b(?:associate['’]?s?(?=\s+(?:degree|of|or|in)\b)|ADN|AAS|A\.A\.S|diploma in"
                   r"|diploma of|(?:2|two)[- ]year (?:degree|diploma))\b", re.I)),
    (0, re.compile(r"\b(?:high school|GED|secondary school)\b", re.I)),
)  # fmt: skip
_ANY_DEGREE = re.compile(r"\b(?:degree|graduate (?:of|from)|graduated from|diploma)\b", re.I)
"""A degree of no stated level: read as level 1 only when no level is named."""
_SHORT_LEVELS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (3, re.compile(r"\b(?:MS|MA|M\.A\.)\b")),
    (2, re.compile(r"\b(?:BS|BA|B\.A)\b")),
)
"""Two-letter degrees read only beside the word "degree" or in a profile's degree field:
elsewhere "MS" is MS Office and "MA" Massachusetts."""
DEGREE_FIELDS = {
    "bsn": "Nursing", "msn": "Nursing", "adn": "Nursing", "dnp": "Nursing",
    "mba": "Business Administration", "med": "Education", "m.ed": "Education",
    "mph": "Public Health", "beng": "Engineering", "meng": "Engineering",
}  # fmt: skip
"""Degrees whose name carries their field."""


def degree_levels(text: str, *, short: bool = False) -> list[int]:
    """Every level ``text`` names ("Associate or Bachelor's" -> [2, 1])."""
    found = [level for level, pattern in _LEVEL_PATTERNS if pattern.search(text)]
    if short or re.search(r"\bdegree\b", text, re.I):
        found += [level for level, pattern in _SHORT_LEVELS if pattern.search(text)]
    if not found and _ANY_DEGREE.search(text):
        found = [1]
    return sorted(set(found), reverse=True)


def fields_of_degree(text: str) -> list[str]:
    """The fields a degree's abbreviation names ("BSN" -> "Nursing")."""
    # Written with two capitals at least: "MEd", "BSN"; "Med/Surg" is a ward.
    words = [w for w in re.findall(r"[A-Za-z.]+", text) if sum(c.isupper() for c in w) >= 2]
    return list(dict.fromkeys(DEGREE_FIELDS[w.casefold()] for w in words
                              if w.casefold() in DEGREE_FIELDS))  # fmt: skip


# -- areas of work -------------------------------------------------------------------------

AREAS: tuple[tuple[re.Pattern[str], frozenset[str]], ...] = tuple(
    (re.compile(rf"(?<!\w)(?:{spelled})(?!\w)", re.I), frozenset(tokens.split()))
    for spelled, tokens in (
        (r"ICU|CCU|intensive care|critical care|critical-care", "area:icu area:acute"),
        (r"ER|ED|emergency (?:room|department|medicine|nursing)|trauma", "area:er area:acute"),
        (r"OR|operating room|perioperative|surgical", "area:or area:acute"),
        (r"med/surg|med-surg|medical[- ]surgical|telemetry|step-down|PCU",
         "area:medsurg area:acute"),
        (r"NICU|neonatal", "area:nicu area:acute"),
        (r"acute care|acute-care|hospital|inpatient", "area:acute"),
        (r"RN|registered nurse|nurse|nursing|clinical", "area:nursing"),
        (r"software|programming|developer|coding", "area:software"),
        (r"teach\w*|taught|educator|instructor|tutor\w*|classroom", "area:teaching"),
        (r"lead(?!\s+(?:gen\w*|scor\w*|nurtur\w*|magnets?)\b)|leads|leader\w*"
         r"|led(?= (?:a|an|the) )|supervis\w*|manager|management role|head of|foreman"
         r"|forewoman|charge nurse|director|manag(?:ed|ing|es?)(?= (?:a |the )?(?:team|staff"
         r"|shift|crew|group|associates|employees)\b)", "area:lead"),
    )
)  # fmt: skip
"""Spellings of one area of work, and the areas it proves: intensive-care work is
acute-care work too, not the other way round (an area "acute care" is met by an ICU
role; an area "ICU" is not met by a med/surg role). Leading people is an area of its
own ("a leadership role", "supervisory experience"), proven by a lead's, supervisor's or
manager's title or by leading a team; so is teaching ("history teacher", "taught KS3")."""
_CASED = frozenset({"ER", "ED", "OR", "RN", "PCU", "CCU", "ICU", "NICU"})
"""Areas spelled in capitals only: "or", "ed" are words."""


def area_terms(text: str) -> set[str]:
    """The areas and word stems of a piece of text, for "N years of X" questions."""
    found: set[str] = set()
    rest = text
    for pattern, tokens in AREAS:
        for match in pattern.finditer(text):
            written = match.group(0)
            if written.upper() in _CASED and not written.isupper():
                continue
            found |= tokens
            rest = rest.replace(written, " ")
    return found | set(word_stems(rest))


# -- places a licence is valid in ----------------------------------------------------------

US_STATES = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa",
    "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan",
    "Minnesota", "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire",
    "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio",
    "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota",
    "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington", "West Virginia",
    "Wisconsin", "Wyoming",
)  # fmt: skip
"""A US licence (nursing, teaching, law) is issued by one state and valid there: a posting
that asks for "an active California RN license" is not met by an Oregon one."""
_STATES = re.compile(
    r"\b("
    + "|".join(sorted(US_STATES, key=len, reverse=True))
    + r")\b(?!\s+(?:University|College))"
)


def states_in(text: str) -> list[str]:
    """The US states ``text`` names, each once, in order ("West Virginia" is not "Virginia")."""
    return list(dict.fromkeys(match.group(1) for match in _STATES.finditer(text)))
