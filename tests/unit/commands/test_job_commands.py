"""Job and saved-job commands through the bus on the in-memory store."""

from __future__ import annotations

import pytest

from jobwise.application.commands.jobs import CreateJob, DeleteJob, UpdateJob
from jobwise.application.commands.saved_jobs import ChangeSavedJob, SaveJob
from jobwise.domain.errors import NotFoundError, RuleViolation
from tests.unit.commands.conftest import Fast

ADA = "user-ada"
PASTE = """Senior Backend Engineer
Acme Robotics · Berlin, Germany (Hybrid)

Requirements:
- 5+ years of Python and Golang
- Experience running services on k8s
"""


async def test_a_paste_is_read_before_it_is_recorded(fast: Fast) -> None:
    job = await fast.handle(CreateJob(ADA, {"source": "linkedin"}, raw_text=PASTE))
    created, parsed = await fast.store.read_stream(job)
    assert (created.type, parsed.type) == ("JobCreated", "JobParsed")
    assert parsed.data["fields"]["title"] == "Senior Backend Engineer"
    assert "Kubernetes" in parsed.data["parsed_keywords"]["skills"]


async def test_new_text_is_read_again_and_typed_fields_stay(fast: Fast) -> None:
    job = await fast.handle(CreateJob(ADA, {"source": "x", "company": "Typed Co"}, raw_text=PASTE))
    await fast.handle(
        UpdateJob(
            ADA, job, raw_text="Data Engineer\nGlobex\n\nRequirements:\n- SQL", raw_text_given=True
        )
    )
    *_, reparsed = await fast.store.read_stream(job)
    assert reparsed.type == "JobParsed"
    assert "company" not in reparsed.data["fields"]  # typed by the user: never the parser's


async def test_a_deleted_job_cannot_be_saved_or_changed(fast: Fast) -> None:
    job = await fast.handle(CreateJob(ADA, {"source": "x", "title": "T"}))
    await fast.handle(DeleteJob(ADA, job))
    with pytest.raises(NotFoundError):
        await fast.handle(SaveJob(ADA, job))
    with pytest.raises(NotFoundError):
        await fast.handle(UpdateJob(ADA, job, changes={"title": "U"}))


async def test_a_job_is_saved_once_and_moves_only_forward(fast: Fast) -> None:
    job = await fast.handle(CreateJob(ADA, {"source": "x", "title": "T"}))
    entry = await fast.handle(SaveJob(ADA, job))
    with pytest.raises(RuleViolation) as again:
        await fast.handle(SaveJob(ADA, job))
    assert again.value.code == "already_saved"
    await fast.handle(ChangeSavedJob(ADA, entry, status="interviewing"))
    with pytest.raises(RuleViolation) as backwards:
        await fast.handle(ChangeSavedJob(ADA, entry, status="applied"))
    assert backwards.value.code == "invalid_status_transition"
