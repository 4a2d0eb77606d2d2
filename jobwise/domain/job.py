"""A job posting the user saved to tailor documents for.

The user gives fields, pasted text, or both. What the user typed always wins:
the parser only fills fields the user left out, and a later re-parse (new
pasted text) never overwrites a field the user set by hand. ``JobParsed``
records exactly what the parser contributed, so the history shows where each
value came from.
"""

from __future__ import annotations

from typing import Any, Literal

from jobwise.domain.aggregate import Aggregate, check_access
from jobwise.domain.errors import FieldProblem, InvalidInput
from jobwise.domain.events import DomainEvent, upcaster
from jobwise.domain.postings.items import is_hard_wrapped, items_of

STREAM_TYPE = "job"
JobStatus = Literal["active", "draft", "archived", "expired"]
JOB_STATUSES: tuple[JobStatus, ...] = ("active", "draft", "archived", "expired")
EDITABLE_FIELDS = (
    "source",
    "title",
    "company",
    "location",
    "description",
    "requirements",
    "nice_to_have",
    "responsibilities",
    "benefits",
    "salary_range",
    "remote",
    "work_arrangement",
    "employment_type",
    "date_posted",
    "application_deadline",
)
"""Fields a user may set; ``raw_text`` and ``status`` have their own events."""
KEYWORD_SOURCES = ("title", "description", "requirements", "nice_to_have", "responsibilities")
"""The fields a job's keywords are read from (with the pasted text, if any)."""
Reread = Literal["parse", "keywords"] | None
WorkArrangement = Literal["onsite", "hybrid", "remote"]
WORK_ARRANGEMENTS: tuple[WorkArrangement, ...] = ("onsite", "hybrid", "remote")


def benefits_list(value: object) -> object:
    """Benefits as a list. Events recorded before benefits were a list hold one string (the
    section's items, one a line, or a sentence): it is split as the parser splits a section."""
    if not isinstance(value, str):
        return value
    lines = value.split("\n")
    return items_of(lines, hard_wrapped=is_hard_wrapped(lines)) if value.strip() else []


def upcast_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Job fields as version 1 events (recorded before ``work_arrangement``) hold them, in
    today's shape:
    ``benefits`` a list, and an arrangement derived from ``remote`` when only that is there
    (remote is "remote"; not remote is an arrangement the old event did not say)."""
    upcast = dict(fields)
    if "benefits" in upcast:
        upcast["benefits"] = benefits_list(upcast["benefits"])
    if "remote" in upcast and "work_arrangement" not in upcast:
        upcast["work_arrangement"] = "remote" if upcast["remote"] else None
    return upcast


def settle_arrangement(changes: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """Keep ``remote`` and ``work_arrangement`` in step: remote is work_arrangement == "remote".

    Given one, the other follows: ``work_arrangement`` sets ``remote``; ``remote: true`` sets
    the arrangement "remote", ``remote: false`` clears a "remote" arrangement and keeps a
    hybrid or on-site one. Given both in contradiction (``remote: true`` with "hybrid"), the
    change is refused: guessing which one the user meant would store a wrong value.
    """
    if "remote" not in changes and "work_arrangement" not in changes:
        return changes
    settled = dict(changes)
    arrangement = settled.get("work_arrangement")
    if "work_arrangement" in settled and "remote" in settled:
        if arrangement is not None and settled["remote"] != (arrangement == "remote"):
            raise InvalidInput(
                "remote and work_arrangement disagree.",
                [
                    FieldProblem(
                        "work_arrangement",
                        f"remote is {str(settled['remote']).lower()} but work_arrangement"
                        f" is {arrangement}; send one of them, or both in agreement",
                    )
                ],
            )
        if arrangement is None and settled["remote"]:
            settled["work_arrangement"] = "remote"
    elif "work_arrangement" in settled:
        settled["remote"] = arrangement == "remote"
    elif settled["remote"]:
        settled["work_arrangement"] = "remote"
    else:
        kept = current.get("work_arrangement")
        settled["work_arrangement"] = None if kept == "remote" else kept
    return settled


class JobCreated(DomainEvent, topic="JobCreated", version=2):
    """2: ``fields`` in today's job shape (``upcast_fields``)."""

    job_id: str
    user_id: str
    status: JobStatus
    raw_text: str | None = None
    fields: dict[str, Any]
    """What the user gave, as given (JSON)."""


class JobParsed(DomainEvent, topic="JobParsed", version=2):
    """2: ``fields`` in today's job shape (``upcast_fields``)."""

    method: Literal["rules", "llm", "fields"]
    """``rules``: the deterministic parser read ``raw_text``; ``llm``: a language model
    helped; ``fields``: no pasted text, keywords read from the structured fields."""
    fields: dict[str, Any]
    """Only the fields the parser filled in (never one the user set)."""
    parsed_keywords: dict[str, list[str]]
    unresolved: list[str] = []
    llm: str | None = None
    """What became of a requested LLM pass: used, not_needed, not_configured,
    rate_limited or failed (None when none was asked for)."""


class JobKeywordsUpdated(DomainEvent, topic="JobKeywordsUpdated"):
    """The skills were read again, from sections the user edited by hand."""

    parsed_keywords: dict[str, list[str]]


class JobUpdated(DomainEvent, topic="JobUpdated", version=2):
    """2: ``changes`` in today's job shape (``upcast_fields``)."""

    changes: dict[str, Any]
    raw_text: str | None = None
    raw_text_changed: bool = False


class JobStatusChanged(DomainEvent, topic="JobStatusChanged"):
    status: JobStatus
    previous_status: JobStatus


class JobDeleted(DomainEvent, topic="JobDeleted"):
    user_id: str


# Version 1 of these events may hold ``benefits`` as one string and no ``work_arrangement``;
# the same function also serves events written since, stored without a version (it leaves
# today's shape as it is).
@upcaster("JobCreated", from_version=1)
def _job_created_v2(data: dict[str, Any]) -> dict[str, Any]:
    return _with_fields_upcast(data, "fields")


@upcaster("JobParsed", from_version=1)
def _job_parsed_v2(data: dict[str, Any]) -> dict[str, Any]:
    return _with_fields_upcast(data, "fields")


@upcaster("JobUpdated", from_version=1)
def _job_updated_v2(data: dict[str, Any]) -> dict[str, Any]:
    return _with_fields_upcast(data, "changes")


def _with_fields_upcast(data: dict[str, Any], key: str) -> dict[str, Any]:
    if isinstance(data.get(key), dict):
        return {**data, key: upcast_fields(data[key])}
    return data


class Job(Aggregate):
    stream_type = STREAM_TYPE
    id_field = "job_id"
    events = (JobCreated, JobParsed, JobKeywordsUpdated, JobUpdated, JobStatusChanged, JobDeleted)

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self.user_id = ""
        self.status: JobStatus = "active"
        self.deleted = False
        self.raw_text: str | None = None
        self.fields: dict[str, Any] = {}
        self.user_set: set[str] = set()
        """Fields the user gave by hand; a parse never overwrites them."""
        self.keywords: dict[str, list[str]] = {}

    @property
    def exists(self) -> bool:
        return self.version > 0 and not self.deleted

    # -- commands ----------------------------------------------------------------

    @classmethod
    def create(
        cls,
        job_id: str,
        user_id: str,
        status: JobStatus,
        fields: dict[str, Any],
        raw_text: str | None,
    ) -> Job:
        job = cls(job_id)
        fields = settle_arrangement(fields, {})
        job.record(
            JobCreated(
                job_id=job_id, user_id=user_id, status=status, raw_text=raw_text, fields=fields
            )
        )
        return job

    def check(self, user_id: str, expected_version: int | None) -> None:
        """Refuse another user's job as not found, and a stale ``If-Match``."""
        check_access(
            "Job",
            "job_id",
            self.id,
            visible=self.exists and self.user_id == user_id,
            expected=expected_version,
            current=self.version,
        )

    def record_parse(
        self,
        method: Literal["rules", "llm", "fields"],
        parsed: dict[str, Any],
        parsed_keywords: dict[str, list[str]],
        unresolved: list[str],
        llm: str | None = None,
    ) -> None:
        # Every field the parser owns is recorded, empty ones too, so a re-parse of new
        # text also clears what the old text said and the new one does not. ``remote`` and
        # ``work_arrangement`` are one fact: a user who set either owns both.
        owned = set(self.user_set)
        if owned & {"remote", "work_arrangement"}:
            owned |= {"remote", "work_arrangement"}
        filled = {name: value for name, value in parsed.items() if name not in owned}
        self.record(
            JobParsed(
                method=method,
                fields=filled,
                parsed_keywords=parsed_keywords,
                unresolved=unresolved,
                llm=llm,
            )
        )

    def update(self, changes: dict[str, Any], raw_text: str | None, raw_text_given: bool) -> Reread:
        """Record the fields that really change, and say what must be read again:
        ``"parse"`` for new pasted text, ``"keywords"`` for edited sections."""
        new_raw = raw_text if raw_text_given else self.raw_text
        changes = settle_arrangement(changes, self.fields)
        if new_raw is None and not changes.get("title", self.fields.get("title")):
            raise InvalidInput(
                "A job without pasted text needs a title.",
                [FieldProblem("title", "give a title or raw_text")],
            )
        changed = {k: v for k, v in changes.items() if self.fields.get(k) != v}
        raw_changed = new_raw != self.raw_text
        # A parser-filled value the user now sends unchanged still becomes theirs.
        if changed or raw_changed or not changes.keys() <= self.user_set:
            self.record(
                JobUpdated(
                    changes=changes,
                    raw_text=raw_text if raw_changed else None,
                    raw_text_changed=raw_changed,
                )
            )
        if raw_changed:
            return "parse"
        return "keywords" if changed.keys() & set(KEYWORD_SOURCES) else None

    def record_keywords(self, keywords: dict[str, list[str]]) -> None:
        if keywords != self.keywords:
            self.record(JobKeywordsUpdated(parsed_keywords=keywords))

    @property
    def sections_typed(self) -> bool:
        """Whether the user wrote any section the keywords are read from."""
        return bool(self.user_set & set(KEYWORD_SOURCES))

    def change_status(self, status: JobStatus) -> None:
        if status != self.status:
            self.record(JobStatusChanged(status=status, previous_status=self.status))

    def delete(self) -> None:
        self.record(JobDeleted(user_id=self.user_id))

    # -- state -------------------------------------------------------------------

    def when_JobCreated(self, event: JobCreated) -> None:
        self.user_id = event.user_id
        self.status = event.status
        self.raw_text = event.raw_text
        self.fields = dict(event.fields)
        self.user_set = set(event.fields)

    def when_JobParsed(self, event: JobParsed) -> None:
        self.fields.update(event.fields)
        self.keywords = event.parsed_keywords

    def when_JobKeywordsUpdated(self, event: JobKeywordsUpdated) -> None:
        self.keywords = event.parsed_keywords

    def when_JobUpdated(self, event: JobUpdated) -> None:
        self.fields.update(event.changes)
        self.user_set |= set(event.changes)
        if event.raw_text_changed:
            self.raw_text = event.raw_text

    def when_JobStatusChanged(self, event: JobStatusChanged) -> None:
        self.status = event.status

    def when_JobDeleted(self, event: JobDeleted) -> None:
        self.deleted = True
