"""Relevance of profile items to a job: BM25 over skill terms and word stems.

Every item (an achievement, a role's description, a project) is a BM25 document of
``terms`` (canonical skills with their synonyms folded, and stems of the other
words), indexed with ``bm25s``. The job is asked as several weighted queries, so a
must-have counts more than a nice-to-have:

=====================================  =======
required skills and emphasis keywords  ``REQUIRED_WEIGHT``
preferred skills                       ``PREFERRED_WEIGHT``
skills named elsewhere in the posting  ``MENTIONED_WEIGHT``
words of the title and requirements    ``WORDS_WEIGHT``
=====================================  =======

An item's score is the weighted sum of its BM25 scores; IDF is taken over the
candidate's own items, so a skill that only one achievement shows lifts that one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import bm25s

from jobwise.domain.skills import SkillTaxonomy
from jobwise.domain.writing.models import JobAnalysis
from jobwise.domain.writing.terms import skill_term, terms, word_stems

REQUIRED_WEIGHT = 3.0
PREFERRED_WEIGHT = 1.5
MENTIONED_WEIGHT = 0.75
WORDS_WEIGHT = 0.3


class JobQuery:
    """The job as weighted term groups (see the module docstring)."""

    def __init__(self, analysis: JobAnalysis, emphasis: Sequence[str] = ()) -> None:
        required = [*analysis.required_skills, *emphasis]
        words = " ".join([analysis.title, *analysis.requirements, *analysis.responsibilities])
        self.groups: list[tuple[float, list[str]]] = [
            (REQUIRED_WEIGHT, _unique(skill_term(s) for s in required)),
            (PREFERRED_WEIGHT, _unique(skill_term(s) for s in analysis.preferred_skills)),
            (MENTIONED_WEIGHT, _unique(skill_term(s) for s in analysis.other_skills)),
            (WORDS_WEIGHT, _unique(word_stems(words))),
        ]


def score_texts(texts: Sequence[str], query: JobQuery, taxonomy: SkillTaxonomy) -> list[float]:
    """One relevance score per text (0.0 when it shares nothing with the job)."""
    if not texts:
        return []
    corpus = [terms(text, taxonomy) or [""] for text in texts]
    index = bm25s.BM25()
    index.index(corpus, show_progress=False)
    scores = [0.0] * len(texts)
    for weight, tokens in query.groups:
        if not tokens:
            continue
        found = index.get_scores(tokens)
        for position in range(len(texts)):
            scores[position] += weight * float(found[position])
    return scores


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
