"""Cover letters over the quality corpus (``tests/data/quality``): long enough when the
profile has the material, honest and short when it does not, and never a sentence the
fabrication guard takes out.

The documented length is 250-400 words (``COVER_LETTER_WORDS``, counted as validation
counts them: salutation to name). Whether a profile has the material for it is counted
here in sentences a letter could tell from what is relevant to the job:

* each achievement (or first-person description sentence) of a role in the job's field
  that prose can tell (``phrasing.told``);
* the candidate's own summary sentences a letter can tell, the setting of a role in the
  field, the degree, the credentials the posting asks for, the relevant projects
  (``letter_material``).

``MATERIAL_SENTENCES`` is where that count makes 250 words reachable: the framing a
letter always has (the opening, the years, the close, salutation and signature) is
about 55 words when the posting names no company and no need the profile answers, and
a material sentence told with its lead-in ("As ICU Charge Nurse at ..., I ...") is its
median 13 words plus about 4 in this corpus, so 195 more words take 12 such sentences
(``test_the_threshold_is_what_the_corpus_sentences_weigh`` measures it). Below that a
profile may still reach 250 (a posting with needs to name adds framing), but is not
held to it: two profiles of 10 and 11 short sentences, every one of them told, end at
229 and 248 words, with the recommendation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from math import ceil
from statistics import median

import pytest

from jobwise.domain.writing import analyze_job, compile_profile, validate, write_offline
from jobwise.domain.writing.field import in_field
from jobwise.domain.writing.letter_material import letter_extras
from jobwise.domain.writing.markdown import read
from jobwise.domain.writing.models import CompiledProfile, Draft, GenerationOptions, JobAnalysis
from jobwise.domain.writing.offline import COVER_LETTER_WORDS
from jobwise.domain.writing.phrasing import achievement_clause, told
from jobwise.domain.writing.sentences import split_sentences
from tests.support.quality_corpus import Pair, pairs
from tests.unit.generation.material import TODAY, job_document
from tests.unit.generation.test_quality_corpus import POSTINGS, _posting_file

MATERIAL_SENTENCES = 12
FRAMING_WORDS = 55
LEAD_IN_WORDS = 4
TONES = ("professional", "concise", "bold")


@dataclass(frozen=True)
class Written:
    pair: Pair
    analysis: JobAnalysis
    compiled: CompiledProfile
    draft: Draft


@cache
def _analysis(pair_id: str) -> JobAnalysis:
    pair = _pair(pair_id)
    return analyze_job(job_document(POSTINGS / _posting_file(pair)))


def _pair(pair_id: str) -> Pair:
    return next(p for p in pairs() if p.id == pair_id)


@cache
def written(pair_id: str, tone: str = "professional") -> Written:
    pair = _pair(pair_id)
    analysis = _analysis(pair_id)
    options = GenerationOptions(tone=tone)  # type: ignore[arg-type]
    compiled = compile_profile(pair.profile, analysis, options, today=TODAY, kind="cover_letter")
    return Written(
        pair, analysis, compiled, write_offline("cover_letter", compiled, analysis, options)
    )


def letter_words(markdown: str) -> int:
    """As validation counts them: from the salutation to the name."""
    texts = [line.text for line in read(markdown) if line.kind == "text"]
    start = next(i for i, t in enumerate(texts) if t.startswith("Dear "))
    return sum(len(t.split()) for t in texts[start:])


def body_sentences(markdown: str) -> list[str]:
    texts = [line.text for line in read(markdown) if line.kind == "text"]
    start = next(i for i, t in enumerate(texts) if t.startswith("Dear ")) + 1
    end = next(i for i, t in enumerate(texts) if i > start and re.fullmatch(r"[A-Z][\w ]+,", t))
    return [s for paragraph in texts[start:end] for s in split_sentences(paragraph)]


def material(compiled: CompiledProfile, analysis: JobAnalysis) -> list[str]:
    """The sentences a letter for this job could tell from relevant material (above)."""
    in_field_roles = [
        role
        for role in compiled.experiences
        if in_field(
            role.title, [role.description or "", *(a.text for a in role.achievements)], analysis
        )
    ]
    achievements = [achievement_clause(a.text) for role in in_field_roles for a in told(role)]
    # The setting of a role out of the field is not relevant material.
    out_of_field = {id(role) for role in compiled.experiences if role not in in_field_roles}
    extras = [e for e in letter_extras(compiled, analysis) if id(e.role) not in out_of_field]
    return [*achievements, *(e.options[0] for e in extras if e.options)]


PAIR_IDS = [p.id for p in pairs()]


@pytest.mark.parametrize("pair_id", PAIR_IDS)
def test_a_letter_reaches_250_words_when_the_profile_has_the_material(pair_id: str) -> None:
    letter = written(pair_id)
    words = letter_words(letter.draft.markdown)
    low, high = COVER_LETTER_WORDS
    assert words <= high, words
    if len(material(letter.compiled, letter.analysis)) >= MATERIAL_SENTENCES:
        assert words >= low, (words, letter.draft.markdown)
    # Short only with the recommendation that says why; never padded to look long.
    assert (words < low) == bool(letter.draft.recommendations), (
        words,
        letter.draft.recommendations,
    )


def test_most_corpus_profiles_with_the_material_are_not_a_handful() -> None:
    """The threshold is no escape hatch: a fair share of the corpus is held to it."""
    held = [
        i
        for i in PAIR_IDS
        if len(material(written(i).compiled, written(i).analysis)) >= MATERIAL_SENTENCES
    ]
    assert len(held) >= len(PAIR_IDS) // 5, held


def test_the_threshold_is_what_the_corpus_sentences_weigh() -> None:
    """``MATERIAL_SENTENCES`` x the median words of a told material sentence (its lead-in
    added) is what 250 words need beyond the letter's least framing."""
    sentences = [s for i in PAIR_IDS for s in material(written(i).compiled, written(i).analysis)]
    told_words = median(len(s.split()) for s in sentences) + LEAD_IN_WORDS
    needed = ceil((COVER_LETTER_WORDS[0] - FRAMING_WORDS) / told_words)
    assert abs(needed - MATERIAL_SENTENCES) <= 1, (told_words, needed)


@pytest.mark.parametrize("tone", TONES)
def test_no_sentence_of_any_corpus_letter_is_taken_out_by_the_guard(tone: str) -> None:
    removed = []
    for pair_id in PAIR_IDS:
        letter = written(pair_id, tone)
        report = validate(
            letter.draft.markdown, "cover_letter", letter.pair.profile, letter.analysis
        )
        removed += [f"{pair_id}: {r.what} ({r.why})" for r in report.removed]
    assert not removed, removed


@pytest.mark.parametrize("tone", TONES)
def test_no_two_sentences_of_a_corpus_letter_open_alike(tone: str) -> None:
    for pair_id in PAIR_IDS:
        sentences = body_sentences(written(pair_id, tone).draft.markdown)
        openings = [tuple(re.findall(r"[a-z0-9']+", s.casefold())[:2]) for s in sentences]
        repeated = {o for o in openings if openings.count(o) > 1}
        assert not repeated, (pair_id, repeated)


def test_the_letters_are_longer_than_before_and_mostly_in_range() -> None:
    """The corpus as a whole: before this writer took in the profile's further material,
    the median letter was 187 words and 6 of 34 were in range."""
    words = sorted(letter_words(written(i).draft.markdown) for i in PAIR_IDS)
    low, high = COVER_LETTER_WORDS
    assert words[len(words) // 2] >= 240, words
    assert sum(low <= w <= high for w in words) >= 15, words
