"""Moving the log to another installation through the real CLI: export, import into an
empty database, both ``verify`` checks clean, and the rebuilt read models equal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pymongo import MongoClient

from tests.e2e.conftest import DB_NAME, run_jobwise, running_serve
from tests.e2e.test_account_story import PASSWORD, post

NOT_READ_MODELS = {"events", "user_keys"}  # the keys came over by import-keys


def _read_models(mongo_url: str) -> dict[str, list[Any]]:
    client: MongoClient[dict[str, Any]] = MongoClient(mongo_url, serverSelectionTimeoutMS=10_000)
    try:
        database = client[DB_NAME]
        return {
            name: sorted(database[name].find(), key=repr)
            for name in sorted(database.list_collection_names())
            if name not in NOT_READ_MODELS and "checkpoint" not in name
        }
    finally:
        client.close()


def _seed(base: str) -> None:
    for name in ("ada", "grace"):
        token = post(
            base,
            "/api/v1/auth/register",
            {"email": f"{name}@example.com", "password": PASSWORD, "full_name": name.title()},
        )["access_token"]
        post(
            base,
            "/api/v1/jobs",
            {"source": "email", "raw_text": f"{name} wants a Python backend role in Leeds."},
            token,
        )


def test_a_log_moves_to_an_empty_database_and_proves_itself(tmp_path: Path) -> None:
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    exported, rest = tmp_path / "log.jsonl", tmp_path / "rest.jsonl"
    keys_file = tmp_path / "keys.jsonl"
    with running_serve(source_dir) as serve:
        _seed(serve.base)
        serve.wait_ready()
        signed = run_jobwise(source_dir, "checkpoint")
        public = run_jobwise(source_dir, "chain-key")
        head = run_jobwise(source_dir, "export-events", "--to", str(exported))
        keys = run_jobwise(source_dir, "export-keys", "--to", str(keys_file))
        resumed = run_jobwise(source_dir, "export-events", "--after", "3", "--to", str(rest))
        before = _read_models(serve.mongo_url)
    assert head.returncode == 0, head.stderr
    assert keys.returncode == 0 and "exported 3 keys" in keys.stderr, keys.stderr  # 2 + the pepper
    assert b"Leeds" not in exported.read_bytes()  # sealed: the log alone opens nothing
    assert resumed.returncode == 0, resumed.stderr
    lines = exported.read_bytes().splitlines(keepends=True)
    assert rest.read_bytes().splitlines()[1:] == [raw.rstrip(b"\n") for raw in lines[4:]]
    assert signed.returncode == 0 and "signed the head" in signed.stdout, signed.stderr
    source_key = tmp_path / "source.pub"
    source_key.write_text(public.stdout)
    key_file = tmp_path / "chain-key.pub"
    key_file.write_text(public.stdout)
    offline = run_jobwise(
        source_dir, "verify", "--chain", "--from", str(exported), "--public-key", str(key_file)
    )
    assert offline.returncode == 0, offline.stderr
    assert f"{len(lines) - 1} events chained, 1 signed checkpoint(s)" in offline.stdout
    stranger = run_jobwise(tmp_path / "stranger", "chain-key")
    key_file.write_text(stranger.stdout)
    forged = run_jobwise(
        source_dir, "verify", "--chain", "--from", str(exported), "--public-key", str(key_file)
    )
    assert forged.returncode == 1 and "forged checkpoint" in forged.stderr

    # An interrupted import (the first three events), then the rest resumed from its file.
    partial = tmp_path / "first.jsonl"
    partial.write_bytes(b"".join(lines[:4]))
    first = run_jobwise(target_dir, "import-events", str(partial))
    assert first.returncode == 0, first.stderr
    second = run_jobwise(target_dir, "import-events", str(rest))
    assert second.returncode == 0, second.stderr
    again = run_jobwise(target_dir, "import-events", str(exported))
    assert again.returncode == 0, again.stderr
    assert "imported 0 new" in again.stdout
    taken = run_jobwise(target_dir, "import-keys", str(keys_file))
    assert taken.returncode == 0 and "3 added" in taken.stdout, taken.stdout + taken.stderr
    twice = run_jobwise(target_dir, "import-keys", str(keys_file))
    assert "0 added, 3 same" in twice.stdout

    with running_serve(target_dir) as serve:
        serve.wait_ready()
        # The imported checkpoints were signed with the source's key, not this one's.
        chain = run_jobwise(target_dir, "verify", "--chain", "--public-key", str(source_key))
        own_only = run_jobwise(target_dir, "verify", "--chain")
        models = run_jobwise(target_dir, "verify")
        after = _read_models(serve.mongo_url)
    assert chain.returncode == 0, chain.stderr
    assert own_only.returncode == 1 and "forged checkpoint" in own_only.stderr
    assert models.returncode == 0, models.stdout + models.stderr
    assert after == before


def test_an_import_that_conflicts_or_breaks_the_chain_is_refused(tmp_path: Path) -> None:
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    exported = tmp_path / "log.jsonl"
    with running_serve(source_dir) as serve:
        _seed(serve.base)
        run_jobwise(source_dir, "export-events", "--to", str(exported))
    lines = exported.read_bytes().splitlines(keepends=True)
    at = next(n for n, raw in enumerate(lines) if b'"JobCreated"' in raw)  # line n: position n
    box = lines[at].index(b'"sealed":"v1.') + len(b'"sealed":"v1.')
    flipped = b"B" if lines[at][box : box + 1] == b"A" else b"A"  # one sealed byte changed
    forged = tmp_path / "forged.jsonl"
    forged.write_bytes(
        b"".join([*lines[:at], lines[at][:box] + flipped + lines[at][box + 1 :], *lines[at + 1 :]])
    )

    refused = run_jobwise(target_dir, "import-events", str(forged))
    not_keys = run_jobwise(target_dir, "import-keys", str(exported))  # a log, not keys
    assert not_keys.returncode == 2 and "not an export-keys file" in not_keys.stderr
    checked = run_jobwise(target_dir, "verify", "--chain", "--from", str(forged))
    imported = run_jobwise(target_dir, "import-events", str(exported))

    assert refused.returncode == 1 and f"broken link at position {at}" in refused.stderr
    assert checked.returncode == 1 and f"position {at}: altered" in checked.stderr
    assert imported.returncode == 0, imported.stderr
    conflicting = run_jobwise(target_dir, "import-events", str(forged))
    # The chain is checked before anything is compared with what is stored.
    assert conflicting.returncode == 1 and f"broken link at position {at}" in conflicting.stderr
