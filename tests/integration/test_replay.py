"""``replay_as_of``: the read models as they stood at a past moment, beside the live ones.

Data is made through the API; a copy of every read model is taken at moment T; more
changes follow (edits, a deletion, a new user); the replay as of T must equal the copy,
by position and by time, in scratch collections and as a dump, and the live read
models must not move.
"""

from __future__ import annotations

import asyncio
from typing import Any

import orjson
import pytest

from jobwise.adapters.eventstore.mongo import EVENTS_COLLECTION
from jobwise.adapters.eventstore.timeline import Timeline
from jobwise.bootstrap import Runtime
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.projections.replay import (
    ReplayRefused,
    drop_replay,
    dumped,
    prefix_problem,
    replay_as_of,
)
from jobwise.projections.runner import CHECKPOINTS
from tests.integration.auth.conftest import AppClient, register
from tests.integration.jobs.conftest import User, ada, client, grace, settings

__all__ = ["ada", "client", "grace", "settings"]

Models = dict[str, list[dict[str, Any]]]


async def _caught_up(runtime: Runtime) -> int:
    head = await runtime.store.head_position()
    assert await runtime.projector.wait_for(head, 30.0)
    return head


async def _read_models(runtime: Runtime, prefix: str = "") -> Models:
    names = sorted({n for p in runtime.projections for n in p.collections})
    return {
        name: [d async for d in runtime.database[prefix + name].find({}).sort("_id", 1)]
        for name in names
    }


async def _moment_t(client: AppClient, ada: User, grace: User) -> tuple[int, Models, Any]:
    runtime = client.app[RUNTIME]
    kept = await ada.typed_job("Data Engineer")
    gone = await ada.typed_job("Platform Engineer")
    await grace.typed_job("Analyst")
    await ada.call("PUT", f"/jobs/{kept['id']}", expect=200, json={"status": "archived"})
    position = await _caught_up(runtime)
    snapshot = await _read_models(runtime)
    last = await runtime.database[EVENTS_COLLECTION].find_one({"position": position})
    # Later events must carry a later time than T's: a clock step of 1 ms is enough.
    await asyncio.sleep(0.05)
    await ada.call("PUT", f"/jobs/{kept['id']}", expect=200, json={"status": "active"})
    await ada.call("DELETE", f"/jobs/{gone['id']}", expect=204)
    await register(client, email="linus@example.com", full_name="Linus Torvalds")
    await _caught_up(runtime)
    assert await _read_models(runtime) != snapshot
    return position, snapshot, last["recorded_at"]


async def test_replay_by_position_and_by_time_equals_the_snapshot(
    client: AppClient, ada: User, grace: User
) -> None:
    runtime = client.app[RUNTIME]
    position, snapshot, recorded_at = await _moment_t(client, ada, grace)
    live = await _read_models(runtime)
    live_checkpoints = [d async for d in runtime.database[CHECKPOINTS].find({}).sort("_id", 1)]

    args = (runtime.projections, runtime.store, runtime.client, runtime.database)
    made = await replay_as_of(*args, position=position, prefix="replay_t_")
    by_time = await Timeline(runtime.database[EVENTS_COLLECTION]).last_at_or_before(recorded_at)
    await replay_as_of(*args, position=by_time, prefix="replay_time_")

    assert by_time == position
    assert await _read_models(runtime, "replay_t_") == snapshot
    assert await _read_models(runtime, "replay_time_") == snapshot
    assert await _read_models(runtime) == live
    assert [
        d async for d in runtime.database[CHECKPOINTS].find({}).sort("_id", 1)
    ] == live_checkpoints
    assert made["jobs"] == "replay_t_jobs"
    assert "replay_t_" + CHECKPOINTS not in await runtime.database.list_collection_names()


async def test_the_dump_equals_the_snapshot(client: AppClient, ada: User, grace: User) -> None:
    runtime = client.app[RUNTIME]
    position, snapshot, _ = await _moment_t(client, ada, grace)
    args = (runtime.projections, runtime.store, runtime.client, runtime.database)
    made = await replay_as_of(*args, position=position, prefix="replay_dump_")

    lines = [
        orjson.loads(orjson.dumps({"collection": c, "document": d}, default=str))
        async for c, d in dumped(runtime.database, made)
    ]

    expected = [
        orjson.loads(orjson.dumps({"collection": c, "document": d}, default=str))
        for c in sorted(snapshot)
        for d in snapshot[c]
    ]
    assert lines == expected


async def test_prefixes_that_collide_are_refused_and_drop_removes_only_scratch(
    client: AppClient, ada: User
) -> None:
    runtime = client.app[RUNTIME]
    await ada.typed_job()
    position = await _caught_up(runtime)
    live = await _read_models(runtime)
    args = (runtime.projections, runtime.store, runtime.client, runtime.database)

    for bad in ("", "saved_", "Replay_", "replay", "replay\x00_", "r" * 70 + "_"):
        assert await prefix_problem(runtime.database, bad, runtime.projections), bad
        with pytest.raises(ReplayRefused):
            await replay_as_of(*args, position=position, prefix=bad)
        with pytest.raises(ReplayRefused):
            await drop_replay(runtime.database, bad, runtime.projections)
    with pytest.raises(ReplayRefused, match="outside the log"):
        await replay_as_of(*args, position=position + 1, prefix="replay_far_")

    await replay_as_of(*args, position=position, prefix="replay_once_")
    made = [n for n in await runtime.database.list_collection_names() if "replay_once_" in n]
    problem = await prefix_problem(runtime.database, "replay_once_", runtime.projections)
    assert problem is not None and "--drop replay_once_" in problem

    dropped = await drop_replay(runtime.database, "replay_once_", runtime.projections)

    assert sorted(dropped) == sorted(made) and made
    remaining = await runtime.database.list_collection_names()
    assert not [name for name in remaining if name.startswith("replay_once_")]
    assert await _read_models(runtime) == live
