"""The application tracker: saving jobs once, moving them along, counting the board."""

from __future__ import annotations

import asyncio

from tests.integration.jobs.conftest import User


async def test_save_shows_the_job_headline_and_first_timeline_step(ada: User) -> None:
    job = await ada.typed_job("Site Reliability Engineer", location="Dublin")

    saved = await ada.call(
        "POST", "/saved-jobs", expect=201, json={"job_id": job["id"], "notes": "Referral"}
    )

    assert saved["status"] == "interested"
    assert saved["notes"] == "Referral"
    assert saved["job"] == {
        "title": "Site Reliability Engineer",
        "company": "Globex",
        "location": "Dublin",
    }
    assert [step["status"] for step in saved["timeline"]] == ["interested"]
    assert saved["applied_at"] is None
    assert await ada.call("GET", f"/saved-jobs/{saved['id']}", expect=200) == saved


async def test_a_job_is_saved_at_most_once(ada: User) -> None:
    job = await ada.typed_job()
    await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})

    again = await ada.call("POST", "/saved-jobs", expect=409, json={"job_id": job["id"]})

    assert again["error"]["code"] == "already_saved"


async def test_concurrent_saves_of_one_job_let_exactly_one_win(ada: User) -> None:
    job = await ada.typed_job()

    responses = await asyncio.gather(
        *(
            ada.client.post("/api/v1/saved-jobs", headers=ada.headers, json={"job_id": job["id"]})
            for _ in range(4)
        )
    )

    assert sorted(r.status for r in responses) == [201, 409, 409, 409]
    assert (await ada.call("GET", "/saved-jobs", expect=200))["total"] == 1


async def test_applied_at_is_set_the_first_time_and_the_timeline_keeps_every_step(
    ada: User,
) -> None:
    job = await ada.typed_job()
    saved = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})
    path = f"/saved-jobs/{saved['id']}"

    applied = await ada.call("PATCH", path, expect=200, json={"status": "applied"})
    interviewing = await ada.call("PATCH", path, expect=200, json={"status": "interviewing"})
    offer = await ada.call("PATCH", path, expect=200, json={"status": "offer", "notes": "Yes!"})

    assert applied["applied_at"] is not None
    assert interviewing["applied_at"] == applied["applied_at"] == offer["applied_at"]
    assert [s["status"] for s in offer["timeline"]] == [
        "interested",
        "applied",
        "interviewing",
        "offer",
    ]
    assert offer["notes"] == "Yes!"


async def test_saving_straight_as_applied_stamps_applied_at(ada: User) -> None:
    job = await ada.typed_job()
    saved = await ada.call(
        "POST", "/saved-jobs", expect=201, json={"job_id": job["id"], "status": "applied"}
    )
    assert saved["applied_at"] == saved["saved_at"]


async def test_statuses_only_move_forward_and_rejected_or_closed_end_the_path(
    ada: User,
) -> None:
    job = await ada.typed_job()
    saved = await ada.call(
        "POST", "/saved-jobs", expect=201, json={"job_id": job["id"], "status": "interviewing"}
    )
    path = f"/saved-jobs/{saved['id']}"

    back = await ada.call("PATCH", path, expect=409, json={"status": "applied"})
    assert back["error"]["code"] == "invalid_status_transition"
    assert back["error"]["details"]["allowed"] == ["offer", "rejected", "closed"]
    await ada.call("PATCH", path, expect=200, json={"status": "rejected"})
    done = await ada.call("PATCH", path, expect=409, json={"status": "offer"})
    assert done["error"]["details"]["allowed"] == ["closed"]
    same = await ada.call("PATCH", path, expect=200, json={"status": "rejected"})
    assert [s["status"] for s in same["timeline"]] == ["interviewing", "rejected"]
    corrected = await ada.call("PATCH", path, expect=200, json={"status": "closed"})
    assert [s["status"] for s in corrected["timeline"]] == ["interviewing", "rejected", "closed"]


async def test_unknown_status_is_a_validation_error(ada: User) -> None:
    job = await ada.typed_job()
    bad = await ada.call(
        "POST", "/saved-jobs", expect=422, json={"job_id": job["id"], "status": "hired"}
    )
    assert bad["error"]["details"]["fields"][0]["field"] == "status"
    await ada.call("GET", "/saved-jobs?status=hired", expect=422)


async def test_list_filters_by_status_and_stats_count_every_column(ada: User) -> None:
    for status in ("interested", "interested", "applied", "offer"):
        job = await ada.typed_job()
        await ada.call(
            "POST", "/saved-jobs", expect=201, json={"job_id": job["id"], "status": status}
        )

    interested = await ada.call("GET", "/saved-jobs?status=interested", expect=200)
    stats = await ada.call("GET", "/saved-jobs/stats", expect=200)

    assert interested["total"] == 2 and len(interested["items"]) == 2
    assert {item["status"] for item in interested["items"]} == {"interested"}
    assert stats == {
        "total": 4,
        "by_status": {
            "interested": 2,
            "applied": 1,
            "interviewing": 0,
            "offer": 1,
            "rejected": 0,
            "closed": 0,
        },
    }
    page = await ada.call("GET", "/saved-jobs?limit=3&offset=3", expect=200)
    assert (page["total"], len(page["items"]), page["limit"], page["offset"]) == (4, 1, 3, 3)


async def test_removed_entry_can_be_saved_again(ada: User) -> None:
    job = await ada.typed_job()
    saved = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})

    await ada.call("DELETE", f"/saved-jobs/{saved['id']}", expect=204)
    await ada.call("GET", f"/saved-jobs/{saved['id']}", expect=404)
    again = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})

    assert again["id"] == saved["id"]
    assert [s["status"] for s in again["timeline"]] == ["interested"]


async def test_deleting_the_job_takes_its_entry_off_the_board(ada: User) -> None:
    job = await ada.typed_job()
    saved = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})

    await ada.call("DELETE", f"/jobs/{job['id']}", expect=204)

    await ada.call("GET", f"/saved-jobs/{saved['id']}", expect=404)
    assert (await ada.call("GET", "/saved-jobs", expect=200))["total"] == 0
    assert (await ada.call("GET", "/saved-jobs/stats", expect=200))["total"] == 0
    await ada.call("PATCH", f"/saved-jobs/{saved['id']}", expect=404, json={"status": "applied"})
    await ada.call("POST", "/saved-jobs", expect=404, json={"job_id": job["id"]})


async def test_entry_follows_its_jobs_new_title(ada: User) -> None:
    job = await ada.typed_job("Data Engineer")
    saved = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})

    await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"title": "Staff Data Engineer"})

    entry = await ada.call("GET", f"/saved-jobs/{saved['id']}", expect=200)
    assert entry["job"]["title"] == "Staff Data Engineer"


async def test_other_users_cannot_see_save_or_touch_entries(ada: User, grace: User) -> None:
    job = await ada.typed_job()
    saved = await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})
    path = f"/saved-jobs/{saved['id']}"

    await grace.call("POST", "/saved-jobs", expect=404, json={"job_id": job["id"]})
    await grace.call("GET", path, expect=404)
    await grace.call("PATCH", path, expect=404, json={"status": "applied"})
    await grace.call("DELETE", path, expect=404)
    assert (await grace.call("GET", "/saved-jobs", expect=200))["total"] == 0
    assert (await grace.call("GET", "/saved-jobs/stats", expect=200))["total"] == 0
    await ada.call("GET", path, expect=200)
