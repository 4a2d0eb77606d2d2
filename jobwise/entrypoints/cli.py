"""The ``jobwise`` command: serve, and the tools that read the event history."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import os
import socket
import sys
import time
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING, Any

from jobwise.adapters.embedded import EmbeddedError
from jobwise.entrypoints import key_commands, log_commands
from jobwise.entrypoints.audit_commands import add_audit_commands
from jobwise.entrypoints.logs import configure_logging
from jobwise.entrypoints.tools import run_tool
from jobwise.projections import all_projections
from jobwise.settings import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from jobwise.bootstrap import Runtime
    from jobwise.entrypoints.http.keys import ScrapeHook
    from jobwise.entrypoints.http.server import ConnectionGuard

# The application itself (bootstrap, the HTTP app) is imported by the commands that run
# it, not here: ``jobwise worker --health``, a container's health check every few
# seconds, then costs a fraction of a second instead of several.


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        return int(args.run(args, settings))
    except (SettingsError, EmbeddedError) as error:
        print(f"jobwise: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jobwise", description="JobWise: the API server and its event-history tools."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")
    for add in (_add_serve, add_audit_commands, _add_rebuild, _add_verify, _add_worker):
        add(commands)
    log_commands.add_log_commands(commands)
    key_commands.add_key_commands(commands)
    return parser


Commands = Any
"""argparse's sub-parser action (its class is private)."""


def _add_serve(commands: Commands) -> None:
    serve = commands.add_parser(
        "serve",
        help="run the API, WebSocket endpoint and projections",
        description=(
            "Serve the HTTP API, the web client at /, live updates (WebSocket and SSE), "
            "the projections that keep the read models, and a generation worker "
            "(--no-worker for none). Without MONGODB_URL it starts the embedded database in "
            "JOBWISE_DATA_DIR. SIGTERM/SIGINT drain it within JOBWISE_DRAIN_SECONDS: no new "
            "connections, live sockets closed with 1001, requests in flight and running "
            "generations finish or are handed over; a second signal exits at once."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="run no generation worker here (as JOBWISE_WORKER_CONCURRENCY=0): "
        "`jobwise worker` processes run the generations",
    )
    serve.set_defaults(run=_serve)


def _add_rebuild(commands: Commands) -> None:
    rebuild_cmd = commands.add_parser(
        "rebuild",
        help="rebuild read models from the event store",
        description=(
            "Empty the named read models (all by default) and replay the whole event "
            "store into them, printing each one's event count and speed."
        ),
    )
    names = ", ".join(sorted(projection.name for projection in all_projections()))
    rebuild_cmd.add_argument(
        "projections",
        nargs="*",
        metavar="PROJECTION",
        help=f"names to rebuild (default: all): {names}",
    )
    rebuild_cmd.set_defaults(run=_rebuild)


def _add_verify(commands: Commands) -> None:
    verify_cmd = commands.add_parser(
        "verify",
        help="rebuild into scratch collections and diff with the live read models",
        description=(
            "Replay the event store into scratch collections and compare them with the "
            "live read models; print each difference. Exit code 0 when they match, 1 when not."
        ),
    )
    log_commands.add_chain_options(verify_cmd)
    verify_cmd.set_defaults(run=_verify)


def _add_worker(commands: Commands) -> None:
    worker = commands.add_parser(
        "worker",
        help="run a generation worker alone (beside serve, or on MONGODB_URL; several may run)",
        description=(
            "Run generations (analyze, compile, generate, validate, export) taken from the "
            "event store under leases, until SIGTERM/SIGINT: running ones then finish within "
            "JOBWISE_DRAIN_SECONDS or are handed over (a second signal exits at once). "
            "Beside a serve it uses that serve's database; several workers may run at once. "
            "With JOBWISE_WORKER_HEARTBEAT set it keeps that file fresh, and --health reads it."
        ),
    )
    worker.add_argument(
        "--health",
        action="store_true",
        help="only check the worker running here (its JOBWISE_WORKER_HEARTBEAT file): "
        "exit 0 if it is healthy, 1 if not",
    )
    worker.add_argument(
        "--concurrency",
        type=int,
        default=None,
        metavar="N",
        help="generations run at once (default: JOBWISE_WORKER_CONCURRENCY, else 4)",
    )
    worker.add_argument(
        "--metrics-port",
        type=int,
        default=None,
        metavar="PORT",
        help="serve /metrics (Prometheus) and /health on this port (default: none)",
    )
    worker.add_argument(
        "--metrics-host",
        default="127.0.0.1",
        metavar="HOST",
        help="address the metrics port listens on (default: 127.0.0.1)",
    )
    worker.set_defaults(run=_worker)


def _connection_guard(settings: Settings) -> ConnectionGuard:
    from jobwise.entrypoints.http.clients import TrustedProxies
    from jobwise.entrypoints.http.server import ConnectionGuard, descriptor_budget

    return ConnectionGuard(
        max_connections=settings.max_connections or min(10_000, descriptor_budget()),
        max_per_address=settings.max_connections_per_address,
        trusted=TrustedProxies.parse(settings.trusted_proxies),
    )


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from jobwise.adapters.database import serving_database
    from jobwise.entrypoints.http.factory import create_app
    from jobwise.entrypoints.http.server import listen, run, serve

    # The port first: when it is taken, say so at once, before a database or a worker
    # starts (and before any of them logs a line that would bury the reason).
    try:
        listeners = listen(args.host, args.port)
    except OSError as error:
        print(f"jobwise: cannot listen on {args.host}:{args.port}: {_why(error)}", file=sys.stderr)
        return 2
    if args.no_worker:
        settings = settings.model_copy(update={"worker_concurrency": 0})
    configure_logging(settings)
    guard = _connection_guard(settings)
    with contextlib.ExitStack() as closing:
        for listener in listeners:
            closing.callback(listener.close)
        mongo_url = closing.enter_context(serving_database(settings))
        app = create_app(settings, mongo_url=mongo_url, warm_browser=True)
        # SIGTERM/SIGINT drain ``serve`` (see ``serve``); then the embedded server is
        # stopped as this ``with`` block ends, and the sockets closed.
        run(
            serve(
                app,
                listeners=listeners,
                guard=guard,
                keepalive_timeout=settings.keepalive_timeout,
                drain_seconds=settings.drain_seconds,
                drain_work_seconds=settings.drain_work_seconds,
                announce=_say,
            )
        )
    return 0


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _why(error: OSError, option: str = "--port") -> str:
    if isinstance(error, socket.gaierror):
        return f"no such host ({error.strerror})"
    reason = os.strerror(error.errno) if error.errno else str(error)
    if error.errno == errno.EADDRINUSE:
        return f"{reason} (another server may be using it: choose a port with {option})"
    return reason


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from jobwise.projections.maintenance import rebuild

    async def work(runtime: Runtime) -> int:
        by_name = {p.name: p for p in runtime.projections}
        unknown = [name for name in args.projections if name not in by_name]
        if unknown:
            print(
                f"jobwise: unknown projection(s): {', '.join(unknown)}; "
                f"known: {', '.join(sorted(by_name))}",
                file=sys.stderr,
            )
            return 2
        for name in args.projections or sorted(by_name):
            started = time.perf_counter()
            position = await rebuild(by_name[name], runtime.store, runtime.client, runtime.database)
            seconds = time.perf_counter() - started
            rate = position / seconds if seconds > 0 else 0.0
            print(f"rebuilt {name}: {position} events in {seconds:.2f}s ({rate:,.0f} events/s)")
        return 0

    return run_tool(settings, work)


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    from jobwise.projections.maintenance import verify

    if args.chain or args.source:
        return log_commands.verify_chain(args, settings)

    async def work(runtime: Runtime) -> int:
        differences = await verify(
            runtime.projections, runtime.store, runtime.client, runtime.database
        )
        for difference in differences:
            print(difference.describe())
        names = ", ".join(p.name for p in runtime.projections)
        if differences:
            print(f"verify: {len(differences)} difference(s) in [{names}]", file=sys.stderr)
            return 1
        print(f"verify: read models match a full rebuild ({names})")
        return 0

    return run_tool(settings, work)


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    if args.health:
        return _worker_health(settings)
    if args.concurrency is not None and args.concurrency < 1:
        print("jobwise: --concurrency must be at least 1", file=sys.stderr)
        return 2
    if args.metrics_port is not None and not 0 <= args.metrics_port <= 65535:
        print("jobwise: --metrics-port must be between 0 and 65535", file=sys.stderr)
        return 2
    from jobwise.adapters.database import tool_database

    listeners: list[socket.socket] = []
    if args.metrics_port is not None:
        from jobwise.entrypoints.http.server import listen

        # As serve does: a port in use is said at once, before the database starts.
        try:
            listeners = listen(args.metrics_host, args.metrics_port)
        except OSError as error:
            where = f"{args.metrics_host}:{args.metrics_port}"
            why = _why(error, "--metrics-port")
            print(f"jobwise: cannot listen on {where}: {why}", file=sys.stderr)
            return 2
    configure_logging(settings)
    with contextlib.ExitStack() as closing:
        for listener in listeners:
            closing.callback(listener.close)
        mongo_url = closing.enter_context(tool_database(settings))
        return asyncio.run(_run_worker(args, settings, mongo_url, listeners))


async def _run_worker(
    args: argparse.Namespace,
    settings: Settings,
    mongo_url: str,
    listeners: list[socket.socket],
) -> int:
    from jobwise.bootstrap import build_generation_worker, open_runtime, worker_settings
    from jobwise.entrypoints import heartbeat
    from jobwise.entrypoints.shutdown import Shutdown

    shutdown = Shutdown(settings.drain_seconds, _say)
    shutdown.install()
    # No projections here: the API processes keep the read models; a worker's writes
    # are stage events, which never wait for them.
    async with open_runtime(settings, mongo_url, run_projections=False) as runtime:
        chosen = worker_settings(runtime, args.concurrency)
        worker = build_generation_worker(runtime, chosen)
        await worker.start()
        runtime.documents.warm_up()
        beating = None
        if settings.worker_heartbeat is not None:
            beating = asyncio.create_task(heartbeat.keep(settings.worker_heartbeat, worker))
        print(
            f"jobwise worker {worker.worker_id}: running up to "
            f"{chosen.concurrency} generations at once (Ctrl+C to stop)",
            file=sys.stderr,
            flush=True,
        )
        async with _worker_metrics(
            settings, listeners, {"generations queued": worker.record_queue}
        ):
            await shutdown.wait()
        # Running generations finish within the drain's working part, or are stopped and
        # their leases released for another worker to take at once.
        await worker.stop()
        if beating is not None:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating
    return 0


@contextlib.asynccontextmanager
async def _worker_metrics(
    settings: Settings, listeners: list[socket.socket], hooks: dict[str, ScrapeHook]
) -> AsyncIterator[None]:
    """``/metrics`` and ``/health`` on ``listeners`` (none: nothing is served)."""
    if not listeners:
        yield
        return
    from jobwise.entrypoints.http.metrics_server import metrics_app, serving
    from jobwise.entrypoints.http.server import site_url

    app = metrics_app(settings, hooks)
    async with serving(app, listeners, _connection_guard(settings), settings.keepalive_timeout):
        urls = " and ".join(site_url(listener) + "/metrics" for listener in listeners)
        print(f"jobwise worker: metrics on {urls}", file=sys.stderr, flush=True)
        yield


def _worker_health(settings: Settings) -> int:
    from jobwise.entrypoints import heartbeat

    if settings.worker_heartbeat is None:
        print("jobwise: set JOBWISE_WORKER_HEARTBEAT to its file", file=sys.stderr)
        return 2
    healthy, why = heartbeat.check(settings.worker_heartbeat)
    print(why, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())
