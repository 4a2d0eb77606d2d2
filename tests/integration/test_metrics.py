"""``/metrics`` on the real app on a real port: who may read it, what it says about the
requests it answered, and that no client can grow its label values."""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from jobwise.entrypoints.http.factory import create_app
from jobwise.entrypoints.http.metrics_server import metrics_app
from jobwise.metrics import UNMATCHED_ROUTE
from jobwise.settings import load_settings
from tests.integration.auth.conftest import AppClient, MakeClient, bearer, register
from tests.support.metrics import EXPOSITION, Scrape, this_machines_address
from tests.support.settings import app_env

TOKEN = "op-" + "s" * 30
HTTP = "jobwise_http_request_duration_seconds_count"


async def make_client(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, **environment: str
) -> AppClient:
    settings = load_settings(app_env(tmp_path, db_name, **environment))
    return await aiohttp_client(create_app(settings, mongo_url=mongo_url))


async def scrape(client: AppClient, **headers: str) -> Scrape:
    response = await client.get("/metrics", headers=headers)
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"].startswith(EXPOSITION)
    return Scrape.parse(await response.text())


@pytest.fixture
async def client(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, mongo: Any
) -> AppClient:
    return await make_client(aiohttp_client, tmp_path, db_name, mongo_url)


async def test_a_request_is_counted_under_its_route_pattern_never_its_path(
    client: AppClient,
) -> None:
    before = await scrape(client)
    user = await register(client)
    missing = str(uuid.uuid4())
    headers = bearer(user["access_token"])

    answer = await client.get(f"/api/v1/jobs/{missing}", headers=headers)
    assert answer.status == 404
    after = await scrape(client)

    pattern = {"route": "/api/v1/jobs/{job_id}", "method": "GET", "status_class": "4xx"}
    assert after.value(HTTP, **pattern) == before.value(HTTP, **pattern) + 1
    registered = {"route": "/api/v1/auth/register", "method": "POST", "status_class": "2xx"}
    assert after.value(HTTP, **registered) == before.value(HTTP, **registered) + 1
    # the previous scrape, seen by this one; and this one, in flight while it answers
    scraped = {"route": "/metrics", "method": "GET", "status_class": "2xx"}
    assert after.value(HTTP, **scraped) >= 1
    assert after.value("jobwise_http_requests_in_flight") >= 1
    assert not {missing, user["user"]["id"]} & after.every_label_value()
    buckets = after.of("jobwise_http_request_duration_seconds_bucket", **pattern)
    assert buckets[-1].labels["le"] == "+Inf" and buckets[-1].value == after.value(HTTP, **pattern)


async def test_the_store_and_the_read_models_are_measured(client: AppClient) -> None:
    before = await scrape(client)
    await register(client)
    after = await scrape(client)

    appends = "jobwise_event_store_append_duration_seconds_count"
    assert after.value(appends, store="mongo") > before.value(appends, store="mongo")
    assert after.value("jobwise_event_store_head_position") >= 1
    lags = {s.labels["projection"]: s.value for s in after.of("jobwise_projection_lag_events")}
    assert {"users", "profiles", "generations"} <= set(lags)
    assert all(lag >= 0 for lag in lags.values())
    assert after.has("process_resident_memory_bytes")


@pytest.mark.parametrize(
    ("environment", "headers", "status"),
    [
        ({}, {}, 200),  # loopback: this machine
        # Behind a trusted proxy the client is the forwarded address, not the proxy's.
        ({"JOBWISE_TRUSTED_PROXIES": "127.0.0.1"}, {"X-Forwarded-For": "203.0.113.9"}, 403),
        (
            {"JOBWISE_TRUSTED_PROXIES": "127.0.0.1", "JOBWISE_OPERATOR_TOKEN": TOKEN},
            {"X-Forwarded-For": "203.0.113.9", "Authorization": f"Bearer {TOKEN}"},
            200,
        ),
        (
            {"JOBWISE_TRUSTED_PROXIES": "127.0.0.1", "JOBWISE_OPERATOR_TOKEN": TOKEN},
            {"X-Forwarded-For": "203.0.113.9", "Authorization": "Bearer op-" + "t" * 30},
            403,
        ),
        # A proxy on this machine that is not trusted relays someone: not this machine.
        ({}, {"X-Forwarded-For": "203.0.113.9"}, 403),
    ],
)
async def test_metrics_are_for_operators_as_status_is(
    aiohttp_client: MakeClient,
    tmp_path: Path,
    db_name: str,
    mongo_url: str,
    mongo: Any,
    environment: dict[str, str],
    headers: dict[str, str],
    status: int,
) -> None:
    client = await make_client(aiohttp_client, tmp_path, db_name, mongo_url, **environment)

    response = await client.get("/metrics", headers=headers)

    assert response.status == status
    if status == 403:
        body = await response.json()
        assert body["error"]["code"] == "forbidden"
        assert "jobwise_" not in str(body)
    else:
        assert response.headers["Content-Type"].startswith(EXPOSITION)


async def test_a_client_from_another_address_is_refused_without_the_token(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, mongo_url: str, mongo: Any
) -> None:
    """A real connection that does not come from loopback: 403, unless it holds the token."""
    address = this_machines_address()
    if address is None:
        pytest.skip("this machine has no address but loopback")
    settings = load_settings(app_env(tmp_path, db_name, JOBWISE_OPERATOR_TOKEN=TOKEN))
    app = create_app(settings, mongo_url=mongo_url)
    client = await aiohttp_client(app, server_kwargs={"host": "0.0.0.0"})
    url = f"http://{address}:{client.server.port}/metrics"

    async with aiohttp.ClientSession() as session:
        async with session.get(url) as refused:
            assert refused.status == 403
            assert (await refused.json())["error"]["code"] == "forbidden"
        async with session.get(url, headers=bearer(TOKEN)) as allowed:
            assert allowed.status == 200
            assert allowed.headers["Content-Type"].startswith(EXPOSITION)
        async with session.get(f"http://{address}:{client.server.port}/status") as status:
            assert status.status == 403  # the same rule as /status, from the same client


def routes_of(app: web.Application) -> set[str]:
    return {resource.canonical for resource in app.router.resources()}


@pytest.mark.slow
async def test_ten_thousand_unknown_paths_make_one_label_value(client: AppClient) -> None:
    before = await scrape(client)
    tokens = [uuid.uuid4().hex for _ in range(10_000)]
    paths = [
        f"/{token}/x" if n % 3 == 0 else f"/api/v1/{token}" if n % 3 == 1 else f"/static/{token}"
        for n, token in enumerate(tokens)
    ]
    # Methods HTTP's parser knows (it refuses made-up ones below the app) that we do not.
    methods = ["PROPFIND", "MKCOL", "LOCK", "UNLOCK", "COPY", "MOVE", "SEARCH", "PURGE"]

    async def send(method: str, path: str) -> None:
        async with client.request(method, path) as response:
            assert response.status in (404, 405), (method, path)

    for start in range(0, len(paths), 100):
        batch = paths[start : start + 100]
        await asyncio.gather(*(send("GET", path) for path in batch))
    await asyncio.gather(*(send(method, "/health") for method in methods))
    response = await client.get("/metrics")
    text = await response.text()
    after = Scrape.parse(text)

    unmatched = {"route": UNMATCHED_ROUTE, "method": "GET", "status_class": "4xx"}
    assert after.value(HTTP, **unmatched) - before.value(HTTP, **unmatched) == len(paths)
    # Other tests in this process register routes of their own; what this test adds
    # must be this app's patterns or the one fixed label.
    added = after.label_values(HTTP, "route") - before.label_values(HTTP, "route")
    assert added <= routes_of(client.app) | {UNMATCHED_ROUTE}
    assert after.label_values(HTTP, "method") <= {"GET", "HEAD", "POST", "PUT", "PATCH",
                                                  "DELETE", "OPTIONS", "OTHER"}  # fmt: skip
    other = {"route": UNMATCHED_ROUTE, "method": "OTHER"}  # a 405 matched no route either
    assert after.value(HTTP, **other) - before.value(HTTP, **other) == len(methods)
    assert len(after.samples) < 5_000
    assert not any(token in text for token in tokens)


async def test_a_workers_metrics_app_answers_health_and_metrics_and_survives_a_failing_hook(
    aiohttp_client: MakeClient, tmp_path: Path, db_name: str, caplog: pytest.LogCaptureFixture
) -> None:
    """What ``jobwise worker --metrics-port`` serves: a hook that fails (a database away)
    is logged and the scrape still answers; the rest is refused as elsewhere."""
    ran: list[str] = []

    async def fine() -> None:
        ran.append("fine")

    async def broken() -> None:
        raise ConnectionError("database away")

    settings = load_settings(app_env(tmp_path, db_name))
    app = metrics_app(settings, {"broken": broken, "fine": fine})
    client = await aiohttp_client(app)

    with caplog.at_level(logging.WARNING, logger="jobwise.http"):
        scraped = await scrape(client)
    health = await client.get("/health")
    relayed = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    elsewhere = await client.get("/api/v1/jobs")
    posted = await client.post("/metrics", data=b"x")

    assert ran == ["fine"] and "broken could not be read" in caplog.text
    assert scraped.has("jobwise_http_requests_in_flight")
    assert (health.status, await health.json()) == (200, {"status": "ok"})
    assert relayed.status == 403 and (await relayed.json())["error"]["code"] == "forbidden"
    assert elsewhere.status == 404 and (await elsewhere.json())["error"]["code"] == "not_found"
    assert posted.status == 405
