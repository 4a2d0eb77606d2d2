"""CPU work a request asks for, run off the event loop, a few at a time, within a budget.

Reading 200,000 characters of Markdown into HTML and text, building a DOCX, importing a
JSON Resume: pure Python that takes seconds on the largest input a request may carry.
On the event loop it stopped every other request (``/health``, WebSockets, the
generation worker) for that long. ``OffLoop`` runs it elsewhere:

* ``run`` in a worker *process* (one pool per process, ``spawn``ed, shared by every
  runtime in it). Pure Python holds the GIL: in a thread it would still take the loop's
  turn every switch interval, and ``/health`` took up to half a second beside it.
  What runs there is a module-level function of picklable values.
* ``run_here`` in a thread of this process, for short work on this process's objects
  (an aggregate being changed); the GIL is shared, so keep it to a few hundred ms.

Both wait for one of a bounded number of slots (one per core), so a flood of heavy
requests queues instead of starving everything else. Each call has a time budget from
when it asks, the wait included; past it the caller gets ``Overloaded`` (503
``overloaded`` with ``Retry-After``) and nothing was changed: the work's result, when
it comes, is dropped. Work cannot be interrupted, so its slot stays taken until it
really ends and the bound holds; every input is bounded by the request models and
every step is linear in it, so every call ends.
"""

from __future__ import annotations

import asyncio
import atexit
import functools
import math
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, ParamSpec, TypeVar

from jobwise.domain.errors import Overloaded

P = ParamSpec("P")
T = TypeVar("T")

DEFAULT_BUDGET_SECONDS = 30.0
"""Several times what the slowest bounded input takes on a busy core (about 5 s for
200,000 characters of Markdown read into HTML and text)."""

_shared: ProcessPoolExecutor | None = None
_shared_lock = threading.Lock()


def _workers() -> int:
    return os.cpu_count() or 1


def shared_processes() -> ProcessPoolExecutor:
    """The process's one pool of worker processes, started on first use, shut at exit."""
    global _shared
    with _shared_lock:
        if _shared is None:
            # ``spawn``: forking a process with an event loop and threads is unsafe.
            context = multiprocessing.get_context("spawn")
            _shared = ProcessPoolExecutor(
                max_workers=_workers(), mp_context=context, initializer=_yield_to_the_loop
            )
            atexit.register(_shared.shutdown, wait=False, cancel_futures=True)
        return _shared


WORKER_NICENESS = 10


def _yield_to_the_loop() -> None:
    """A worker process's CPU comes after the event loop's: on a machine whose cores are
    all busy, the loop still gets one when a request arrives."""
    os.nice(WORKER_NICENESS)


def _replace(broken: ProcessPoolExecutor) -> None:
    global _shared
    with _shared_lock:
        if _shared is broken:
            _shared = None
    broken.shutdown(wait=False, cancel_futures=True)


class OffLoop:
    """Make one per runtime and ``close()`` it at the end (the process pool stays)."""

    def __init__(self, *, workers: int | None = None, budget: float = DEFAULT_BUDGET_SECONDS):
        self.workers = workers or _workers()
        self.budget = budget
        self._slots = asyncio.Semaphore(self.workers)
        self._threads = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="offloop")

    async def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(*args, **kwargs)`` in a worker process; ``Overloaded`` past the budget."""
        pool = shared_processes()
        try:
            return await self._run(pool, functools.partial(work, *args, **kwargs))
        except BrokenProcessPool:
            # A worker died (killed, out of memory): the next call gets a fresh pool.
            _replace(pool)
            raise self._overloaded() from None

    async def run_here(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(*args, **kwargs)`` on a thread of this process; ``Overloaded`` past the
        budget."""
        return await self._run(self._threads, functools.partial(work, *args, **kwargs))

    def close(self) -> None:
        """Stop the threads once their work ends. Safe to call twice."""
        self._threads.shutdown(wait=True, cancel_futures=True)

    async def _run(self, executor: Executor, work: Callable[[], T]) -> T:
        deadline = time.monotonic() + self.budget
        try:
            await asyncio.wait_for(self._slots.acquire(), self.budget)
        except TimeoutError:
            raise self._overloaded() from None
        try:
            running = asyncio.get_running_loop().run_in_executor(executor, work)
        except BaseException:
            self._slots.release()
            raise
        # The slot is freed when the work ends, not when the caller stops waiting.
        running.add_done_callback(self._finished)
        try:
            return await asyncio.wait_for(
                asyncio.shield(running), max(0.0, deadline - time.monotonic())
            )
        except TimeoutError:
            raise self._overloaded() from None

    def _finished(self, running: asyncio.Future[Any]) -> None:
        self._slots.release()
        if not running.cancelled():
            running.exception()  # Retrieved: a caller past its budget no longer waits.

    def _overloaded(self) -> Overloaded:
        return Overloaded(
            "The server is too busy to finish this request in time; nothing was changed. "
            "Try again shortly.",
            retry_after=max(1, math.ceil(self.budget / 10)),
            details={"budget_seconds": self.budget},
        )
