"""Process managers: they react to events and issue commands.

Command handlers (``commands/``) change one aggregate for one request; projections
(``projecting/``, ``projections/``) turn events into views. A process manager is the
third kind of part: it follows the event store, and when something happens that starts
work (a ``GenerationRequested``), it does the work and records each step by issuing
commands through the same bus and repository the API uses.

* ``generation_worker``: finds generations to run (following the store, sweeping the
  read model), claims each under a lease, supervises the run;
* ``generation_run``: one run of one generation, the five stages in order;
* ``leases``: the claims, atomic and fenced by attempt.

``start_generation_worker(runtime)`` is how ``jobwise serve`` and ``jobwise worker``
start one.
"""

from __future__ import annotations

from jobwise.bootstrap import Runtime
from jobwise.processes.generation_run import MAX_ATTEMPTS, GenerationRunner, StageFailure
from jobwise.processes.generation_worker import GenerationWorker, WorkerSettings, WorkerStats
from jobwise.processes.leases import COLLECTION as LEASES
from jobwise.processes.leases import Lease, LeaseBook

SWEEP_SECONDS = 10.0
DEFAULT_CONCURRENCY = 4


def worker_settings(runtime: Runtime, concurrency: int | None = None) -> WorkerSettings:
    lease = runtime.settings.generation_lease_seconds
    return WorkerSettings(
        concurrency=concurrency or runtime.settings.worker_concurrency or DEFAULT_CONCURRENCY,
        lease_seconds=lease,
        sweep_seconds=min(SWEEP_SECONDS, lease / 2),
    )


def build_generation_worker(
    runtime: Runtime, settings: WorkerSettings | None = None, worker_id: str | None = None
) -> GenerationWorker:
    chosen = settings or worker_settings(runtime)
    runner = GenerationRunner(
        runtime.bus, runtime.store, runtime.documents.exporter, runtime.language_model
    )
    return GenerationWorker(
        store=runtime.store,
        database=runtime.database,
        repository=runtime.repository,
        runner=runner,
        leases=LeaseBook(runtime.database[LEASES], chosen.lease_seconds),
        settings=chosen,
        worker_id=worker_id,
    )


async def start_generation_worker(
    runtime: Runtime, settings: WorkerSettings | None = None
) -> GenerationWorker:
    worker = build_generation_worker(runtime, settings)
    await worker.start()
    return worker


__all__ = [
    "LEASES",
    "MAX_ATTEMPTS",
    "GenerationRunner",
    "GenerationWorker",
    "Lease",
    "LeaseBook",
    "StageFailure",
    "WorkerSettings",
    "WorkerStats",
    "build_generation_worker",
    "start_generation_worker",
    "worker_settings",
]
