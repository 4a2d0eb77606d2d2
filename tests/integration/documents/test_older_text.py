"""Text stored before the character rule (issue 18) still generates and exports.

Older versions accepted control characters in profiles and documents; those events are
written here straight into the event store, as those versions wrote them. Generating
from such a profile works, and every format of such a document downloads, the
characters left out.
"""

from __future__ import annotations

import io
import re
from typing import Any

import docx

from jobwise.adapters.rendering import extract_pages
from jobwise.domain.events import NewEvent
from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.documents.conftest import BACKEND, make_document, raw
from tests.integration.generations.conftest import Seeker

FORMATS = ("pdf", "docx", "html", "md", "txt")
REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


async def append_old(seeker: Seeker, stream_id: str, stream_type: str, event: NewEvent) -> None:
    """``event`` appended as an older version of JobWise stored it, unchecked."""
    runtime = seeker.client.app[RUNTIME]
    version = len(await runtime.store.read_stream(stream_id))
    written = await runtime.store.append(stream_id, [event], version, stream_type=stream_type)
    await runtime.read_your_writes(written.last_position)


def shown_text(fmt: str, body: bytes) -> str:
    """What a reader of the file sees."""
    if fmt == "pdf":
        return "\n".join(extract_pages(body))
    if fmt == "docx":
        word = docx.Document(io.BytesIO(body))
        return "\n".join(p.text for p in word.paragraphs)
    return body.decode()


async def downloads(seeker: Seeker, document_id: str, version: int) -> dict[str, str]:
    files = {}
    for fmt in FORMATS:
        path = f"/{document_id}/download?format={fmt}&version={version}"
        status, _, body = await raw(seeker, "GET", path)
        assert status == 200, (fmt, body[:300])
        files[fmt] = shown_text(fmt, body)
    return files


async def test_a_profile_stored_with_control_characters_generates_and_exports(
    kyle: Seeker,
) -> None:
    profile_id = await kyle.profile_from("kyle-oliver")
    profile: dict[str, Any] = await kyle.call("GET", f"/profiles/{profile_id}", expect=200)
    first = profile["experiences"][0]
    changed = {**first, "company": "Ctl\x01Co", "title": f"{first['title']}\x1b[31m"}
    event = NewEvent(
        type="ExperienceUpdated",
        data={"revision": profile["version"] + 1, "item": changed},
    )
    await append_old(kyle, profile_id, "profile", event)
    stored = await kyle.call("GET", f"/profiles/{profile_id}", expect=200)
    assert stored["experiences"][0]["company"] == "Ctl\x01Co"

    job_id = await kyle.job_from(BACKEND)
    made = await make_document(kyle, profile_id=profile_id, job_id=job_id)
    document = await kyle.call("GET", f"/documents/{made.document_id}", expect=200)
    assert "CtlCo" in document["content_markdown"]
    assert not REFUSED.search(document["content_markdown"])

    files = await downloads(kyle, made.document_id, 1)
    assert "CtlCo" in files["md"] and "CtlCo" in files["docx"]
    assert not any(REFUSED.search(text) for text in files.values())
    exported = await kyle.call("GET", f"/profiles/{profile_id}/export", expect=200)
    assert "Ctl\x01Co" in [work["name"] for work in exported["work"]]  # JSON escapes it


async def test_a_document_version_stored_with_control_characters_exports_every_format(
    kyle: Seeker,
) -> None:
    made = await make_document(kyle)
    document = await kyle.call("GET", f"/documents/{made.document_id}", expect=200)
    markdown = document["content_markdown"].replace("Kyle Oliver", "Kyle\x00 Oliver\x07", 1)
    markdown += "\n\nSigned\x0c by \x85Kyle\x1f\n"
    edited = {
        "document_id": made.document_id,
        "version_number": 2,
        "title": "Old\x01 title",
        "content_markdown": markdown,
        "content_html": "",
        "content_text": "",
    }
    old = NewEvent(type="DocumentEdited", data=edited)
    await append_old(kyle, made.document_id, "document", old)

    files = await downloads(kyle, made.document_id, 2)
    for fmt, text in files.items():
        assert not REFUSED.search(text), fmt
        assert "Signed by Kyle" in text, fmt
    assert files["md"].startswith("# Kyle Oliver\n")
    preview = await kyle.client.post(
        "/api/v1/documents/preview",
        json={"document_id": made.document_id, "version": 2},
        headers=kyle.headers,
    )
    assert preview.status == 200 and not REFUSED.search(await preview.text())
