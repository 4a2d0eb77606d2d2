"""OffLoop: work past its budget is refused with ``Overloaded`` (nothing waits for it),
and its slot stays taken until the work really ends, so the bound on concurrent work
holds even for callers that gave up."""

from __future__ import annotations

import os
import threading

import pytest

from jobwise.adapters.offloop import OffLoop
from jobwise.domain.errors import Overloaded


def _double(value: int) -> int:
    return value * 2


async def test_work_runs_in_a_worker_process_and_answers() -> None:
    offloop = OffLoop(workers=1)
    try:
        assert await offloop.run(_double, 21) == 42
        assert await offloop.run_here(_double, 4) == 8
    finally:
        offloop.close()


async def test_past_the_budget_the_caller_is_refused_and_the_slot_stays_taken() -> None:
    offloop = OffLoop(workers=1, budget=0.2)
    release = threading.Event()
    try:
        with pytest.raises(Overloaded) as refused:
            await offloop.run_here(release.wait, 30)
        assert refused.value.code == "overloaded" and refused.value.retry_after >= 1
        # The first work still runs: the next caller waits for its slot, past its budget.
        with pytest.raises(Overloaded):
            await offloop.run_here(_double, 1)
        release.set()
        assert await offloop.run_here(_double, 1) == 2  # its slot came back when it ended
    finally:
        release.set()
        offloop.close()


def _die() -> None:
    os._exit(1)


async def test_a_worker_process_that_dies_is_a_503_and_the_next_call_gets_a_fresh_pool() -> None:
    offloop = OffLoop(workers=1)
    try:
        with pytest.raises(Overloaded):
            await offloop.run(_die)
        assert await offloop.run(_double, 5) == 10
    finally:
        offloop.close()
