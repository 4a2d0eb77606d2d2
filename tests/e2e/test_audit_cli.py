"""``jobwise events`` filters and ``jobwise replay`` as commands, beside a running serve."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    Appended,
    Serve,
    append_events,
    event_lines,
    run_jobwise,
    run_jobwise_many,
    running_serve,
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Serve, list[Appended]]]:
    job, note = f"job-{uuid.uuid4().hex[:8]}", f"note-{uuid.uuid4().hex[:8]}"
    plan = [
        (job, "job", ["E2eJobSaved", "E2eJobEdited"]),
        (note, "note", ["E2eNoteAdded"]),
        (job, "job", ["E2eJobArchived"]),
    ]
    with running_serve(tmp_path_factory.mktemp("audit") / "data") as serve:
        events = append_events(serve.mongo_url, plan)
        serve.wait_ready()
        yield serve, events


def test_events_filters_and_formats(seeded: tuple[Serve, list[Appended]]) -> None:
    serve, events = seeded
    job = events[0].stream_id
    types, since, future, paged, table = run_jobwise_many(
        serve.data_dir,
        [
            ["events", "--format", "json", "--type", "E2eJobSaved,E2eNoteAdded"],
            ["events", "--json", "--since", "1h", "--stream", job],
            ["events", "--json", "--since", "2099-01-01T00:00:00Z"],
            [
                "events",
                "--json",
                "--type",
                "E2eJobSaved",
                "--type",
                "E2eJobArchived",
                "--limit",
                "1",
            ],
            ["events", "--format", "table", "--user", events[0].user_id],
        ],
    )

    for result in (types, since, future, paged, table):
        assert result.returncode == 0, (result.args, result.stderr)
    assert [e["type"] for e in event_lines(types.stdout)] == ["E2eJobSaved", "E2eNoteAdded"]
    assert [e["version"] for e in event_lines(since.stdout)] == [1, 2, 3]
    assert future.stdout == ""
    assert [e["type"] for e in event_lines(paged.stdout)] == ["E2eJobSaved"]
    assert "--after 1" in paged.stderr
    rows = table.stdout.splitlines()
    assert len(rows) == len(events) and rows[0].startswith("#1 ")


def test_bad_filter_values_exit_2_with_the_reason(seeded: tuple[Serve, list[Appended]]) -> None:
    serve, _ = seeded
    cases = {
        ("--since", "yesterday"): "--since",
        ("--type", "Bad Type"): "--type",
        ("--after", "x"): "--after",
        ("--limit", "0"): "--limit",
        ("--user", "x" * 100_000): "--user",
        ("--stream", "a\x01b"): "--stream",
        ("--since", "2026-03-02", "--until", "2026-03-01"): "since is later than until",
    }
    results = run_jobwise_many(serve.data_dir, [["events", *args] for args in cases])

    for (args, said), result in zip(cases.items(), results, strict=True):
        assert result.returncode == 2, (args, result.stderr)
        assert said in result.stderr, (args, result.stderr)
        assert result.stdout == ""


def test_replay_dump_into_and_drop(seeded: tuple[Serve, list[Appended]], tmp_path: Path) -> None:
    serve, events = seeded
    dump = tmp_path / "replay.jsonl"

    dumped = run_jobwise(serve.data_dir, "replay", "--as-of", "3", "--dump", str(dump))
    into = run_jobwise(serve.data_dir, "replay", "--as-of", "1h", "--into", "replay_e2e_")
    again = run_jobwise(serve.data_dir, "replay", "--as-of", "2", "--into", "replay_e2e_")
    dropped = run_jobwise(serve.data_dir, "replay", "--drop", "replay_e2e_")
    live = run_jobwise(serve.data_dir, "replay", "--as-of", "2", "--into", "saved_")

    assert dumped.returncode == 0, dumped.stderr
    lines = [json.loads(line) for line in dump.read_text().splitlines()]
    assert lines[0] == {"as_of_position": 3}
    streams = [line["document"] for line in lines[1:] if line["collection"] == "streams"]
    assert sorted(s["_id"] for s in streams) == sorted({e.stream_id for e in events[:3]})
    assert into.returncode == 0, into.stderr
    assert "replay_e2e_streams" in into.stdout
    assert again.returncode == 2 and "--drop replay_e2e_" in again.stderr
    assert dropped.returncode == 0 and "replay_e2e_streams" in dropped.stdout
    assert live.returncode == 2 and "saved_jobs" in live.stderr
