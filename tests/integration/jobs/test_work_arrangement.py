"""``work_arrangement`` beside ``remote``, and ``benefits`` as a list, through the HTTP API.

Also: jobs whose events were recorded before either existed (benefits one string, no
arrangement) read, filter, change and rebuild in today's shape.
"""

from __future__ import annotations

from typing import Any

from jobwise.domain.events import NewEvent, new_id
from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.auth.conftest import AppClient
from tests.integration.jobs.conftest import (
    POSTING,
    User,
    assert_read_models_rebuild_identically,
)

HYBRID_POSTING = """Platform Specialist
PayPlan | Grantham, UK | Full-Time

This hybrid role offers flexibility, with 2 days in our Grantham office.

What we offer:
- 25 days holiday
- Pension scheme
"""


async def test_a_pasted_hybrid_posting_is_hybrid_and_not_remote(ada: User) -> None:
    job = await ada.new_job(raw_text=HYBRID_POSTING)

    assert job["work_arrangement"] == "hybrid"
    assert job["remote"] is False
    assert job["benefits"] == ["25 days holiday", "Pension scheme"]


async def test_one_of_the_pair_sets_the_other(ada: User) -> None:
    typed = await ada.typed_job(work_arrangement="remote")
    assert typed["remote"] is True

    hybrid = await ada.call(
        "PUT", f"/jobs/{typed['id']}", expect=200, json={"work_arrangement": "hybrid"}
    )
    assert (hybrid["remote"], hybrid["work_arrangement"]) == (False, "hybrid")

    remote = await ada.call("PUT", f"/jobs/{typed['id']}", expect=200, json={"remote": True})
    assert (remote["remote"], remote["work_arrangement"]) == (True, "remote")

    not_remote = await ada.call("PUT", f"/jobs/{typed['id']}", expect=200, json={"remote": False})
    assert (not_remote["remote"], not_remote["work_arrangement"]) == (False, None)


async def test_remote_false_keeps_a_hybrid_arrangement(ada: User) -> None:
    job = await ada.new_job(raw_text=HYBRID_POSTING)

    updated = await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"remote": False})

    assert (updated["remote"], updated["work_arrangement"]) == (False, "hybrid")


async def test_contradictory_values_are_refused(ada: User) -> None:
    answer = await ada.call(
        "POST",
        "/jobs",
        expect=422,
        json={"source": "manual", "title": "SRE", "remote": True, "work_arrangement": "hybrid"},
    )
    assert answer["error"]["code"] == "validation_error"
    assert "work_arrangement" in str(answer["error"]["details"])

    job = await ada.typed_job(work_arrangement="onsite")
    await ada.call(
        "PUT",
        f"/jobs/{job['id']}",
        expect=422,
        json={"remote": False, "work_arrangement": "remote"},
    )
    unchanged = await ada.call("GET", f"/jobs/{job['id']}", expect=200)
    assert (unchanged["remote"], unchanged["work_arrangement"]) == (False, "onsite")


async def test_a_typed_arrangement_survives_a_reparse(ada: User) -> None:
    job = await ada.new_job(raw_text=HYBRID_POSTING, remote=True)
    assert (job["remote"], job["work_arrangement"]) == (True, "remote")

    again = await ada.call(
        "PUT", f"/jobs/{job['id']}", expect=200, json={"raw_text": HYBRID_POSTING + "\nApply."}
    )

    assert (again["remote"], again["work_arrangement"]) == (True, "remote")


async def test_benefits_typed_as_text_or_list(ada: User) -> None:
    as_list = await ada.typed_job(benefits=["Gym", "Learning budget"])
    as_text = await ada.typed_job(benefits="- Private health cover\n- 30 days holiday\n")

    assert as_list["benefits"] == ["Gym", "Learning budget"]
    assert as_text["benefits"] == ["Private health cover", "30 days holiday"]
    await ada.call("POST", "/jobs", expect=422, json={"source": "x", "title": "y", "benefits": 3})


async def test_filter_by_work_arrangement(ada: User) -> None:
    await ada.new_job(raw_text=HYBRID_POSTING)
    await ada.typed_job(title="Remote SRE", work_arrangement="remote")
    await ada.typed_job(title="Office DBA", work_arrangement="onsite")
    await ada.typed_job(title="Unsaid")

    async def titles(query: str) -> list[str]:
        page = await ada.call("GET", f"/jobs?{query}", expect=200)
        return sorted(item["title"] for item in page["items"])

    assert await titles("work_arrangement=hybrid") == ["Platform Specialist"]
    assert await titles("work_arrangement=remote") == ["Remote SRE"]
    assert await titles("work_arrangement=onsite&remote=false") == ["Office DBA"]
    await ada.call("GET", "/jobs?work_arrangement=sometimes", expect=422)


async def _append_old_job(client: AppClient, user_id: str) -> str:
    """A job as the app recorded it before work_arrangement: benefits one string."""
    runtime = client.app[RUNTIME]
    job_id = new_id()
    created = {
        "job_id": job_id,
        "user_id": user_id,
        "status": "active",
        "raw_text": POSTING,
        "fields": {"source": "linkedin", "remote": True},
    }
    parsed: dict[str, Any] = {
        "method": "rules",
        "fields": {
            "title": "Senior Backend Engineer",
            "company": "Acme Robotics",
            "location": "Berlin, Germany",
            "benefits": "30 days of paid holiday\nLearning budget",
            "requirements": ["5+ years of Python and Golang in production"],
            "nice_to_have": [],
            "responsibilities": [],
            "description": "Acme Robotics builds warehouse robots.",
            "employment_type": None,
            "salary_range": None,
        },
        "parsed_keywords": {"required": ["Python"], "preferred": [], "skills": ["Python"]},
        "unresolved": [],
        "llm": None,
    }
    result = await runtime.store.append(
        job_id,
        [NewEvent(type="JobCreated", data=created), NewEvent(type="JobParsed", data=parsed)],
        0,
        stream_type="job",
    )
    await runtime.read_your_writes(result.last_position)
    return job_id


async def test_jobs_recorded_before_the_change_read_in_todays_shape(
    client: AppClient, ada: User
) -> None:
    job_id = await _append_old_job(client, ada.id)

    job = await ada.call("GET", f"/jobs/{job_id}", expect=200)
    assert job["benefits"] == ["30 days of paid holiday", "Learning budget"]
    assert (job["remote"], job["work_arrangement"]) == (True, "remote")
    page = await ada.call("GET", "/jobs?work_arrangement=remote", expect=200)
    assert [item["id"] for item in page["items"]] == [job_id]

    changed = await ada.call("PUT", f"/jobs/{job_id}", expect=200, json={"remote": False})
    assert (changed["remote"], changed["work_arrangement"]) == (False, None)
    assert changed["benefits"] == ["30 days of paid holiday", "Learning budget"]
    await assert_read_models_rebuild_identically(client)
