"""``jobwise serve`` as a user runs it: HTTP, the data-dir lock, signals, restarts."""

from __future__ import annotations

import re
import select
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    EXIT_SECONDS,
    JOBWISE,
    Serve,
    append_events,
    event_lines,
    free_port,
    jobwise_env,
    processes_mentioning,
    run_jobwise,
    running_serve,
    wait_pid_gone,
)


@pytest.fixture(scope="module")
def shared_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    """One serve for the tests that only look at it."""
    with running_serve(tmp_path_factory.mktemp("serve") / "data") as serve:
        yield serve


def test_health_ready_openapi_docs_and_request_id(shared_serve: Serve) -> None:
    health = shared_serve.get("/health")
    assert health.status == 200
    assert health.json() == {"status": "ok"}
    assert health.headers.get("X-Request-ID")

    ready = shared_serve.get("/ready")
    assert ready.status == 200, ready.body
    assert ready.json()["checks"] == {"database": "ok", "pubsub": "ok", "projections": "ok"}
    assert ready.headers.get("X-Request-ID")
    assert ready.headers["X-Request-ID"] != health.headers["X-Request-ID"]

    spec = shared_serve.get("/openapi.json")
    assert spec.status == 200
    document = spec.json()
    assert document["openapi"] == "3.1.0"
    assert {"/health", "/ready"} <= set(document["paths"])
    assert spec.headers.get("X-Request-ID")

    docs = shared_serve.get("/docs")
    assert docs.status == 200
    assert docs.headers["Content-Type"].startswith("text/html")
    assert b"<html" in docs.body.lower()
    assert docs.headers.get("X-Request-ID")

    missing = shared_serve.get(f"/no-such-page-{uuid.uuid4().hex}")
    assert missing.status == 404
    assert missing.headers.get("X-Request-ID")


def test_second_serve_on_the_same_data_dir_is_refused(
    shared_serve: Serve, serve_factory: Callable[..., Serve]
) -> None:
    second = serve_factory(shared_serve.data_dir)
    started = time.monotonic()
    code = _wait_exit(second)
    assert code != 0
    assert time.monotonic() - started < EXIT_SECONDS
    output = second.log()
    assert "in use" in output, output
    assert str(shared_serve.data_dir.resolve()) in output, output
    # It started no database of its own.
    assert processes_mentioning(str(shared_serve.data_dir.resolve())) == [shared_serve.server_pid]

    # The first one is untouched: still serving, still the published owner.
    assert shared_serve.process.poll() is None
    assert shared_serve.get("/health").status == 200
    assert shared_serve.get("/ready").status == 200
    assert shared_serve.embedded()["pid"] == shared_serve.process.pid


def _wait_exit(serve: Serve, timeout: float = EXIT_SECONDS) -> int:
    try:
        return serve.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        serve.fail(f"a second serve did not exit within {timeout:.0f}s")
        raise


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_stops_serve_and_its_database(tmp_path: Path, sig: signal.Signals) -> None:
    data_dir = tmp_path / "data"
    with running_serve(data_dir) as serve:
        server_pid = serve.server_pid
        assert server_pid is not None

        code = serve.stop(sig)

        assert code == 0, serve.log()[-3000:]
        assert wait_pid_gone(server_pid), f"SecantusDB {server_pid} outlived serve"
        assert not (data_dir / "embedded.json").exists()
        assert processes_mentioning(str(data_dir.resolve())) == []


def test_kill_9_of_serve_leaves_no_orphan_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_serve(data_dir) as serve:
        server_pid = serve.server_pid
        assert server_pid is not None

        serve.stop(signal.SIGKILL)

        assert wait_pid_gone(server_pid), f"SecantusDB {server_pid} orphaned by kill -9"
        assert processes_mentioning(str(data_dir.resolve())) == []


def test_serve_starts_again_right_after_a_kill_9(tmp_path: Path) -> None:
    """The dead owner's database is still closing its files: the new serve waits for it."""
    data_dir = tmp_path / "data"
    with running_serve(data_dir) as first:
        first.stop(signal.SIGKILL)
        with running_serve(data_dir, port=free_port()) as second:
            assert second.server_pid != first.server_pid
            assert second.get("/ready").status == 200


def test_events_survive_a_restart(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job, note, other = (f"{kind}-{uuid.uuid4().hex[:8]}" for kind in ("job", "note", "other"))
    plan = [
        (job, "job", ["E2eJobSaved", "E2eJobEdited", "E2eJobEdited"]),  # one transaction
        (note, "note", ["E2eNoteAdded"]),
        (other, "other", ["E2eOtherHappened"]),
        (note, "note", ["E2eNoteAdded", "E2eNoteAdded"]),
        (job, "job", ["E2eJobArchived"]),
    ]
    with running_serve(data_dir) as first:
        written = append_events(first.mongo_url, plan)
        first_pid = first.server_pid
        assert first.stop(signal.SIGTERM) == 0, first.log()[-3000:]
    assert first_pid is not None and wait_pid_gone(first_pid)

    with running_serve(data_dir, port=free_port()) as second:
        assert second.server_pid != first_pid
        listed = run_jobwise(data_dir, "events", "--json")
        assert listed.returncode == 0, listed.stderr
        events = event_lines(listed.stdout)
        assert [e["position"] for e in events] == list(range(1, len(written) + 1))
        assert [e["event_id"] for e in events] == [w.event_id for w in written]
        assert [e["type"] for e in events] == [w.type for w in written]
        assert [e["stream_id"] for e in events] == [w.stream_id for w in written]
        assert {e["metadata"]["user_id"] for e in events} == {written[0].user_id}
        by_stream: dict[str, list[int]] = {}
        for e in events:
            by_stream.setdefault(e["stream_id"], []).append(e["version"])
        assert by_stream == {job: [1, 2, 3, 4], note: [1, 2, 3], other: [1]}
        assert second.stop(signal.SIGTERM) == 0


def test_production_without_jwt_secret_refuses_to_start(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    result = run_jobwise(
        data_dir,
        "serve",
        "--port",
        str(free_port()),
        env=jobwise_env(data_dir, JOBWISE_ENV="production"),
        timeout=EXIT_SECONDS,
    )
    assert result.returncode != 0
    assert "JWT_SECRET_KEY" in result.stderr
    assert not (data_dir / "embedded.json").exists()
    assert not (data_dir / "db").exists()
    assert processes_mentioning(str(data_dir.resolve())) == []


def test_a_port_in_use_is_one_line_before_anything_starts(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_jobwise(data_dir, "serve", "--port", str(port), timeout=EXIT_SECONDS)
    assert result.returncode == 2
    # One line and nothing else: no worker, projection or database line before it.
    assert result.stderr.strip().splitlines() == [
        f"jobwise: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(another server may be using it: choose a port with --port)"
    ]
    # Told before the embedded database started: it never made its files.
    assert not (data_dir / "db").exists()
    assert processes_mentioning(str(data_dir.resolve())) == []


def test_serve_on_port_zero_says_the_port_it_took(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    started = subprocess.Popen(
        [*JOBWISE, "serve", "--port", "0"],
        env=jobwise_env(data_dir),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        announced = _line_saying(started, "JobWise serving on", EXIT_SECONDS)
        match = re.search(r"http://127\.0\.0\.1:(\d+) ", announced)
        assert match and int(match.group(1)) > 0, announced
        port = int(match.group(1))
        with socket.create_connection(("127.0.0.1", port), timeout=EXIT_SECONDS):
            pass
        # The listening socket keeps the backlog serve asked for (aiohttp's site would
        # listen again with its default of 128): ss shows it as Send-Q.
        shown = subprocess.run(
            ["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True, check=True
        ).stdout.split()
        assert shown[2] == "1024", shown
    finally:
        started.send_signal(signal.SIGTERM)
        started.wait(timeout=EXIT_SECONDS)


def _line_saying(process: subprocess.Popen[str], text: str, seconds: float) -> str:
    """The first line of ``process``'s stderr that holds ``text``, waiting ``seconds``."""
    assert process.stderr is not None
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([process.stderr], [], [], left)
        line = process.stderr.readline() if ready else ""
        if text in line:
            return line
        if ready and not line:
            break  # the process ended
    pytest.fail(f"no line saying {text!r} within {seconds} s")


def test_an_address_not_on_this_machine_is_one_line_without_the_port_hint(
    tmp_path: Path,
) -> None:
    result = run_jobwise(
        tmp_path / "data", "serve", "--host", "203.0.113.9", "--port", "8000", timeout=EXIT_SECONDS
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "jobwise: cannot listen on 203.0.113.9:8000: Cannot assign requested address"
    ]


def test_help_shows_defaults_and_projection_names(tmp_path: Path) -> None:
    serve_help = run_jobwise(tmp_path, "serve", "--help")
    assert "default: 127.0.0.1" in serve_help.stdout and "default: 8000" in serve_help.stdout
    rebuild_help = run_jobwise(tmp_path, "rebuild", "--help")
    assert "jobs, profiles, saved_jobs, streams, users" in " ".join(rebuild_help.stdout.split())


@pytest.mark.parametrize("command", ["serve", "events", "rebuild", "verify", "worker"])
def test_each_command_describes_itself_in_its_help(tmp_path: Path, command: str) -> None:
    overview = run_jobwise(tmp_path, "--help").stdout
    shown = run_jobwise(tmp_path, command, "--help")
    assert shown.returncode == 0
    usage, description = shown.stdout.split("\n\n")[:2]
    assert usage.startswith(f"usage: jobwise {command}")
    # A description of its own: whole sentences, more than the one-line summary.
    assert description.strip().endswith(".") and len(description.split()) >= 12, description
    assert " ".join(description.split()) not in " ".join(overview.split())
