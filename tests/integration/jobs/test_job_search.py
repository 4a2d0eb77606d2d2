"""Listing jobs: filters, full-text search with skill aliases, paging and order."""

from __future__ import annotations

from typing import Any

from jobwise.entrypoints.http.factory import create_app
from jobwise.settings import Settings
from tests.integration.jobs.conftest import POSTING, User


async def _titles(user: User, query: str) -> list[str]:
    listed = await user.call("GET", f"/jobs?{query}", expect=200)
    return [job["title"] for job in listed["items"]]


async def test_filters_by_status_source_and_remote(ada: User) -> None:
    await ada.new_job(title="Active remote", remote=True)
    await ada.new_job(title="Draft onsite", status="draft", source="Indeed")
    await ada.new_job(title="Archived", status="archived", source="indeed")

    assert await _titles(ada, "status=draft") == ["Draft onsite"]
    assert sorted(await _titles(ada, "source=INDEED")) == ["Archived", "Draft onsite"]
    assert await _titles(ada, "remote=true") == ["Active remote"]
    assert await _titles(ada, "remote=false&status=archived") == ["Archived"]


async def test_q_searches_title_company_description_and_skills(ada: User) -> None:
    await ada.new_job(raw_text=POSTING)
    await ada.new_job(title="Frontend Developer", company="Initech", description="Good pay.")
    await ada.new_job(title="Go-to-market Lead", company="Hooli", description="Own the go-to plan")

    assert await _titles(ada, "q=robotics") == ["Senior Backend Engineer"]
    assert await _titles(ada, "q=INITECH") == ["Frontend Developer"]
    assert await _titles(ada, "q=k8s") == ["Senior Backend Engineer"]
    assert await _titles(ada, "q=golang") == ["Senior Backend Engineer"]
    assert await _titles(ada, "q=Go") == ["Senior Backend Engineer"]
    assert await _titles(ada, "q=postgres warehouse") == ["Senior Backend Engineer"]
    assert await _titles(ada, 'q="good pay"') == ["Frontend Developer"]
    assert await _titles(ada, "q=robotics initech") == []


async def test_a_skill_word_also_finds_the_same_word_in_the_text(ada: User) -> None:
    await ada.new_job(title="Account Executive", company="Oracle")
    await ada.new_job(title="Sales Lead", company="Goodyear", description="A go-to person.")

    assert await _titles(ada, "q=oracle") == ["Account Executive"]
    assert await _titles(ada, "q=go") == []  # "Go" is case-sensitive: only a parsed skill


async def test_search_text_with_regex_characters_is_literal(ada: User) -> None:
    await ada.new_job(title="C++ Engineer", description="Modern C++ (17/20).")
    await ada.new_job(title="Python Engineer")

    assert await _titles(ada, "q=c%2B%2B") == ["C++ Engineer"]
    assert await _titles(ada, "q=.*") == []
    assert await _titles(ada, "q=(17/20)") == ["C++ Engineer"]


async def test_paging_and_order_by_created_at(ada: User) -> None:
    for n in range(5):
        await ada.new_job(title=f"Job {n}")

    newest = await ada.call("GET", "/jobs?limit=2", expect=200)
    oldest = await ada.call("GET", "/jobs?limit=2&offset=1&sort=created_at", expect=200)
    past_the_end = await ada.call("GET", "/jobs?offset=10", expect=200)

    assert [j["title"] for j in newest["items"]] == ["Job 4", "Job 3"]
    assert (newest["total"], newest["limit"], newest["offset"]) == (5, 2, 0)
    assert [j["title"] for j in oldest["items"]] == ["Job 1", "Job 2"]
    assert past_the_end["items"] == [] and past_the_end["total"] == 5


async def test_bad_list_parameters_are_422(ada: User) -> None:
    for query in ("limit=0", "limit=101", "offset=-1", "status=open", "sort=title", "remote=maybe"):
        answer = await ada.call("GET", f"/jobs?{query}", expect=422)
        assert answer["error"]["code"] == "validation_error", query


async def test_operator_objects_in_the_query_are_refused(ada: User) -> None:
    await ada.new_job(title="Secret")

    answer = await ada.call("GET", "/jobs?status[$ne]=active", expect=422)

    assert answer["error"]["details"]["fields"][0]["field"] == "status[$ne]"
    literal = await ada.call("GET", '/jobs?source={"$ne":null}', expect=200)
    assert literal["total"] == 0


async def test_more_than_eight_search_words_is_422(ada: User) -> None:
    answer = await ada.call("GET", "/jobs?q=a b c d e f g h i", expect=422)
    assert answer["error"]["details"]["fields"][0]["field"] == "q"
    await ada.call("GET", '/jobs?q=a b c d e f g "h i"', expect=200)


async def test_another_process_never_searches_stale_entries(
    ada: User, aiohttp_client: Any, settings: Settings, mongo_url: str
) -> None:
    second = await aiohttp_client(create_app(settings, mongo_url=mongo_url))
    elsewhere = User(second, ada.headers["Authorization"].removeprefix("Bearer "), ada.id)
    assert await _titles(elsewhere, "q=robotics") == []  # caches an empty board

    job = await ada.new_job(raw_text=POSTING)
    assert await _titles(elsewhere, "q=robotics") == ["Senior Backend Engineer"]

    await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"title": "Staff Engineer"})
    assert await _titles(elsewhere, "q=staff") == ["Staff Engineer"]

    await ada.call("DELETE", f"/jobs/{job['id']}", expect=204)
    assert await _titles(elsewhere, "q=robotics") == []
