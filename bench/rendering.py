"""Rendering: PDF latency with a warm browser, under concurrency, and memory over time.

* **latency**: ``Renderer.render`` of a 2-page resume (``long_resume.md`` in the
  compact template: print, metadata, text-layer repair and the parse check, all that
  ``POST /documents/{id}/export`` pays), one at a time after a warm-up;
* **concurrent**: ``CONCURRENT`` renders at once (the browser's semaphore queues the
  ones past the machine's slots), their latencies and the wall time for all;
* **memory**: the RSS of this process (the server's share of rendering) and of the
  browser's process tree (main, renderers, GPU/utility), after the warm-up and after
  ``Plan.soak`` more renders.

Goals (printed under their figure, kept in ``extra`` as ``target``/``met``): p50 <
``P50_MS``, p99 < ``P99_MS``, each RSS growth < ``RSS_GROWTH_MB``.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.common import Figure, Settings, summary_ms
from jobwise.adapters.rendering import (
    ChromiumPdfPrinter,
    ExportFormat,
    Renderer,
    RenderRequest,
    WarmBrowser,
)
from jobwise.adapters.rendering.processes import rss_bytes, tree_rss_bytes

RESUME = Path(__file__).resolve().parents[1] / "tests" / "data" / "rendering" / "long_resume.md"
TEMPLATE = "compact"
"""``long_resume.md`` is 2 pages in this template, without fitting."""
CONCURRENT = 10
P50_MS = 300.0
P99_MS = 800.0
RSS_GROWTH_MB = 50.0
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


async def _timed(renderer: Renderer, request: RenderRequest) -> float:
    started = time.perf_counter()
    out = await renderer.render(request)
    elapsed = time.perf_counter() - started
    if out.page_count != 2 or out.check is None or not out.check.passed:
        raise RuntimeError(f"bench document went wrong: {out.page_count} pages, {out.check}")
    return elapsed


async def _latency(renderer: Renderer, request: RenderRequest, plan: Plan) -> list[float]:
    return [await _timed(renderer, request) for _ in range(plan.sequential)]


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


def _rss(browser: WarmBrowser) -> tuple[float, float]:
    pid = browser.process_id()
    return rss_bytes(os.getpid()) / MB, (tree_rss_bytes(pid) / MB if pid else 0.0)


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
        summary = summary_ms(await _latency(renderer, request, plan))
        label = "PDF render, 2-page resume, warm browser"
        p50 = Figure("render_pdf_p50", f"{label}, p50", SERVER, summary["p50_ms"], "ms")
        p99 = Figure("render_pdf_p99", f"{label}, p99", SERVER, summary["p99_ms"], "ms")
        p50.count = p99.count = plan.sequential
        record(p50)
        _judged(p50, f"< {P50_MS:.0f} ms", p50.value < P50_MS)
        record(p99)
        _judged(p99, f"< {P99_MS:.0f} ms", p99.value < P99_MS)

        each, walls = await _concurrent(renderer, request, plan)
        spread = summary_ms(each)
        label = f"PDF render, {CONCURRENT} at once"
        slots = browser.settings.concurrency
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
            record(figure)
        wall = summary_ms(walls)
        record(
            Figure(
                f"render_pdf_{CONCURRENT}x_wall",
                f"{label}, wall time for all",
                SERVER,
                wall["p50_ms"],
                "ms",
                count=len(walls),
            )
        )

        server_before, browser_before = _rss(browser)
        for _ in range(plan.soak):
            await _timed(renderer, request)
        server_after, browser_after = _rss(browser)
        for key, who, before, after in (
            ("render_rss_server", "server process", server_before, server_after),
            ("render_rss_browser", "browser process tree", browser_before, browser_after),
        ):
            growth = Figure(
                key,
                f"RSS growth of the {who} over {plan.soak} renders",
                SERVER,
                after - before,
                "MB",
                count=plan.soak,
                extra={
                    "before_mb": before,
                    "after_mb": after,
                    "launches": browser.stats.launches,
                    "recycled": browser.stats.recycled,
                },
            )
            record(growth)
            _judged(growth, f"< {RSS_GROWTH_MB:.0f} MB", abs(growth.value) < RSS_GROWTH_MB)
