"""Saving jobs by pasting or typing, changing them, and deleting them for good."""

from __future__ import annotations

import asyncio

from jobwise.entrypoints.http.keys import RUNTIME
from tests.integration.jobs.conftest import (
    POSTING,
    User,
    assert_read_models_rebuild_identically,
)


async def test_pasted_posting_is_parsed_into_fields_and_canonical_skills(ada: User) -> None:
    job = await ada.new_job(raw_text=POSTING)

    assert job["title"] == "Senior Backend Engineer"
    assert job["company"] == "Acme Robotics"
    assert job["location"].startswith("Berlin")
    assert job["remote"] is False  # hybrid is not remote
    assert job["salary_range"] == {
        "text": "€85,000 – €105,000 a year",
        "min": 85000.0,
        "max": 105000.0,
        "currency": "EUR",
        "period": "year",
    }
    assert len(job["requirements"]) == 3
    assert "Learning budget" in job["benefits"]
    keywords = job["parsed_keywords"]
    assert keywords["required"] == ["Python", "Go", "PostgreSQL", "Kubernetes"]
    assert keywords["preferred"] == ["Kafka", "Terraform"]
    assert set(keywords["skills"]) >= {"Python", "Go", "PostgreSQL", "Kubernetes", "Terraform"}
    assert job["parsing"] == {"method": "rules", "llm": None, "unresolved": []}
    assert job["raw_text"] == POSTING
    assert job["status"] == "active" and job["source"] == "linkedin"
    assert job["version"] == 2  # JobCreated, JobParsed


async def test_created_job_answers_location_and_reads_back(ada: User) -> None:
    response = await ada.client.post(
        "/api/v1/jobs", headers=ada.headers, json={"source": "indeed", "title": "QA Engineer"}
    )
    assert response.status == 201
    job = await response.json()
    assert response.headers["Location"] == f"/api/v1/jobs/{job['id']}"
    assert await ada.call("GET", f"/jobs/{job['id']}", expect=200) == job


async def test_typed_fields_win_over_what_the_parser_reads(ada: User) -> None:
    job = await ada.new_job(raw_text=POSTING, title="Backend Engineer (Platform)", remote=True)

    assert job["title"] == "Backend Engineer (Platform)"
    assert job["remote"] is True
    assert job["company"] == "Acme Robotics"


async def test_typed_job_gets_keywords_from_its_sections(ada: User) -> None:
    job = await ada.typed_job(
        requirements=["3 years of JS and React", "Node experience"],
        nice_to_have=["GraphQL", "JavaScript testing with Jest"],
        description="You will build our web app.",
        salary_range="£60k–£75k",
    )

    assert job["parsed_keywords"]["required"][:2] == ["JavaScript", "React"]
    assert "GraphQL" in job["parsed_keywords"]["preferred"]
    assert "JavaScript" not in job["parsed_keywords"]["preferred"]  # already required
    assert job["parsing"]["method"] == "fields"
    assert job["salary_range"]["min"] == 60000 and job["salary_range"]["currency"] == "GBP"
    assert job["raw_text"] is None


async def test_update_changes_only_what_is_sent_and_bumps_the_version(ada: User) -> None:
    job = await ada.typed_job(location="Remote", remote=True)

    updated = await ada.call(
        "PUT", f"/jobs/{job['id']}", expect=200, json={"company": "Initech", "status": "archived"}
    )

    assert updated["company"] == "Initech"
    assert updated["status"] == "archived"
    assert updated["title"] == job["title"] and updated["remote"] is True
    assert updated["version"] > job["version"]


async def test_new_raw_text_is_parsed_again_but_keeps_hand_set_fields(ada: User) -> None:
    job = await ada.new_job(raw_text=POSTING)
    await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"title": "My own title"})
    other = POSTING.replace("Acme Robotics", "Umbrella Corp").replace("Terraform", "Ansible")

    updated = await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"raw_text": other})

    assert updated["title"] == "My own title"
    assert updated["company"] == "Umbrella Corp"
    assert updated["parsed_keywords"]["preferred"] == ["Kafka", "Ansible"]


async def test_stale_if_match_is_a_version_conflict(ada: User) -> None:
    job = await ada.typed_job()
    await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"company": "Initech"})

    stale = await ada.call(
        "PUT",
        f"/jobs/{job['id']}",
        expect=409,
        headers={"If-Match": str(job["version"])},
        json={"company": "Hooli"},
    )

    assert stale["error"]["code"] == "version_conflict"
    fresh = await ada.call("GET", f"/jobs/{job['id']}", expect=200)
    assert fresh["company"] == "Initech"
    await ada.call(
        "PUT",
        f"/jobs/{job['id']}",
        expect=200,
        json={"company": "Hooli", "expected_version": fresh["version"]},
    )


async def test_edited_sections_are_what_the_keywords_follow(ada: User) -> None:
    job = await ada.new_job(raw_text=POSTING)

    edited = await ada.call(
        "PUT",
        f"/jobs/{job['id']}",
        expect=200,
        json={"requirements": ["Deep Rust experience"], "nice_to_have": ["Elixir"]},
    )

    assert edited["parsed_keywords"]["required"] == ["Rust"]
    assert edited["parsed_keywords"]["preferred"] == ["Elixir"]
    assert "Python" in edited["parsed_keywords"]["skills"]  # still named in the paste
    assert edited["parsing"]["method"] == "rules"
    reparsed = await ada.call(
        "PUT", f"/jobs/{job['id']}", expect=200, json={"raw_text": POSTING + "\nAlso: Scala."}
    )
    assert reparsed["parsed_keywords"]["required"] == ["Rust"]  # the typed sections still win
    assert "Scala" in reparsed["parsed_keywords"]["skills"]


async def test_concurrent_updates_without_if_match_all_land(ada: User) -> None:
    job = await ada.typed_job()
    path = f"/api/v1/jobs/{job['id']}"

    answers = await asyncio.gather(
        *(
            ada.client.put(path, headers=ada.headers, json={"company": f"Company {n}"})
            for n in range(3)
        )
    )

    assert [a.status for a in answers] == [200, 200, 200]
    final = await ada.call("GET", f"/jobs/{job['id']}", expect=200)
    assert final["version"] == job["version"] + 3


async def test_if_match_star_means_any_version(ada: User) -> None:
    job = await ada.typed_job()
    changed = await ada.call(
        "PUT", f"/jobs/{job['id']}", expect=200, headers={"If-Match": "*"}, json={"company": "X"}
    )
    assert changed["company"] == "X"


async def test_delete_is_hard_for_reads_but_the_history_keeps_it(ada: User) -> None:
    job = await ada.new_job(raw_text=POSTING)
    await ada.typed_job()

    await ada.call("DELETE", f"/jobs/{job['id']}", expect=204)

    gone = await ada.call("GET", f"/jobs/{job['id']}", expect=404)
    assert gone["error"]["code"] == "not_found"
    listed = await ada.call("GET", "/jobs", expect=200)
    assert [j["id"] for j in listed["items"]] == [listed["items"][0]["id"]]
    assert listed["total"] == 1
    assert (await ada.call("GET", "/jobs?q=robotics", expect=200))["total"] == 0
    history = await ada.call("GET", f"/audit/events?stream_id={job['id']}", expect=200)
    assert [e["type"] for e in history["items"]] == ["JobCreated", "JobParsed", "JobDeleted"]
    await ada.call("DELETE", f"/jobs/{job['id']}", expect=404)
    await ada.call("PUT", f"/jobs/{job['id']}", expect=404, json={"title": "Back"})


async def test_another_users_job_is_not_found_for_every_verb(ada: User, grace: User) -> None:
    job = await ada.typed_job()
    path = f"/jobs/{job['id']}"

    for method, body in (("GET", None), ("PUT", {"title": "Mine now"}), ("DELETE", None)):
        answer = await grace.call(method, path, expect=404, json=body)
        assert answer["error"]["code"] == "not_found"
    assert (await grace.call("GET", "/jobs", expect=200))["total"] == 0
    assert (await ada.call("GET", path, expect=200))["title"] == job["title"]


async def test_read_models_rebuild_identically(ada: User) -> None:
    job = await ada.new_job(raw_text=POSTING)
    await ada.call("PUT", f"/jobs/{job['id']}", expect=200, json={"status": "draft"})
    doomed = await ada.typed_job()
    await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": job["id"]})
    await ada.call("POST", "/saved-jobs", expect=201, json={"job_id": doomed["id"]})
    await ada.call("DELETE", f"/jobs/{doomed['id']}", expect=204)

    await assert_read_models_rebuild_identically(ada.client)


async def test_asking_for_the_llm_without_one_configured_keeps_the_rules(ada: User) -> None:
    job = await ada.new_job(raw_text="we need someone who knows python.", parse_with_llm=True)

    assert job["parsing"]["method"] == "rules"
    assert job["parsing"]["llm"] == "not_configured"
    assert job["parsed_keywords"]["skills"] == ["Python"]


async def test_idempotency_key_replays_the_first_create(ada: User) -> None:
    key = {"Idempotency-Key": "paste-1"}
    body = {"source": "linkedin", "raw_text": POSTING}

    first = await ada.call("POST", "/jobs", expect=201, headers=key, json=body)
    again = await ada.call("POST", "/jobs", expect=201, headers=key, json=body)
    other = await ada.call("POST", "/jobs", expect=422, headers=key, json={**body, "source": "x"})

    assert again["id"] == first["id"]
    assert other["error"]["code"] == "idempotency_key_reused"
    assert (await ada.call("GET", "/jobs", expect=200))["total"] == 1


async def test_a_paste_read_past_the_cpu_budget_is_503_and_saves_nothing(ada: User) -> None:
    # The posting is read in a worker process under the request's budget: a budget
    # nothing fits in refuses the paste in the contract's shape and stores no job.
    offloop = ada.client.app[RUNTIME].offloop
    budget, offloop.budget = offloop.budget, 0.000_001
    try:
        refused = await ada.call(
            "POST", "/jobs", expect=503, json={"source": "linkedin", "raw_text": POSTING}
        )
    finally:
        offloop.budget = budget
    assert refused["error"]["code"] == "overloaded"
    assert (await ada.call("GET", "/jobs", expect=200))["total"] == 0
    saved = await ada.new_job(raw_text=POSTING)
    assert saved["company"] == "Acme Robotics"
