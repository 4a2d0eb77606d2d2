"""Text as matching terms: canonical skills (synonyms folded by the taxonomy) and word stems.

Both the relevance ranking and the keyword coverage read text through ``terms``, so
"k8s", "Kubernetes" and "kubernetes" are one term (``skill:kubernetes``) and
"deployed", "deploying" and "deployments" another (``deploy``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import snowballstemmer
from bm25s.stopwords import STOPWORDS_EN_PLUS

from jobwise.domain.skills import SkillTaxonomy, default_taxonomy

SKILL_PREFIX = "skill:"
_WORD = re.compile(r"[^\W\d_]{2,}")
_STOPWORDS = frozenset(STOPWORDS_EN_PLUS) | {
    "experience", "years", "year", "strong", "ability", "including", "work", "working",
    "team", "teams", "role", "using", "use", "good", "great", "new", "well", "also",
}  # fmt: skip
"""Words too common in postings and resumes to say anything about relevance."""
STOPWORDS = frozenset(STOPWORDS_EN_PLUS)
"""Plain English function words ("my", "the"): never a name, whatever their case."""


@functools.cache
def _stemmer() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


def skill_term(name: str) -> str:
    """The term of one canonical skill name."""
    return SKILL_PREFIX + name.casefold()


def stems(words: Iterable[str]) -> list[str]:
    kept = [w for w in (word.lower() for word in words) if w not in _STOPWORDS]
    return list(_stemmer().stemWords(kept))


def word_stems(text: str) -> list[str]:
    """Stems of the plain words of ``text`` (no skills), stop words left out."""
    return stems(_WORD.findall(text))


def terms(text: str, taxonomy: SkillTaxonomy | None = None) -> list[str]:
    """Every skill mention as its skill term, then the stems of the words around them."""
    skills = taxonomy or default_taxonomy()
    mentions = skills.mentions(text)
    found = [skill_term(mention.name) for mention in mentions]
    rest = list(text)
    for mention in mentions:
        rest[mention.start : mention.end] = " " * (mention.end - mention.start)
    return found + word_stems("".join(rest))


def skills_in(text: str, taxonomy: SkillTaxonomy | None = None) -> list[str]:
    """Canonical names of the skills ``text`` mentions, in order of first mention."""
    return (taxonomy or default_taxonomy()).find_in(text)
