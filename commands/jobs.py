"""Job commands: create (typed or pasted), update, delete.

Pasted text is read by the ``PostingReader`` before anything is recorded, so
the stored ``JobParsed`` event holds the parse itself: replaying the history
gives the same job even after the parser improves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from commands.saving import ReadYourWrites, last_writer_wins, metadata_for, save
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
    async def attempt() -> str:
        job = await load_job(store, command.job_id, command.user_id, command.expected_version)
        reread = job.update(command.changes, command.raw_text, command.raw_text_given)
        if reread == "parse":
            await _parse(job, posting_reader, command.parse_with_llm)
        elif reread == "keywords":
            job.record_keywords(posting_reader.keywords_for(job.fields, job.raw_text))
        if command.status is not None:
            job.change_status(command.status)
        await save(job, store, read_your_writes, metadata_for(command.user_id, command.request_id))
        return job.id

    return await last_writer_wins(attempt, command.expected_version)


async def delete_job(
    command: DeleteJob, store: EventStore, read_your_writes: ReadYourWrites
) -> str:
    async def attempt() -> str:
        job = await load_job(store, command.job_id, command.user_id, command.expected_version)
        job.delete()
        await save(job, store, read_your_writes, metadata_for(command.user_id, command.request_id))
        return job.id

    return await last_writer_wins(attempt, command.expected_version)


async def load_job(
    store: EventStore, job_id: str, user_id: str, expected_version: int | None = None
) -> Job:
    job = Job.from_history(job_id, await store.read_stream(job_id))
    job.check(user_id, expected_version)
    return job


async def _parse(job: Job, reader: PostingReader, use_llm: bool) -> None:
    if job.raw_text is None:
        job.record_parse("fields", {}, reader.keywords_for(job.fields), [])
        return
    reading = await reader.read_text(job.raw_text, user_id=job.user_id, use_llm=use_llm)
    job.record_parse(
        reading.method, reading.fields, reading.parsed_keywords, reading.unresolved, reading.llm
    )
    if job.sections_typed:
        # The parser read its own sections; the user's edited ones are what counts.
        job.record_keywords(reader.keywords_for(job.fields, job.raw_text))


HANDLERS: dict[type, Handler] = {
    CreateJob: create_job,
    UpdateJob: update_job,
    DeleteJob: delete_job,
}
