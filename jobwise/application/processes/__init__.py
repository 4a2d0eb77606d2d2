"""Process managers: they react to events and issue commands.

Command handlers (``jobwise.application.commands``) change one aggregate for one
request; projections (``jobwise.projections``) turn events into views. A process manager is the
third kind of part: it follows the event store, and when something happens that starts
work (a ``GenerationRequested``), it does the work and records each step by issuing
commands through the same bus and repository the API uses.

* ``generation_worker``: finds generations to run (following the store, sweeping the
  read model), claims each under a lease, supervises the run;
* ``generation_run``: one run of one generation, the five stages in order;
* ``leases``: the claims, atomic and fenced by attempt.

``jobwise.bootstrap.start_generation_worker(runtime)`` is how ``jobwise serve`` and
``jobwise worker`` start one.
"""

from __future__ import annotations

from jobwise.application.processes.generation_run import (
    MAX_ATTEMPTS,
    GenerationRunner,
    StageFailure,
)
from jobwise.application.processes.generation_worker import (
    GenerationWorker,
    WorkerSettings,
    WorkerStats,
)
from jobwise.application.processes.leases import COLLECTION as LEASES
from jobwise.application.processes.leases import Lease, LeaseBook

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
]
