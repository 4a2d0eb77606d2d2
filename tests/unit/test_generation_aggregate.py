"""The generation aggregate: seq without gaps, who may write a run's events, how it ends."""

from __future__ import annotations

from typing import Any

import pytest

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.domain.errors import NotFoundError, RuleViolation
from jobwise.domain.events import EventMetadata
from jobwise.domain.generation import (
    STATUSES,
    DocumentProduced,
    Generation,
    GenerationRequested,
    RemovedItem,
    RunSuperseded,
)
from jobwise.domain.generation_updates import STAGES, update_message
from jobwise.domain.writing import GenerationOptions

WORKER = "worker-a"


def requested() -> Generation:
    generation = Generation.request(
        "g-1", "u-1", "p-1", 3, "j-1", "resume", GenerationOptions(tone="bold")
    )
    generation.mark_saved()
    return generation


def produced(document_id: str = "d-1") -> DocumentProduced:
    return DocumentProduced(
        document_id=document_id,
        markdown_chars=100,
        text_chars=90,
        html_chars=900,
        word_count=20,
        pdf_size_bytes=5000,
        pdf_page_count=1,
        pdf_parse_passed=True,
    )


def run_through(generation: Generation, attempt: int = 1, worker: str = WORKER) -> None:
    for stage in STAGES:
        generation.start_stage(stage, attempt, worker)  # type: ignore[arg-type]
        generation.complete_stage(stage, 5, {"stage": stage}, attempt, worker)  # type: ignore[arg-type]
    generation.produce_document(produced(), attempt, worker)


def seqs(generation: Generation) -> list[int]:
    return [e.model_dump()["seq"] for e in generation.pending_events() if hasattr(e, "seq")]


def test_every_update_carries_the_next_seq_and_the_others_none() -> None:
    generation = requested()
    run_through(generation)
    generation.finish(81.5, 92.0, [], 1, WORKER)
    generation.give_feedback(4, "good")

    assert generation.seq == 12  # requested, 5 starts, 5 completions, completed
    assert seqs(generation) == list(range(2, 13))
    kinds = [type(e).__name__ for e in generation.pending_events()]
    assert kinds[-3:] == ["DocumentProduced", "GenerationCompleted", "FeedbackGiven"]
    assert not hasattr(generation.pending_events()[-1], "seq")
    assert generation.status == "completed"


def test_the_guard_removing_anything_ends_it_needs_review() -> None:
    generation = requested()
    run_through(generation)
    removed = [RemovedItem(what="Globex", where="Experience", why="not an employer in the profile")]

    generation.finish(70.0, 80.0, removed, 1, WORKER)

    assert generation.status == "needs_review"
    event = generation.pending_events()[-1]
    assert type(event).__name__ == "GenerationNeedsReview"
    assert event.model_dump()["removed"] == [r.model_dump() for r in removed]


def test_a_later_attempt_takes_the_run_over_and_the_earlier_one_is_refused() -> None:
    generation = requested()
    generation.start_stage("analyzing_job", 1, WORKER)

    generation.start_stage("analyzing_job", 2, "worker-b")  # the lease expired: a takeover

    with pytest.raises(RunSuperseded):
        generation.complete_stage("analyzing_job", 5, {}, 1, WORKER)
    with pytest.raises(RunSuperseded):
        generation.start_stage("compiling_profile", 1, WORKER)
    with pytest.raises(RunSuperseded):
        generation.fail("internal_error", "late", 1, WORKER)
    generation.complete_stage("analyzing_job", 5, {}, 2, "worker-b")
    assert generation.attempt == 2


def test_the_same_attempt_from_another_worker_is_refused() -> None:
    generation = requested()
    generation.start_stage("analyzing_job", 1, WORKER)

    with pytest.raises(RunSuperseded):
        generation.start_stage("analyzing_job", 1, "worker-b")


def test_a_stage_completes_only_while_it_is_the_one_running() -> None:
    generation = requested()
    generation.start_stage("analyzing_job", 1, WORKER)
    generation.complete_stage("analyzing_job", 5, {}, 1, WORKER)

    with pytest.raises(RunSuperseded):
        generation.complete_stage("analyzing_job", 5, {}, 1, WORKER)
    with pytest.raises(RunSuperseded):
        generation.complete_stage("exporting", 5, {}, 1, WORKER)


def test_nothing_of_a_run_is_recorded_once_it_was_cancelled() -> None:
    generation = requested()
    generation.start_stage("generating_content", 1, WORKER)

    generation.cancel("Cancelled by the user.")

    assert generation.status == "cancelled"
    assert generation.pending_events()[-1].model_dump()["stage"] == "generating_content"
    with pytest.raises(RunSuperseded):
        generation.complete_stage("generating_content", 5, {}, 1, WORKER)
    with pytest.raises(RunSuperseded):
        generation.start_stage("analyzing_job", 2, "worker-b")
    with pytest.raises(RuleViolation) as refused:
        generation.cancel("again")
    assert refused.value.code == "generation_ended"


def test_finishing_needs_a_document() -> None:
    generation = requested()
    generation.start_stage("exporting", 1, WORKER)

    with pytest.raises(RuleViolation) as refused:
        generation.finish(1.0, 1.0, [], 1, WORKER)
    assert refused.value.code == "no_document"


def test_delete_feedback_and_result_wait_for_the_end() -> None:
    generation = requested()
    for attempt in (generation.delete, lambda: generation.give_feedback(5, None)):
        with pytest.raises(RuleViolation) as refused:
            attempt()
        assert refused.value.code == "not_ready"
    with pytest.raises(RuleViolation) as refused:
        generation.require_document()
    assert refused.value.code == "not_ready"


def test_a_failed_generation_has_no_result_but_can_be_deleted() -> None:
    generation = requested()
    generation.start_stage("analyzing_job", 1, WORKER)
    generation.fail("job_unavailable", "The job was deleted.", 1, WORKER)

    with pytest.raises(RuleViolation) as refused:
        generation.require_document()
    assert refused.value.code == "no_result"
    generation.delete()
    assert not generation.exists
    with pytest.raises(NotFoundError):
        generation.check("u-1")


def test_another_users_generation_is_not_found() -> None:
    generation = requested()
    generation.check("u-1")
    with pytest.raises(NotFoundError):
        generation.check("u-2")


async def test_replayed_it_keeps_its_state_and_when_it_was_requested() -> None:
    store = InMemoryEventStore()
    generation = Generation.request(
        "g-1", "u-1", "p-1", 3, "j-1", "cover_letter", GenerationOptions(max_pages=2)
    )
    generation.start_stage("analyzing_job", 1, WORKER)
    await store.append(
        "g-1",
        [e.to_new_event() for e in generation.pending_events()],
        0,
        stream_type="generation",
        metadata=EventMetadata(user_id="u-1"),
    )
    history = await store.read_stream("g-1")

    replayed = Generation.from_history("g-1", history)

    assert replayed.requested_at == history[0].recorded_at
    assert (replayed.status, replayed.stage, replayed.seq, replayed.attempt) == (
        "generating",
        "analyzing_job",
        2,
        1,
    )
    assert replayed.document_type == "cover_letter"
    assert replayed.options.max_pages == 2


async def test_every_update_has_its_live_message_with_the_spec_fields() -> None:
    store = InMemoryEventStore()
    generation = Generation.request("g-2", "u-1", "p-1", 1, "j-1", "resume", GenerationOptions())
    run_through(generation)
    generation.finish(50.0, 75.0, [], 1, WORKER)
    await store.append(
        "g-2",
        [e.to_new_event() for e in generation.pending_events()],
        0,
        stream_type="generation",
        metadata=EventMetadata(user_id="u-1"),
    )

    messages: list[dict[str, Any]] = [
        m for e in await store.read_stream("g-2") if (m := update_message(e)) is not None
    ]

    assert [m["seq"] for m in messages] == list(range(1, 13))
    assert [m["percent"] for m in messages if m["type"] == "generation.progress"] == [
        0, 0, 20, 20, 40, 40, 60, 60, 80, 80, 100,
    ]  # fmt: skip
    assert messages[-1]["result"] == {
        "document_id": "d-1",
        "pdf_url": "/api/v1/documents/d-1/download?format=pdf",
        "match_score": 50.0,
        "ats_score": 75.0,
    }
    assert {m["status"] for m in messages} <= set(STATUSES)


def test_the_request_records_the_spec_fields() -> None:
    generation = Generation.request(
        "g-3", "u-1", "p-1", 7, "j-1", "resume", GenerationOptions(), parent_id="g-0"
    )
    data = generation.pending_events()[0].model_dump(mode="json")

    assert isinstance(generation.pending_events()[0], GenerationRequested)
    assert set(data) == {
        "seq", "generation_id", "user_id", "profile_id", "profile_version", "job_id",
        "document_type", "options", "parent_id",
    }  # fmt: skip
    assert set(data["options"]) == {
        "template", "tone", "max_pages", "emphasis_keywords", "include_sections", "page_size",
    }  # fmt: skip
    assert (data["seq"], data["profile_version"], data["parent_id"]) == (1, 7, "g-0")
