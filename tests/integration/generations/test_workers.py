"""Workers and leases: one run per generation however many workers, takeovers after a
lease expires, fencing of a run that was taken over, and giving up on a generation that
keeps losing its worker. The app's own worker is off; each test starts its workers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from jobwise.adapters.llm import OpenAILanguageModel
from jobwise.application.commands.generations import CompletedStage, Run, StartStage
from jobwise.application.processes import (
    LEASES,
    MAX_ATTEMPTS,
    GenerationRunner,
    GenerationWorker,
    LeaseBook,
    WorkerSettings,
)
from jobwise.domain.events import utc_now
from jobwise.domain.generation import RunSuperseded
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.metrics import REGISTRY
from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import AppClient
from tests.integration.generations.conftest import (
    Seeker,
    env,
    events_of,
    until,
    worker_in,
)
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.resume_answers import resume_answer

BACKEND = "09-safespring-2026-senior-backend-engineer"
TAKEOVERS = "jobwise_generation_lease_takeovers_total"


@pytest.fixture
def settings(tmp_path: Path, db_name: str) -> Settings:
    return load_settings(
        env(tmp_path, db_name, JOBWISE_WORKER_CONCURRENCY="0", JOBWISE_GENERATIONS_PER_HOUR="50")
    )


def leases(client: AppClient, seconds: float) -> LeaseBook:
    return LeaseBook(client.app[RUNTIME].database[LEASES], seconds)


async def requested(kyle: Seeker, count: int) -> list[str]:
    profile, job = await kyle.profile_from("kyle-oliver"), await kyle.job_from(BACKEND)
    kinds = ("resume", "cover_letter")
    return [(await kyle.generate(profile, job, kind=kinds[n % 2]))["id"] for n in range(count)]


async def expire(client: AppClient, generation_id: str) -> None:
    """Let the lease's time run out, as if its whole length had passed: the test moves the
    stored clock instead of sleeping, so no scheduling delay can make a lease that should
    still hold expire (a 0.3 s lease did, on a loaded machine)."""
    past = utc_now() - timedelta(seconds=1)
    stored = client.app[RUNTIME].database[LEASES]
    await stored.update_one({"_id": generation_id}, {"$set": {"until": past}})


async def test_a_lease_is_held_by_one_worker_at_a_time(client: AppClient) -> None:
    book = leases(client, seconds=60.0)

    claims = await asyncio.gather(*(book.claim("g-1", f"worker-{n}") for n in range(10)))

    held = [lease for lease in claims if lease is not None]
    assert len(held) == 1 and held[0].attempt == 1
    first = held[0]
    assert await book.claim("g-1", "late") is None
    assert await book.renew(first) is not None
    assert first.taken_from is None  # nobody held it before
    await expire(client, "g-1")
    taken = await book.claim("g-1", "successor")
    assert taken is not None and taken.attempt == 2  # expired: taken over, next attempt
    assert taken.taken_from == first.owner
    assert await book.renew(first) is None  # the first worker learns it lost the lease
    await book.release(taken)
    again = await book.claim("g-1", "next")
    assert again is not None and again.attempt == 3  # released: free at once
    assert again.taken_from is None  # handed over, not taken over
    await book.finish(again)
    await expire(client, "g-1")
    assert await book.claim("g-1", "anyone") is None  # finished: never run again
    assert await book.busy(["g-1", "g-2"]) == {"g-1": None}


@pytest.mark.slow
async def test_two_workers_share_the_work_and_no_generation_runs_twice(
    client: AppClient, kyle: Seeker
) -> None:
    generations = await requested(kyle, 8)

    async with (
        worker_in(client, "worker-a", concurrency=2) as first,
        worker_in(client, "worker-b", concurrency=2) as second,
    ):
        for generation_id in generations:
            assert (await kyle.wait_done(generation_id))["status"] == "completed"

    assert first.stats.claimed + second.stats.claimed == len(generations)
    assert first.stats.finished + second.stats.finished == len(generations)
    for generation_id in generations:
        started = [
            e["data"] for e in await events_of(client, generation_id) if e["type"] == "StageStarted"
        ]
        assert len(started) == 5
        assert {(s["worker_id"], s["attempt"]) for s in started} in (
            {("worker-a", 1)},
            {("worker-b", 1)},
        )


async def test_a_run_whose_worker_died_is_taken_over_when_its_lease_expires(
    client: AppClient, kyle: Seeker
) -> None:
    [generation_id] = await requested(kyle, 1)
    runtime = client.app[RUNTIME]
    dead = await leases(client, seconds=60.0).claim(generation_id, "dead-worker")
    assert dead is not None
    ghost = Run(generation_id, kyle.id, dead.attempt, "dead-worker")
    await runtime.bus.handle(StartStage(ghost, "analyzing_job"))  # then it "died"
    await expire(client, generation_id)  # and its lease ran out, never renewed
    takeovers = REGISTRY.get_sample_value(TAKEOVERS) or 0.0

    async with worker_in(client, "survivor", sweep_seconds=0.3) as survivor:
        done = await kyle.wait_done(generation_id, seconds=20)

    assert done["status"] == "completed"
    assert survivor.stats.taken_over == 1
    assert REGISTRY.get_sample_value(TAKEOVERS) == takeovers + 1
    assert {s["attempt"] for s in done["progress"]["stages"]} == {2}
    started = [
        (e["data"]["worker_id"], e["data"]["attempt"])
        for e in await events_of(client, generation_id)
        if e["type"] == "StageStarted"
    ]
    assert started == [("dead-worker", 1)] + [("survivor", 2)] * 5
    with pytest.raises(RunSuperseded):  # the dead worker wakes up: fenced off
        await runtime.bus.handle(
            StartStage(ghost, "compiling_profile", CompletedStage("analyzing_job", 5, {}))
        )


async def test_a_generation_that_keeps_losing_its_worker_fails_clearly_and_refunds(
    client: AppClient, kyle: Seeker
) -> None:
    [generation_id] = await requested(kyle, 1)
    runtime = client.app[RUNTIME]
    past = utc_now() - timedelta(seconds=1)
    await runtime.database[LEASES].insert_one(
        {"_id": generation_id, "owner": "crashed", "attempt": MAX_ATTEMPTS, "until": past}
    )

    async with worker_in(client):
        failed = await kyle.wait_done(generation_id)

    assert (failed["status"], failed["error"]["code"]) == ("failed", "worker_lost")
    assert f"interrupted {MAX_ATTEMPTS} times" in failed["error_message"]
    await runtime.read_your_writes(await runtime.store.head_position())
    assert (await kyle.me())["generations_used"] == 0


@contextlib.asynccontextmanager
async def llm_worker(
    client: AppClient, fake: FakeOpenAI, worker_id: str, **settings: Any
) -> AsyncIterator[GenerationWorker]:
    runtime = client.app[RUNTIME]
    model = OpenAILanguageModel("sk-test", "m", base_url=fake.base_url)
    chosen = WorkerSettings(**{"sweep_seconds": 0.3, **settings})
    worker = GenerationWorker(
        store=runtime.store,
        database=runtime.database,
        repository=runtime.repository,
        runner=GenerationRunner(runtime.bus, runtime.store, runtime.documents.exporter, model),
        leases=LeaseBook(runtime.database[LEASES], chosen.lease_seconds),
        settings=chosen,
        worker_id=worker_id,
    )
    await worker.start()
    try:
        yield worker
    finally:
        await worker.stop()
        await model.aclose()


async def test_a_worker_stopping_mid_run_hands_the_generation_over_at_once(
    client: AppClient, kyle: Seeker
) -> None:
    async with FakeOpenAI() as fake:
        fake.responder = lambda request: Reply.delay(60, then=resume_answer(request))
        [generation_id] = await requested(kyle, 1)
        async with llm_worker(client, fake, "leaving", drain_seconds=0) as leaving:
            await until(lambda: fake.completions, 20)  # in the middle of the model call
        assert leaving.stats.released == 1

        fake.responder = resume_answer
        # A long lease: only the release lets the next worker in this soon.
        async with llm_worker(client, fake, "arriving", lease_seconds=300) as arriving:
            done = await kyle.wait_done(generation_id, seconds=20)

    assert done["status"] == "completed" and arriving.stats.claimed == 1
    assert arriving.stats.taken_over == 0  # released, so handed over: not a takeover
    assert {s["attempt"] for s in done["progress"]["stages"]} == {2}


@pytest.mark.slow
async def test_more_generations_than_slots_queue_and_every_one_ends(
    client: AppClient, kyle: Seeker
) -> None:
    generations = await requested(kyle, 5)

    async with worker_in(client, concurrency=2) as worker:
        statuses = [(await kyle.wait_done(g))["status"] for g in generations]

    assert statuses == ["completed"] * 5
    assert worker.stats.claimed == worker.stats.finished == 5


@pytest.mark.slow
async def test_a_run_superseded_mid_stage_ends_its_lease_quietly(
    client: AppClient, kyle: Seeker, caplog: pytest.LogCaptureFixture
) -> None:
    """A run that learns another run took its generation over (its next event is fenced
    off) is settled like an ended one: its lease finished, nothing left unhandled."""
    runtime = client.app[RUNTIME]
    async with FakeOpenAI() as fake:
        fake.responder = lambda request: Reply.delay(5, then=resume_answer(request))
        [generation_id] = await requested(kyle, 1)
        async with llm_worker(client, fake, "overtaken", lease_seconds=300) as overtaken:
            await until(lambda: fake.completions, 20)  # in the middle of the model call
            usurper = Run(generation_id, kyle.id, 2, "usurper")
            await runtime.bus.handle(StartStage(usurper, "generating_content"))
            await until(lambda: overtaken.stats.finished == 1, 20)
            assert overtaken.stats.released == 0

    lease = await runtime.database[LEASES].find_one({"_id": generation_id})
    assert lease is not None and lease["done"] is True
    assert "never retrieved" not in caplog.text
    started = [
        (e["data"]["worker_id"], e["data"]["attempt"])
        for e in await events_of(client, generation_id)
        if e["type"] == "StageStarted"
    ]
    assert started[-1] == ("usurper", 2)
