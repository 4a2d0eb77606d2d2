"""``jobwise events --user EMAIL`` tells an account's story from the real server."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from tests.e2e.conftest import event_lines, run_jobwise, running_serve

PASSWORD = "Correct-Horse-9"


def post(base: str, path: str, body: dict[str, Any] | None, token: str | None = None) -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def test_events_for_a_user_show_what_the_account_did(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_serve(data_dir) as serve:
        registered = post(
            serve.base,
            "/api/v1/auth/register",
            {"email": "ada@example.com", "password": PASSWORD, "full_name": "Ada Lovelace"},
        )
        post(serve.base, "/api/v1/auth/logout", None, registered["access_token"])

        text = run_jobwise(data_dir, "events", "--user", "ADA@example.com")
        as_json = run_jobwise(data_dir, "events", "--user", "ada@example.com", "--json")

    assert text.returncode == 0, text.stderr
    for kind in ("EmailReserved", "UserRegistered", "SessionStarted", "SessionRevoked"):
        assert kind in text.stdout
    assert "from 127.0.0.1" in text.stdout
    listed = event_lines(as_json.stdout)
    assert [e["type"] for e in listed] == [
        "EmailReserved",
        "UserRegistered",
        "SessionStarted",
        "SessionRevoked",
    ]
    assert listed[1]["data"]["password_hash"] == "[redacted]"
    assert "argon2" not in text.stdout + as_json.stdout
    assert PASSWORD not in text.stdout + as_json.stdout
