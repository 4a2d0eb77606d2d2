"""Resume files (PDF, DOCX) and LinkedIn exports uploaded as a form: a resume becomes a
draft to check (nothing is made), a LinkedIn export becomes the profile."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import aiohttp
import pypdf

from tests.integration.profiles.conftest import User
from tests.integration.profiles.test_linkedin_import_api import SAMPLE

OWN = Path(__file__).parents[2] / "data" / "resumes" / "jobwise-sample"


def form(data: bytes, filename: str = "resume.pdf", **fields: str) -> aiohttp.FormData:
    body = aiohttp.FormData()
    for name, value in fields.items():
        body.add_field(name, value)
    body.add_field("file", data, filename=filename, content_type="application/octet-stream")
    return body


async def upload(
    user: User, data: bytes, expect: int, filename: str = "resume.pdf", **fields: str
) -> Any:
    return await user.call("POST", "/import", expect=expect, data=form(data, filename, **fields))


async def test_a_pdf_becomes_a_draft_and_the_draft_a_profile(ada: User) -> None:
    answer = await upload(ada, (OWN / "modern.pdf").read_bytes(), 200)
    assert answer["format"] == "pdf"
    draft = answer["draft"]
    assert draft["personal_info"] == {
        "full_name": "Ada Lovelace",
        "email": "ada@example.com",
        "phone": "+44 20 7946 0000",
        "location": "London, UK",
        "github": "https://github.com/ada",
    }
    assert answer["confidence"]["personal_info.full_name"] >= 0.9
    assert [(item["title"], item["company"]) for item in draft["experiences"]] == [
        ("Senior Backend Engineer", "Engine Co"),
        ("Analyst", "Difference Ltd"),
    ]
    assert answer["lines"][0] == {"page": 1, "text": "Ada Lovelace"}
    assert (await ada.call("GET", "", expect=200))["total"] == 0  # nothing made yet

    created = await ada.call("POST", "", expect=201, json=draft)
    profile = await ada.call("GET", f"/{created['id']}", expect=200)
    first = profile["experiences"][0]
    assert (first["start_date"], first["is_current"]) == ("2020-01-01", True)
    assert len(first["achievements"]) == 3
    assert [skill["name"] for skill in profile["skills"]["technical"]][:2] == ["Python", "Go"]
    assert {item["name"] for item in profile["skills"]["languages"]} == {"English", "French"}
    (certificate,) = profile["skills"]["certifications"]
    assert certificate["issuer"] == "Amazon Web Services"
    assert profile["education"][0]["institution"] == "University of London"


async def test_a_docx_reads_as_the_same_draft(ada: User) -> None:
    from_pdf = await upload(ada, (OWN / "modern.pdf").read_bytes(), 200)
    from_docx = await upload(ada, (OWN / "modern.docx").read_bytes(), 200, "cv.docx")
    assert from_docx["format"] == "docx"
    assert from_docx["draft"] == from_pdf["draft"]


async def test_a_linkedin_export_uploaded_as_a_file_makes_the_profile(ada: User) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(SAMPLE.iterdir()):
            archive.writestr(path.name, path.read_bytes())
    created = await upload(ada, buffer.getvalue(), 201, "Basic_LinkedInDataExport.zip")
    assert created["personal_info"]["full_name"] == "Grace Hopper"
    assert len(created["experiences"]) == 3


def _encrypted_pdf() -> bytes:
    reader = pypdf.PdfReader(OWN / "modern.pdf")
    writer = pypdf.PdfWriter(clone_from=reader)
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _blank_pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(612, 792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as part:
            for _ in range(40):
                part.write(b" " * (1024 * 1024))
    return buffer.getvalue()


async def test_files_that_cannot_be_read_are_refused_with_the_reason(ada: User) -> None:
    pdf = (OWN / "modern.pdf").read_bytes()
    cases = {
        "unsupported": b"just some text, not a resume file",
        "encrypted": _encrypted_pdf(),
        "no_text": _blank_pdf(),
        "malformed": b"%PDF-1.7\n" + b"\x00garbage" * 1000,
        "too_large": _docx_bomb(),
    }
    for reason, data in cases.items():
        answer = await upload(ada, data, 422)
        assert answer["error"]["code"] == "unreadable_file", (reason, answer)
        assert answer["error"]["details"]["reason"] == reason, answer
        assert answer["error"]["details"]["fields"][0]["field"] == "file"
    old_word = await upload(ada, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, 422, "cv.doc")
    assert "DOCX" in old_word["error"]["message"]
    mismatch = await upload(ada, pdf, 422, format="docx")
    assert mismatch["error"]["details"]["reason"] == "format_mismatch"
    assert (await upload(ada, pdf, 422, format="odt"))["error"]["details"]["fields"][0][
        "field"
    ] == "format"
    assert (await ada.call("GET", "", expect=200))["total"] == 0


async def test_a_form_without_its_file_or_too_big_is_refused(ada: User) -> None:
    empty = aiohttp.FormData(default_to_multipart=True)
    empty.add_field("format", "pdf")
    answer = await ada.call("POST", "/import", expect=422, data=empty)
    assert answer["error"]["details"]["fields"][0]["field"] == "file"
    huge = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    answer = await upload(ada, huge, 413)
    assert answer["error"]["code"] == "payload_too_large"


async def test_a_json_body_still_imports_a_json_resume(ada: User) -> None:
    created = await ada.call(
        "POST",
        "/import",
        expect=201,
        json={"format": "json-resume", "data": {"basics": {"name": "Ada"}}},
    )
    assert created["personal_info"]["full_name"] == "Ada"


async def test_asking_for_the_language_model_without_one_says_so(ada: User) -> None:
    answer = await upload(ada, (OWN / "modern.pdf").read_bytes(), 200, use_llm="true")
    assert (answer["llm"], answer["reader"]) == ("not_configured", "rules")
    assert answer["draft"]["personal_info"]["full_name"] == "Ada Lovelace"
