"""Job events recorded before ``work_arrangement`` existed and while ``benefits`` was one
string replay in today's shape, and the pair ``remote``/``work_arrangement`` stays in step."""

from __future__ import annotations

from typing import Any

import pytest

from jobwise.domain.errors import InvalidInput
from jobwise.domain.events import DomainEvent, EventMetadata, RecordedEvent, upcast, utc_now
from jobwise.domain.job import (
    Job,
    JobCreated,
    JobParsed,
    JobUpdated,
    settle_arrangement,
    upcast_fields,
)
from jobwise.domain.postings import parse_posting


def _recorded(version: int, kind: str, data: dict[str, Any]) -> RecordedEvent:
    return RecordedEvent(
        position=version,
        stream_id="job-1",
        stream_type="job",
        version=version,
        event_id=f"e{version}",
        type=kind,
        data=data,
        metadata=EventMetadata(user_id="u1"),
        recorded_at=utc_now(),
    )


OLD_HISTORY = [
    _recorded(
        1,
        "JobCreated",
        {"job_id": "job-1", "user_id": "u1", "status": "active", "fields": {"source": "hn"}},
    ),
    _recorded(
        2,
        "JobParsed",
        {
            "method": "rules",
            "fields": {"remote": True, "benefits": "Private health cover\n30 days of holiday"},
            "parsed_keywords": {"required": [], "preferred": [], "skills": []},
        },
    ),
]


def test_an_old_parse_replays_with_a_benefits_list_and_an_arrangement() -> None:
    job = Job.from_history("job-1", OLD_HISTORY)

    assert job.fields["benefits"] == ["Private health cover", "30 days of holiday"]
    assert job.fields["work_arrangement"] == "remote"


def test_the_old_string_is_split_as_the_parser_splits_the_section() -> None:
    posting = "Engineer\nAcme\n\nBenefits:\n- Pension scheme\n- Gym membership\n- Equity\n"
    parsed = parse_posting(posting)
    old_string = "\n".join(parsed.benefits)  # what the parser stored before benefits were a list

    assert upcast_fields({"benefits": old_string})["benefits"] == parsed.benefits
    assert upcast_fields({"benefits": "Meridian offers a pension."})["benefits"] == [
        "Meridian offers a pension."
    ]
    assert upcast_fields({"benefits": None})["benefits"] is None
    assert upcast_fields({"benefits": ""})["benefits"] == []


@pytest.mark.parametrize(
    ("fields", "arrangement"),
    [({"remote": True}, "remote"), ({"remote": False}, None), ({"title": "x"}, "absent")],
)
def test_a_missing_arrangement_is_derived_from_remote(
    fields: dict[str, Any], arrangement: str | None
) -> None:
    updated = DomainEvent.from_recorded(_recorded(3, "JobUpdated", {"changes": fields}))
    assert isinstance(updated, JobUpdated)
    upcast = updated.changes
    assert upcast.get("work_arrangement", "absent") == arrangement


def test_todays_events_are_left_as_they_are() -> None:
    fields = {"remote": False, "work_arrangement": "hybrid", "benefits": ["Gym"]}
    event = JobParsed(method="rules", fields=fields, parsed_keywords={})
    again = DomainEvent.from_recorded(_recorded(2, "JobParsed", event.model_dump(mode="json")))

    assert isinstance(again, JobParsed)
    assert again.fields == fields


def test_created_fields_are_upcast_and_stay_the_users() -> None:
    old = {
        "job_id": "j",
        "user_id": "u",
        "status": "active",
        "fields": {"remote": True, "benefits": "Gym"},
    }
    created = DomainEvent.from_recorded(_recorded(1, "JobCreated", old))
    assert isinstance(created, JobCreated)
    job = Job.from_history("j", [_recorded(1, "JobCreated", old)])

    assert created.fields == {"remote": True, "benefits": ["Gym"], "work_arrangement": "remote"}
    assert {"remote", "work_arrangement"} <= job.user_set


HYBRID, REMOTE = {"work_arrangement": "hybrid"}, {"work_arrangement": "remote"}
SETTLED = [
    ({"work_arrangement": "hybrid"}, {}, {"work_arrangement": "hybrid", "remote": False}),
    ({"work_arrangement": "remote"}, {}, {"work_arrangement": "remote", "remote": True}),
    ({"work_arrangement": None}, {}, {"work_arrangement": None, "remote": False}),
    ({"remote": True}, HYBRID, {"remote": True, "work_arrangement": "remote"}),
    ({"remote": False}, HYBRID, {"remote": False, "work_arrangement": "hybrid"}),
    ({"remote": False}, REMOTE, {"remote": False, "work_arrangement": None}),
    ({"remote": True, "work_arrangement": None}, {}, {"remote": True, **REMOTE}),
    ({"title": "x"}, {}, {"title": "x"}),
]


@pytest.mark.parametrize(("changes", "current", "settled"), SETTLED)
def test_one_of_the_pair_settles_the_other(
    changes: dict[str, Any], current: dict[str, Any], settled: dict[str, Any]
) -> None:
    assert settle_arrangement(changes, current) == settled


@pytest.mark.parametrize(
    "changes",
    [
        {"remote": True, "work_arrangement": "hybrid"},
        {"remote": False, "work_arrangement": "remote"},
    ],
)
def test_a_contradiction_is_refused(changes: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        settle_arrangement(changes, {})


def test_a_parse_never_splits_a_pair_the_user_set() -> None:
    job = Job.create("j", "u", "active", {"title": "SRE", "remote": True}, raw_text="x")
    job.record_parse(
        "rules",
        {"remote": False, "work_arrangement": "hybrid", "company": "Acme"},
        {},
        [],
    )
    assert (job.fields["remote"], job.fields["work_arrangement"]) == (True, "remote")
    assert job.fields["company"] == "Acme"


# -- the upcasters, one by one: version 1 payloads in today's shape (version 2) ----------


OLD_FIELDS = {"remote": True, "benefits": "Gym\nPension"}
TODAYS_FIELDS = {"remote": True, "benefits": ["Gym", "Pension"], "work_arrangement": "remote"}


def test_job_created_is_upcast_from_version_1() -> None:
    old = {"job_id": "j", "user_id": "u", "status": "active", "fields": dict(OLD_FIELDS)}

    assert upcast("JobCreated", 1, JobCreated.schema_version, old) == {
        **old,
        "fields": TODAYS_FIELDS,
    }
    assert old["fields"] == OLD_FIELDS


def test_job_parsed_is_upcast_from_version_1() -> None:
    old = {"method": "rules", "fields": dict(OLD_FIELDS), "parsed_keywords": {}}

    assert upcast("JobParsed", 1, JobParsed.schema_version, old)["fields"] == TODAYS_FIELDS


def test_job_updated_is_upcast_from_version_1() -> None:
    old = {"changes": dict(OLD_FIELDS), "raw_text": None}

    assert upcast("JobUpdated", 1, JobUpdated.schema_version, old)["changes"] == TODAYS_FIELDS


def test_a_version_2_event_is_read_as_stored() -> None:
    stored = {"changes": {"remote": False}, "raw_text": None, "raw_text_changed": False}
    recorded = _recorded(3, "JobUpdated", stored).model_copy(
        update={"metadata": EventMetadata(user_id="u1", schema_version=2)}
    )

    updated = DomainEvent.from_recorded(recorded)
    assert isinstance(updated, JobUpdated)
    assert updated.changes == {"remote": False}
