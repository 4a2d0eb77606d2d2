"""The saved-jobs read model: the board's entries, their timelines and their job's headline."""

from __future__ import annotations

from jobwise.application.commands.jobs import DeleteJob, UpdateJob
from jobwise.application.commands.saved_jobs import ChangeSavedJob, RemoveSavedJob, SaveJob
from jobwise.projections.saved_jobs import SAVED_JOBS, TARGETS, SavedJobsProjection
from tests.support.projections import MemoryRunner, assert_rebuilds_alike, following, project
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import ADA, GRACE, new_job

HEADLINE = {"title": "Engineer", "company": "Acme", "location": None}


async def board(fast: Fast) -> MemoryRunner:
    return await project(SavedJobsProjection(), fast.store)


async def test_a_saved_job_is_an_entry_with_its_jobs_headline(fast: Fast) -> None:
    job = await new_job(fast)
    entry = await fast.handle(SaveJob(ADA, job, notes="Apply soon"))
    saved = (await fast.store.read_stream(entry))[0]
    at = saved.recorded_at

    document = (await board(fast)).get(SAVED_JOBS, entry)

    assert document == {
        "_id": entry,
        "id": entry,
        "user_id": ADA,
        "job_id": job,
        "status": "interested",
        "notes": "Apply soon",
        "job": HEADLINE,
        "timeline": [{"status": "interested", "at": at}],
        "saved_at": at,
        "applied_at": None,
        "version": 1,
        "updated_at": at,
    }


async def test_each_status_is_a_step_and_applied_is_dated_once(fast: Fast) -> None:
    entry = await fast.handle(SaveJob(ADA, await new_job(fast)))
    runner = await board(fast)
    for status in ("applied", "interviewing", "offer"):
        await fast.handle(ChangeSavedJob(ADA, entry, status=status))
    await fast.handle(ChangeSavedJob(ADA, entry, notes="Negotiate.", notes_given=True))
    await runner.catch_up(fast.store)

    history = await fast.store.read_stream(entry)
    document = runner.get(SAVED_JOBS, entry)
    assert document["timeline"] == [
        {"status": status, "at": event.recorded_at}
        for status, event in zip(
            ["interested", "applied", "interviewing", "offer"], history[:4], strict=True
        )
    ]
    assert (document["status"], document["notes"]) == ("offer", "Negotiate.")
    assert document["applied_at"] == history[1].recorded_at
    assert (document["version"], document["updated_at"]) == (5, history[-1].recorded_at)
    assert document["saved_at"] == history[0].recorded_at


async def test_saved_as_applied_is_dated_at_the_save(fast: Fast) -> None:
    entry = await fast.handle(SaveJob(ADA, await new_job(fast), status="applied"))
    document = (await board(fast)).get(SAVED_JOBS, entry)
    assert document["applied_at"] == document["saved_at"]


async def test_the_headline_follows_the_job_and_nothing_else_does(fast: Fast) -> None:
    job = await new_job(fast)
    entry = await fast.handle(SaveJob(ADA, job))
    runner = await board(fast)

    await fast.handle(UpdateJob(ADA, job, changes={"description": "Not in the headline."}))
    await runner.catch_up(fast.store)
    assert runner.get(SAVED_JOBS, entry)["version"] == 1
    assert runner.get(TARGETS, job) == {"_id": job, **HEADLINE}

    await fast.handle(UpdateJob(ADA, job, changes={"title": "Lead", "location": "Berlin"}))
    await runner.catch_up(fast.store)
    moved = {"title": "Lead", "company": "Acme", "location": "Berlin"}
    assert runner.get(SAVED_JOBS, entry)["job"] == moved
    assert runner.get(TARGETS, job) == {"_id": job, **moved}


async def test_a_deleted_job_takes_its_entries_off_the_board(fast: Fast) -> None:
    job, kept = await new_job(fast), await new_job(fast)
    await fast.handle(SaveJob(ADA, job))
    stays = await fast.handle(SaveJob(ADA, kept))
    runner = await board(fast)

    await fast.handle(DeleteJob(ADA, job))
    await runner.catch_up(fast.store)

    assert list(runner.view(SAVED_JOBS)) == [stays]
    assert list(runner.view(TARGETS)) == [kept]


async def test_a_removed_entry_goes_and_a_new_save_starts_over(fast: Fast) -> None:
    job = await new_job(fast)
    entry = await fast.handle(SaveJob(ADA, job))
    await fast.handle(ChangeSavedJob(ADA, entry, status="applied"))
    runner = await board(fast)

    await fast.handle(RemoveSavedJob(ADA, entry))
    await runner.catch_up(fast.store)
    assert runner.view(SAVED_JOBS) == {}

    again = await fast.handle(SaveJob(ADA, job))
    await runner.catch_up(fast.store)
    document = runner.get(SAVED_JOBS, again)
    assert (document["status"], document["applied_at"], len(document["timeline"])) == (
        "interested",
        None,
        1,
    )


async def test_each_users_entries_are_their_own(fast: Fast) -> None:
    adas, graces = await new_job(fast, ADA), await new_job(fast, GRACE)
    mine = await fast.handle(SaveJob(ADA, adas))
    hers = await fast.handle(SaveJob(GRACE, graces))
    view = (await board(fast)).view(SAVED_JOBS)
    assert {entry_id: (e["user_id"], e["job_id"]) for entry_id, e in view.items()} == {
        mine: (ADA, adas),
        hers: (GRACE, graces),
    }


async def test_a_rebuild_gives_the_same_board(fast: Fast) -> None:
    async with following(SavedJobsProjection(), fast.store) as live:
        job, other = await new_job(fast), await new_job(fast, GRACE)
        entry = await fast.handle(SaveJob(ADA, job))
        await fast.handle(SaveJob(GRACE, other, status="applied"))
        await fast.handle(ChangeSavedJob(ADA, entry, status="applied"))
        await fast.handle(UpdateJob(ADA, job, changes={"company": "Globex"}))
        await fast.handle(RemoveSavedJob(ADA, entry))
        await fast.handle(SaveJob(ADA, job, notes="Again"))
        await fast.handle(DeleteJob(GRACE, other))
    await assert_rebuilds_alike(live, fast.store)
