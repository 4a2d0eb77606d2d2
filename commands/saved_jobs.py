"""Saved-job commands: save a job to the board, move it along, remove it."""

from __future__ import annotations

from dataclasses import dataclass

from commands.jobs import load_job
from commands.saving import ReadYourWrites, last_writer_wins, metadata_for, save
from jobwise.domain.saved_job import SavedJob, SavedJobStatus, saved_job_id
from jobwise.errors import Conflict, NotFound
from jobwise.eventstore import ConcurrencyError, EventStore
from jobwise.messagebus import Handler


@dataclass(frozen=True)
class SaveJob:
    user_id: str
    job_id: str
    status: SavedJobStatus = "interested"
    notes: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class ChangeSavedJob:
    user_id: str
    saved_job_id: str
    status: SavedJobStatus | None = None
    notes: str | None = None
    notes_given: bool = False
    expected_version: int | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class RemoveSavedJob:
    user_id: str
    saved_job_id: str
    expected_version: int | None = None
    request_id: str | None = None


async def save_job(command: SaveJob, store: EventStore, read_your_writes: ReadYourWrites) -> str:
    await load_job(store, command.job_id, command.user_id)
    entry_id = saved_job_id(command.user_id, command.job_id)
    entry = SavedJob.from_history(entry_id, await store.read_stream(entry_id))
    entry.save(command.user_id, command.job_id, command.status, command.notes)
    metadata = metadata_for(command.user_id, command.request_id)
    try:
        await save(entry, store, read_your_writes, metadata)
    except ConcurrencyError:
        # Another request saved the same job first: the same answer as a later save.
        raise Conflict(
            "You have already saved this job.",
            code="already_saved",
            details={"job_id": command.job_id, "saved_job_id": entry_id},
        ) from None
    return entry_id


async def change_saved_job(
    command: ChangeSavedJob, store: EventStore, read_your_writes: ReadYourWrites
) -> str:
    async def attempt() -> str:
        entry = await _load(store, command.user_id, command.saved_job_id, command.expected_version)
        if command.status is not None:
            entry.change_status(command.status)
        if command.notes_given:
            entry.change_notes(command.notes)
        metadata = metadata_for(command.user_id, command.request_id)
        await save(entry, store, read_your_writes, metadata)
        return entry.id

    return await last_writer_wins(attempt, command.expected_version)


async def remove_saved_job(
    command: RemoveSavedJob, store: EventStore, read_your_writes: ReadYourWrites
) -> str:
    async def attempt() -> str:
        entry = await _load(store, command.user_id, command.saved_job_id, command.expected_version)
        entry.remove()
        metadata = metadata_for(command.user_id, command.request_id)
        await save(entry, store, read_your_writes, metadata)
        return entry.id

    return await last_writer_wins(attempt, command.expected_version)


async def _load(
    store: EventStore, user_id: str, entry_id: str, expected_version: int | None
) -> SavedJob:
    entry = SavedJob.from_history(entry_id, await store.read_stream(entry_id))
    entry.check(user_id, None)
    try:
        await load_job(store, entry.job_id, user_id)
    except NotFound:
        # A deleted job takes its board entry with it: the entry is gone for good.
        raise NotFound("Saved job not found.", details={"saved_job_id": entry_id}) from None
    entry.check(user_id, expected_version)
    return entry


HANDLERS: dict[type, Handler] = {
    SaveJob: save_job,
    ChangeSavedJob: change_saved_job,
    RemoveSavedJob: remove_saved_job,
}
