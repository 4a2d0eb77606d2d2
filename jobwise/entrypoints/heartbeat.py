"""The worker's heartbeat: a small JSON file that ``jobwise worker`` rewrites every few
seconds, and ``jobwise worker --health`` reads (a container's health check).

A worker is healthy when its process runs and it looked for work within ``fresh_for``
seconds. Looking for work is a sweep of the generations read model, every few seconds,
so a fresh sweep says the event loop turns and the database answers; a worker whose
database is gone, or whose loop is stuck, goes stale and is reported unhealthy, while
one that is merely busy running generations stays healthy. The file names the process,
so a worker killed outright (its file left behind) is reported at once.

Only the standard library and pydantic are imported here: a health check runs every
few seconds and must cost next to nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from jobwise.application.processes import GenerationWorker

log = logging.getLogger("jobwise.worker")

WRITE_EVERY_SECONDS = 5.0
SWEEPS_MISSED = 3
"""Sweeps a worker may miss (a slow database, a busy loop) before it counts as stale."""


class Heartbeat(BaseModel):
    worker_id: str
    pid: int
    written_at: datetime
    swept_at: datetime | None
    """When it last looked for work and the database answered; None: not yet."""
    fresh_for: float
    """Seconds after ``swept_at`` that the worker still counts as healthy."""
    running: int
    claimed: int
    finished: int
    released: int


def fresh_for(sweep_seconds: float) -> float:
    return SWEEPS_MISSED * sweep_seconds + WRITE_EVERY_SECONDS


def beat_of(worker: GenerationWorker) -> Heartbeat:
    stats = worker.stats
    return Heartbeat(
        worker_id=worker.worker_id,
        pid=os.getpid(),
        written_at=datetime.now(UTC),
        swept_at=stats.swept_at,
        fresh_for=fresh_for(worker.settings.sweep_seconds),
        running=len(worker.running),
        claimed=stats.claimed,
        finished=stats.finished,
        released=stats.released,
    )


def write(path: Path, beat: Heartbeat) -> None:
    """Replace the file in one step: a reader never sees half of it."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(beat.model_dump_json())
    os.replace(partial, path)


async def keep(path: Path, worker: GenerationWorker) -> None:
    """Rewrite the heartbeat until cancelled; then remove it (the worker has stopped).
    A few hundred bytes every few seconds: written on the loop."""
    try:
        while True:
            try:
                write(path, beat_of(worker))
            except OSError as error:
                # A full or read-only disk makes the worker unhealthy, not dead.
                log.warning("cannot write the heartbeat %s: %s", path, error)
            await asyncio.sleep(WRITE_EVERY_SECONDS)
    finally:
        remove(path)


def remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def check(path: Path, now: datetime | None = None) -> tuple[bool, str]:
    """Whether the worker that writes ``path`` is healthy, and one line saying why."""
    try:
        beat = Heartbeat.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return False, f"no heartbeat at {path}: no worker is running (or it has stopped)"
    except (OSError, ValidationError) as error:
        return False, f"cannot read the heartbeat at {path}: {type(error).__name__}"
    if not _running(beat.pid):
        return False, f"worker {beat.worker_id}: its process ({beat.pid}) is gone"
    if beat.swept_at is None:
        return False, f"worker {beat.worker_id}: has not looked for work yet"
    age = ((now or datetime.now(UTC)) - beat.swept_at).total_seconds()
    if age > beat.fresh_for:
        return False, (
            f"worker {beat.worker_id}: last looked for work {age:.0f} s ago "
            f"(more than {beat.fresh_for:g} s: is the database reachable?)"
        )
    return True, (
        f"worker {beat.worker_id}: healthy, {beat.running} running, "
        f"last looked for work {max(age, 0):.0f} s ago"
    )


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process by that number: it runs
    return True
