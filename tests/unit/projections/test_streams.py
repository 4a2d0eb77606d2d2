"""The streams read model: each stream's owner and type, from its first event, once."""

from __future__ import annotations

from jobwise.application.commands.jobs import DeleteJob, UpdateJob
from jobwise.application.commands.profiles import ChangeProfile
from jobwise.projections.streams import STREAMS, StreamsProjection
from tests.support.projections import assert_rebuilds_alike, following, project
from tests.unit.commands.conftest import Fast
from tests.unit.projections.scenario import ADA, GRACE, new_job, new_profile, register


async def test_a_stream_is_recorded_from_its_first_event(fast: Fast) -> None:
    job = await new_job(fast, ADA)
    first = (await fast.store.read_stream(job))[0]

    streams = (await project(StreamsProjection(), fast.store)).view(STREAMS)

    assert streams[job] == {
        "_id": job,
        "stream_type": "job",
        "user_id": ADA,
        "first_position": first.position,
        "created_at": first.recorded_at,
    }


async def test_each_stream_has_its_owner_and_type(fast: Fast) -> None:
    issued = await register(fast)
    profile, job = await new_profile(fast, GRACE), await new_job(fast, ADA)

    streams = (await project(StreamsProjection(), fast.store)).view(STREAMS)

    owned = {doc_id: (d["stream_type"], d["user_id"]) for doc_id, d in streams.items()}
    assert owned[issued.user_id] == ("user", issued.user_id)
    assert owned[profile] == ("profile", GRACE)
    assert owned[job] == ("job", ADA)
    # The email's reservation is a stream too, and belongs to who claimed it.
    reservations = [v for v in owned.values() if v[0] == "email_reservation"]
    assert reservations == [("email_reservation", issued.user_id)]


async def test_later_events_and_a_delete_leave_the_record_as_it_was(fast: Fast) -> None:
    job, profile = await new_job(fast, ADA), await new_profile(fast, ADA)
    runner = await project(StreamsProjection(), fast.store)
    before = runner.view(STREAMS)

    await fast.handle(UpdateJob(ADA, job, changes={"title": "Lead"}))
    await fast.handle(ChangeProfile(ADA, profile, {"professional_summary": "New."}))
    await fast.handle(DeleteJob(ADA, job))
    later = await fast.store.read_all(runner.position, 100)
    await runner.catch_up(fast.store)

    assert runner.view(STREAMS) == before
    assert later and not any(StreamsProjection().wants(event) for event in later)


async def test_a_rebuild_gives_the_same_records(fast: Fast) -> None:
    async with following(StreamsProjection(), fast.store) as live:
        await register(fast)
        for user in (ADA, GRACE):
            job = await new_job(fast, user)
            await new_profile(fast, user)
            await fast.handle(DeleteJob(user, job))
    await assert_rebuilds_alike(live, fast.store)
