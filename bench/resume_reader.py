"""The resume reader: how much of a resume it gets right, and what a file costs.

``python -m bench --only resume-reader`` (or ``python -m bench.resume_reader``) prints:

* round trips: every resume JobWise prints (three real public resumes and one in
  Chinese and Japanese, written by the built-in writer for a real posting) in every
  template, as PDF and as DOCX, read back; field accuracy per template and format;
* the corpus: every public resume under ``tests/data/resumes`` (sources and licences
  in its SOURCES.md) against the fields a person read off its pages; field accuracy
  per file and in all, and the fields missed;
* the time to read one file in its own process (``ResumeFileReader``), median and
  worst, and in the calling process (the reading alone).
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.common import Figure
from jobwise.adapters.interop.resume_file.accuracy import Score, score
from jobwise.adapters.interop.resume_file.read import read_file
from jobwise.adapters.interop.resume_file.sandbox import ResumeFileReader
from jobwise.adapters.rendering import ChromiumPdfPrinter, Renderer, WarmBrowser
from tests.support.resume_round_trip import CASES, FORMATS, TEMPLATES, printed, read_back

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "resumes"


def corpus() -> list[tuple[Path, dict[str, Any]]]:
    """Each corpus file with the fields a person read in it."""
    cases = []
    for expected in sorted((CORPUS / "expected").glob("*.json")):
        fields = json.loads(expected.read_text(encoding="utf-8"))
        cases.append((CORPUS / fields["file"], fields))
    return cases


def file_format(path: Path) -> str:
    return "docx" if path.suffix.lower() == ".docx" else "pdf"


async def round_trips() -> dict[str, Score]:
    by_template: dict[str, Score] = defaultdict(Score)
    async with WarmBrowser() as browser:
        renderer = Renderer(ChromiumPdfPrinter(browser))
        for case in CASES:
            resume = printed(case)
            for template in TEMPLATES:
                for form in FORMATS:
                    answer = await read_back(renderer, resume.markdown, template, form)
                    result = score(answer["draft"], resume.expected)
                    by_template[f"{template} {form.value}"].add(result)
    return dict(by_template)


def corpus_scores() -> tuple[dict[str, Score], list[float]]:
    scores: dict[str, Score] = {}
    seconds: list[float] = []
    for path, expected in corpus():
        started = time.perf_counter()
        draft = read_file(path.read_bytes(), file_format(path))  # type: ignore[arg-type]
        seconds.append(time.perf_counter() - started)
        scores[path.name] = score(draft.draft, expected)
    return scores, seconds


async def sandboxed_seconds() -> list[float]:
    reader = ResumeFileReader(at_once=1)
    seconds = []
    for path, _ in corpus():
        started = time.perf_counter()
        await reader.read(path.read_bytes(), file_format(path))  # type: ignore[arg-type]
        seconds.append(time.perf_counter() - started)
    return seconds


async def measure() -> list[Figure]:
    started = time.perf_counter()
    trips = await round_trips()
    files, reading = corpus_scores()
    isolated = await sandboxed_seconds()
    _print(trips, files, reading, isolated)
    return _figures(trips, files, reading, isolated, time.perf_counter() - started)


def _total(scores: dict[str, Score]) -> Score:
    total = Score()
    for result in scores.values():
        total.add(result)
    return total


def _print(
    trips: dict[str, Score], files: dict[str, Score], reading: list[float], isolated: list[float]
) -> None:
    print("  round trips (JobWise's own resumes read back):")
    for name, result in trips.items():
        print(f"    {name:<16} {result.accuracy:6.1%}  ({result.matched}/{result.total})")
    print("  public corpus:")
    for name, result in files.items():
        print(f"    {name:<40} {result.accuracy:6.1%}  ({result.matched}/{result.total})")
    for name, result in files.items():
        for miss in result.misses:
            print(f"      {name}: {miss[:150]}")
    total = _total(files)
    print(f"  corpus total: {total.accuracy:.1%} ({total.matched}/{total.total} fields)")
    for name, times in (("in process", reading), ("own process", isolated)):
        if times:
            median, worst = statistics.median(times) * 1000, max(times) * 1000
            print(f"  reading one file, {name}: median {median:.0f} ms, worst {worst:.0f} ms")


def _figures(
    trips: dict[str, Score],
    files: dict[str, Score],
    reading: list[float],
    isolated: list[float],
    seconds: float,
) -> list[Figure]:
    def figure(key: str, label: str, value: float, unit: str, count: int) -> Figure:
        return Figure(key=f"resume_reader_{key}", label=f"resume reader: {label}", server="-",
                      value=value, unit=unit, count=count, seconds=seconds)  # fmt: skip

    trip, corpus_total = _total(trips), _total(files)
    figures = [
        figure(
            "round_trip_accuracy", "round-trip field accuracy", trip.accuracy * 100, "%", trip.total
        ),
        figure(
            "corpus_accuracy",
            "public corpus field accuracy",
            corpus_total.accuracy * 100,
            "%",
            corpus_total.total,
        ),
    ]
    if reading:
        figures.append(
            figure(
                "read_median",
                "one file, median",
                statistics.median(reading) * 1000,
                "ms",
                len(reading),
            )
        )
    if isolated:
        figures.append(
            figure(
                "own_process_median",
                "one file in its own process, median",
                statistics.median(isolated) * 1000,
                "ms",
                len(isolated),
            )
        )
    return figures


def main() -> None:
    for figure in asyncio.run(measure()):
        print(f"  {figure.label}: {figure.value:,.1f} {figure.unit}")


if __name__ == "__main__":
    main()
