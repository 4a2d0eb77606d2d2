"""Listing and reading documents: mine only, filtered, paged, with where each came from;
a saved job lists the documents made for its job."""

from __future__ import annotations

import pytest

from tests.integration.documents.conftest import Made, make_document
from tests.integration.generations.conftest import Seeker

SECOND_JOB = "03-bright-backend-developer"


@pytest.mark.slow
async def test_my_documents_list_filters_and_pages(kyle: Seeker, grace: Seeker) -> None:
    resume = await make_document(kyle)
    other_job = await kyle.job_from(SECOND_JOB)
    letter = await make_document(
        kyle, profile_id=resume.profile_id, job_id=other_job, kind="cover_letter"
    )

    listed = await kyle.call("GET", "/documents", expect=200)
    assert (listed["total"], listed["limit"], listed["offset"]) == (2, 20, 0)
    assert [d["id"] for d in listed["items"]] == [letter.document_id, resume.document_id]
    first = listed["items"][1]
    assert "content_markdown" not in first  # a list shows what each is, not its content
    assert first["profile_id"] == resume.profile_id and first["profile_version"] == 1
    assert (first["job_id"], first["generation_id"]) == (resume.job_id, resume.generation_id)
    assert (first["document_type"], first["version_number"]) == ("resume", 1)

    async def ids(query: str) -> list[str]:
        answer = await kyle.call("GET", f"/documents?{query}", expect=200)
        assert answer["total"] == len(answer["items"]) or "limit=1" in query
        return [d["id"] for d in answer["items"]]

    assert await ids(f"job_id={resume.job_id}") == [resume.document_id]
    assert await ids(f"job_id={other_job}") == [letter.document_id]
    assert await ids("document_type=cover_letter") == [letter.document_id]
    assert await ids(f"profile_id={resume.profile_id}&document_type=resume") == [resume.document_id]
    assert await ids("profile_id=00000000-0000-0000-0000-000000000000") == []
    paged = await kyle.call("GET", "/documents?limit=1&offset=1", expect=200)
    assert (paged["total"], [d["id"] for d in paged["items"]]) == (2, [resume.document_id])

    for bad in ("document_type=poem", "limit=0", "limit=101", "offset=-1"):
        await kyle.call("GET", f"/documents?{bad}", expect=422)

    strangers = await grace.call("GET", "/documents", expect=200)
    assert (strangers["total"], strangers["items"]) == (0, [])
    assert await grace.call("GET", f"/documents?job_id={resume.job_id}", expect=200) == {
        "items": [],
        "total": 0,
        "limit": 20,
        "offset": 0,
    }

    # A saved job lists the documents made for its job, and only those.
    saved = await kyle.call("POST", "/saved-jobs", expect=201, json={"job_id": resume.job_id})
    assert saved["document_ids"] == [resume.document_id]
    await kyle.call("POST", "/saved-jobs", expect=201, json={"job_id": other_job})
    board = await kyle.call("GET", "/saved-jobs", expect=200)
    assert {e["job_id"]: e["document_ids"] for e in board["items"]} == {
        resume.job_id: [resume.document_id],
        other_job: [letter.document_id],
    }


async def test_a_document_shows_its_content_and_where_it_came_from(made: Made) -> None:
    kyle = made.seeker
    response = await kyle.client.get(f"/api/v1/documents/{made.document_id}", headers=kyle.headers)
    document = await response.json()

    assert response.status == 200, document
    assert response.headers["ETag"] == f'"{document["version"]}"'
    assert document["id"] == made.document_id and document["user_id"] == kyle.id
    assert (document["profile_id"], document["profile_version"]) == (made.profile_id, 1)
    assert (document["job_id"], document["generation_id"]) == (made.job_id, made.generation_id)
    assert (document["version_number"], document["current_version_number"]) == (1, 1)
    assert document["versions"] == [1]
    assert document["content_markdown"].startswith("# Kyle Oliver\n")
    assert "Kyle Oliver" in document["content_html"] and "# " not in document["content_text"]
    assert document["template"] == "classic" and document["pdf"]["page_count"] >= 1
    assert "key" not in document["pdf"]  # storage keys stay inside
    assert (
        document["pdf_url"] == f"/api/v1/documents/{made.document_id}/download?format=pdf&version=1"
    )
    result = await kyle.result(made.generation_id)
    assert result["document_id"] == made.document_id
    assert result["content_markdown"] == document["content_markdown"]
