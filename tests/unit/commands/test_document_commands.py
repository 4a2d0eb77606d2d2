"""Document rules: edits make new versions, a deleted document refuses everything, and
deleting takes every file of the document and none of another's."""

from __future__ import annotations

import uuid

import pytest

from jobwise.adapters.rendering import ExportFormat, RenderRequest
from jobwise.application.commands.documents import DeleteDocument, EditDocument
from jobwise.application.repository import metadata_for
from jobwise.domain.document import Document, DocumentCreated, PdfFacts
from jobwise.domain.errors import InvalidInput, NotFoundError, StaleVersion
from tests.unit.commands.conftest import Fast

ADA = "user-ada"
MARKDOWN = "# Ada Lovelace\n\nada@example.com\n\n## Experience\n\n- Wrote the first program\n"


async def created(fast: Fast, user_id: str = ADA) -> str:
    document_id = str(uuid.uuid4())
    event = DocumentCreated(
        document_id=document_id,
        user_id=user_id,
        generation_id=str(uuid.uuid4()),
        profile_id=str(uuid.uuid4()),
        profile_version=2,
        job_id=str(uuid.uuid4()),
        document_type="resume",
        title="Ada Lovelace – Resume",
        candidate_name="Ada Lovelace",
        template="classic",
        content_markdown=MARKDOWN,
        content_html="<html></html>",
        content_text="Ada Lovelace",
        ats_score=90.0,
        pdf=PdfFacts(
            key="x.pdf", size_bytes=1, page_count=1, template="classic", parse_passed=True
        ),
    )
    await fast.repository.save(Document.create(event), metadata_for(user_id, None))
    return document_id


async def test_each_change_is_the_next_version_and_no_change_is_none(fast: Fast) -> None:
    document_id = await created(fast)
    edited = MARKDOWN + "- Translated Menabrea\n"
    assert await fast.handle(EditDocument(ADA, document_id, content_markdown=edited)) == 2
    assert await fast.handle(EditDocument(ADA, document_id, title="Analyst")) == 3
    assert await fast.handle(EditDocument(ADA, document_id, title=" Analyst ")) == 3
    assert await fast.handle(EditDocument(ADA, document_id, content_markdown=edited)) == 3
    assert await fast.types(document_id) == ["DocumentCreated", "DocumentEdited", "DocumentEdited"]
    last = (await fast.store.read_stream(document_id))[-1].data
    assert (last["version_number"], last["title"], last["content_markdown"]) == (
        3,
        "Analyst",
        edited,
    )
    assert "Translated Menabrea" in last["content_html"] and last["content_text"].startswith("Ada")


async def test_an_edit_names_the_version_it_expects(fast: Fast) -> None:
    document_id = await created(fast)
    await fast.handle(EditDocument(ADA, document_id, title="One", expected_version=1))
    with pytest.raises(StaleVersion):
        await fast.handle(EditDocument(ADA, document_id, title="Two", expected_version=1))
    with pytest.raises(StaleVersion):
        await fast.handle(DeleteDocument(ADA, document_id, expected_version=1))


@pytest.mark.parametrize(
    ("title", "markdown", "field"),
    [
        (None, "# Ada\x00", "content_markdown"),
        (None, "   \n", "content_markdown"),
        (None, "# Ada\x1b[31m", "content_markdown"),
        ("", None, "title"),
        ("a\x00b", None, "title"),
        ("t" * 301, None, "title"),
    ],
)
async def test_unrenderable_content_is_refused(
    fast: Fast, title: str | None, markdown: str | None, field: str
) -> None:
    document_id = await created(fast)
    with pytest.raises(InvalidInput) as refused:
        await fast.handle(EditDocument(ADA, document_id, title=title, content_markdown=markdown))
    assert [problem.field for problem in refused.value.problems] == [field]
    assert await fast.types(document_id) == ["DocumentCreated"]


async def test_a_deleted_or_someone_elses_document_is_not_found(fast: Fast) -> None:
    document_id = await created(fast)
    with pytest.raises(NotFoundError):
        await fast.handle(EditDocument("user-grace", document_id, title="Mine"))
    with pytest.raises(NotFoundError):
        await fast.handle(DeleteDocument("user-grace", document_id))
    await fast.handle(DeleteDocument(ADA, document_id))
    with pytest.raises(NotFoundError):
        await fast.handle(EditDocument(ADA, document_id, title="Back"))
    with pytest.raises(NotFoundError):
        await fast.handle(DeleteDocument(ADA, document_id))
    with pytest.raises(NotFoundError):
        await fast.handle(EditDocument(ADA, str(uuid.uuid4()), title="Nobody's"))
    assert await fast.types(document_id) == ["DocumentCreated", "DocumentDeleted"]


async def test_deleting_takes_the_documents_files_and_no_one_elses(fast: Fast) -> None:
    mine, theirs = await created(fast), await created(fast, "user-grace")
    for document_id in (mine, theirs):  # the same Markdown: one file each, not one shared
        for fmt in (ExportFormat.MD, ExportFormat.TXT, ExportFormat.HTML):
            await fast.exporter.export(
                RenderRequest(markdown=MARKDOWN, format=fmt), scope=document_id
            )
    assert fast.exporter.stats.rendered == 6
    again = await fast.exporter.export(
        RenderRequest(markdown=MARKDOWN, format=ExportFormat.MD), scope=mine
    )
    assert again.cached and fast.exporter.stats.cached == 1

    await fast.handle(DeleteDocument(ADA, mine))

    assert await fast.files.keys(mine.replace("-", "")[:8]) == []
    left = await fast.files.keys(theirs.replace("-", "")[:8])
    assert len(left) == 6 and all(key.startswith(theirs.replace("-", "")) for key in left)
