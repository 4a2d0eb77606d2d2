"""Stopping ``jobwise serve`` and ``jobwise worker`` on SIGTERM/SIGINT, within a bound.

An orchestrator (Docker, systemd, Kubernetes) stops a process with SIGTERM and, after
its grace period, SIGKILL. Within ``JOBWISE_DRAIN_SECONDS`` of the first signal the
process stops taking work, lets what it is doing finish (or hands it over), closes, and
exits on its own, so the SIGKILL never comes and nothing is cut in the middle:

* the first SIGTERM or SIGINT starts the drain (``requested`` is set; the caller does
  the draining) and arms a watchdog: if the process is still here when the drain time
  is up (a stuck close, a database that never answers), it exits at once;
* a second SIGTERM or SIGINT during the drain exits at once (an operator who pressed
  Ctrl+C twice does not want to wait). Nothing is lost: whatever was running is taken
  over elsewhere when its lease expires, as after a crash.

The watchdog is a thread, not a task: the last part of a drain (stopping the embedded
database) runs after the event loop has closed. By then the loop has given the signals
back to their defaults, so a second one ends the process at once all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from collections.abc import Callable
from typing import NoReturn

SIGNALS = (signal.SIGTERM, signal.SIGINT)
OVERDUE_EXIT_CODE = 1


class Shutdown:
    def __init__(self, drain_seconds: float, announce: Callable[[str], None]) -> None:
        self.drain_seconds = drain_seconds
        self._announce = announce
        self.requested = asyncio.Event()
        self._watchdog: threading.Timer | None = None

    def install(self) -> None:
        """Handle SIGTERM and SIGINT on the running loop from now on."""
        loop = asyncio.get_running_loop()
        for sig in SIGNALS:
            loop.add_signal_handler(sig, self._signalled, sig)

    async def wait(self) -> None:
        await self.requested.wait()

    def _signalled(self, sig: signal.Signals) -> None:
        if self.requested.is_set():
            self._again(sig, None)
        self.requested.set()
        # From now on a signal is handled by Python itself, between two bytecodes of
        # the main thread: it ends the process even while a stuck close holds the loop.
        for each in SIGNALS:
            signal.signal(each, self._again)
        self._watchdog = threading.Timer(self.drain_seconds, self._overdue)
        self._watchdog.daemon = True
        _start_deaf_to_signals(self._watchdog)
        self._announce(
            f"jobwise: {sig.name}: draining, at most {self.drain_seconds:g} s "
            "(signal again to exit now)"
        )

    def _again(self, signum: int, frame: object) -> None:
        name = signal.Signals(signum).name
        _exit_now(f"jobwise: second {name} while draining: exiting now", 128 + signum)

    def _overdue(self) -> None:
        _exit_now(
            f"jobwise: still stopping after JOBWISE_DRAIN_SECONDS ({self.drain_seconds:g} s): "
            "exiting now",
            OVERDUE_EXIT_CODE,
        )


def _start_deaf_to_signals(thread: threading.Thread) -> None:
    """Start ``thread`` with SIGTERM and SIGINT blocked (a new thread inherits the mask).

    The kernel may hand a process's signal to any thread that does not block it. Taken
    by the watchdog thread, a second signal only sets CPython's flag, and the handler
    waits for the main thread's next bytecode: never, while a stuck close holds it.
    """
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        thread.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _exit_now(why: str, code: int) -> NoReturn:
    # Straight to the file descriptor: the thread holding sys.stderr's lock may be the
    # one that is stuck.
    with contextlib.suppress(OSError):
        os.write(2, f"{why}\n".encode())
    # No cleanup can be trusted to end in time: the embedded database is told by the
    # kernel (PR_SET_PDEATHSIG) and stops on its own; leases expire.
    os._exit(code)
