"""The head signal wakes followers; it never decides what they read."""

from __future__ import annotations

import asyncio

from jobwise.adapters.eventstore.signal import HeadSignal


async def test_a_waiter_wakes_when_the_head_passes_its_position() -> None:
    signal = HeadSignal(head=3)
    waiter = asyncio.create_task(signal.wait_beyond(3, max_wait=5))
    await asyncio.sleep(0)
    await signal.announce(4)
    assert await asyncio.wait_for(waiter, 10) == 4


async def test_waiting_below_the_head_returns_at_once() -> None:
    assert await HeadSignal(head=9).wait_beyond(3, max_wait=5) == 9


async def test_the_head_never_moves_back_and_a_quiet_wait_times_out() -> None:
    signal = HeadSignal(head=5)
    await signal.announce(2)
    assert signal.head == 5
    assert await signal.wait_beyond(5, max_wait=0.01) == 5
