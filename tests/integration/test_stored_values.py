"""What may be stored: one rule for numbers and one for text, on every route (issue 18).

Every route that takes a body is walked through the real HTTP API from its own
OpenAPI schema: a control character in each text field, an integer past 64 bits in
each number, each answered 422 ``validation_error`` naming the field as sent, never a
500 and never a traceback in the log.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jobwise.settings import Settings, load_settings
from tests.integration.auth.conftest import AppClient, client, register
from tests.integration.users import ApiUser

__all__ = ["client"]

PERSON = {"full_name": "Ada Lovelace"}
INF = "__inf__"
"""Stands for ``1e999`` (JSON that Python parses to infinity) in a body sent raw."""
Path_ = tuple[str | int, ...]


@pytest.fixture
def settings(tmp_path: Path, db_name: str) -> Settings:
    # The walk sends a few hundred requests: more than a minute's default allowance.
    return load_settings(
        {
            "JOBWISE_DATA_DIR": str(tmp_path),
            "MONGODB_DB": db_name,
            "JOBWISE_RATE_LIMIT_PER_MINUTE": "100000",
        }
    )


@pytest.fixture
async def ada(client: AppClient) -> ApiUser:
    body = await register(client, email="ada@example.com")
    return ApiUser(client, body["access_token"], body["user"]["id"])


async def send(ada: ApiUser, method: str, path: str, body: Any) -> tuple[int, dict[str, Any]]:
    """A raw JSON body (``INF`` written as ``1e999``) to ``/api/v1<path>``."""
    text = json.dumps(body).replace(json.dumps(INF), "1e999")
    headers = {**ada.headers, "Content-Type": "application/json"}
    response = await ada.client.request(method, f"/api/v1{path}", data=text, headers=headers)
    answer: dict[str, Any] = await response.json()
    return response.status, answer


def refused(answer: dict[str, Any]) -> list[str]:
    assert answer["error"]["code"] == "validation_error", answer
    return [field["field"] for field in answer["error"]["details"]["fields"]]


# -- the schema walk ---------------------------------------------------------------------


def leaves(
    schema: dict[str, Any], schemas: dict[str, Any], path: Path_ = ()
) -> Iterator[tuple[Path_, str]]:
    """Every (path, JSON type) a body of ``schema`` may hold, lists at index 0 and free
    objects under a key ``k``; each distinct once."""
    seen: set[tuple[Path_, str]] = set()
    stack = [(schema, path)]
    while stack:
        node, at = stack.pop()
        if "$ref" in node:
            node = schemas[node["$ref"].rsplit("/", 1)[1]]
        for option in node.get("anyOf", []) + node.get("oneOf", []):
            stack.append((option, at))
        kind = node.get("type")
        if kind == "object" or "properties" in node:
            for name, child in node.get("properties", {}).items():
                stack.append((child, (*at, name)))
            extra = node.get("additionalProperties")
            if extra is not False and not node.get("properties"):
                stack.append((extra if isinstance(extra, dict) else {}, (*at, "k")))
        elif kind == "array":
            stack.append((node.get("items", {}), (*at, 0)))
        elif kind in ("string", "integer", "number") or not node:
            for leaf in ("string",) if not node else (kind,):
                if (at, leaf) not in seen and at:
                    seen.add((at, leaf))
                    yield at, leaf


def body_with(path: Path_, value: Any) -> Any:
    """The smallest body holding ``value`` at ``path``."""
    for part in reversed(path):
        value = [value] if isinstance(part, int) else {part: value}
    return value


def dotted(path: Path_) -> str:
    return ".".join(str(part) for part in path)


async def operations(ada: ApiUser) -> list[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(method, path under /api/v1 with ids filled, body schema, all schemas) per route."""
    spec = await (await ada.client.get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            filled = path.removeprefix("/api/v1")
            for name in [p["name"] for p in operation.get("parameters", []) if p["in"] == "path"]:
                filled = filled.replace(f"{{{name}}}", str(uuid.uuid4()))
            found.append((method.upper(), filled, content["application/json"]["schema"], schemas))
    return found


def no_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logged = [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert logged == []


async def test_a_control_character_in_any_text_field_of_any_route_is_422_naming_it(
    ada: ApiUser, caplog: pytest.LogCaptureFixture
) -> None:
    walked = 0
    for method, path, schema, schemas in await operations(ada):
        for at, kind in leaves(schema, schemas):
            if kind != "string":
                continue
            status, answer = await send(ada, method, path, body_with(at, "Ctl\x01Co"))
            assert status == 422, (method, path, at, answer)
            assert refused(answer) == [dotted(at)], (method, path)
            assert answer["error"]["details"]["fields"][0]["type"] == "invalid_text"
            walked += 1
    assert walked > 150, "every text field of every route"
    no_tracebacks(caplog)


@pytest.mark.parametrize("huge", [2**63, -(2**63) - 1, 10**400, INF])
async def test_a_number_past_64_bits_or_infinite_in_any_route_is_422_naming_it(
    ada: ApiUser, caplog: pytest.LogCaptureFixture, huge: object
) -> None:
    walked = 0
    for method, path, schema, schemas in await operations(ada):
        for at in {at for at, _ in leaves(schema, schemas)}:
            status, answer = await send(ada, method, path, body_with(at, huge))
            assert status == 422, (method, path, at, answer)
            assert refused(answer) == [dotted(at)], (method, path)
            walked += 1
    assert walked > 200
    no_tracebacks(caplog)


async def test_a_number_past_64_bits_in_any_query_is_422_naming_it(
    ada: ApiUser, caplog: pytest.LogCaptureFixture
) -> None:
    spec = await (await ada.client.get("/openapi.json")).json()
    walked = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                kinds = {s.get("type") for s in _options(parameter["schema"])}
                if parameter["in"] != "query" or not kinds & {"integer", "number"}:
                    continue
                filled = re.sub(r"\{\w+\}", str(uuid.uuid4()), path)
                url = f"{filled}?{parameter['name']}={2**63}"
                response = await ada.client.request(method.upper(), url, headers=ada.headers)
                answer = await response.json()
                assert response.status == 422, (method, url, answer)
                assert refused(answer) == [parameter["name"]]
                walked += 1
    assert walked >= 10
    no_tracebacks(caplog)


def _options(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return [schema, *schema.get("anyOf", [])]


async def test_another_users_ids_answer_as_unknown_ones(client: AppClient, ada: ApiUser) -> None:
    """A bad body is judged before the id is looked up, so it is the same 422 for any id;
    a good body for another user's resource is the 404 of one that does not exist."""
    grace_body = await register(client, email="grace@example.com", full_name="Grace Hopper")
    grace = ApiUser(client, grace_body["access_token"], grace_body["user"]["id"])
    profile = await grace.call("POST", "/profiles", expect=201, json={"personal_info": PERSON})
    job = await grace.call("POST", "/jobs", expect=201, json={"source": "s", "title": "T"})
    saved = await grace.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})
    for path, method, good, field in (
        (f"/profiles/{profile['id']}", "PATCH", {"professional_summary": "x"}, "custom_fields"),
        (f"/jobs/{job['id']}", "PUT", {"title": "U"}, "title"),
        (f"/saved-jobs/{saved['id']}", "PATCH", {"notes": "n"}, "notes"),
    ):
        unknown = re.sub(r"/[0-9a-f-]{36}$", f"/{uuid.uuid4()}", path)
        bad = {field: {"n": 2**64}} if field == "custom_fields" else {field: "a\x00b"}
        for target in (path, unknown):
            status, answer = await send(ada, method, target, bad)
            assert status == 422 and refused(answer)[0].startswith(field)
        for target in (path, unknown):
            status, answer = await send(ada, method, target, good)
            assert (status, answer["error"]["code"]) == (404, "not_found"), target


NESTED = {"a": {"b": [0, 1, 2, 2**63]}}


@pytest.mark.parametrize(
    ("custom_fields", "field"),
    [
        (NESTED, "custom_fields.a.b.3"),
        ({"n": -(2**63) - 1}, "custom_fields.n"),
        ({"n": [{"x": INF}]}, "custom_fields.n.0.x"),
        ({"note": "Ctl\x01Co"}, "custom_fields.note"),
        ({"k\x1b": 1}, "custom_fields.k\x1b"),
        ({"k\ud800": 1}, "custom_fields.k\ud800"),
    ],
)
async def test_custom_fields_with_what_cannot_be_stored_are_422_in_every_write(
    ada: ApiUser, caplog: pytest.LogCaptureFixture, custom_fields: Any, field: str
) -> None:
    status, answer = await send(
        ada, "POST", "/profiles", {"personal_info": PERSON, "custom_fields": custom_fields}
    )
    assert (status, refused(answer)) == (422, [field])
    profile = await ada.call("POST", "/profiles", expect=201, json={"personal_info": PERSON})
    path = f"/profiles/{profile['id']}"
    for method, body in (
        ("PATCH", {"custom_fields": custom_fields}),
        ("PUT", {"personal_info": PERSON, "custom_fields": custom_fields}),
    ):
        status, answer = await send(ada, method, path, body)
        assert (status, refused(answer)) == (422, [field])
    resume = {"basics": {"name": "Ada Lovelace"}, "meta": custom_fields}
    status, answer = await send(
        ada, "POST", "/profiles/import", {"format": "json-resume", "data": resume}
    )
    assert (status, refused(answer)) == (422, ["data.meta." + field.split(".", 1)[1]])
    assert (await ada.call("GET", path, expect=200))["version"] == 1
    no_tracebacks(caplog)


async def test_the_largest_64_bit_integers_are_kept(ada: ApiUser) -> None:
    edges = {"max": 2**63 - 1, "min": -(2**63), "big": 1.5e308}
    profile = await ada.call(
        "POST", "/profiles", expect=201, json={"personal_info": PERSON, "custom_fields": edges}
    )
    assert profile["custom_fields"] == edges


async def test_every_field_that_cannot_be_stored_is_listed_in_document_order(
    ada: ApiUser,
) -> None:
    body = {
        "personal_info": {"full_name": "Ada\x02Lovelace"},
        "professional_summary": "a\x01b",
        "custom_fields": {"n": [1, 2**63, {"deep": INF}], "ok": "fine", "k\x07": 1},
    }
    status, answer = await send(ada, "POST", "/profiles", body)
    assert (status, refused(answer)) == (
        422,
        [
            "personal_info.full_name",
            "professional_summary",
            "custom_fields.n.1",
            "custom_fields.n.2.deep",
            "custom_fields.k\x07",
        ],
    )
    # A body of thousands of bad values is answered with the first twenty.
    status, answer = await send(
        ada, "POST", "/profiles", {"personal_info": PERSON, "custom_fields": {"n": [2**64] * 5000}}
    )
    assert (status, len(refused(answer))) == (422, 20)


async def test_an_integer_of_thousands_of_digits_is_422_naming_its_field(
    ada: ApiUser,
) -> None:
    text = '{"personal_info": {"full_name": "Ada"}, "custom_fields": {"n": [-%s]}}' % ("9" * 5001)
    headers = {**ada.headers, "Content-Type": "application/json"}
    response = await ada.client.post("/api/v1/profiles", data=text, headers=headers)
    assert (response.status, refused(await response.json())) == (422, ["custom_fields.n.0"])


@pytest.mark.parametrize("salary", ["inf", "NaN", "-Infinity", "1e999"])
async def test_a_salary_given_as_an_infinite_text_number_is_422(ada: ApiUser, salary: str) -> None:
    job = {"source": "manual", "title": "T", "salary_range": {"text": "€60k", "min": salary}}
    status, answer = await send(ada, "POST", "/jobs", job)
    assert (status, refused(answer)) == (422, ["salary_range.min"])


@pytest.mark.parametrize(
    "bad",
    ["\x00", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9f", "\ud800", "\ufffe"],
    ids=["nul", "bs", "vt", "ff", "esc", "del", "nel", "c1", "lone-surrogate", "fffe"],
)
async def test_each_refused_character_is_named_in_the_answer(ada: ApiUser, bad: str) -> None:
    body = {"personal_info": {"full_name": f"Ada{bad}Lovelace"}}
    status, answer = await send(ada, "POST", "/profiles", body)
    assert (status, refused(answer)) == (422, ["personal_info.full_name"])
    assert f"U+{ord(bad[0]):04X}" in answer["error"]["details"]["fields"][0]["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/profiles", {"personal_info": {"full_name": "Ada\nLovelace"}}, "full_name"),
        (
            "POST",
            "/profiles",
            {
                "personal_info": PERSON,
                "experiences": [{"title": "CTO", "company": "A\r\nB", "start_date": "2020-01-01"}],
            },
            "experiences.0.company",
        ),
        ("POST", "/jobs", {"source": "manual", "title": "Lead\nEngineer"}, "title"),
        ("POST", "/jobs", {"source": "manual", "title": "T", "company": "A\u2028B"}, "company"),
        (
            "POST",
            "/profiles/import",
            {"format": "json-resume", "data": {"basics": {"name": "Ada\n# Hired"}}},
            "name",
        ),
    ],
)
async def test_single_line_fields_refuse_line_breaks(
    ada: ApiUser, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    status, answer = await send(ada, method, path, body)
    assert status == 422
    assert [f for f in refused(answer) if f.endswith(field)], answer


async def test_a_name_with_a_line_break_cannot_register(client: AppClient) -> None:
    body = {"email": "eve@example.com", "password": "Correct-Horse-9", "full_name": "Eve\n# Hi"}
    response = await client.post("/api/v1/auth/register", json=body)
    assert response.status == 422
    assert refused(await response.json()) == ["full_name"]


LEGIT = {
    "full_name": "José Ñúñez 李小龍 محمد",
    "location": "Zürich 🇨🇭",
    "summary": "Builds things 🚀\n\tIndented line\r\nand e\u0301 (combining) and עברית",
}


async def test_real_text_of_every_script_is_kept_as_sent(ada: ApiUser) -> None:
    body = {
        "personal_info": {"full_name": LEGIT["full_name"], "location": LEGIT["location"]},
        "professional_summary": LEGIT["summary"],
        "experiences": [
            {
                "title": "Ingeniera \u200fשל",
                "company": "Ωmega 株式会社",
                "start_date": "2020-01-01",
                "description": "Line one\nLine two\tTabbed",
                "achievements": ["Cut latency 40% ⚡"],
            }
        ],
    }
    profile = await ada.call("POST", "/profiles", expect=201, json=body)
    assert profile["personal_info"]["full_name"] == LEGIT["full_name"]
    assert profile["personal_info"]["location"] == LEGIT["location"]
    assert profile["professional_summary"] == LEGIT["summary"].strip()
    assert profile["experiences"][0]["company"] == "Ωmega 株式会社"
    assert profile["experiences"][0]["description"] == "Line one\nLine two\tTabbed"
