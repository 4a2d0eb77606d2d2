"""Bad job input: each answer is a 422 in the contract's shape, naming the field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.jobs.conftest import User


def _fields(answer: dict[str, Any]) -> list[str]:
    assert answer["error"]["code"] == "validation_error"
    return [f["field"] for f in answer["error"]["details"]["fields"]]


async def test_raw_text_over_50000_characters_is_refused(ada: User) -> None:
    answer = await ada.call(
        "POST", "/jobs", expect=422, json={"source": "x", "raw_text": "a" * 50_001}
    )
    assert _fields(answer) == ["raw_text"]


async def test_raw_text_of_exactly_50000_characters_is_parsed(ada: User) -> None:
    text = "Platform Engineer\nInitech\n" + ("We use Python and Terraform. " * 2000)[:49_970]
    job = await ada.new_job(raw_text=text[:50_000])
    assert job["title"] == "Platform Engineer"
    assert "Terraform" in job["parsed_keywords"]["skills"]


@pytest.mark.parametrize("raw_text", ["", "   ", "\n\t \n"])
async def test_blank_raw_text_is_refused(ada: User, raw_text: str) -> None:
    answer = await ada.call("POST", "/jobs", expect=422, json={"source": "x", "raw_text": raw_text})
    assert _fields(answer) == ["raw_text"]


async def test_neither_raw_text_nor_title_is_refused(ada: User) -> None:
    answer = await ada.call("POST", "/jobs", expect=422, json={"source": "x", "company": "Acme"})
    assert answer["error"]["details"]["fields"][0]["message"].endswith(
        "give raw_text (a pasted posting) or at least a title"
    )


async def test_source_is_required(ada: User) -> None:
    answer = await ada.call("POST", "/jobs", expect=422, json={"title": "Engineer"})
    assert _fields(answer) == ["source"]


@pytest.mark.parametrize("status", ["open", "ACTIVE", "", 3])
async def test_unknown_job_status_is_refused(ada: User, status: Any) -> None:
    answer = await ada.call(
        "POST", "/jobs", expect=422, json={"source": "x", "title": "T", "status": status}
    )
    assert _fields(answer) == ["status"]


@pytest.mark.parametrize(
    "body",
    [
        {"source": "x", "title": {"$gt": ""}},
        {"source": {"$ne": None}, "title": "T"},
        {"source": "x", "title": "T", "requirements": [{"$where": "1"}]},
        {"source": "x", "title": "T", "$set": {"user_id": "someone"}},
    ],
)
async def test_operator_objects_in_bodies_are_refused(ada: User, body: dict[str, Any]) -> None:
    await ada.call("POST", "/jobs", expect=422, json=body)
    assert (await ada.call("GET", "/jobs", expect=200))["total"] == 0


async def test_update_rejects_unknown_status_and_blank_fields(ada: User) -> None:
    job = await ada.typed_job()
    path = f"/jobs/{job['id']}"
    assert _fields(await ada.call("PUT", path, expect=422, json={"status": "gone"})) == ["status"]
    assert _fields(await ada.call("PUT", path, expect=422, json={"title": "  "})) == ["title"]
    await ada.call("PUT", path, expect=422, json={"user_id": "someone-else"})


@pytest.mark.parametrize(
    ("salary_range", "fields"),
    [
        ({"text": "lots", "currency": "dollars"}, ["salary_range.currency"]),
        ({"min": 60000, "max": 80000}, ["salary_range.text"]),
        ({"text": "lots", "min": -1}, ["salary_range.min"]),
        ("x" * 201, ["salary_range"]),
        (42, ["salary_range"]),
    ],
)
async def test_salary_errors_name_the_field_as_sent(
    ada: User, salary_range: object, fields: list[str]
) -> None:
    """An object is checked as an object, text as text: never both, and never by the
    name of a model the client has not heard of."""
    answer = await ada.call(
        "POST",
        "/jobs",
        expect=422,
        json={"source": "x", "title": "T", "salary_range": salary_range},
    )
    assert _fields(answer) == fields


@pytest.mark.parametrize("field", ["remote", "source", "status", "requirements", "nice_to_have"])
async def test_update_cannot_null_a_field_every_job_has(ada: User, field: str) -> None:
    job = await ada.typed_job()
    answer = await ada.call("PUT", f"/jobs/{job['id']}", expect=422, json={field: None})
    assert _fields(answer) == [field]
    assert (await ada.call("GET", "/jobs", expect=200))["total"] == 1


async def test_update_with_blank_raw_text_is_refused(ada: User) -> None:
    job = await ada.new_job(raw_text="Data Engineer\nInitech\nWe use Python.")
    answer = await ada.call("PUT", f"/jobs/{job['id']}", expect=422, json={"raw_text": " \n "})
    assert _fields(answer) == ["raw_text"]
    assert (await ada.call("GET", f"/jobs/{job['id']}", expect=200))["title"] == "Data Engineer"


async def test_a_job_keeps_a_title_or_pasted_text(ada: User) -> None:
    typed = await ada.typed_job()
    answer = await ada.call("PUT", f"/jobs/{typed['id']}", expect=422, json={"title": None})
    assert _fields(answer) == ["title"]

    pasted = await ada.new_job(raw_text="Data Engineer\nInitech\nWe use Python.")
    kept = await ada.call("PUT", f"/jobs/{pasted['id']}", expect=200, json={"raw_text": None})
    assert kept["raw_text"] is None and kept["title"] == "Data Engineer"
    answer = await ada.call("PUT", f"/jobs/{pasted['id']}", expect=422, json={"title": None})
    assert _fields(answer) == ["title"]
