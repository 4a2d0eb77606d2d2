"""The worker's heartbeat file and ``jobwise worker --health``'s reading of it.

Real files and real processes: a heartbeat names a process, and a dead one (a child
started and reaped here) is told apart from a live one (this test's own).
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from jobwise.entrypoints.heartbeat import Heartbeat, check, fresh_for, write

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def beat(**changes: object) -> Heartbeat:
    fields: dict[str, object] = {
        "worker_id": "host-1-abc",
        "pid": os.getpid(),
        "written_at": NOW,
        "swept_at": NOW - timedelta(seconds=4),
        "fresh_for": 35.0,
        "running": 2,
        "claimed": 5,
        "finished": 3,
        "released": 0,
    }
    return Heartbeat.model_validate({**fields, **changes})


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_fresh_heartbeat_of_a_running_process_is_healthy(tmp_path: Path) -> None:
    path = tmp_path / "beat.json"
    write(path, beat())

    healthy, why = check(path, now=NOW)

    assert healthy
    assert why == "worker host-1-abc: healthy, 2 running, last looked for work 4 s ago"
    assert [p.name for p in tmp_path.iterdir()] == ["beat.json"]  # no partial file left


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"swept_at": NOW - timedelta(seconds=36)}, "last looked for work 36 s ago"),
        ({"swept_at": None}, "has not looked for work yet"),
        ({"pid": "dead"}, "is gone"),
    ],
    ids=["stale", "never-swept", "process-gone"],
)
def test_an_unhealthy_worker_is_named_with_the_reason(
    tmp_path: Path, changes: dict[str, object], reason: str
) -> None:
    if changes.get("pid") == "dead":
        changes = {"pid": dead_pid()}
    path = tmp_path / "beat.json"
    write(path, beat(**changes))

    healthy, why = check(path, now=NOW)

    assert not healthy
    assert why.startswith("worker host-1-abc: ") and reason in why


@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "no heartbeat at"), (b"", "cannot read"), (b'{"pid": "x"}', "cannot read")],
    ids=["missing", "empty", "not-a-heartbeat"],
)
def test_no_readable_heartbeat_is_unhealthy(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    path = tmp_path / "beat.json"
    if content is not None:
        path.write_bytes(content)

    healthy, why = check(path, now=NOW)

    assert not healthy and why.startswith(reason)


def test_a_beat_stays_fresh_for_three_missed_sweeps_and_one_write() -> None:
    assert fresh_for(10.0) == 35.0
