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
from jobwise.domain.events import DomainEvent
from jobwise.errors import ValidationFailed

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
    "employment_type",
    "date_posted",
    "application_deadline",
)
"""Fields a user may set; ``raw_text`` and ``status`` have their own events."""
KEYWORD_SOURCES = ("title", "description", "requirements", "nice_to_have", "responsibilities")
"""The fields a job's keywords are read from (with the pasted text, if any)."""
Reread = Literal["parse", "keywords"] | None


class JobCreated(DomainEvent):
    job_id: str
    user_id: str
    status: JobStatus
    raw_text: str | None = None
    fields: dict[str, Any]
    """What the user gave, as given (JSON)."""


class JobParsed(DomainEvent):
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


class JobKeywordsUpdated(DomainEvent):
    """The skills were read again, from sections the user edited by hand."""

    parsed_keywords: dict[str, list[str]]


class JobUpdated(DomainEvent):
    changes: dict[str, Any]
    raw_text: str | None = None
    raw_text_changed: bool = False


class JobStatusChanged(DomainEvent):
    status: JobStatus
    previous_status: JobStatus


class JobDeleted(DomainEvent):
    user_id: str


class Job(Aggregate):
    stream_type = STREAM_TYPE

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
        # text also clears what the old text said and the new one does not.
        filled = {name: value for name, value in parsed.items() if name not in self.user_set}
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
        if new_raw is None and not changes.get("title", self.fields.get("title")):
            raise ValidationFailed(
                "A job without pasted text needs a title.",
                details={"fields": [_field_error("title", "give a title or raw_text")]},
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


def _field_error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message, "type": "value_error", "location": "body"}
