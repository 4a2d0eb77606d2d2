"""Saved-job commands: save a job to the board, move it along, remove it."""

from __future__ import annotations

from dataclasses import dataclass

from jobwise.adapters.eventstore import ConcurrencyError
from jobwise.application.commands.jobs import load_job
from jobwise.application.messagebus import Handler
from jobwise.application.repository import Repository, metadata_for
from jobwise.domain.errors import NotFoundError, RuleViolation, not_found
from jobwise.domain.saved_job import SavedJob, SavedJobStatus, saved_job_id


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


async def save_job(command: SaveJob, repository: Repository) -> str:
    await load_job(repository, command.job_id, command.user_id)
    entry_id = saved_job_id(command.user_id, command.job_id)
    entry = await repository.load(SavedJob, entry_id)
    entry.save(command.user_id, command.job_id, command.status, command.notes)
    try:
        await repository.save(entry, metadata_for(command.user_id, command.request_id))
    except ConcurrencyError:
        # Another request saved the same job first: the same answer as a later save.
        raise RuleViolation(
            "You have already saved this job.",
            code="already_saved",
            details={"job_id": command.job_id, "saved_job_id": entry_id},
        ) from None
    return entry_id


async def change_saved_job(command: ChangeSavedJob, repository: Repository) -> str:
    await _check_job_kept(repository, command.user_id, command.saved_job_id)

    def change(entry: SavedJob) -> str:
        entry.check(command.user_id, command.expected_version)
        if command.status is not None:
            entry.change_status(command.status)
        if command.notes_given:
            entry.change_notes(command.notes)
        return entry.id

    return await repository.change(
        SavedJob,
        command.saved_job_id,
        change,
        metadata_for(command.user_id, command.request_id),
        expected_version=command.expected_version,
    )


async def remove_saved_job(command: RemoveSavedJob, repository: Repository) -> str:
    await _check_job_kept(repository, command.user_id, command.saved_job_id)

    def change(entry: SavedJob) -> str:
        entry.check(command.user_id, command.expected_version)
        entry.remove()
        return entry.id

    return await repository.change(
        SavedJob,
        command.saved_job_id,
        change,
        metadata_for(command.user_id, command.request_id),
        expected_version=command.expected_version,
    )


async def _check_job_kept(repository: Repository, user_id: str, entry_id: str) -> None:
    """The caller's entry, whose job still exists: a deleted job takes its entry with it."""
    entry = await repository.load(SavedJob, entry_id)
    entry.check(user_id, None)
    try:
        await load_job(repository, entry.job_id, user_id)
    except NotFoundError:
        raise not_found("Saved job", "saved_job_id", entry_id) from None


HANDLERS: dict[type, Handler] = {
    SaveJob: save_job,
    ChangeSavedJob: change_saved_job,
    RemoveSavedJob: remove_saved_job,
}
