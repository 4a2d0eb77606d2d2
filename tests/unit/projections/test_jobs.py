"""The jobs read model: the full job, its compact search entry, and each user's stamp."""

from __future__ import annotations

from jobwise.application.commands.jobs import CreateJob, DeleteJob, UpdateJob
from jobwise.domain.job import EDITABLE_FIELDS
from jobwise.projections.jobs import JOB_SEARCH, JOB_SEARCH_STAMPS, JOBS, JobsProjection
from tests.support.projections import MemoryRunner, assert_rebuilds_alike, following, project
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import ADA, GRACE, new_job, new_profile

PASTE = """Senior Backend Engineer
Acme Robotics · Berlin, Germany (Hybrid)

Requirements:
- 5+ years of Python and Golang
- Experience running services on k8s
"""


async def jobs(fast: Fast) -> MemoryRunner:
    return await project(JobsProjection(), fast.store)


async def test_a_typed_job_is_the_whole_document(fast: Fast) -> None:
    job = await new_job(fast, ADA, requirements=["Python"], remote=True)
    created, *_, last = await fast.store.read_stream(job)

    document = (await jobs(fast)).get(JOBS, job)

    typed = {"source": "LinkedIn", "title": "Engineer", "company": "Acme"}
    assert {name: document[name] for name in typed} == typed
    # What remote=True implies, the domain fills in (work_arrangement).
    untyped = set(EDITABLE_FIELDS) - set(typed) - {"requirements", "remote", "work_arrangement"}
    lists = {"nice_to_have", "responsibilities", "benefits"}
    assert {name: document[name] for name in untyped - lists} == dict.fromkeys(
        untyped - lists, None
    )
    assert {name: document[name] for name in lists} == {name: [] for name in lists}
    assert (document["requirements"], document["remote"]) == (["Python"], True)
    assert document["work_arrangement"] == "remote"
    assert (document["_id"], document["id"], document["user_id"]) == (job, job, ADA)
    assert (document["status"], document["raw_text"]) == ("active", None)
    assert "Python" in document["parsed_keywords"]["skills"]
    assert document["parsing"]["method"] == "fields"
    assert document["version"] == last.version
    assert (document["created_at"], document["updated_at"]) == (
        created.recorded_at,
        last.recorded_at,
    )


async def test_the_search_entry_holds_what_the_list_filters_and_searches(fast: Fast) -> None:
    job = await new_job(fast, ADA, location="Berlin", description="Build\n  engines.", remote=True)
    runner = await jobs(fast)

    entry = runner.get(JOB_SEARCH, job)

    assert entry == {
        "_id": job,
        "user_id": ADA,
        "status": "active",
        "source": "linkedin",
        "remote": True,
        "work_arrangement": "remote",  # derived from remote when not given
        "created_at": runner.get(JOBS, job)["created_at"],
        "text": "engineer acme berlin build engines.",
        "skills": entry["skills"],
    }
    assert entry["skills"] == [
        s.casefold() for s in runner.get(JOBS, job)["parsed_keywords"]["skills"]
    ]


async def test_a_pasted_job_keeps_its_text_and_its_parse(fast: Fast) -> None:
    job = await fast.handle(CreateJob(ADA, {"source": "linkedin"}, raw_text=PASTE))
    runner = await jobs(fast)

    document, entry = runner.get(JOBS, job), runner.get(JOB_SEARCH, job)

    assert document["raw_text"] == PASTE
    assert document["title"] == "Senior Backend Engineer"
    assert document["parsing"]["method"] != "fields"
    assert "Kubernetes" in document["parsed_keywords"]["skills"]
    assert "kubernetes" in entry["skills"]
    assert entry["text"].startswith("senior backend engineer")


async def test_an_update_changes_the_job_and_its_entry(fast: Fast) -> None:
    job = await new_job(fast)
    runner = await jobs(fast)
    created_at = runner.get(JOBS, job)["created_at"]

    await fast.handle(UpdateJob(ADA, job, changes={"title": "Staff Engineer"}, status="archived"))
    await runner.catch_up(fast.store)

    last = (await fast.store.read_stream(job))[-1]
    document, entry = runner.get(JOBS, job), runner.get(JOB_SEARCH, job)
    assert (document["title"], document["status"]) == ("Staff Engineer", "archived")
    assert (document["version"], document["updated_at"]) == (last.version, last.recorded_at)
    assert document["created_at"] == entry["created_at"] == created_at
    assert entry["status"] == "archived"
    assert entry["text"].startswith("staff engineer acme")


async def test_a_deleted_job_leaves_no_document_and_no_entry(fast: Fast) -> None:
    job, kept = await new_job(fast), await new_job(fast, title="Analyst")
    runner = await jobs(fast)

    await fast.handle(DeleteJob(ADA, job))
    await runner.catch_up(fast.store)

    assert list(runner.view(JOBS)) == list(runner.view(JOB_SEARCH)) == [kept]


async def test_a_users_stamp_is_the_last_event_that_changed_their_jobs(fast: Fast) -> None:
    adas, graces = await new_job(fast, ADA), await new_job(fast, GRACE)
    await fast.handle(UpdateJob(ADA, adas, changes={"title": "Lead"}))
    await new_profile(fast, ADA)  # not a job: moves no stamp
    runner = await jobs(fast)
    assert runner.view(JOB_SEARCH_STAMPS) == {
        ADA: {"_id": ADA, "position": (await fast.store.read_stream(adas))[-1].position},
        GRACE: {"_id": GRACE, "position": (await fast.store.read_stream(graces))[-1].position},
    }

    await fast.handle(DeleteJob(GRACE, graces))
    await runner.catch_up(fast.store)
    deleted = (await fast.store.read_stream(graces))[-1]
    assert runner.get(JOB_SEARCH_STAMPS, GRACE)["position"] == deleted.position


async def test_a_rebuild_gives_the_same_jobs(fast: Fast) -> None:
    async with following(JobsProjection(), fast.store) as live:
        job = await new_job(fast)
        pasted = await fast.handle(CreateJob(GRACE, {"source": "x"}, raw_text=PASTE))
        await fast.handle(UpdateJob(ADA, job, changes={"company": "Globex"}))
        await fast.handle(
            UpdateJob(GRACE, pasted, raw_text="Data Engineer\nGlobex", raw_text_given=True)
        )
        await fast.handle(DeleteJob(ADA, job))
        await new_job(fast, ADA, title="Again")
    await assert_rebuilds_alike(live, fast.store)
