"""Job commands: create (typed or pasted), update, delete.

Pasted text is read by the ``PostingReader`` before anything is recorded, so
the stored ``JobParsed`` event holds the parse itself: replaying the history
gives the same job even after the parser improves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commands.saving import ReadYourWrites, metadata_for, save
from jobwise.domain.events import new_id
from jobwise.domain.job import Job, JobStatus
from jobwise.eventstore import EventStore
from jobwise.messagebus import Handler
from jobwise.postings.reading import PostingReader


@dataclass(frozen=True)
class CreateJob:
    user_id: str
    fields: dict[str, Any]
    """What the user typed (``source`` among them), JSON-ready."""
    raw_text: str | None = None
    status: JobStatus = "active"
    parse_with_llm: bool = False
    request_id: str | None = None


@dataclass(frozen=True)
class UpdateJob:
    user_id: str
    job_id: str
    changes: dict[str, Any] = field(default_factory=dict)
    raw_text: str | None = None
    raw_text_given: bool = False
    status: JobStatus | None = None
    parse_with_llm: bool = False
    expected_version: int | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class DeleteJob:
    user_id: str
    job_id: str
    expected_version: int | None = None
    request_id: str | None = None


async def create_job(
    command: CreateJob,
    store: EventStore,
    read_your_writes: ReadYourWrites,
    posting_reader: PostingReader,
) -> str:
    job = Job.create(new_id(), command.user_id, command.status, command.fields, command.raw_text)
    await _parse(job, posting_reader, command.parse_with_llm)
    await save(job, store, read_your_writes, metadata_for(command.user_id, command.request_id))
    return job.id


async def update_job(
    command: UpdateJob,
    store: EventStore,
    read_your_writes: ReadYourWrites,
    posting_reader: PostingReader,
) -> str:
    job = await load_job(store, command.job_id, command.user_id, command.expected_version)
    if job.update(command.changes, command.raw_text, command.raw_text_given):
        await _parse(job, posting_reader, command.parse_with_llm)
    if command.status is not None:
        job.change_status(command.status)
    await save(job, store, read_your_writes, metadata_for(command.user_id, command.request_id))
    return job.id


async def delete_job(
    command: DeleteJob, store: EventStore, read_your_writes: ReadYourWrites
) -> str:
    job = await load_job(store, command.job_id, command.user_id, command.expected_version)
    job.delete()
    await save(job, store, read_your_writes, metadata_for(command.user_id, command.request_id))
    return job.id


async def load_job(
    store: EventStore, job_id: str, user_id: str, expected_version: int | None = None
) -> Job:
    job = Job.from_history(job_id, await store.read_stream(job_id))
    job.check(user_id, expected_version)
    return job


async def _parse(job: Job, reader: PostingReader, use_llm: bool) -> None:
    if job.raw_text is not None:
        reading = await reader.read_text(job.raw_text, user_id=job.user_id, use_llm=use_llm)
    else:
        reading = reader.read_fields(job.fields)
    job.record_parse(
        reading.method, reading.fields, reading.parsed_keywords, reading.unresolved, reading.llm
    )


HANDLERS: dict[type, Handler] = {
    CreateJob: create_job,
    UpdateJob: update_job,
    DeleteJob: delete_job,
}
