"""Deleting an account on a running serve, then auditing what is left (issue 22's test).

Thomas Davis (a real public JSON Resume) signs up, imports his resume, saves a real
posting, generates a resume and exports it to PDF; Kyle Oliver does the same beside
him. Thomas deletes his account. Then, with the CLI an auditor has:

* ``verify --chain`` is clean: the log was never rewritten;
* ``verify`` is clean: the read models equal a rebuild;
* ``replay --as-of`` a moment *before* the deletion shows none of Thomas's personal
  data, and all of Kyle's;
* neither ``events`` nor ``export-events`` nor any collection of the database holds his
  address, name, phone or a phrase of his resume; his PDF is gone;
* he cannot log in, his tokens are dead, and the address may register again.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pymongo import MongoClient
from pymongo.database import Database

from tests.e2e.conftest import Serve, call, run_jobwise, running_serve
from tests.e2e.test_generation_story import DATA, ending, wait_for

PASSWORD = "Correct-Horse-9"
THOMAS = json.loads((DATA / "generation" / "resume-thomas-davis.json").read_text("utf-8"))
KYLE = json.loads((DATA / "generation" / "resume-kyle-oliver.json").read_text("utf-8"))
POSTING = (DATA / "generation" / "posting-gitlab-it-sre.txt").read_text("utf-8")


def ok(reply: tuple[int, Any], status: int = 200) -> Any:
    assert reply[0] == status, reply
    return reply[1]


def seeker(base: str, email: str, resume: dict[str, Any]) -> tuple[str, str]:
    """A user with a real resume, a real posting, and a resume exported to PDF."""
    name = resume["basics"]["name"]
    registered = {"email": email, "password": PASSWORD, "full_name": name}
    token = ok(call(base, "POST", "/api/v1/auth/register", None, registered), 201)["access_token"]
    imported = {"format": "json-resume", "data": resume}
    profile = ok(call(base, "POST", "/api/v1/profiles/import", token, imported), 201)
    job = ok(call(base, "POST", "/api/v1/jobs", token, {"source": "web", "raw_text": POSTING}), 201)
    asked = {"profile_id": profile["id"], "job_id": job["id"]}
    generation = ok(call(base, "POST", "/api/v1/generations/resume", token, asked), 201)
    finished = wait_for("the generation to end", ending(base, token, generation["id"]))
    assert finished["status"] == "completed", finished
    result = ok(call(base, "GET", f"/api/v1/generations/{generation['id']}/result", token))
    document_id = result["document_id"]
    exported = f"/api/v1/documents/{document_id}/export"
    ok(call(base, "POST", exported, token, {"format": "pdf"}))
    return token, document_id


def secrets_of(resume: dict[str, Any], email: str) -> list[str]:
    basics = resume["basics"]
    phrase = basics["summary"][:60]
    return [email, basics["name"], basics["email"], phrase, *filter(None, [basics.get("phone")])]


def database_text(serve: Serve) -> str:
    """Every document of every collection of the app's database, as one text."""
    client: MongoClient[dict[str, Any]]
    with MongoClient(serve.mongo_url) as client:
        database: Database[dict[str, Any]] = client["jobwise"]
        return "\n".join(
            json.dumps(document, default=str, ensure_ascii=False)
            for name in database.list_collection_names()
            for document in database[name].find()
        )


def test_an_erased_account_leaves_a_verifiable_log_without_its_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_serve(data_dir) as serve:
        base = serve.base
        token, document_id = seeker(base, "thomas@example.com", THOMAS)
        seeker(base, "kyle@example.com", KYLE)
        refresh = ok(
            call(
                base,
                "POST",
                "/api/v1/auth/login",
                None,
                {"email": "thomas@example.com", "password": PASSWORD},
            )
        )["refresh_token"]
        time.sleep(1.1)  # the replay's moment is strictly between the data and the deletion
        before = datetime.now(UTC).isoformat()
        time.sleep(1.1)

        wrong = call(base, "DELETE", "/api/v1/me", token, {"password": "Wrong-Horse-1"})
        assert wrong[0] == 403 and wrong[1]["error"]["code"] == "wrong_password", wrong
        # A deletion waits for every process's projections: a longer bound.
        deleted = call(base, "DELETE", "/api/v1/me", token, {"password": PASSWORD}, timeout=60)
        assert ok(deleted, 204) is None  # no body

        assert call(base, "GET", "/api/v1/auth/me", token, None)[0] == 401
        refreshed = call(base, "POST", "/api/v1/auth/refresh", None, {"refresh_token": refresh})
        assert refreshed[0] == 401
        login = {"email": "thomas@example.com", "password": PASSWORD}
        assert call(base, "POST", "/api/v1/auth/login", None, login)[0] == 401
        export = tmp_path / "log.jsonl"
        chain, views, replay, events, exported = (
            run_jobwise(data_dir, "verify", "--chain"),
            run_jobwise(data_dir, "verify"),
            run_jobwise(data_dir, "replay", "--as-of", before, "--dump", "-"),
            run_jobwise(data_dir, "events", "--json"),
            run_jobwise(data_dir, "export-events", "--to", str(export)),
        )
        stored = database_text(serve)
        pdfs = [path.name for path in data_dir.rglob("*.pdf")]

        again = {"email": "thomas@example.com", "password": PASSWORD, "full_name": "T. D."}
        assert call(base, "POST", "/api/v1/auth/register", None, again)[0] == 201

    for result in (chain, views, replay, events, exported):
        assert result.returncode == 0, (result.args, result.stdout[-3000:], result.stderr[-2000:])
    thomas = secrets_of(THOMAS, "thomas@example.com")
    for where, text in {
        "replay before the deletion": replay.stdout,
        "events": events.stdout,
        "export-events": export.read_text("utf-8"),
        "the database": stored,
    }.items():
        for secret in thomas:
            assert secret.lower() not in text.lower(), f"{secret!r} is still in {where}"
    # The same views do hold the other user's data: the checks above can fail.
    for secret in secrets_of(KYLE, "kyle@example.com"):
        assert secret in replay.stdout and secret in stored
    erased = [e for e in map(json.loads, events.stdout.splitlines()) if e["data"] == {}]
    assert erased and all(e["metadata"].get("erased") for e in erased)
    assert pdfs  # Kyle's is still there
    assert not [name for name in pdfs if document_id.replace("-", "") in name]
