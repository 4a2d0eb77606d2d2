"""Job commands: create (typed or pasted), update, delete.

Pasted text is read by the ``PostingReader`` before anything is recorded, so
the stored ``JobParsed`` event holds the parse itself: replaying the history
gives the same job even after the parser improves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jobwise.adapters.offloop import OffLoop
from jobwise.application.messagebus import Handler
from jobwise.application.posting_reader import PostingReader, PostingReading
from jobwise.application.repository import Repository, metadata_for
from jobwise.domain.events import new_id
from jobwise.domain.job import Job, JobStatus


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
    command: CreateJob, repository: Repository, posting_reader: PostingReader, offloop: OffLoop
) -> str:
    job = Job.create(new_id(), command.user_id, command.status, command.fields, command.raw_text)
    reading = None
    if command.raw_text is not None:
        reading = await posting_reader.read_text(
            command.raw_text, user_id=command.user_id, use_llm=command.parse_with_llm
        )
    # Keywords from 50,000 pasted characters are a few hundred ms of CPU: off the loop.
    await offloop.run_here(record_reading, job, posting_reader, reading)
    await repository.save(job, metadata_for(command.user_id, command.request_id))
    return job.id


async def update_job(
    command: UpdateJob, repository: Repository, posting_reader: PostingReader, offloop: OffLoop
) -> str:
    # New pasted text is read before the job's turn to change (parsing takes a while and
    # may ask an LLM), so writers of the job never wait on it.
    reading = None
    if command.raw_text_given and command.raw_text is not None:
        reading = await posting_reader.read_text(
            command.raw_text, user_id=command.user_id, use_llm=command.parse_with_llm
        )

    def change(job: Job) -> str:
        job.check(command.user_id, command.expected_version)
        reread = job.update(command.changes, command.raw_text, command.raw_text_given)
        if reread == "parse":
            record_reading(job, posting_reader, reading)
        elif reread == "keywords":
            job.record_keywords(posting_reader.keywords_for(job.fields, job.raw_text))
        if command.status is not None:
            job.change_status(command.status)
        return job.id

    async def change_off_loop(job: Job) -> str:
        return await offloop.run_here(change, job)  # it may read keywords from the paste

    return await repository.change_awaiting(
        Job,
        command.job_id,
        change_off_loop,
        metadata_for(command.user_id, command.request_id),
        expected_version=command.expected_version,
    )


async def delete_job(command: DeleteJob, repository: Repository) -> str:
    def change(job: Job) -> str:
        job.check(command.user_id, command.expected_version)
        job.delete()
        return job.id

    return await repository.change(
        Job,
        command.job_id,
        change,
        metadata_for(command.user_id, command.request_id),
        expected_version=command.expected_version,
    )


async def load_job(
    repository: Repository, job_id: str, user_id: str, expected_version: int | None = None
) -> Job:
    job = await repository.load(Job, job_id)
    job.check(user_id, expected_version)
    return job


def record_reading(job: Job, reader: PostingReader, reading: PostingReading | None) -> None:
    """Record what the posting reader found (or, with no paste, the typed fields' keywords)."""
    if reading is None:
        job.record_parse("fields", {}, reader.keywords_for(job.fields), [])
        return
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
