"""Which canonical skills a posting requires, prefers, or merely mentions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from jobwise.domain.postings.models import ParsedKeywords
from jobwise.domain.skills.taxonomy import SkillTaxonomy

# Inside a requirements list, "Kafka is a plus" or "Terraform (preferred)" is a preference.
_PREFERENCE_RE = re.compile(
    r"\b(?:an?|big|huge|strong|definite|real)[ ]+(?:plus|bonus|advantage)\b|\bpluses\b"
    r"|\b(?:bonus|plus)(?:[ ]+points?)?[ ]*(?:if|for|:)|\(plus\)|\badvantageous\b"
    r"|\bnice[- ]to[- ]have\b|\bpreferred\b|\bpreferably\b|\bdesir(?:ed|able)\b|\bideally\b"
    r"|\bbeneficial\b|\boptional\b|\bwould be (?:nice|great|helpful)\b"
    r"|\bnot (?:required|essential|mandatory)\b|\bhelpful\b|\bappreciated\b",
    re.IGNORECASE,
)
_CLAUSE_SPLIT_RE = re.compile(
    r"[;()]|(?<=[a-z0-9])\.[ ]+(?=[A-Z])|,[ ]*(?=(?:ideally|preferably|bonus|especially)\b)",
    re.IGNORECASE,
)


def classify_skills(
    taxonomy: SkillTaxonomy,
    *,
    required_items: Iterable[str],
    preferred_items: Iterable[str],
    everything: str,
) -> ParsedKeywords:
    """Required: named in a requirements section, outside a "... is a plus" clause.

    Preferred: named in a nice-to-have section or such a clause, and not also required.
    Skills: every skill the posting names, in order of first mention.
    """
    required: list[str] = []
    preferred: list[str] = []
    for item in required_items:
        for clause in _CLAUSE_SPLIT_RE.split(item):
            target = preferred if _PREFERENCE_RE.search(clause) else required
            target.extend(taxonomy.find_in(clause))
    for item in preferred_items:
        preferred.extend(taxonomy.find_in(item))
    required = _unique(required)
    preferred = [name for name in _unique(preferred) if name not in set(required)]
    skills = _unique([*taxonomy.find_in(everything), *required, *preferred])
    return ParsedKeywords(required=required, preferred=preferred, skills=skills)


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))
