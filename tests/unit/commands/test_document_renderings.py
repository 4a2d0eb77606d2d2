"""Document renderings through the bus: an export renders a version once and then finds
it stored, exactly where the generation's own rendering of it is; a download reads that
file; a preview is the page's HTML. Each reads the document's stream, and refuses what
is not the caller's (or not there)."""

from __future__ import annotations

import uuid

import pytest

from jobwise.adapters.rendering import DocumentType, ExportFormat, PageSize
from jobwise.adapters.storage import StoredFileNotFoundError
from jobwise.application.commands.documents import (
    DeleteDocument,
    DocumentExport,
    DocumentFile,
    DownloadDocument,
    EditDocument,
    ExportDocument,
    PreviewDocument,
    render_request,
)
from jobwise.application.repository import metadata_for
from jobwise.domain.document import Document, DocumentCreated, PdfFacts
from jobwise.domain.errors import NotFoundError
from tests.unit.commands.conftest import Fast

ADA = "user-ada"
MARKDOWN = "# Ada Lovelace\n\nada@example.com\n\n## Experience\n\n- Wrote the first program\n"
KEYWORDS = ["Analytical Engine", "Bernoulli numbers"]


async def generated(fast: Fast, *, page_size: str | None = "a4") -> str:
    """A document as a generation stores it: its paper, page limit and keywords kept."""
    document_id = str(uuid.uuid4())
    event = DocumentCreated(
        document_id=document_id,
        user_id=ADA,
        generation_id=str(uuid.uuid4()),
        profile_id=str(uuid.uuid4()),
        profile_version=1,
        job_id=str(uuid.uuid4()),
        document_type="resume",
        title="Ada Lovelace – Resume",
        candidate_name="Ada Lovelace",
        company="Engine Co",
        template="modern",
        parameters={} if page_size is None else {"page_size": page_size},
        content_markdown=MARKDOWN,
        content_html="<html></html>",
        content_text="Ada Lovelace",
        ats_score=90.0,
        pdf=PdfFacts(key="x.pdf", size_bytes=1, page_count=1, template="modern", parse_passed=True),
        max_pages=2,
        expected_keywords=KEYWORDS,
    )
    await fast.repository.save(Document.create(event), metadata_for(ADA, None))
    return document_id


async def test_an_export_finds_what_the_generation_rendered(fast: Fast) -> None:
    document_id = await generated(fast)
    # What the generation's worker stores: the same one request, so the same file.
    first = await fast.exporter.export(
        render_request(
            MARKDOWN,
            ExportFormat.HTML,
            template="modern",
            page_size=PageSize.A4,
            document_type="resume",
            max_pages=2,
            expected_keywords=KEYWORDS,
        ),
        scope=document_id,
    )

    exported = await fast.handle(ExportDocument(ADA, document_id, ExportFormat.HTML))

    assert isinstance(exported, DocumentExport)
    assert exported.stored.key == first.key and exported.stored.cached
    assert fast.exporter.stats.rendered == 1
    assert (exported.document_id, exported.template, exported.page_size) == (
        document_id,
        "modern",
        PageSize.A4,
    )
    assert exported.version_number == 1
    assert exported.name.ascii.startswith("Ada_Lovelace_Engine_Co_Resume")


async def test_an_export_renders_once_in_what_is_asked(fast: Fast) -> None:
    document_id = await generated(fast, page_size=None)
    asked = ExportDocument(ADA, document_id, ExportFormat.MD, "classic", PageSize.LETTER)

    once = await fast.handle(asked)
    twice = await fast.handle(asked)
    own = await fast.handle(ExportDocument(ADA, document_id, ExportFormat.MD))

    assert not once.stored.cached and twice.stored.cached and twice.stored.key == once.stored.key
    assert (once.template, once.page_size) == ("classic", PageSize.LETTER)
    # Generated before the paper was chosen: Letter, in the document's own template.
    assert (own.template, own.page_size) == ("modern", PageSize.LETTER)
    assert own.stored.key != once.stored.key
    assert fast.exporter.stats.rendered == 2


async def test_an_export_of_an_earlier_version_is_that_version(fast: Fast) -> None:
    document_id = await generated(fast)
    await fast.handle(EditDocument(ADA, document_id, content_markdown=MARKDOWN + "- Poet\n"))

    current = await fast.handle(DownloadDocument(ADA, document_id, ExportFormat.MD))
    earlier = await fast.handle(DownloadDocument(ADA, document_id, ExportFormat.MD, version=1))

    assert isinstance(current, DocumentFile) and isinstance(earlier, DocumentFile)
    assert current.export.version_number == 2 and b"Poet" in current.content
    assert earlier.export.version_number == 1 and b"Poet" not in earlier.content
    assert earlier.content == await fast.files.get(earlier.export.stored.key)
    assert earlier.export.name.content_disposition().startswith("attachment;")
    with pytest.raises(NotFoundError) as missing:
        await fast.handle(ExportDocument(ADA, document_id, ExportFormat.MD, version=3))
    assert missing.value.code == "version_not_found"
    assert missing.value.details == {
        "document_id": document_id,
        "version": 3,
        "current_version_number": 2,
    }


async def test_a_deleted_or_someone_elses_document_renders_nothing(fast: Fast) -> None:
    document_id = await generated(fast)
    refused = [
        ExportDocument("user-grace", document_id, ExportFormat.MD),
        DownloadDocument("user-grace", document_id, ExportFormat.TXT),
        PreviewDocument("user-grace", document_id),
        ExportDocument(ADA, str(uuid.uuid4()), ExportFormat.MD),
    ]
    for command in refused:
        with pytest.raises(NotFoundError) as missing:
            await fast.handle(command)
        assert missing.value.code == "not_found" and "document_id" in missing.value.details
    await fast.handle(DeleteDocument(ADA, document_id))
    with pytest.raises(NotFoundError):
        await fast.handle(ExportDocument(ADA, document_id, ExportFormat.MD))
    assert fast.exporter.stats.rendered == 0


async def test_a_download_whose_file_went_meanwhile_is_not_found(
    fast: Fast, monkeypatch: pytest.MonkeyPatch
) -> None:
    document_id = await generated(fast)

    async def gone(key: str) -> bytes:  # deleted with its document after the export
        raise StoredFileNotFoundError(key)

    monkeypatch.setattr(fast.files, "get", gone)
    with pytest.raises(NotFoundError) as missing:
        await fast.handle(DownloadDocument(ADA, document_id, ExportFormat.TXT))
    assert missing.value.details == {"document_id": document_id}


async def test_a_preview_is_a_version_or_the_markdown_given(fast: Fast) -> None:
    document_id = await generated(fast)
    await fast.handle(EditDocument(ADA, document_id, content_markdown=MARKDOWN + "- Poet\n"))

    earlier = await fast.handle(PreviewDocument(ADA, document_id, version=1))
    given = await fast.handle(
        PreviewDocument(
            ADA, content_markdown="# Grace Hopper\n\nDear team,\n", document_type="cover_letter"
        )
    )

    assert "Ada Lovelace" in earlier and "Poet" not in earlier
    assert "Grace Hopper" in given
    with pytest.raises(NotFoundError):
        await fast.handle(PreviewDocument(ADA, document_id, version=9))


def test_the_render_request_is_the_documents_own() -> None:
    request = render_request(
        MARKDOWN,
        ExportFormat.PDF,
        template="modern",
        page_size=PageSize.A4,
        document_type="cover_letter",
        max_pages=1,
        expected_keywords=iter(KEYWORDS),
    )
    assert request.document_type is DocumentType.COVER_LETTER
    assert request.expected_keywords == tuple(KEYWORDS) and request.max_pages == 1
