"""The in-memory job search cache: fresh while the user's stamp stands, bounded in size."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from jobwise.application.queries.job_search import JobSearchCache
from jobwise.projections.jobs import JOB_SEARCH, JOB_SEARCH_STAMPS

Mongo = tuple[Any, AsyncDatabase[Any]]


async def _store(database: AsyncDatabase[Any], user: str, text: str, stamp: int) -> None:
    entry = {
        "_id": f"{user}-job",
        "user_id": user,
        "status": "active",
        "source": "x",
        "remote": False,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
        "text": text,
        "skills": ["python"],
    }
    await database[JOB_SEARCH].replace_one({"_id": entry["_id"]}, entry, upsert=True)
    stamps = database[JOB_SEARCH_STAMPS]
    await stamps.replace_one({"_id": user}, {"_id": user, "position": stamp}, upsert=True)


async def test_entries_are_reused_until_the_stamp_moves(mongo: Mongo) -> None:
    _, database = mongo
    cache = JobSearchCache()
    await _store(database, "ada", "first words", stamp=5)
    assert [e.text for e in await cache.entries(database, "ada")] == ["first words"]

    # Changed without a new stamp (never done by the projection): proves the cache is used.
    await database[JOB_SEARCH].update_one({"_id": "ada-job"}, {"$set": {"text": "sneaky"}})
    assert [e.text for e in await cache.entries(database, "ada")] == ["first words"]

    await _store(database, "ada", "second words", stamp=9)
    entries = await cache.entries(database, "ada")
    assert [e.text for e in entries] == ["second words"]
    assert entries[0].skills == frozenset({"python"})


async def test_a_user_without_jobs_has_no_entries(mongo: Mongo) -> None:
    _, database = mongo
    assert await JobSearchCache().entries(database, "nobody") == ()


async def test_least_recently_used_users_are_dropped_past_the_budget(mongo: Mongo) -> None:
    _, database = mongo
    cache = JobSearchCache(budget_bytes=1_000)
    await _store(database, "ada", "a" * 300, stamp=1)
    await _store(database, "bob", "b" * 300, stamp=2)
    await cache.entries(database, "ada")
    await cache.entries(database, "bob")  # ada (least recent) no longer fits

    await database[JOB_SEARCH].update_one({"_id": "ada-job"}, {"$set": {"text": "reloaded"}})
    await database[JOB_SEARCH].update_one({"_id": "bob-job"}, {"$set": {"text": "reloaded"}})

    assert [e.text for e in await cache.entries(database, "ada")] == ["reloaded"]
    assert [e.text for e in await cache.entries(database, "bob")] == ["reloaded"]


async def test_a_user_larger_than_the_budget_is_never_kept(mongo: Mongo) -> None:
    _, database = mongo
    cache = JobSearchCache(budget_bytes=100)
    await _store(database, "ada", "a" * 500, stamp=1)
    await cache.entries(database, "ada")
    await database[JOB_SEARCH].update_one({"_id": "ada-job"}, {"$set": {"text": "fresh"}})
    assert [e.text for e in await cache.entries(database, "ada")] == ["fresh"]
