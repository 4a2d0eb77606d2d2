"""The generations read model: status, progress by stage, scores, result and errors."""

from __future__ import annotations

from jobwise.application.commands.generations import (
    CompletedStage,
    DeleteGeneration,
    GiveFeedback,
    Regenerate,
    RerunValidation,
    StartStage,
)
from jobwise.domain.generation import RemovedItem
from jobwise.domain.generation_updates import PERCENT_PER_STAGE, STAGES
from jobwise.projections.generations import GENERATIONS, GenerationsProjection
from tests.support.projections import MemoryRunner, assert_rebuilds_alike, following, project
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import (
    ADA,
    GRACE,
    VALIDATION,
    failed,
    finished,
    requested,
    run_of,
    run_stages,
)

REPAIR = RemovedItem(what="Led a team of 40", where="experience", why="not in the profile")


async def generations(fast: Fast) -> MemoryRunner:
    return await project(GenerationsProjection(), fast.store)


async def test_a_request_is_a_pending_generation_with_every_stage_to_come(fast: Fast) -> None:
    generation, profile, job = await requested(fast)
    asked = (await fast.store.read_stream(generation))[0]

    document = (await generations(fast)).get(GENERATIONS, generation)

    expected = {
        "_id": generation,
        "id": generation,
        "generation_id": generation,
        "user_id": ADA,
        "status": "pending",
        "document_type": "resume",
        "profile_id": profile,
        "profile_version": asked.data["profile_version"],
        "job_id": job,
        "parent_id": None,
        "options": asked.data["options"],
        "seq": 1,
        "version": 1,
        "last_position": asked.position,
        "created_at": asked.recorded_at,
        "updated_at": asked.recorded_at,
        "completed_at": None,
        "result": None,
        "error": None,
        "document_id": None,
        "token_usage": 0,
        "feedback": None,
    }
    assert {name: document[name] for name in expected} == expected
    assert document["progress"]["stage"] is None and document["progress"]["percent"] == 0
    assert [(s["name"], s["status"]) for s in document["progress"]["stages"]] == [
        (name, "pending") for name in STAGES
    ]


async def test_stages_move_the_progress_and_fill_in_what_they_found(fast: Fast) -> None:
    generation, _, _ = await requested(fast)
    run = run_of(generation)
    await run_stages(fast, run, "exporting")

    history = await fast.store.read_stream(generation)
    document = (await generations(fast)).get(GENERATIONS, generation)

    assert document["status"] == "generating"
    assert document["progress"]["stage"] == "exporting"
    assert document["progress"]["percent"] == 4 * PERCENT_PER_STAGE
    stages = {s["name"]: s for s in document["progress"]["stages"]}
    assert [s["status"] for s in stages.values()] == ["completed"] * 4 + ["started"]
    first_started, first_done = history[1], history[2]
    assert stages["analyzing_job"] == {
        "name": "analyzing_job",
        "status": "completed",
        "started_at": first_started.recorded_at,
        "completed_at": first_done.recorded_at,
        "duration_ms": 10,
        "attempt": 1,
        "summary": {"stage": "analyzing_job"},
    }
    assert (document["token_usage"], document["writer"]) == (1234, "offline")
    assert (document["match_score"], document["ats_score"]) == (0.81, 0.9)
    assert document["keywords"] == VALIDATION["keywords"]
    assert document["recommendations"] == VALIDATION["recommendations"]
    assert document["seq"] == history[-1].data["seq"]
    assert (document["version"], document["last_position"]) == (
        history[-1].version,
        history[-1].position,
    )


async def test_a_finished_run_is_completed_with_its_result(fast: Fast) -> None:
    generation, _, _ = await requested(fast)
    document_id = await finished(fast, generation)
    history = await fast.store.read_stream(generation)

    document = (await generations(fast)).get(GENERATIONS, generation)

    assert document["status"] == "completed"
    # Ids only: the PDF's URL is the API's to build, neither the event's nor the view's.
    assert "pdf_url" not in history[-1].data
    assert document["result"] == {"document_id": document_id, "match_score": 0.81, "ats_score": 0.9}
    assert (document["document_id"], document["pdf_size_bytes"], document["pdf_page_count"]) == (
        document_id,
        41_000,
        1,
    )
    assert document["progress"]["percent"] == 5 * PERCENT_PER_STAGE
    assert document["completed_at"] == history[-1].recorded_at
    elapsed = history[-1].recorded_at - history[0].recorded_at
    assert document["generation_time_seconds"] == round(elapsed.total_seconds(), 3)
    assert document["removed"] == []


async def test_a_run_the_guard_repaired_needs_review(fast: Fast) -> None:
    generation, _, _ = await requested(fast)
    await finished(fast, generation, removed=[REPAIR])
    document = (await generations(fast)).get(GENERATIONS, generation)
    assert document["status"] == "needs_review"
    assert document["removed"] == [REPAIR.model_dump()]


async def test_a_failed_run_keeps_its_error_and_the_stage_it_failed_in(fast: Fast) -> None:
    generation, _, _ = await requested(fast)
    await failed(fast, generation)
    document = (await generations(fast)).get(GENERATIONS, generation)
    assert document["status"] == "failed"
    assert document["error"] == {
        "code": "model_unavailable",
        "message": "The model did not answer.",
    }
    assert document["error_message"] == "The model did not answer."
    statuses = [s["status"] for s in document["progress"]["stages"]]
    assert statuses == ["completed", "completed", "failed", "pending", "pending"]
    assert document["completed_at"] is not None and document["result"] is None


async def test_a_cancelled_run_says_why(fast: Fast) -> None:
    generation, _, _ = await requested(fast)
    await run_stages(fast, run_of(generation), "analyzing_job")
    await fast.handle(DeleteGeneration(ADA, generation))
    document = (await generations(fast)).get(GENERATIONS, generation)
    assert document["status"] == "cancelled"
    assert document["error"] == {"code": "cancelled", "message": "Cancelled by the user."}
    assert document["progress"]["stages"][0]["status"] == "cancelled"


async def test_a_takeover_starts_the_stages_again(fast: Fast) -> None:
    generation, _, _ = await requested(fast)
    await run_stages(fast, run_of(generation), "generating_content")
    await fast.handle(StartStage(run_of(generation, attempt=2), "analyzing_job"))

    document = (await generations(fast)).get(GENERATIONS, generation)

    stages = document["progress"]["stages"]
    assert [s["status"] for s in stages] == ["started"] + ["pending"] * 4
    assert stages[0]["attempt"] == 2 and stages[1]["completed_at"] is None
    assert document["progress"]["percent"] == 0


async def test_feedback_and_a_second_validation_are_kept(fast: Fast) -> None:
    generation, _, _ = await requested(fast)
    await finished(fast, generation)
    runner = await generations(fast)
    await fast.handle(GiveFeedback(ADA, generation, 5, "Spot on."))
    await fast.handle(RerunValidation(ADA, generation))
    await runner.catch_up(fast.store)

    feedback, rerun = (await fast.store.read_stream(generation))[-2:]
    document = runner.get(GENERATIONS, generation)
    assert document["feedback"] == {
        "rating": 5,
        "comment": "Spot on.",
        "at": feedback.recorded_at,
    }
    assert document["validated_at"] == rerun.recorded_at
    scores = (rerun.data["match_score"], rerun.data["ats_score"])
    assert (document["match_score"], document["ats_score"]) == scores
    assert (document["result"]["match_score"], document["result"]["ats_score"]) == scores
    assert document["keywords"] == rerun.data["keywords"]


async def test_a_deleted_generation_goes_and_a_regeneration_names_its_parent(
    fast: Fast,
) -> None:
    generation, _, _ = await requested(fast)
    await finished(fast, generation)
    child = await fast.handle(Regenerate(ADA, generation, {"tone": "concise"}))
    await fast.handle(DeleteGeneration(ADA, generation))

    view = (await generations(fast)).view(GENERATIONS)

    assert list(view) == [child]
    assert view[child]["parent_id"] == generation
    assert view[child]["options"]["tone"] == "concise"


async def test_each_users_generations_are_their_own(fast: Fast) -> None:
    adas, _, _ = await requested(fast, ADA)
    graces, _, _ = await requested(fast, GRACE)
    view = (await generations(fast)).view(GENERATIONS)
    assert {gid: g["user_id"] for gid, g in view.items()} == {adas: ADA, graces: GRACE}


async def test_a_rebuild_gives_the_same_generations(fast: Fast) -> None:
    async with following(GenerationsProjection(), fast.store) as live:
        done, _, _ = await requested(fast)
        await finished(fast, done, removed=[REPAIR])
        await fast.handle(GiveFeedback(ADA, done, 2))
        broken, _, _ = await requested(fast, GRACE)
        await failed(fast, broken, GRACE)
        taken, _, _ = await requested(fast)
        await run_stages(fast, run_of(taken), "compiling_profile")
        after = CompletedStage("compiling_profile", 5, {})
        await fast.handle(StartStage(run_of(taken), "generating_content", after))
        await fast.handle(StartStage(run_of(taken, attempt=2), "analyzing_job"))
        await fast.handle(DeleteGeneration(ADA, taken))
        await fast.handle(DeleteGeneration(GRACE, broken))
    await assert_rebuilds_alike(live, fast.store)
