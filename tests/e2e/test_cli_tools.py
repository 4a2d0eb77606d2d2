"""``jobwise events / rebuild / verify`` beside a running serve, and on their own."""

from __future__ import annotations

import signal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pymongo import MongoClient

from jobwise.projections import all_projections
from tests.e2e.conftest import (
    DB_NAME,
    Appended,
    Serve,
    append_events,
    event_lines,
    processes_mentioning,
    run_jobwise,
    run_jobwise_many,
    running_serve,
    wait_no_process_mentioning,
    wait_pid_gone,
)


@dataclass
class Seeded:
    serve: Serve
    events: list[Appended]
    job: str
    note: str

    @property
    def data_dir(self) -> Path:
        return self.serve.data_dir


def _plan(job: str, note: str) -> list[tuple[str, str, list[str]]]:
    return [
        (job, "job", ["E2eJobSaved", "E2eJobEdited"]),
        (note, "note", ["E2eNoteAdded"]),
        (job, "job", ["E2eJobArchived"]),
        (note, "note", ["E2eNoteAdded", "E2eNoteAdded"]),
    ]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Seeded]:
    """A running serve whose store holds a few events on two streams."""
    job, note = f"job-{uuid.uuid4().hex[:8]}", f"note-{uuid.uuid4().hex[:8]}"
    with running_serve(tmp_path_factory.mktemp("cli") / "data") as serve:
        events = append_events(serve.mongo_url, _plan(job, note))
        # The projections have taken the appends in once /ready is 200 again.
        serve.wait_ready()
        yield Seeded(serve, events, job, note)


def _live_streams(seeded: Seeded) -> dict[str, dict[str, object]]:
    client: MongoClient[dict[str, object]] = MongoClient(
        seeded.serve.mongo_url, serverSelectionTimeoutMS=10_000
    )
    try:
        return {str(d["_id"]): d for d in client[DB_NAME]["streams"].find({})}
    finally:
        client.close()


def test_events_prints_the_history_as_text(seeded: Seeded) -> None:
    result = run_jobwise(seeded.data_dir, "events")

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(seeded.events)
    for position, (line, event) in enumerate(zip(lines, seeded.events, strict=True), start=1):
        assert line.startswith(f"#{position} ")
        assert f"{event.stream_type}/{event.stream_id}" in line
        assert event.type in line
        assert event.user_id in line


def test_events_filters(seeded: Seeded) -> None:
    by_stream, after, limited, job_after, no_user = run_jobwise_many(
        seeded.data_dir,
        [
            ["events", "--json", "--stream", seeded.job],
            ["events", "--json", "--after", "3"],
            ["events", "--json", "--limit", "2"],
            ["events", "--json", "--stream", seeded.job, "--after", "2"],
            ["events", "--user", "nobody@example.com"],
        ],
    )

    for result in (by_stream, after, limited, job_after):
        assert result.returncode == 0, (result.args, result.stderr)
    job_events = [e for e in seeded.events if e.stream_id == seeded.job]
    listed = event_lines(by_stream.stdout)
    assert [e["event_id"] for e in listed] == [e.event_id for e in job_events]
    assert [e["version"] for e in listed] == [1, 2, 3]

    listed = event_lines(after.stdout)
    assert [e["position"] for e in listed] == list(range(4, len(seeded.events) + 1))
    assert [e["event_id"] for e in listed] == [e.event_id for e in seeded.events[3:]]

    assert [e["position"] for e in event_lines(limited.stdout)] == [1, 2]

    listed = event_lines(job_after.stdout)
    assert [e["event_id"] for e in listed] == [job_events[2].event_id]

    assert no_user.returncode == 1
    assert "nobody@example.com" in no_user.stderr
    assert no_user.stdout == ""


def test_events_json_lines_parse(seeded: Seeded) -> None:
    result = run_jobwise(seeded.data_dir, "events", "--json")

    assert result.returncode == 0, result.stderr
    listed = event_lines(result.stdout)
    assert [e["position"] for e in listed] == list(range(1, len(seeded.events) + 1))
    assert [e["event_id"] for e in listed] == [e.event_id for e in seeded.events]
    for line, event in zip(listed, seeded.events, strict=True):
        assert line["type"] == event.type
        assert line["stream_id"] == event.stream_id
        assert line["stream_type"] == event.stream_type
        assert line["metadata"]["user_id"] == event.user_id
        assert line["data"]["stream"] == event.stream_id
        assert line["recorded_at"]


def test_verify_passes_after_activity(seeded: Seeded) -> None:
    seeded.serve.wait_ready()
    result = run_jobwise(seeded.data_dir, "verify")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "match" in result.stdout


def test_rebuild_then_verify(seeded: Seeded) -> None:
    before = _live_streams(seeded)

    rebuilt = run_jobwise(seeded.data_dir, "rebuild")

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilt streams" in rebuilt.stdout
    for projection in all_projections():
        assert f"rebuilt {projection.name}: {len(seeded.events)} events" in rebuilt.stdout
    assert _live_streams(seeded) == before
    seeded.serve.wait_ready()
    verified = run_jobwise(seeded.data_dir, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_rebuild_of_an_unknown_projection_names_the_known_ones(seeded: Seeded) -> None:
    result = run_jobwise(seeded.data_dir, "rebuild", "nope")

    assert result.returncode == 2
    assert "nope" in result.stderr
    for projection in all_projections():
        assert projection.name in result.stderr
    assert "rebuilt" not in result.stdout


def test_verify_reports_a_tampered_read_model(seeded: Seeded) -> None:
    client: MongoClient[dict[str, object]] = MongoClient(
        seeded.serve.mongo_url, serverSelectionTimeoutMS=10_000
    )
    streams = client[DB_NAME]["streams"]
    original = streams.find_one({"_id": seeded.note})
    assert original is not None and original["user_id"] is not None
    try:
        streams.update_one({"_id": seeded.note}, {"$set": {"user_id": "mallory-999"}})

        result = run_jobwise(seeded.data_dir, "verify")

        assert result.returncode == 1, result.stdout + result.stderr
        assert seeded.note in result.stdout
        assert "user_id" in result.stdout and "mallory-999" in result.stdout
        assert seeded.job not in result.stdout
        assert "difference" in result.stderr

        repaired = run_jobwise(seeded.data_dir, "rebuild", "streams")
        assert repaired.returncode == 0, repaired.stderr
        assert "rebuilt streams" in repaired.stdout
        assert streams.find_one({"_id": seeded.note}) == original
        verified = run_jobwise(seeded.data_dir, "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr
    finally:
        streams.update_one({"_id": seeded.note}, {"$set": {"event_count": 3}})
        client.close()


def test_tools_without_serve_run_their_own_database(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    job, note = f"job-{uuid.uuid4().hex[:8]}", f"note-{uuid.uuid4().hex[:8]}"
    with running_serve(data_dir) as serve:
        written = append_events(serve.mongo_url, _plan(job, note))
        serve.wait_ready()
        server_pid = serve.server_pid
        assert serve.stop(signal.SIGTERM) == 0
    assert server_pid is not None and wait_pid_gone(server_pid)
    assert not (data_dir / "embedded.json").exists()

    listed = run_jobwise(data_dir, "events", "--json")
    assert listed.returncode == 0, listed.stderr
    events = event_lines(listed.stdout)
    assert [e["position"] for e in events] == list(range(1, len(written) + 1))
    assert [e["event_id"] for e in events] == [w.event_id for w in written]

    verified = run_jobwise(data_dir, "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr

    needle = str(data_dir.resolve())
    assert wait_no_process_mentioning(needle) == [], "a tool left its SecantusDB running"
    assert not (data_dir / "embedded.json").exists()
    assert processes_mentioning(needle) == []


def test_help_of_the_command_and_each_subcommand(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    expected = {
        (): ["serve", "events", "rebuild", "verify"],
        ("serve",): ["--host", "--port"],
        ("events",): ["--stream", "--user", "--after", "--limit", "--json"],
        ("rebuild",): ["PROJECTION"],
        ("verify",): ["--help"],
    }
    results = run_jobwise_many(data_dir, [[*command, "--help"] for command in expected])

    for (command, words), result in zip(expected.items(), results, strict=True):
        assert result.returncode == 0, (command, result.stderr)
        assert "usage: jobwise" in result.stdout, command
        for word in words:
            assert word in result.stdout, (command, word)
    assert not data_dir.exists() or not (data_dir / "db").exists()
