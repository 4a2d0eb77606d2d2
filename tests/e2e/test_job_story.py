"""A job's life through the real ``jobwise serve``: pasted, read with the LLM's help, deleted.

The server process reaches the fake OpenAI-compatible server only through
``OPENAI_BASE_URL``, as it would any real one; the CLI then tells the job's
story from the event store and ``verify`` finds the read models sound.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from tests.e2e.conftest import event_lines, jobwise_env, run_jobwise, running_serve
from tests.e2e.test_account_story import PASSWORD, post
from tests.support.fake_openai import FakeOpenAI

VAGUE = (
    "hey! toothly makes scheduling software for dental clinics.\n"
    "we need a backend developer, ideally near Leeds, who writes python (django).\n"
)


def call(base: str, method: str, path: str, token: str) -> Any:
    headers = {"Authorization": f"Bearer {token}"}
    request = urllib.request.Request(base + path, headers=headers, method=method)
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def test_a_pasted_job_read_by_the_llm_then_deleted(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with FakeOpenAI() as fake:
        fake.default = {"company": "Toothly", "requirements": ["Python with Django"]}
        env = jobwise_env(data_dir, **fake.env())
        with running_serve(data_dir, env=env) as serve:
            token = post(
                serve.base,
                "/api/v1/auth/register",
                {"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada"},
            )["access_token"]
            job = post(
                serve.base,
                "/api/v1/jobs",
                {"source": "email", "raw_text": VAGUE, "parse_with_llm": True},
                token,
            )
            call(serve.base, "DELETE", f"/api/v1/jobs/{job['id']}", token)
            audit = call(serve.base, "GET", f"/api/v1/audit/events?stream_id={job['id']}", token)

            story = run_jobwise(data_dir, "events", "--stream", job["id"], "--json")
            verified = run_jobwise(data_dir, "verify")

    assert job["parsing"]["llm"] == "used", job["parsing"]
    assert job["company"] == "Toothly"
    assert job["parsed_keywords"]["required"][:2] == ["Python", "Django"]
    assert len(fake.completions) == 1
    assert [e["type"] for e in audit["items"]] == ["JobCreated", "JobParsed", "JobDeleted"]
    assert story.returncode == 0, story.stderr
    assert [e["type"] for e in event_lines(story.stdout)] == [
        "JobCreated",
        "JobParsed",
        "JobDeleted",
    ]
    assert verified.returncode == 0, verified.stdout + verified.stderr
