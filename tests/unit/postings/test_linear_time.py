"""The posting reader takes time linear in its input, on the inputs that make regexes and
loops go quadratic.

Each shape is parsed at 10 KB and at 200 KB (the parser reads the first 100 KB, so the big
input does ten times the work of the small one; a run that must end in something else is
a quarter of the input, so its end is read). Linear code takes about 10x as long on
the big input (up to 25x measured, on a loaded machine, from allocation and cache effects),
quadratic code about 100x: the bound of 40x fails the second and leaves the first room.
A small input that parses in under ``FLOOR`` seconds is timed as ``FLOOR``, so clock
noise on tiny times cannot fail the test, and a ratio over the bound is measured again
before it counts. ``CEILING`` is an absolute limit on the 200 KB parse whatever the ratio.

The skill matcher, which also reads whole pastes (``PostingReader.keywords_for``), is held
to the same bound on inputs it reads in full: 20 KB against 200 KB.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from jobwise.domain.postings import parse_posting
from jobwise.domain.skills.taxonomy import default_taxonomy

SMALL = 10_000
BIG = 200_000
MAX_RATIO = 40.0
FLOOR = 0.03
CEILING = 8.0


def _repeat(unit: str, size: int) -> str:
    return unit * (size // len(unit))


SHAPES: dict[str, Callable[[int], str]] = {
    "brackets": lambda n: _repeat("[", n),
    "stars": lambda n: _repeat("*", n),
    "dashes": lambda n: _repeat("-", n),
    "middots": lambda n: _repeat("·", n),
    "bars": lambda n: _repeat("|", n),
    "spaces": lambda n: "a" + _repeat(" ", n // 4) + "a",
    "parens": lambda n: _repeat("(", n),
    "colons": lambda n: _repeat(":", n),
    "one long line of words": lambda n: _repeat("word ", n),
    "short lines": lambda n: _repeat("ab\n", n),
    "nested brackets": lambda n: _repeat("[(", n // 2) + _repeat(")]", n // 2),
    "digits": lambda n: _repeat("1", n),
    "spaced digits": lambda n: _repeat("1 ", n),
    "money": lambda n: _repeat("$1,", n),
    "currency signs": lambda n: _repeat("$€£", n),
    "thousands": lambda n: _repeat("1,000 ", n),
    "header line": lambda n: "Senior Engineer - " + _repeat("Acme · ", n),
    "pipe header": lambda n: "Acme | Engineer | " + _repeat("Berlin | ", n),
    "half links": lambda n: _repeat("[a](", n),
    "comments": lambda n: _repeat("<!--", n),
    "placeholders": lambda n: _repeat("{{", n),
    "dotted": lambda n: _repeat("a.", n),
    "labels after blanks": lambda n: _repeat("\n", n // 2) + _repeat("Location: Berlin\n", n // 2),
    "spaced label lines": lambda n: _repeat("a" + " " * 150 + "b\n", n),
    "headless section": lambda n: "Requirements: a\n\n" + _repeat("x\n", n),
    "abbreviations": lambda n: "Requirements\n\n" + _repeat("e.g. Abc ", n),
    "bullets": lambda n: "Requirements\n" + _repeat("- Python and SQL\n", n),
    "sentences": lambda n: "Requirements\n\n" + _repeat("Abc def ghi. ", n),
    "company cues": lambda n: _repeat("Join Acme. At Acme we build. © 2025 Acme Inc. ", n),
    "urls": lambda n: _repeat("https://careers.acme.com/jobs/1 ", n),
    "copyright then spaces": lambda n: "Engineer\n\n© 2025" + _repeat(" ", n // 4) + "x",
    "cues then spaces": lambda n: "Engineer\n\nJoin Acme at Acme" + _repeat(" ", n // 4) + "x",
}


def _seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def _ratio(work: Callable[[str], object], small: str, big: str) -> tuple[float, float]:
    """(big time / small time, big time), the small time the best of three runs."""
    small_time = min(_seconds(lambda: work(small)) for _ in range(3))
    big_time = _seconds(lambda: work(big))
    return big_time / max(small_time, FLOOR), big_time


def _assert_linear(work: Callable[[str], object], small: str, big: str) -> None:
    ratio, big_time = _ratio(work, small, big)
    if ratio > MAX_RATIO or big_time > CEILING:
        ratio, big_time = min((ratio, big_time), _ratio(work, small, big))
    assert big_time <= CEILING, f"{big_time:.2f}s on {len(big)} characters"
    assert ratio <= MAX_RATIO, f"{ratio:.1f}x the time of {len(small)} characters on {len(big)}"


@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_the_parser_is_linear(shape: str) -> None:
    make = SHAPES[shape]
    _assert_linear(parse_posting, make(SMALL), make(BIG))


@pytest.mark.parametrize("shape", ["one long line of words", "short lines", "spaces", "dashes"])
def test_the_skill_matcher_is_linear(shape: str) -> None:
    make, taxonomy = SHAPES[shape], default_taxonomy()
    _assert_linear(taxonomy.find_in, make(BIG // 10), make(BIG))
