"""Rendering: PDF latency with a warm browser, its parts, under concurrency, and memory.

* **latency**: ``Renderer.render`` of a 2-page resume (``long_resume.md`` in the
  compact template), one after another after a warm-up: the call ``DocumentExporter``
  makes for the generation worker and ``POST /documents/{id}/export`` alike (print,
  metadata, text-layer repair and the parse check, worker processes included),
  below the file store;
* **its parts**, each alone, one after another: Chromium printing the page's HTML
  (``ChromiumPdfPrinter.print_pdf``: a fresh context's page, load, print), then, in
  this process, ``finish_pdf`` (metadata and CMap repair, appended as a revision) and
  ``check_pdf`` (PDFium's reading, judged) on the printed bytes;
* **concurrent**: ``CONCURRENT`` renders at once (the browser's semaphore queues the
  ones past the machine's slots), their latencies and the wall time for all;
* **memory**: the RSS of this process (the server's share of rendering), of the
  ``OffLoop`` worker processes (finishing and checking run there) and of the
  browser's process tree (main, renderers, GPU/utility), after the warm-up and after
  ``Plan.soak`` more renders.

Goals (printed under their figure, kept in ``extra`` as ``target``/``met``): p50 <
``P50_MS`` (issue 21), p95 < ``P95_MS``, p99 < ``P99_MS``; RSS growth of this
process and of the workers < ``RSS_FLAT_MB`` (flat), of the browser tree <
``BROWSER_GROWTH_MB`` (it is replaced every 500 documents). Each figure keeps the load
average when it was taken: the machine may be shared.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import Figure, Settings, percentile, summary_ms
from bench.context import load_average
from jobwise.adapters.rendering import (
    ChromiumPdfPrinter,
    ExportFormat,
    Renderer,
    RenderRequest,
    WarmBrowser,
    read_markdown,
)
from jobwise.adapters.rendering.checks import ExpectedText, check_pdf
from jobwise.adapters.rendering.pdf_finish import finish_pdf
from jobwise.adapters.rendering.processes import descendants, rss_bytes, tree_rss_bytes
from jobwise.adapters.rendering.renderer import page_html

RESUME = Path(__file__).resolve().parents[1] / "tests" / "data" / "rendering" / "long_resume.md"
TEMPLATE = "compact"
"""``long_resume.md`` is 2 pages in this template, without fitting."""
CONCURRENT = 10
P50_MS = 250.0
P95_MS = 400.0
P99_MS = 800.0
RSS_FLAT_MB = 5.0
BROWSER_GROWTH_MB = 50.0
SERVER = "chromium"
MB = 1024 * 1024
Record = Callable[[Figure], None]


@dataclass(frozen=True)
class Plan:
    warmup: int
    sequential: int
    concurrent_rounds: int
    soak: int

    @classmethod
    def make(cls, settings: Settings) -> Plan:
        if settings.quick:
            return cls(warmup=5, sequential=30, concurrent_rounds=2, soak=100)
        return cls(warmup=20, sequential=200, concurrent_rounds=5, soak=500)


def _judged(figure: Figure, target: str, met: bool) -> Figure:
    figure.extra.update({"target": target, "met": met})
    print(f"      goal {target}: {'met' if met else 'MISSED'}", flush=True)
    return figure


def _loaded(figure: Figure) -> Figure:
    figure.extra["load_average"] = [round(x, 2) for x in load_average()]
    return figure


async def _timed(renderer: Renderer, request: RenderRequest) -> float:
    started = time.perf_counter()
    out = await renderer.render(request)
    elapsed = time.perf_counter() - started
    if out.page_count != 2 or out.check is None or not out.check.passed:
        raise RuntimeError(f"bench document went wrong: {out.page_count} pages, {out.check}")
    return elapsed


async def _concurrent(
    renderer: Renderer, request: RenderRequest, plan: Plan
) -> tuple[list[float], list[float]]:
    each: list[float] = []
    walls: list[float] = []
    for _ in range(plan.concurrent_rounds):
        started = time.perf_counter()
        each += await asyncio.gather(*(_timed(renderer, request) for _ in range(CONCURRENT)))
        walls.append(time.perf_counter() - started)
    return each, walls


def worker_pids() -> list[int]:
    """This process's ``OffLoop`` workers (spawned by multiprocessing)."""
    found = []
    for pid in descendants(os.getpid()):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(pid)
    return found


def _rss(browser: WarmBrowser) -> dict[str, float]:
    """Resident memory in MB (the browser's summed over its processes, shared pages
    counted in each), and how many processes the browser has."""
    pid = browser.process_id()
    return {
        "server": rss_bytes(os.getpid()) / MB,
        "workers": sum(rss_bytes(worker) for worker in worker_pids()) / MB,
        "browser": tree_rss_bytes(pid) / MB if pid else 0.0,
        "browser_processes": 1 + len(descendants(pid)) if pid else 0,
    }


async def rendering_figures(settings: Settings, record: Record) -> None:
    """All rendering figures, recorded as they land, each goal judged as it is recorded."""
    plan = Plan.make(settings)
    request = RenderRequest(
        markdown=RESUME.read_text(encoding="utf-8"), format=ExportFormat.PDF, template=TEMPLATE
    )
    async with WarmBrowser() as browser:
        renderer = Renderer(ChromiumPdfPrinter(browser))
        for _ in range(plan.warmup):
            await _timed(renderer, request)
        await _latency(renderer, request, plan, record)
        printed = await _print_alone(browser, request, plan, record)
        _finish_and_check_alone(printed, request, plan, record)
        await _concurrency(renderer, request, plan, record, browser.settings.concurrency)
        before = _rss(browser)
        for _ in range(plan.soak):
            await _timed(renderer, request)
        _memory(before, _rss(browser), browser, plan, record)


async def _latency(renderer: Renderer, request: RenderRequest, plan: Plan, record: Record) -> None:
    latencies = [await _timed(renderer, request) for _ in range(plan.sequential)]
    label = "PDF render, 2-page resume, warm browser"
    for name, fraction, goal in (
        ("p50", 0.50, P50_MS),
        ("p95", 0.95, P95_MS),
        ("p99", 0.99, P99_MS),
    ):
        figure = Figure(
            f"render_pdf_{name}",
            f"{label}, {name}",
            SERVER,
            percentile(latencies, fraction) * 1000,
            "ms",
            count=plan.sequential,
        )
        record(_loaded(figure))
        _judged(figure, f"< {goal:.0f} ms", figure.value < goal)


async def _print_alone(
    browser: WarmBrowser, request: RenderRequest, plan: Plan, record: Record
) -> bytes:
    """Chromium alone: the same page's HTML printed, one after another."""
    printer = ChromiumPdfPrinter(browser)
    html = page_html(request, read_markdown(request.markdown), 0)
    times: list[float] = []
    content = b""
    for _ in range(plan.sequential):
        started = time.perf_counter()
        content = (await printer.print_pdf(html, request.page_size)).content
        times.append(time.perf_counter() - started)
    figure = Figure(
        "render_pdf_print_p50",
        "Chromium print alone, 2-page resume, p50",
        SERVER,
        percentile(times, 0.50) * 1000,
        "ms",
        count=len(times),
        extra={"p95_ms": percentile(times, 0.95) * 1000},
    )
    record(_loaded(figure))
    return content


def _finish_and_check_alone(
    printed: bytes, request: RenderRequest, plan: Plan, record: Record
) -> None:
    """Finishing and the parse check alone, in this process, on the printed bytes."""
    document = read_markdown(request.markdown)
    expected = ExpectedText(name=document.name, headings=tuple(document.section_titles))
    finish_times: list[float] = []
    check_times: list[float] = []
    for _ in range(plan.sequential):
        started = time.perf_counter()
        finished = finish_pdf(
            printed, title="Bench", author=document.name, subject="Resume", source_text=""
        )
        finish_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        if not check_pdf(finished, expected).passed:
            raise RuntimeError("the bench document failed its check")
        check_times.append(time.perf_counter() - started)
    for key, label, times in (
        ("render_pdf_finish_p50", "PDF finish alone (metadata, CMap repair), p50", finish_times),
        ("render_pdf_check_p50", "PDF parse check alone (PDFium), p50", check_times),
    ):
        figure = Figure(
            key,
            label,
            SERVER,
            percentile(times, 0.50) * 1000,
            "ms",
            count=len(times),
            extra={"p95_ms": percentile(times, 0.95) * 1000},
        )
        record(_loaded(figure))


async def _concurrency(
    renderer: Renderer, request: RenderRequest, plan: Plan, record: Record, slots: int
) -> None:
    each, walls = await _concurrent(renderer, request, plan)
    spread = summary_ms(each)
    label = f"PDF render, {CONCURRENT} at once"
    for name in ("p50", "p99"):
        figure = Figure(
            f"render_pdf_{CONCURRENT}x_{name}",
            f"{label}, {name}",
            SERVER,
            spread[f"{name}_ms"],
            "ms",
            count=len(each),
            extra={"slots": slots},
        )
        record(_loaded(figure))
    wall = summary_ms(walls)
    record(
        _loaded(
            Figure(
                f"render_pdf_{CONCURRENT}x_wall",
                f"{label}, wall time for all",
                SERVER,
                wall["p50_ms"],
                "ms",
                count=len(walls),
            )
        )
    )


def _memory(
    before: dict[str, float],
    after: dict[str, float],
    browser: WarmBrowser,
    plan: Plan,
    record: Record,
) -> None:
    for who, label, goal in (
        ("server", "server process", RSS_FLAT_MB),
        ("workers", "off-loop worker processes", RSS_FLAT_MB),
        ("browser", "browser process tree", BROWSER_GROWTH_MB),
    ):
        growth = Figure(
            f"render_rss_{who}",
            f"RSS growth of the {label} over {plan.soak} renders",
            SERVER,
            after[who] - before[who],
            "MB",
            count=plan.soak,
            extra={
                "before_mb": before[who],
                "after_mb": after[who],
                **(
                    {"processes": [before["browser_processes"], after["browser_processes"]]}
                    if who == "browser"
                    else {}
                ),
                "launches": browser.stats.launches,
                "recycled": browser.stats.recycled,
            },
        )
        record(_loaded(growth))
        _judged(growth, f"< {goal:.0f} MB", abs(growth.value) < goal)
