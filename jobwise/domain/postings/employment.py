"""Employment type ("full-time", "contract", ...) and remote/on-site, from what the posting says."""

from __future__ import annotations

import re

_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("internship", r"internships?|interns?|working student|werkstudent|apprenticeship"),
    ("part-time", r"part[- ]?time"),
    ("temporary", r"temporary|temp|seasonal"),
    (
        "contract",
        r"contract(?:or|ing)?|freelance(?:r)?|fixed[- ]term|fta|b2b|(?:inside|outside) ir35"
        r"|contract[- ]to[- ]hire|day rate",
    ),
    ("full-time", r"full[- ]?time|permanent|fte"),
)
_TYPE_RE = re.compile(
    r"\b(?:" + "|".join(f"(?P<{n.replace('-', '_')}>{p})" for n, p in _TYPE_WORDS) + r")\b",
    re.IGNORECASE,
)
# In running prose the non-default types must be stated as such ("a 6-month contract role"),
# since "contract" and "intern" also appear in passing ("mentor interns", "contract law").
_BODY_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "internship",
        re.compile(
            r"\b(?:this|an|our|the|summer|paid|\d+[- ](?:week|month)) internship\b"
            r"|\binternship (?:program(?:me)?|position|role)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "part-time",
        re.compile(r"\bpart[- ]time (?:role|position|job|basis|contract|opportunity)\b", re.I),
    ),
    (
        "contract",
        re.compile(
            r"\b(?:\d+[- ](?:month|week)|fixed[- ]term|freelance|b2b) (?:contract|role|position"
            r"|engagement|assignment|basis)\b|\bcontract (?:role|position|engagement|assignment"
            r"|basis|opportunity)\b|\b(?:inside|outside) ir35\b|\bcontract[- ]to[- ]hire\b"
            r"|\bday rate\b",
            re.IGNORECASE,
        ),
    ),
    (
        "temporary",
        re.compile(
            r"\btemporary (?:role|position|contract|assignment)\b|\bmaternity cover\b", re.I
        ),
    ),
    ("full-time", re.compile(r"\bfull[- ]?time\b|\bpermanent (?:role|position|contract)\b", re.I)),
)

_HYBRID_BODY_RE = re.compile(
    r"\b(?:this is (?:a|an) hybrid|hybrid\s+(?:role|position|working|work|model|schedule"
    r"|arrangement|set-?up|policy|basis|pattern|team|approach)|\d+ days? (?:a|per|each|/)"
    r" ?week (?:in|at|from) (?:the|our) office|(?:in|at) (?:the|our) office \d"
    r"|in the office an average of)\b",
    re.IGNORECASE,
)
_ONSITE_BODY_RE = re.compile(
    r"\b(?:this is (?:a|an) (?:on[- ]?site|office[- ]based|in[- ]office)"
    r"|on[- ]?site (?:role|position|only)|not (?:a )?remote|no remote|office[- ]based"
    r"|(?:role|position|job) is (?:based )?on[- ]?site|(?:required|expected) to be (?:on[- ]?site"
    r"|in the office)|work mode is (?:mostly )?on[- ]?site)\b",
    re.IGNORECASE,
)
_REMOTE_BODY_RE = re.compile(
    r"\b(?:fully remote|100% remote|remote[- ]first|remote[- ]only|remote[- ]friendly"
    r"|(?:role|position|job) is (?:fully )?remote|this is a (?:fully )?remote"
    r"|remote (?:role|position|job|opportunity)|work from anywhere|remote within"
    r"|work remotely from|work fully remotely|distributed team)\b",
    re.IGNORECASE,
)


def employment_type_of(text: str) -> str | None:
    """The first employment type word in a short value ("Full-time, Permanent" -> full-time)."""
    match = _TYPE_RE.search(text)
    if match is None or match.lastgroup is None:
        return None
    return match.lastgroup.replace("_", "-")


def employment_type_in_body(text: str) -> str | None:
    """An employment type stated in prose; the specific types before a passing "full-time"."""
    for name, pattern in _BODY_TYPES:
        if pattern.search(text):
            return name
    return None


def arrangement_in_body(text: str) -> str | None:
    """ "hybrid", "onsite" or "remote" as prose states it; a stated hybrid or on-site
    arrangement wins over a passing "remote-friendly"."""
    if _HYBRID_BODY_RE.search(text):
        return "hybrid"
    if _ONSITE_BODY_RE.search(text):
        return "onsite"
    return "remote" if _REMOTE_BODY_RE.search(text) else None


def remote_in_body(text: str) -> bool:
    """Whether prose says the job is remote."""
    return arrangement_in_body(text) == "remote"
