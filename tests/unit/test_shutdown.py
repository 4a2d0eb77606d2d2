"""SIGTERM/SIGINT handling shared by ``serve`` and ``worker``: a drain bounded by a
watchdog, and a second signal that ends it at once.

Each case is a small real process (a signal handler cannot be tested in the test's own
process): it waits for the signal, then drains quickly, slowly or never.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOUND = 20.0
"""Seconds within which each process must have exited: a bound, not a measurement."""
SCRIPT = """
import asyncio, sys, time
from jobwise.entrypoints.shutdown import Shutdown

async def main() -> None:
    shutdown = Shutdown(float(sys.argv[1]), lambda text: print(text, file=sys.stderr))
    shutdown.install()
    print("ready", flush=True)
    await shutdown.wait()
    if sys.argv[2] == "stuck":
        while True:  # a close that never returns, holding the event loop
            time.sleep(0.05)
    elif sys.argv[2] == "slow":
        await asyncio.sleep(600)
    print("drained", flush=True)

asyncio.run(main())
"""


def signalled(drain: str, how: str, *signals: signal.Signals) -> subprocess.CompletedProcess[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, drain, how],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
        for number, sig in enumerate(signals, 1):
            process.send_signal(sig)
            if number < len(signals):
                # The next one only once this one was taken (two pending signals of one
                # kind are delivered once).
                assert process.stderr is not None and "draining" in process.stderr.readline()
        out, err = process.communicate(timeout=BOUND)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_starts_a_drain_that_ends_on_its_own(sig: signal.Signals) -> None:
    done = signalled("20", "quick", sig)

    assert done.returncode == 0
    assert done.stdout == "drained\n"
    assert f"{sig.name}: draining, at most 20 s (signal again to exit now)" in done.stderr


def test_a_drain_that_overruns_its_time_is_ended_by_the_watchdog() -> None:
    overdue = signalled("1", "stuck", signal.SIGTERM)

    assert overdue.returncode == 1
    assert "still stopping after JOBWISE_DRAIN_SECONDS (1 s): exiting now" in overdue.stderr
    assert "drained" not in overdue.stdout


@pytest.mark.parametrize(
    ("how", "second"),
    [("slow", signal.SIGTERM), ("slow", signal.SIGINT), ("stuck", signal.SIGTERM)],
    ids=["SIGTERM", "SIGINT", "SIGTERM-while-the-loop-is-held"],
)
def test_a_second_signal_ends_a_drain_at_once(how: str, second: signal.Signals) -> None:
    cut = signalled("300", how, signal.SIGTERM, second)

    assert cut.returncode == 128 + second
    assert f"second {second.name} while draining: exiting now" in cut.stderr
