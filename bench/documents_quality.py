"""Documents quality: what a recruiter would catch, on a corpus of real postings.

``python -m bench --only documents-quality`` runs, for each (profile, real posting) pair
of ``tests/data/quality`` (sources in its SOURCES.md), the whole of stages 2-4:

* the built-in writer's resume and letter, through the guard (``check_draft``);
* a lying model's resume and letter: a real ``openai`` client against a local
  OpenAI-compatible server answering with the truth plus ``LIES_PER_DRAFT`` lies of
  the catalogue (``tests.support.lying_model``, 50 kinds), seeded per pair, through the
  guard and its repairs (the model is asked again, then the built-in writer fills in).

Per pair and in total it prints: lies that reach the final document (goal 0), true lines
removed (0), empty sections (0), real employers of the last ten years dropped (0),
repeated sentence openings in the built-in letters (0), the letter's length (250-400
when the profile allows), and the match score beside the must-have coverage judged by
hand for the corpus (``must_haves`` in pairs.json).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench.common import Figure
from jobwise.adapters.llm.openai_model import OpenAILanguageModel
from jobwise.domain.writing import analyze_job, compile_profile, write_offline, write_with_llm
from jobwise.domain.writing.models import DocumentKind, GenerationOptions
from jobwise.domain.writing.repair import check_draft
from jobwise.domain.writing.sentences import split_sentences
from tests.support.fake_openai import FakeOpenAI
from tests.support.lying_model import LyingModel
from tests.support.quality_corpus import Pair, must_have_coverage, pairs
from tests.unit.generation.material import POSTINGS, TODAY, job_document
from tests.unit.generation.test_lying_model import (
    empty_sections,
    fold,
    lost_truths,
    recent_employers,
    render,
)
from tests.unit.generation.test_quality_corpus import _posting_file

LIES_PER_DRAFT = 5
KINDS: tuple[DocumentKind, ...] = ("resume", "cover_letter")


@dataclass
class Tally:
    pair: str
    lies_told: int = 0
    lies_left: list[str] = field(default_factory=list)
    truths_lost: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    employers_dropped: list[str] = field(default_factory=list)
    repeated_openings: int = 0
    letter_words: int = 0
    match: float = 0.0
    must_have: float = 0.0


async def measure() -> list[Figure]:
    started = time.perf_counter()
    tallies: list[Tally] = []
    async with FakeOpenAI() as fake:
        model = OpenAILanguageModel("sk-bench", "bench", base_url=fake.base_url, max_retries=0)
        try:
            for number, pair in enumerate(pairs()):
                tallies.append(await _pair(fake, model, pair, seed=number))
        finally:
            await model.aclose()
    _print(tallies)
    return _figures(tallies, time.perf_counter() - started)


async def _pair(fake: FakeOpenAI, model: OpenAILanguageModel, pair: Pair, seed: int) -> Tally:
    tally = Tally(pair.id, must_have=must_have_coverage(pair))
    analysis = analyze_job(job_document(POSTINGS / _posting_file(pair)))
    options = GenerationOptions()
    for kind in KINDS:
        compiled = compile_profile(pair.profile, analysis, options, today=TODAY, kind=kind)
        offline = write_offline(kind, compiled, analysis, options)
        checked = await check_draft(
            offline, kind=kind, compiled=compiled, profile=pair.profile,
            analysis=analysis, options=options,
        )  # fmt: skip
        tally.truths_lost += [f"{kind}: {r.what}" for r in checked.removed]
        tally.empty += empty_sections(checked.markdown)
        if kind == "cover_letter":
            tally.repeated_openings = repeated_openings(checked.markdown)
            tally.letter_words = len(checked.markdown.split())
        else:
            tally.match = checked.match_score
        liar = LyingModel(lies=LIES_PER_DRAFT, seed=seed)
        fake.reset()
        fake.responder = liar
        draft = await write_with_llm(model, kind, compiled, analysis, options)
        told = list(liar.told)  # the first answer's lies (a rewrite may tell more)
        report = await check_draft(
            draft, kind=kind, compiled=compiled, profile=pair.profile,
            analysis=analysis, options=options, model=model,
        )  # fmt: skip
        final = fold(report.markdown)
        tally.lies_told += len(told)
        tally.lies_left += [f"{kind}: {t.lie}: {t.marker}" for t in told if fold(t.marker) in final]
        truthful = render(liar.truthful, kind, compiled)
        lost = lost_truths(liar.truths, report.markdown, None)
        tally.truths_lost += [f"{kind} (model): {line}" for line in lost if _not_lied(line, told)]
        tally.empty += empty_sections(report.markdown)
        dropped = recent_employers(compiled, truthful)
        tally.employers_dropped += [e for e in dropped if fold(e) not in final]
    tally.truths_lost = list(dict.fromkeys(tally.truths_lost))
    return tally


def _not_lied(line: str, told: Sequence[object]) -> bool:
    """A true line is lost to the guard only if no lie was put into it."""
    return all(
        fold(line) not in {fold(getattr(t, "sentence", "")), fold(getattr(t, "replaced", "") or "")}
        for t in told
    )


def repeated_openings(markdown: str) -> int:
    """Sentences of a letter that open with the same two words as an earlier one."""
    seen: Counter[str] = Counter()
    for paragraph in markdown.split("\n\n"):
        if paragraph.startswith(("#", "Dear ")) or re.fullmatch(r"[A-Z][\w ]{2,30},", paragraph):
            continue
        for sentence in split_sentences(paragraph):
            words = sentence.casefold().split()[:2]
            if len(words) == 2:
                seen[" ".join(words)] += 1
    return sum(count - 1 for count in seen.values() if count > 1)


def _print(tallies: list[Tally]) -> None:
    print(
        f"  {'pair':48} {'lies':>9} {'true lost':>9} {'empty':>5} {'emp.drop':>8} "
        f"{'rep.open':>8} {'words':>5} {'match':>5} {'must':>5}"
    )
    for t in tallies:
        print(
            f"  {t.pair[:48]:48} {len(t.lies_left):>3}/{t.lies_told:<5} {len(t.truths_lost):>9} "
            f"{len(t.empty):>5} {len(t.employers_dropped):>8} {t.repeated_openings:>8} "
            f"{t.letter_words:>5} {t.match:>5.0f} {t.must_have:>5.0f}"
        )
    for t in tallies:
        for item in [*t.lies_left, *t.truths_lost, *t.empty, *t.employers_dropped]:
            print(f"    {t.pair}: {item[:160]}")


def _figures(tallies: list[Tally], seconds: float) -> list[Figure]:
    def total(name: str, value: float, unit: str = "") -> Figure:
        return Figure(
            key=f"quality_{name}", label=f"documents quality: {name.replace('_', ' ')}",
            server="-", value=value, unit=unit, count=len(tallies), seconds=seconds,
        )  # fmt: skip

    words = sorted(t.letter_words for t in tallies)
    gap = [abs(t.match - t.must_have) for t in tallies]
    return [
        total("pairs", len(tallies)),
        total("lies_told", sum(t.lies_told for t in tallies)),
        total("lies_in_final_documents", sum(len(t.lies_left) for t in tallies)),
        total("true_lines_removed", sum(len(t.truths_lost) for t in tallies)),
        total("empty_sections", sum(len(t.empty) for t in tallies)),
        total("recent_employers_dropped", sum(len(t.employers_dropped) for t in tallies)),
        total("repeated_letter_openings", sum(t.repeated_openings for t in tallies)),
        total("letter_words_median", words[len(words) // 2], "words"),
        total("letters_in_250_400", sum(250 <= w <= 400 for w in words), "letters"),
        total("match_vs_must_have_gap_median", sorted(gap)[len(gap) // 2], "points"),
    ]


def main() -> None:
    for figure in asyncio.run(measure()):
        print(f"  {figure.label}: {figure.value:,.1f} {figure.unit}")


if __name__ == "__main__":
    main()
