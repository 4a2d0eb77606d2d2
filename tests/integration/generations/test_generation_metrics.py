"""A generation as ``/metrics`` and the worker's log lines show it: counted by the worker,
its PDF timed, and every line the worker writes for it carrying the request id of the
POST that asked for it."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from jobwise.application.processes import LEASES, LeaseBook
from jobwise.bootstrap import build_generation_worker
from jobwise.entrypoints.http.keys import RUNTIME
from jobwise.entrypoints.logs import JsonFormatter
from jobwise.metrics import REGISTRY
from tests.integration.auth.conftest import AppClient
from tests.integration.generations.conftest import Seeker
from tests.support.metrics import EXPOSITION, Scrape

BACKEND = "09-safespring-2026-senior-backend-engineer"
WORKER_LOGGER = "jobwise.application.processes"


async def scrape(client: AppClient) -> Scrape:
    response = await client.get("/metrics")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith(EXPOSITION)
    return Scrape.parse(await response.text())


@pytest.fixture
def worker_lines() -> Iterator[io.StringIO]:
    """What the worker logs, as the JSON lines ``jobwise worker`` writes."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger(WORKER_LOGGER)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def lines_of(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_a_generation_is_counted_timed_and_logged_under_its_request_id(
    client: AppClient, kyle: Seeker, worker_lines: io.StringIO
) -> None:
    before = await scrape(client)
    profile, job = await kyle.profile_from("kyle-oliver"), await kyle.job_from(BACKEND)
    request_id = f"rid-{uuid.uuid4().hex[:12]}"

    created = await kyle.call(
        "POST",
        "/generations/resume",
        expect=201,
        headers={"X-Request-ID": request_id},
        json={"profile_id": profile, "job_id": job},
    )
    done = await kyle.wait_done(created["id"])
    after = await scrape(client)

    assert done["status"] == "completed"
    completed = "jobwise_generations_completed_total"
    assert after.value(completed) == before.value(completed) + 1
    renders = "jobwise_pdf_render_duration_seconds_count"
    assert after.value(renders) >= before.value(renders) + 1
    offline = "jobwise_llm_requests_total"  # no model configured: the offline writer
    assert after.value(offline, model="offline") == before.value(offline, model="offline") + 1
    assert after.value("jobwise_generations_running") == 0
    assert after.value("jobwise_generations_queued") == 0
    route = "/api/v1/generations/{generation_id}"
    polls = after.value("jobwise_http_request_duration_seconds_count", route=route, method="GET")
    assert polls >= 1
    assert not {created["id"], profile, job, kyle.id} & after.every_label_value()

    logged = [line for line in lines_of(worker_lines) if line.get("generation_id") == done["id"]]
    messages = [line["message"] for line in logged]
    assert any("running (attempt 1)" in m for m in messages), messages
    assert any("run ended" in m for m in messages), messages
    assert {line["request_id"] for line in logged} == {request_id}


@pytest.mark.env(JOBWISE_WORKER_CONCURRENCY="0")
async def test_the_queue_counts_the_generations_no_worker_holds(
    client: AppClient, kyle: Seeker
) -> None:
    """No worker runs in this app: what is requested waits, until a lease holds it."""
    runtime = client.app[RUNTIME]
    profile, job = await kyle.profile_from("kyle-oliver"), await kyle.job_from(BACKEND)
    first, _second = [(await kyle.generate(profile, job))["id"] for _ in range(2)]
    observer = build_generation_worker(runtime)  # not started: it claims nothing

    await observer.record_queue()
    both = REGISTRY.get_sample_value("jobwise_generations_queued")
    assert await LeaseBook(runtime.database[LEASES], 60.0).claim(first, "elsewhere") is not None
    await observer.record_queue()
    one = REGISTRY.get_sample_value("jobwise_generations_queued")

    assert (both, one) == (2, 1)
