"""Generations through the real ``jobwise serve``: a ``kill -9`` in the middle of one, and
dedicated ``jobwise worker`` processes sharing the work.

The model is the fake OpenAI-compatible server, reached through ``OPENAI_BASE_URL``; it
answers slowly when a test needs a generation caught in the middle of its third stage.
"""

from __future__ import annotations

import json
import signal
import time
import urllib.request
from pathlib import Path
from typing import Any

from tests.e2e.conftest import (
    jobwise_env,
    run_jobwise,
    running_serve,
    start_serve,
    start_worker,
    stopped,
)
from tests.e2e.test_account_story import PASSWORD, post
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.resume_answers import resume_answer

DATA = Path(__file__).parents[1] / "data"
LEASE_SECONDS = 10
ENDED = ("completed", "needs_review", "failed", "cancelled")
BOUND_SECONDS = 60.0
"""How long a test waits for anything before it fails (a bound, not a measurement)."""


def get(base: str, path: str, token: str) -> Any:
    request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def wait_for(what: str, check: Any, seconds: float = BOUND_SECONDS) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds:.0f}s for {what}")


def seeker(base: str) -> tuple[str, str, str]:
    """A user with Kyle Oliver's real resume and a real posting: token, profile, job."""
    token = post(
        base,
        "/api/v1/auth/register",
        {"email": "kyle@example.com", "password": PASSWORD, "full_name": "Kyle Oliver"},
    )["access_token"]
    resume = json.loads((DATA / "generation" / "resume-kyle-oliver.json").read_text("utf-8"))
    profile = post(
        base, "/api/v1/profiles/import", {"format": "json-resume", "data": resume}, token
    )
    posting = DATA / "real_postings" / "09-safespring-2026-senior-backend-engineer.txt"
    job = post(base, "/api/v1/jobs", {"source": "web", "raw_text": posting.read_text()}, token)
    return token, profile["id"], job["id"]


def generate(base: str, token: str, profile: str, job: str, kind: str = "resume") -> str:
    path = "/api/v1/generations/" + ("resume" if kind == "resume" else "cover-letter")
    created = post(base, path, {"profile_id": profile, "job_id": job}, token)
    assert created["status"] == "pending"
    return str(created["id"])


def ended(base: str, token: str, generation_id: str) -> dict[str, Any] | None:
    current: dict[str, Any] = get(base, f"/api/v1/generations/{generation_id}", token)
    return current if current["status"] in ENDED else None


def ending(base: str, token: str, generation_id: str) -> Any:
    return lambda: ended(base, token, generation_id)


def stages_started(base: str, token: str, generation_id: str) -> list[dict[str, Any]]:
    """The generation's ``StageStarted`` data from its audit trail, after checking that its
    seq has no gap."""
    trail = get(base, f"/api/v1/audit/events?stream_id={generation_id}&limit=100", token)
    events = trail["items"]
    seqs = [e["data"]["seq"] for e in events if "seq" in e["data"]]
    assert seqs == list(range(1, len(seqs) + 1))  # across a crash too: no gap
    return [e["data"] for e in events if e["type"] == "StageStarted"]


def test_after_a_kill_9_mid_generation_every_generation_ends(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with FakeOpenAI() as fake:
        fake.responder = lambda request: Reply.delay(120, then=resume_answer(request))
        env = jobwise_env(
            data_dir,
            **fake.env(),
            JOBWISE_GENERATION_LEASE_SECONDS=str(LEASE_SECONDS),
            JOBWISE_WORKER_CONCURRENCY="1",
        )
        first = start_serve(data_dir, env=env, log_name="before")
        try:
            first.wait_ready()
            token, profile, job = seeker(first.base)
            running = generate(first.base, token, profile, job)
            queued = generate(first.base, token, profile, job, kind="cover_letter")
            wait_for("the model to be asked", lambda: fake.completions)
            wait_for(
                "the third stage to show",
                lambda: (
                    get(first.base, f"/api/v1/generations/{running}", token)["progress"]["stage"]
                    == "generating_content"
                ),
            )

            first.stop(signal.SIGKILL)
        finally:
            first.terminate()

        fake.responder = resume_answer  # the model answers at once from now on
        second = start_serve(data_dir, env=env, port=first.port, log_name="after")
        try:
            second.wait_ready()
            restarted = time.monotonic()
            finished = [
                wait_for(f"{g} to end", lambda g=g: ended(second.base, token, g))
                for g in (running, queued)
            ]
            took = time.monotonic() - restarted
            listed = get(second.base, "/api/v1/generations", token)
            interrupted = stages_started(second.base, token, running)
            after_it = stages_started(second.base, token, queued)
            verified = run_jobwise(data_dir, "verify")  # the read models after the crash
        finally:
            second.terminate()

    print(f"both generations ended {took:.1f}s after the restart (lease {LEASE_SECONDS}s)")
    assert [f["status"] for f in finished] == ["completed", "completed"]
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "generations" in verified.stdout and "documents" in verified.stdout
    assert {item["status"] for item in listed["items"]} <= set(ENDED)
    assert [s["attempt"] for s in interrupted] == [1, 1, 1, 2, 2, 2, 2, 2]
    assert interrupted[2]["stage"] == "generating_content"
    assert len({s["worker_id"] for s in interrupted}) == 2  # another process took it over
    assert [s["attempt"] for s in after_it] == [1] * 5


def test_dedicated_workers_beside_serve_share_the_generations(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = jobwise_env(data_dir, JOBWISE_WORKER_CONCURRENCY="0")
    with running_serve(data_dir, env=env) as serve:
        workers = [
            start_worker(data_dir, env, f"worker-{n}", "--concurrency", "2") for n in range(2)
        ]
        try:
            token, profile, job = seeker(serve.base)
            generations = [generate(serve.base, token, profile, job) for _ in range(4)]
            finished = [wait_for(f"{g} to end", ending(serve.base, token, g)) for g in generations]
            stages = [stages_started(serve.base, token, g) for g in generations]
        finally:
            codes = [stopped(worker) for worker in workers]

    assert codes == [0, 0]
    assert [f["status"] for f in finished] == ["completed"] * 4
    for started in stages:
        runs = {(s["worker_id"], s["attempt"]) for s in started}
        assert len(runs) == 1 and runs.pop()[1] == 1  # one worker ran it, once
    logs = [(data_dir.parent / f"worker-{n}.log").read_text() for n in range(2)]
    assert all("jobwise worker" in log for log in logs)
