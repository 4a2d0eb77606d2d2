"""Every read model as it stood at a past position, beside the live ones.

Each projection is run by its own ``ProjectionRunner`` with a ``prefix``: the runner
already addresses every view (and its checkpoint) by ``prefix + name``, so the
projections' handlers run unchanged into scratch collections, and the live views and
checkpoints are never read or written. The scratch checkpoints are dropped at the end.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.adapters.eventstore.base import EventStore
from jobwise.adapters.eventstore.mongo import EVENTS_COLLECTION
from jobwise.projections.maintenance import REPLAY_BATCH
from jobwise.projections.projection import Projection
from jobwise.projections.runner import CHECKPOINTS, ProjectionRunner

_PREFIX = re.compile(r"[a-z][a-z0-9_]{0,58}_")
_OTHER_LIVE = frozenset({EVENTS_COLLECTION, CHECKPOINTS, "idempotency_keys", "generation_leases"})


class ReplayRefused(ValueError):
    """The replay cannot be made as asked (a prefix that collides, a position past the head)."""


def _names(projections: Sequence[Projection]) -> list[str]:
    return sorted({name for p in projections for name in p.collections})


def _name_problem(prefix: str, projections: Sequence[Projection]) -> str | None:
    if not _PREFIX.fullmatch(prefix):
        return (
            f"prefix {prefix[:80]!r} must be lowercase letters, digits and _, start with a "
            "letter, end with _ and be at most 60 characters"
        )
    live = _OTHER_LIVE | set(_names(projections))
    clashes = sorted(prefix + name for name in _names(projections) if prefix + name in live)
    if clashes:
        return f"prefix {prefix!r} would name live collections: {', '.join(clashes)}"
    return None


async def prefix_problem(
    database: AsyncDatabase[Any], prefix: str, projections: Sequence[Projection]
) -> str | None:
    """Why ``prefix`` may not take a replay (None: it may): its scratch collections must
    neither be live ones nor exist already (an earlier replay is dropped first)."""
    problem = _name_problem(prefix, projections)
    if problem is not None:
        return problem
    existing = set(await database.list_collection_names())
    taken = sorted(
        prefix + n for n in [*_names(projections), CHECKPOINTS] if prefix + n in existing
    )
    if taken:
        return (
            f"collections already exist: {', '.join(taken)} "
            f"(remove them with: jobwise replay --drop {prefix})"
        )
    return None


async def replay_as_of(
    projections: Sequence[Projection],
    store: EventStore,
    client: AsyncMongoClient[Any],
    database: AsyncDatabase[Any],
    *,
    position: int,
    prefix: str,
) -> dict[str, str]:
    """Run every projection over the events up to ``position`` into ``prefix``-named
    collections; returns logical name -> scratch name. Raises ``ReplayRefused``."""
    problem = await prefix_problem(database, prefix, projections)
    if problem is not None:
        raise ReplayRefused(problem)
    head = await store.head_position()
    if not 0 <= position <= head:
        raise ReplayRefused(f"position {position} is outside the log (0 to {head})")
    made: dict[str, str] = {}
    for projection in projections:
        runner = ProjectionRunner(
            projection, store, client, database, prefix=prefix, batch_size=REPLAY_BATCH
        )
        await runner.reset()
        await runner.run_until(position)
        made.update(runner.physical)
    await database.drop_collection(prefix + CHECKPOINTS)
    return made


async def drop_replay(
    database: AsyncDatabase[Any], prefix: str, projections: Sequence[Projection]
) -> list[str]:
    """Drop the scratch collections of a replay under ``prefix`` (only names a replay
    makes: never a live collection); returns those that existed."""
    problem = _name_problem(prefix, projections)
    if problem is not None:
        raise ReplayRefused(problem)
    existing = set(await database.list_collection_names())
    dropped = [prefix + n for n in [*_names(projections), CHECKPOINTS] if prefix + n in existing]
    for name in dropped:
        await database.drop_collection(name)
    return dropped


async def dumped(
    database: AsyncDatabase[Any], collections: dict[str, str]
) -> AsyncIterator[tuple[str, dict[str, Any]]]:
    """(logical name, document) of each scratch collection, by name then ``_id``."""
    for logical in sorted(collections):
        found = database[collections[logical]].find({}).sort("_id", ASCENDING)
        async for document in found:
            yield logical, document
