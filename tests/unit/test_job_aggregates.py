"""The job and saved-job aggregates: what they record, and what they refuse."""

from __future__ import annotations

import pytest

from jobwise.domain.errors import InvalidInput, NotFoundError, RuleViolation, StaleVersion
from jobwise.domain.job import Job, JobKeywordsUpdated, JobParsed, JobUpdated
from jobwise.domain.saved_job import SavedJob, allowed_next, saved_job_id


def _pasted(**typed: object) -> Job:
    job = Job.create("job-1", "ada", "active", {"source": "x", **typed}, raw_text="Engineer\n...")
    job.record_parse(
        "rules",
        {"title": "Engineer", "company": "Acme", "location": None},
        {"required": ["Python"], "preferred": [], "skills": ["Python"]},
        ["location"],
    )
    job.mark_saved()
    return job


def test_the_parser_never_overwrites_what_the_user_typed() -> None:
    job = Job.create("job-1", "ada", "active", {"title": "Mine"}, raw_text="Theirs\nAcme")

    job.record_parse("rules", {"title": "Theirs", "company": None}, {}, [])

    event = job.pending_events()[-1]
    assert isinstance(event, JobParsed)
    assert event.fields == {"company": None}  # empty ones too: a re-parse clears stale values
    assert job.fields["title"] == "Mine"


def test_update_says_what_must_be_read_again() -> None:
    job = _pasted()

    assert job.update({"company": "Initech"}, None, raw_text_given=False) is None
    assert job.update({"requirements": ["Rust"]}, None, raw_text_given=False) == "keywords"
    assert job.update({}, "New text", raw_text_given=True) == "parse"
    assert [type(e) for e in job.pending_events()] == [JobUpdated, JobUpdated, JobUpdated]


def test_sending_a_parsed_value_unchanged_makes_it_the_users() -> None:
    job = _pasted()

    job.update({"company": "Acme"}, None, raw_text_given=False)

    assert "company" in job.user_set
    assert len(job.pending_events()) == 1


def test_nothing_new_records_nothing() -> None:
    job = _pasted(title="Staff Engineer")
    job.update({"title": "Staff Engineer"}, None, raw_text_given=False)
    job.record_keywords({"required": ["Python"], "preferred": [], "skills": ["Python"]})
    assert job.pending_events() == []
    job.record_keywords({"required": ["Rust"], "preferred": [], "skills": ["Rust"]})
    assert isinstance(job.pending_events()[0], JobKeywordsUpdated)


def test_a_job_without_pasted_text_keeps_a_title() -> None:
    job = _pasted()
    with pytest.raises(InvalidInput):
        job.update({"title": None}, None, raw_text_given=True)


def test_someone_elses_or_a_deleted_job_is_not_found_and_a_stale_version_conflicts() -> None:
    job = _pasted()
    with pytest.raises(NotFoundError):
        job.check("grace", None)
    with pytest.raises(StaleVersion):
        job.check("ada", job.version - 1)
    job.delete()
    job.mark_saved()
    with pytest.raises(NotFoundError):
        job.check("ada", None)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        ("interested", ["applied", "interviewing", "offer", "rejected", "closed"]),
        ("applied", ["interviewing", "offer", "rejected", "closed"]),
        ("interviewing", ["offer", "rejected", "closed"]),
        ("offer", ["rejected", "closed"]),
        ("rejected", ["closed"]),
        ("closed", ["rejected"]),
    ],
)
def test_statuses_move_forward_or_end(status: str, allowed: list[str]) -> None:
    assert allowed_next(status) == allowed  # type: ignore[arg-type]


def test_a_saved_entry_refuses_a_step_back_and_a_second_save() -> None:
    entry = SavedJob(saved_job_id("ada", "job-1"))
    entry.save("ada", "job-1", "applied", None)
    with pytest.raises(RuleViolation) as refused:
        entry.change_status("interested")
    assert refused.value.code == "invalid_status_transition"
    with pytest.raises(RuleViolation) as again:
        entry.save("ada", "job-1", "interested", None)
    assert again.value.code == "already_saved"


def test_the_saved_entry_id_is_one_uuid_per_user_and_job() -> None:
    first = saved_job_id("ada", "job-1")
    assert first == saved_job_id("ada", "job-1")
    assert len({first, saved_job_id("grace", "job-1"), saved_job_id("ada", "job-2")}) == 3
    assert len(first) == 36
