"""The generation worker: finds generations to run, claims each with a lease, runs it.

It is a process manager: it reacts to events (``GenerationRequested``: run it;
``GenerationCancelled``: stop it) and issues commands (through ``GenerationRunner``).
The same worker runs inside ``jobwise serve`` and alone as ``jobwise worker``; any
number of them may share one database, since a generation runs only under its lease.

Finding work, two ways:

* **following** the event store from the head it found at start: a request is offered
  the moment it is stored (in ``serve``, the append itself wakes the follower), and a
  cancellation stops the local run at once, even in the middle of an LLM call;
* **sweeping** the generations read model for generations still pending or generating
  whose lease is free or expired: requests made while no worker ran, and runs whose
  worker died (a ``kill -9``). The sweep runs at start, every ``sweep_seconds``, and
  right when the earliest lease it saw held by someone else expires, so an orphaned
  run is taken over within the lease time.

A claimed run is supervised: the lease is renewed every third of its length, and a
renewal that fails (another worker took it over) stops the run. On ``stop()`` the
worker takes no new work, lets running generations finish for ``drain_seconds``, then
stops them and releases their leases for another worker (or the next start) to take.
``begin_stop()`` starts that drain without waiting (``jobwise serve`` begins it the
moment it is signalled, while in-flight requests finish beside it).

Every log line written for a run (here, in the stages, in the adapters they call)
carries the generation's id and the ``request_id`` of the request that asked for it
(kept in its first event's metadata), so the request can be followed from the API's
log into the worker's. The worker's figures (running, taken over, completed, failed,
waiting to be claimed) are Prometheus series (``jobwise.metrics``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections import deque
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError

from jobwise.adapters.eventstore import EventStore
from jobwise.adapters.eventstore.follow import follow
from jobwise.application.processes.generation_run import GenerationRunner
from jobwise.application.processes.leases import Lease, LeaseBook
from jobwise.application.queries.generations import (
    count_unfinished_generations,
    unfinished_generations,
)
from jobwise.application.repository import Repository
from jobwise.domain.erasure import AccountErasedError
from jobwise.domain.events import RecordedEvent, topics_of, utc_now
from jobwise.domain.generation import (
    Generation,
    GenerationCancelled,
    GenerationDeleted,
    GenerationRequested,
    RunSuperseded,
)
from jobwise.domain.generation_updates import GENERATION_STREAM
from jobwise.logcontext import log_context
from jobwise.metrics import GENERATION_LEASE_TAKEOVERS, GENERATIONS_QUEUED, GENERATIONS_RUNNING
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)

SWEEP_BATCH = 200
RETRY_SECONDS = 1.0
STOPPING = topics_of(GenerationCancelled, GenerationDeleted)


class WorkerSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    concurrency: int = Field(default=4, ge=1)
    """Generations run at once by this worker."""
    lease_seconds: float = Field(default=30.0, gt=0)
    sweep_seconds: float = Field(default=10.0, gt=0)
    drain_seconds: float = Field(default=5.0, ge=0)


class WorkerStats(BaseModel):
    claimed: int = 0
    finished: int = 0
    """Runs that ended their generation (or found it ended)."""
    released: int = 0
    """Runs stopped without ending it (shutdown, a database error, a lost lease)."""
    cancelled: int = 0
    """Runs stopped because the user cancelled."""
    taken_over: int = 0
    """Claims of a lease another worker let expire unreleased (it died or stalled)."""
    swept_at: datetime | None = None
    """When the worker last looked for work and the database answered (its heartbeat)."""


def new_worker_id() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class GenerationWorker:
    def __init__(
        self,
        *,
        store: EventStore,
        database: AsyncDatabase[Any],
        repository: Repository,
        runner: GenerationRunner,
        leases: LeaseBook,
        settings: WorkerSettings | None = None,
        worker_id: str | None = None,
    ) -> None:
        self.settings = settings or WorkerSettings()
        self.worker_id = worker_id or new_worker_id()
        self.stats = WorkerStats()
        self._store = store
        self._database = database
        self._repository = repository
        self._runner = runner
        self._leases = leases
        self._queue: deque[str] = deque()
        self._queued: set[str] = set()
        self._changed = asyncio.Event()
        self._running: dict[str, asyncio.Task[None]] = {}
        """Supervisors, by generation id."""
        self._runs: dict[str, asyncio.Task[None]] = {}
        """The runs they supervise."""
        self._cancelled: set[str] = set()
        self._stopping = False
        self._tasks: list[asyncio.Task[None]] = []
        self._stopped: asyncio.Task[None] | None = None

    # -- lifecycle ------------------------------------------------------------------------

    async def start(self) -> None:
        await self._leases.ensure_indexes()
        head = await self._store.head_position()
        self._tasks = [
            asyncio.create_task(self._follow(head), name="generation-follow"),
            asyncio.create_task(self._sweep(), name="generation-sweep"),
            asyncio.create_task(self._dispatch(), name="generation-dispatch"),
        ]
        log.info("generation worker %s started", self.worker_id)

    def begin_stop(self) -> None:
        """Take no new work from now on and start draining; ``stop()`` waits for the end."""
        if self._stopped is None:
            self._stopped = asyncio.create_task(self._stop(), name="generation-worker-stop")

    async def stop(self) -> None:
        """Drain (see the module's docstring); calling it again waits for the same stop."""
        self.begin_stop()
        assert self._stopped is not None
        await self._stopped

    async def _stop(self) -> None:
        await cancel_and_wait(self._tasks)
        self._tasks = []
        if self._running and self.settings.drain_seconds > 0:
            log.info(
                "generation worker %s: stopping; %d running, given %g s to finish",
                self.worker_id,
                len(self._running),
                self.settings.drain_seconds,
            )
            await asyncio.wait(list(self._running.values()), timeout=self.settings.drain_seconds)
        self._stopping = True
        if self._runs:
            log.info(
                "generation worker %s: handing %d running generation(s) over",
                self.worker_id,
                len(self._runs),
            )
        for run in list(self._runs.values()):
            run.cancel()
        if self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    @property
    def running(self) -> list[str]:
        return list(self._running)

    async def record_queue(self) -> None:
        """Set ``jobwise_generations_queued``: the generations the read model shows
        unfinished that no worker holds a live lease on. What every worker sees alike,
        read when scraped; the read model may trail a request by a moment."""
        unfinished = await count_unfinished_generations(self._database)
        GENERATIONS_QUEUED.set(max(0, unfinished - await self._leases.held()))

    def offer(self, generation_id: str) -> None:
        """Consider running this generation (it may be someone else's or already ended)."""
        if self._stopping or generation_id in self._queued or generation_id in self._running:
            return
        self._queue.append(generation_id)
        self._queued.add(generation_id)
        self._changed.set()

    # -- finding work ---------------------------------------------------------------------

    async def _follow(self, head: int) -> None:
        position = head
        while True:
            try:
                async for event in follow(self._store, position):
                    position = event.position
                    self._react(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("generation worker: following the store failed; retrying")
                await asyncio.sleep(RETRY_SECONDS)

    def _react(self, event: RecordedEvent) -> None:
        if event.stream_type != GENERATION_STREAM:
            return
        if event.type == GenerationRequested.topic:
            self.offer(event.stream_id)
        elif event.type in STOPPING:
            self._stop_run(event.stream_id)

    def _stop_run(self, generation_id: str) -> None:
        run = self._runs.get(generation_id)
        if run is not None and not run.done():
            self._cancelled.add(generation_id)
            run.cancel()

    async def _sweep(self) -> None:
        while True:
            wait = self.settings.sweep_seconds
            try:
                wait = min(wait, await self._sweep_once())
                self.stats.swept_at = utc_now()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("generation worker: the sweep failed; retrying")
            await asyncio.sleep(max(0.05, wait))

    async def _sweep_once(self) -> float:
        """Offer the unfinished generations nobody holds; seconds until the earliest
        lease held elsewhere expires (then sweep again)."""
        candidates = [
            gid
            for gid in await unfinished_generations(self._database, SWEEP_BATCH)
            if gid not in self._running
        ]
        busy = await self._leases.busy(candidates)
        for generation_id in candidates:
            if generation_id not in busy:
                self.offer(generation_id)
        expiries = [until for until in busy.values() if until is not None]
        return _seconds_until(min(expiries)) + 0.05 if expiries else self.settings.sweep_seconds

    # -- running --------------------------------------------------------------------------

    async def _dispatch(self) -> None:
        while True:
            while not self._queue or len(self._running) >= self.settings.concurrency:
                self._changed.clear()
                await self._changed.wait()
            generation_id = self._queue.popleft()
            self._queued.discard(generation_id)
            if generation_id in self._running:
                continue
            try:
                # Read before the claim: a stop that cancels this read leaves no lease
                # claimed and not run.
                request_id = await self._requested_by(generation_id)
                lease = await self._leases.claim(generation_id, self.worker_id)
            except PyMongoError as error:
                log.warning("generation worker: cannot claim %s: %s", generation_id, error)
                await asyncio.sleep(RETRY_SECONDS)
                self.offer(generation_id)
                continue
            if lease is not None:  # else someone else runs it
                self._start(lease, request_id)

    def _start(self, lease: Lease, request_id: str | None) -> None:
        self.stats.claimed += 1
        if lease.taken_from is not None:
            self.stats.taken_over += 1
            GENERATION_LEASE_TAKEOVERS.inc()
        generation_id = lease.generation_id
        with log_context(generation_id=generation_id, request_id=request_id):
            # The supervisor's task, and the run's it creates, inherit the context.
            self._running[generation_id] = asyncio.create_task(
                self._supervise(lease), name=f"generation-{generation_id}"
            )

    async def _supervise(self, lease: Lease) -> None:
        generation_id = lease.generation_id
        self._log_claim(lease)
        run = asyncio.create_task(self._execute(lease))
        self._runs[generation_id] = run
        GENERATIONS_RUNNING.inc()
        try:
            lease = await self._keep_lease(lease, run)
            await self._settle(lease, run)
        finally:
            GENERATIONS_RUNNING.dec()
            self._runs.pop(generation_id, None)
            self._running.pop(generation_id, None)
            self._cancelled.discard(generation_id)
            self._changed.set()

    def _log_claim(self, lease: Lease) -> None:
        if lease.taken_from is None:
            log.info("generation %s: running (attempt %d)", lease.generation_id, lease.attempt)
            return
        log.info(
            "generation %s: taken over from worker %s, whose lease expired (attempt %d)",
            lease.generation_id,
            lease.taken_from,
            lease.attempt,
        )

    async def _requested_by(self, generation_id: str) -> str | None:
        """The id of the request that asked for the generation (in its first event's
        metadata), for the run's log lines."""
        first = await self._store.read_stream(generation_id, 0, 1)
        return first[0].metadata.request_id if first else None

    async def _execute(self, lease: Lease) -> None:
        generation = await self._repository.load(Generation, lease.generation_id)
        if generation.exists and generation.running:
            await self._runner.run(generation, lease)

    async def _keep_lease(self, lease: Lease, run: asyncio.Task[None]) -> Lease:
        """Renew the lease until ``run`` ends; stop ``run`` if the lease is lost."""
        every = self.settings.lease_seconds / 3
        while not run.done():
            await asyncio.wait([run], timeout=every)
            if run.done():
                break
            try:
                renewed = await self._leases.renew(lease)
            except PyMongoError as error:
                log.warning("generation worker: cannot renew %s: %s", lease.generation_id, error)
                continue
            if renewed is None:
                log.warning("generation %s: lease lost; stopping this run", lease.generation_id)
                run.cancel()
                break
            lease = renewed
        # Wait without raising: how the run ended (an error, a takeover) is _settle's to read.
        await asyncio.wait([run])
        return lease

    async def _settle(self, lease: Lease, run: asyncio.Task[None]) -> None:
        """Finish the lease if the generation ended (or another run took it), else
        release it so that another run takes the generation over at once."""
        user_cancelled = lease.generation_id in self._cancelled
        if run.cancelled():
            ended = user_cancelled  # else: shutdown, or the lease was lost
        else:
            error = run.exception()
            # A generation whose owner was erased meanwhile can never be written again.
            ended = error is None or isinstance(error, RunSuperseded | AccountErasedError)
            if not ended:
                log.error(
                    "generation %s: run stopped by %s; it will be tried again",
                    lease.generation_id,
                    type(error).__name__,
                    exc_info=error,
                )
        try:
            if ended:
                await self._leases.finish(lease)
                self.stats.finished += 1
                self.stats.cancelled += int(user_cancelled)
                log.info("generation %s: run ended", lease.generation_id)
            else:
                await self._leases.release(lease)
                self.stats.released += 1
                log.info("generation %s: lease released for another run", lease.generation_id)
        except PyMongoError as problem:
            # The lease simply expires: another run takes the generation over then.
            log.warning("generation %s: lease not settled: %s", lease.generation_id, problem)


def _seconds_until(moment: datetime) -> float:
    return max(0.0, (moment - utc_now()).total_seconds())
