"""The documents read model: each generated document's current version, and every version."""

from __future__ import annotations

from jobwise.application.commands.documents import DeleteDocument, EditDocument
from jobwise.projections.documents import DOCUMENTS, VERSIONS, DocumentsProjection, version_id
from tests.support.projections import MemoryRunner, assert_rebuilds_alike, following, project
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import ADA, GRACE, MARKDOWN, finished, requested

CONTENT = ("title", "content_markdown", "content_html", "content_text")


async def documents(fast: Fast) -> MemoryRunner:
    return await project(DocumentsProjection(), fast.store)


async def generated(fast: Fast, user: str = ADA) -> str:
    generation, _, _ = await requested(fast, user)
    return await finished(fast, generation, user)


async def test_a_generated_document_is_its_first_version(fast: Fast) -> None:
    document_id = await generated(fast)
    created = (await fast.store.read_stream(document_id))[0]
    at = created.recorded_at

    runner = await documents(fast)

    document = runner.get(DOCUMENTS, document_id)
    facts = {name: created.data[name] for name in ("generation_id", "profile_id", "job_id")}
    assert {name: document[name] for name in facts} == facts
    assert (document["_id"], document["id"], document["user_id"]) == (document_id, document_id, ADA)
    assert document["content_markdown"] == MARKDOWN
    assert document["pdf"] == created.data["pdf"]
    assert (document["version_number"], document["version"]) == (1, 1)
    assert (document["created_at"], document["updated_at"]) == (at, at)
    assert runner.view(VERSIONS) == {
        version_id(document_id, 1): {
            "_id": version_id(document_id, 1),
            "document_id": document_id,
            "user_id": ADA,
            "version_number": 1,
            **{name: created.data[name] for name in CONTENT},
            "created_at": at,
        }
    }


async def test_an_edit_is_the_current_version_and_the_old_one_stays(fast: Fast) -> None:
    document_id = await generated(fast)
    runner = await documents(fast)
    first = runner.get(DOCUMENTS, document_id)

    edited = MARKDOWN + "- Translated Menabrea\n"
    await fast.handle(EditDocument(ADA, document_id, content_markdown=edited))
    await fast.handle(EditDocument(ADA, document_id, title="Analyst"))
    await runner.catch_up(fast.store)

    history = await fast.store.read_stream(document_id)
    document = runner.get(DOCUMENTS, document_id)
    assert (document["title"], document["content_markdown"]) == ("Analyst", edited)
    assert "Translated Menabrea" in document["content_html"]
    assert (document["version_number"], document["version"]) == (3, 3)
    assert document["updated_at"] == history[-1].recorded_at
    assert document["created_at"] == first["created_at"]
    assert document["pdf"] == first["pdf"]  # the generation's PDF facts are kept
    versions = runner.view(VERSIONS)
    assert [versions[version_id(document_id, n)]["title"] for n in (1, 2, 3)] == [
        first["title"],
        first["title"],
        "Analyst",
    ]
    assert versions[version_id(document_id, 1)]["content_markdown"] == MARKDOWN
    assert versions[version_id(document_id, 2)]["created_at"] == history[1].recorded_at
    assert {v["user_id"] for v in versions.values()} == {ADA}


async def test_a_deleted_document_leaves_no_version(fast: Fast) -> None:
    gone, kept = await generated(fast), await generated(fast)
    await fast.handle(EditDocument(ADA, gone, title="Edited"))
    runner = await documents(fast)

    await fast.handle(DeleteDocument(ADA, gone))
    await runner.catch_up(fast.store)

    assert list(runner.view(DOCUMENTS)) == [kept]
    assert list(runner.view(VERSIONS)) == [version_id(kept, 1)]


async def test_each_users_documents_are_their_own(fast: Fast) -> None:
    adas, graces = await generated(fast, ADA), await generated(fast, GRACE)
    runner = await documents(fast)
    assert {d: doc["user_id"] for d, doc in runner.view(DOCUMENTS).items()} == {
        adas: ADA,
        graces: GRACE,
    }
    assert {v["document_id"]: v["user_id"] for v in runner.view(VERSIONS).values()} == {
        adas: ADA,
        graces: GRACE,
    }


async def test_a_rebuild_gives_the_same_documents(fast: Fast) -> None:
    async with following(DocumentsProjection(), fast.store) as live:
        first, second = await generated(fast), await generated(fast, GRACE)
        await fast.handle(EditDocument(ADA, first, title="One"))
        await fast.handle(EditDocument(GRACE, second, title="Two"))
        await fast.handle(EditDocument(ADA, first, title="Three"))
        await fast.handle(DeleteDocument(GRACE, second))
    await assert_rebuilds_alike(live, fast.store)
