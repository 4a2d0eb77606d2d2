"""The paper of a generated document: the job's country's (A4 for Berlin, Letter for
Seattle), else the candidate's, unless the user chose one; kept by later exports, which
may ask for the other one."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from tests.integration.documents.conftest import make_document, raw
from tests.integration.generations.conftest import Seeker
from tests.integration.rendering.pdf_reading import page_sizes

pytestmark = pytest.mark.slow  # every test here prints PDFs with Chromium

POSTINGS = Path(__file__).parents[2] / "data" / "postings"
A4, LETTER = (595, 842), (612, 792)
SEATTLE = "36-pyjobs-skilljar_sde_seattle"


async def job_pasted(seeker: Seeker, name: str) -> str:
    """One of ``tests/data/postings`` pasted as a job; its id."""
    body = {"source": "company site", "raw_text": (POSTINGS / f"{name}.txt").read_text("utf-8")}
    created = await seeker.call("POST", "/jobs", expect=201, json=body)
    return str(created["id"])


async def pdf_size(seeker: Seeker, path: str) -> set[tuple[int, int]]:
    status, _headers, body = await raw(seeker, "GET", path)
    assert status == 200, body[:300]
    return page_sizes(body)


async def test_a_berlin_job_prints_on_a4_and_its_exports_keep_it(kyle: Seeker) -> None:
    berlin = await job_pasted(kyle, "01-linkedin-backend-berlin")
    made = await make_document(kyle, job_id=berlin)  # Kyle lives in Cincinnati: the job wins
    document = await kyle.call("GET", f"/documents/{made.document_id}", expect=200)
    assert document["parameters"]["page_size"] == "a4"
    assert document["content_html"].count("size: A4") == 1

    assert await pdf_size(kyle, f"/{made.document_id}/download?format=pdf") == {A4}
    path = f"/documents/{made.document_id}/export"
    again = await kyle.call("POST", path, expect=200, json={"format": "pdf"})
    assert (again["cached"], again["page_size"]) == (True, "a4")  # the generation's own PDF
    word = await kyle.call("POST", path, expect=200, json={"format": "docx"})
    status, _headers, body = await raw(kyle, "GET", word["download_url"].split("/documents")[1])
    assert status == 200
    section = docx.Document(io.BytesIO(body)).sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)

    # Asked for Letter, the export is Letter, and so is the download it points to.
    letter = await kyle.call(
        "POST", path, expect=200, json={"format": "pdf", "page_size": "letter"}
    )
    assert (letter["cached"], letter["page_size"]) == (False, "letter")
    assert letter["download_url"].endswith("&page_size=letter")
    assert await pdf_size(kyle, letter["download_url"].split("/documents")[1]) == {LETTER}
    # The document's own paper is unchanged.
    assert await pdf_size(kyle, f"/{made.document_id}/download?format=pdf") == {A4}
    await kyle.call("POST", path, expect=422, json={"format": "pdf", "page_size": "a3"})

    # The preview draws the document's paper, or the one asked for.
    for asked, css in ({}, "size: A4;"), ({"page_size": "letter"}, "size: letter;"):
        body = {"document_id": made.document_id, **asked}
        status, _headers, page = await raw(kyle, "POST", "/preview", json=body)
        assert status == 200 and css in page.decode()


async def test_a_us_job_stays_on_letter_unless_the_user_asks_for_a4(kyle: Seeker) -> None:
    seattle = await kyle.job_from(SEATTLE)
    made = await make_document(kyle, job_id=seattle)
    assert await pdf_size(kyle, f"/{made.document_id}/download?format=pdf") == {LETTER}

    again = await kyle.call(
        "POST",
        f"/generations/{made.generation_id}/regenerate",
        expect=201,
        json={"options": {"page_size": "a4"}},
    )
    assert again["options"]["page_size"] == "a4"
    done = await kyle.wait_done(again["id"])
    document_id = done["result"]["document_id"]
    assert await pdf_size(kyle, f"/{document_id}/download?format=pdf") == {A4}
    bad = {"profile_id": made.profile_id, "job_id": seattle, "options": {"page_size": "A5"}}
    await kyle.call("POST", "/generations/resume", expect=422, json=bad)


async def test_a_job_without_a_place_takes_the_candidates(kyle: Seeker) -> None:
    remote = await job_pasted(kyle, "33-glassdoor-frontend")  # "Remote"
    thomas = await kyle.profile_from("thomas-davis")  # Melbourne, AU
    made = await make_document(kyle, profile_id=thomas, job_id=remote)
    generation = await kyle.generation(made.generation_id)
    assert generation["options"]["page_size"] == "auto"
    assert await pdf_size(kyle, f"/{made.document_id}/download?format=pdf") == {A4}
