"""What a generation is written from, read from the event history (the truth, not a view).

The profile is replayed at the exact version the generation was requested with, and the
job as it stands now, so a run (or a rerun after a crash) never waits on read models
and never sees a half-applied one.
"""

from __future__ import annotations

from datetime import date

from jobwise.adapters.eventstore import EventStore
from jobwise.application.queries.profiles import profile_at_version
from jobwise.domain.job import Job
from jobwise.domain.profile_summary import ProfileSummary, summarize
from jobwise.domain.writing import JobInput


async def job_input(store: EventStore, user_id: str, job_id: str) -> JobInput | None:
    """The caller's job as the first stage reads it; None if it is gone or not theirs."""
    job = Job.from_history(job_id, await store.read_stream(job_id))
    if not job.exists or job.user_id != user_id:
        return None
    return JobInput.model_validate(
        {
            **job.fields,
            "id": job.id,
            "raw_text": job.raw_text,
            "parsed_keywords": job.keywords,
        }
    )


async def profile_summary(
    store: EventStore, user_id: str, profile_id: str, version: int, today: date
) -> ProfileSummary | None:
    """The compact profile at ``version``, as of ``today``; None if it never had it."""
    document = await profile_at_version(store, user_id, profile_id, version)
    if document is None:
        return None
    summary = summarize(document, today=today)
    return summary.model_copy(update={"profile_id": profile_id, "profile_version": version})
