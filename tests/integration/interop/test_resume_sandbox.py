"""``ResumeFileReader``: each file read in a process of its own, bounded in wall time and
memory, a few at a time; whatever way a read ends, no child process is left behind."""

from __future__ import annotations

import asyncio
import io
import os
import zipfile
from pathlib import Path

import pypdf
import pytest

from jobwise.adapters.interop.resume_file.errors import UnreadableResume
from jobwise.adapters.interop.resume_file.pdf_lines import MAX_PAGES
from jobwise.adapters.interop.resume_file.sandbox import ResumeFileReader

SAMPLE = Path(__file__).parents[2] / "data" / "resumes" / "jobwise-sample"
PDF = (SAMPLE / "modern.pdf").read_bytes()
DOCX = (SAMPLE / "modern.docx").read_bytes()


def children() -> set[int]:
    """The process ids whose parent is this process (from /proc)."""
    found: set[int] = set()
    me = os.getpid()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:  # it ended meanwhile
            continue
        if int(fields[1]) == me:
            found.add(int(entry))
    return found


async def no_child_left(before: set[int]) -> None:
    """Every child started since ``before`` is gone (reaped, not a zombie)."""
    for _ in range(50):
        if not children() - before:
            return
        await asyncio.sleep(0.02)
    assert children() - before == set()


async def refused(reader: ResumeFileReader, data: bytes = PDF) -> str:
    with pytest.raises(UnreadableResume) as caught:
        await reader.read(data, "pdf")
    return caught.value.reason


# -- reading ------------------------------------------------------------------------------


async def test_a_pdf_is_read_in_a_child_process() -> None:
    before = children()
    draft = await ResumeFileReader().read(PDF, "pdf")
    assert draft.format == "pdf"
    assert draft.draft["personal_info"]["full_name"] == "Ada Lovelace"
    assert draft.draft["experiences"][0]["company"] == "Engine Co"
    await no_child_left(before)


async def test_a_docx_is_read_to_the_same_draft() -> None:
    reader = ResumeFileReader()
    from_pdf, from_docx = await asyncio.gather(reader.read(PDF, "pdf"), reader.read(DOCX, "docx"))
    assert from_docx.format == "docx"
    assert from_docx.draft == from_pdf.draft


async def test_the_reason_a_file_cannot_be_read_comes_back() -> None:
    reader = ResumeFileReader()
    assert await refused(reader, b"not a pdf at all") == "not_pdf"
    with pytest.raises(UnreadableResume) as caught:
        await reader.read(PDF, "docx")
    assert caught.value.reason == "not_docx"
    assert caught.value.message


# -- limits -------------------------------------------------------------------------------


async def test_past_the_wall_time_the_read_is_too_complex_and_its_process_gone() -> None:
    before = children()
    assert await refused(ResumeFileReader(wall_seconds=0.01)) == "too_complex"
    await no_child_left(before)


async def test_past_the_memory_limit_the_read_is_too_complex() -> None:
    before = children()
    assert await refused(ResumeFileReader(memory_bytes=50 * 1024 * 1024)) == "too_complex"
    await no_child_left(before)


async def test_a_cancelled_read_leaves_no_process() -> None:
    before = children()
    task = asyncio.create_task(ResumeFileReader().read(PDF, "pdf"))
    for _ in range(200):  # until its process is running
        if children() - before:
            break
        await asyncio.sleep(0.005)
    assert children() - before, "the reader started no process"
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await no_child_left(before)


async def test_one_at_a_time_every_read_still_succeeds() -> None:
    reader = ResumeFileReader(at_once=1)
    before = children()
    drafts = await asyncio.gather(*(reader.read(PDF, "pdf") for _ in range(4)))
    assert {draft.draft["personal_info"]["full_name"] for draft in drafts} == {"Ada Lovelace"}
    await no_child_left(before)


async def test_one_at_a_time_means_one_process_at_a_time() -> None:
    reader = ResumeFileReader(at_once=1)
    before = children()
    reads = asyncio.gather(*(reader.read(PDF, "pdf") for _ in range(3)))
    most = 0
    while not reads.done():
        most = max(most, len(children() - before))
        await asyncio.sleep(0.002)
    await reads
    assert most == 1


async def test_a_timed_out_read_frees_its_slot() -> None:
    reader = ResumeFileReader(at_once=1, wall_seconds=0.01)
    assert await refused(reader) == "too_complex"
    reader.wall_seconds = 30.0
    draft = await asyncio.wait_for(reader.read(PDF, "pdf"), 30)
    assert draft.draft["personal_info"]["full_name"] == "Ada Lovelace"


# -- hostile files ------------------------------------------------------------------------


def _pages(count: int) -> bytes:
    source = pypdf.PdfReader(io.BytesIO(PDF))
    writer = pypdf.PdfWriter()
    for _ in range(count):
        writer.add_page(source.pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


async def test_a_500_page_pdf_is_read_only_to_its_tenth_page() -> None:
    data = _pages(500)
    draft = await ResumeFileReader().read(data, "pdf")  # within its wall time, or refused
    assert max(line.page for line in draft.lines) <= MAX_PAGES
    assert draft.draft["personal_info"]["full_name"] == "Ada Lovelace"


async def test_a_zip_sent_as_a_pdf_is_not_a_pdf() -> None:
    assert await refused(ResumeFileReader(), DOCX) == "not_pdf"


def _docx_with_a_media_bomb(megabytes: int) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(DOCX))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/image" Target="media/bomb.jpeg"/>'
                    b"</Relationships>",
                )
            if info.filename == "[Content_Types].xml" and b'Extension="jpeg"' not in body:
                body = body.replace(
                    b"<Default ",
                    b'<Default Extension="jpeg" ContentType="image/jpeg"/><Default ',
                    1,
                )
            archive.writestr(info.filename, body)
        with archive.open("word/media/bomb.jpeg", "w") as part:
            for _ in range(megabytes):
                part.write(bytes(1024 * 1024))
    return out.getvalue()


async def test_a_docx_whose_image_inflates_past_memory_is_too_large() -> None:
    data = _docx_with_a_media_bomb(2000)
    assert len(data) < 3 * 1024 * 1024
    before = children()
    with pytest.raises(UnreadableResume) as caught:
        await ResumeFileReader().read(data, "docx")
    assert caught.value.reason == "too_large"
    await no_child_left(before)
