"""``python -m bench``: start SecantusDB, measure, print the table, write the JSON."""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
import time
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from bench import documents_quality, report, resume_reader
from bench.auth import auth_figures
from bench.common import (
    SYNC_OFF,
    SYNC_ON,
    Figure,
    Mongo,
    Settings,
    embedded,
    event_store,
    mongo,
)
from bench.context import describe, load_average, machine_context
from bench.cpu import CpuMeter
from bench.eventstore import (
    appends_one_store,
    appends_separate_stores,
    fill,
    fill_figure,
    first_page_cost,
    read_all_pages,
)
from bench.generation import generation_figures
from bench.inserts import plain_inserts
from bench.jobs import jobs_figures
from bench.live import live_figures
from bench.profiles import profile_figures
from bench.projections import lag_p99_figure, projection_lag, rebuild_streams
from bench.rendering import rendering_figures
from bench.writes import write_figures
from jobwise.adapters.eventstore.mongo import MongoEventStore

GROUPS = (
    "insert",
    "append",
    "read",
    "lag",
    "rebuild",
    "auth",
    "profiles",
    "jobs",
    "writes",
    "rendering",
    "generation",
    "live",
    "documents-quality",
    "resume-reader",
)
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
WRITERS = 8
Bench = Callable[[Mongo, Settings, CpuMeter, str], Awaitable[Figure]]
Phase = Callable[["Run", set[str]], Coroutine[Any, Any, None]]


class Run:
    """One server's measurements: collects figures and prints each as it lands."""

    def __init__(self, url: str, server_pid: int, server: str, settings: Settings) -> None:
        self.url = url
        self.meter = CpuMeter(server_pid)
        self.server = server
        self.settings = settings
        self.figures: list[Figure] = []

    def record(self, *figures: Figure) -> None:
        for figure in figures:
            self.figures.append(figure)
            print(
                f"  [{self.server}] {figure.label}: {figure.value:,.1f} {figure.unit}", flush=True
            )

    async def measure(self, database: str, bench: Bench) -> Figure:
        async with mongo(self.url, database) as pair:
            figure = await bench(pair, self.settings, self.meter, self.server)
        self.record(figure)
        return figure


async def yardstick_and_single_append(run: Run, groups: set[str]) -> None:
    if "insert" in groups:
        await run.measure("bench_insert", functools.partial(plain_inserts, writers=1))
    if "append" in groups:
        await run.measure("bench_append_1", functools.partial(appends_one_store, writers=1))


async def sync_off_phase(run: Run, groups: set[str]) -> None:
    await yardstick_and_single_append(run, groups)


async def sync_on_phase(run: Run, groups: set[str]) -> None:
    await yardstick_and_single_append(run, groups)
    if "insert" in groups:
        await run.measure("bench_insert", functools.partial(plain_inserts, writers=WRITERS))
    if "append" in groups:
        await run.measure("bench_append_8", functools.partial(appends_one_store, writers=WRITERS))
        run.record(
            await appends_separate_stores(
                run.url, "bench_append_sep", run.settings, run.meter, run.server, WRITERS
            )
        )
    if "lag" in groups:
        run.record(lag_p99_figure(await run.measure("bench_lag", projection_lag)))
    if groups & {"read", "rebuild"}:
        await history_phase(run, groups)
    if "auth" in groups:
        await auth_figures(run.url, run.settings, run.meter, run.server, run.record)
    if "profiles" in groups:
        await profile_figures(run.url, run.settings, run.meter, run.server, run.record)
    if "jobs" in groups:
        await jobs_figures(run.url, run.settings, run.meter, run.server, run.record)
    if "writes" in groups:
        await write_figures(run.url, run.settings, run.meter, run.server, run.record)
    if "rendering" in groups:
        await rendering_figures(run.settings, run.record)
    if "generation" in groups:
        await generation_figures(run.url, run.settings, run.record)
    if "live" in groups:
        await live_figures(run.url, run.settings, run.meter, run.server, run.record)


async def history_phase(run: Run, groups: set[str]) -> None:
    """Fill a log, read it back, grow it, then rebuild a projection from it.

    ``read_all`` is measured on the smaller log: a page's cost grows with the log
    (see the page-cost lines), so it would otherwise take minutes.
    """
    settings = run.settings
    total = settings.rebuild_events if "rebuild" in groups else settings.read_events
    first = min(total, settings.read_events)
    async with mongo(run.url, "bench_history") as pair, event_store(*pair) as store:
        await _fill(run, store, 0, first)
        if "read" in groups:
            run.record(
                await read_all_pages(store, first, settings.page_size, run.meter, run.server)
            )
            run.record(await first_page_cost(store, settings.page_size, run.server))
        if "rebuild" in groups:
            if total > first:
                await _fill(run, store, first, total - first)
                run.record(await first_page_cost(store, settings.page_size, run.server))
            run.record(
                await rebuild_streams(
                    pair, store, run.meter, run.server, settings.rebuild_max_seconds
                )
            )


async def _fill(run: Run, store: MongoEventStore, first: int, count: int) -> None:
    if count <= 0:
        return
    print(f"  [{run.server}] filling events {first:,}..{first + count - 1:,} ...", flush=True)
    seconds = await fill(store, first, count, run.settings)
    run.record(fill_figure(first, count, seconds, run.settings, run.server))


def run_server(
    sync_on_commit: bool,
    phase: Phase,
    settings: Settings,
    groups: set[str],
) -> list[Figure]:
    server = SYNC_ON if sync_on_commit else SYNC_OFF
    print(f"\nSecantusDB on disk, --sync-on-commit {'ON' if sync_on_commit else 'OFF'}", flush=True)
    with embedded(sync_on_commit) as process:
        run = Run(process.url, process.process.pid, server, settings)
        asyncio.run(phase(run, groups))
    return run.figures


def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short smoke run (~1 minute)")
    parser.add_argument(
        "--only", action="append", choices=GROUPS, help="run only this group (repeatable)"
    )
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"default: {RESULTS}")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    settings = Settings.make(args.quick)
    groups = set(args.only or GROUPS)
    context = machine_context()
    print(describe(context), flush=True)
    started = time.perf_counter()
    figures: list[Figure] = []
    if "documents-quality" in groups:  # no database: stages 2-4 on the quality corpus
        figures += asyncio.run(documents_quality.measure())
        groups.discard("documents-quality")
    if "resume-reader" in groups:  # no database: files read into drafts
        figures += asyncio.run(resume_reader.measure())
        groups.discard("resume-reader")
    if groups & {"insert", "append"}:
        figures += run_server(False, sync_off_phase, settings, groups)
    if groups:
        figures += run_server(True, sync_on_phase, settings, groups)
    context["duration_s"] = round(time.perf_counter() - started, 1)
    context["load_average_at_end"] = load_average()
    print_report(figures, context)
    report.write_json(args.json, report.payload(figures, context, settings))
    print(f"\nwritten: {args.json}")
    return 0


def print_report(figures: list[Figure], context: dict[str, object]) -> None:
    print(f"\n{report.table(figures)}")
    print("\ncpu cl/srv: cores kept busy by the bench client / by the SecantusDB server")
    if any(f.key.startswith("auth_") for f in figures):
        print("  (auth req/s rows: cl = load generator + bench, srv = the app's own process)")
    if any(f.key == "profile_get_rps" for f in figures):
        print("  (profile GET req/s row: cl = wrk + bench, srv = the app's own process)")
    if any(f.key.startswith("jobs_") and f.unit == "req/s" for f in figures):
        print("  (jobs req/s rows: cl = load generator + bench, srv = the app's own process)")
    sync_cost = report.cost_of_sync(figures)
    if sync_cost:
        print(f"\ncost of --sync-on-commit:\n{sync_cost}")
    print(f"\ndetails:\n{report.details(figures)}")
    print(f"\nload average at end: {context['load_average_at_end']}")
    print(f"total run time: {context['duration_s']} s")


if __name__ == "__main__":
    raise SystemExit(main())
