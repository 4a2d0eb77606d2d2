"""``/metrics`` of the real processes: a ``jobwise serve`` and a ``jobwise worker
--metrics-port`` beside it, both scraped after a generation; and the worker's JSON log
lines for that generation carrying the request id of the POST that asked for it."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from tests.e2e.conftest import (
    free_port,
    http_get,
    jobwise_env,
    running_serve,
    start_worker,
    stopped,
)
from tests.e2e.test_generation_story import BOUND_SECONDS, ending, seeker, wait_for
from tests.support.metrics import EXPOSITION, Scrape, this_machines_address


def post_with_request_id(base: str, path: str, body: dict[str, Any], token: str, rid: str) -> Any:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "X-Request-ID": rid,
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def scrape(base: str) -> Scrape:
    reply = http_get(base + "/metrics")
    assert reply.status == 200, reply.body[:500]
    assert reply.headers["Content-Type"].startswith(EXPOSITION)
    return Scrape.parse(reply.body.decode())


def answers(url: str) -> bool:
    try:
        return http_get(url, timeout=2.0).status == 200
    except (OSError, urllib.error.URLError):
        return False


def json_lines(path: Path) -> list[dict[str, Any]]:
    text = path.read_text(errors="replace")
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def test_a_worker_is_scraped_and_logs_the_request_id_of_its_generation(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = jobwise_env(data_dir, JOBWISE_WORKER_CONCURRENCY="0", JOBWISE_LOG_JSON="true")
    port = free_port()
    worker_base = f"http://127.0.0.1:{port}"
    rid = f"e2e-{uuid.uuid4().hex[:12]}"
    with running_serve(data_dir, env=env) as serve:
        worker = start_worker(
            data_dir, env, "worker", "--metrics-port", str(port), "--metrics-host", "0.0.0.0"
        )
        try:
            wait_for("the worker's /health", lambda: answers(worker_base + "/health"))
            token, profile, job = seeker(serve.base)
            path, body = "/api/v1/generations/resume", {"profile_id": profile, "job_id": job}
            generation = post_with_request_id(serve.base, path, body, token, rid)["id"]
            done = wait_for("the generation to end", ending(serve.base, token, generation))
            from_worker, from_serve = scrape(worker_base), scrape(serve.base)
            address = this_machines_address()
            elsewhere = http_get(f"http://{address}:{port}/metrics") if address else None
        finally:
            code = stopped(worker)
        serve_lines = [json.loads(line) for line in serve.log().splitlines() if line[:1] == "{"]

    assert code == 0 and done["status"] == "completed"
    assert from_worker.value("jobwise_generations_completed_total") == 1
    assert from_worker.value("jobwise_generations_running") == 0
    assert from_worker.value("jobwise_generations_queued") == 0
    assert from_worker.value("jobwise_pdf_render_duration_seconds_count") >= 1
    assert from_worker.value("jobwise_llm_requests_total", model="offline") == 1
    assert from_worker.value("jobwise_generation_lease_takeovers_total") == 0
    assert not from_worker.has("jobwise_projection_lag_events")  # a worker runs none
    posted = {"route": path, "method": "POST", "status_class": "2xx"}
    assert from_serve.value("jobwise_http_request_duration_seconds_count", **posted) == 1
    assert from_serve.value("jobwise_generations_completed_total") == 0  # the worker ran it
    assert generation not in from_serve.every_label_value() | from_worker.every_label_value()
    if elsewhere is not None:  # from an address that is not loopback, without the token
        assert elsewhere.status == 403 and elsewhere.json()["error"]["code"] == "forbidden"

    # The POST's request id, in the API's access line and in every line the worker
    # wrote for the generation it asked for.
    assert any(line.get("request_id") == rid and line.get("path") == path for line in serve_lines)
    worker_lines = json_lines(data_dir.parent / "worker.log")
    for_generation = [line for line in worker_lines if line.get("generation_id") == generation]
    assert len(for_generation) >= 2, worker_lines[-20:]
    assert {line["request_id"] for line in for_generation} == {rid}
    printed = (data_dir.parent / "worker.log").read_text()
    assert f"metrics on http://0.0.0.0:{port}/metrics" in printed


def test_a_metrics_port_in_use_is_refused_at_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = jobwise_env(data_dir)
    with running_serve(data_dir, env=env) as serve:
        started = time.monotonic()
        worker = start_worker(data_dir, env, "taken", "--metrics-port", str(serve.port))
        code = worker.wait(timeout=BOUND_SECONDS)
    assert code == 2
    said = (data_dir.parent / "taken.log").read_text()
    assert f"cannot listen on 127.0.0.1:{serve.port}" in said and "--metrics-port" in said
    assert time.monotonic() - started < BOUND_SECONDS
