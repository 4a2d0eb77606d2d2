"""A user's job search entries, kept in memory and checked against a stamp on every read.

Listing and ``?q=`` need every one of a user's search entries: there is no
text index on the embedded server, and scanning a thousand entries costs it
tens of milliseconds a request. So each process keeps the entries of the users
who searched lately, and before using them reads one tiny document: the
user's stamp, which the jobs projection rewrites (in the same transaction as
the entries) with the position of the last event that changed any of the
user's jobs. Same stamp, same entries; a new stamp reloads them. A read is
therefore never staler than the read model, in this process or any other.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cachetools import LRUCache
from pymongo.asynchronous.database import AsyncDatabase

from jobwise.projections.jobs import JOB_SEARCH, JOB_SEARCH_STAMPS

DEFAULT_BUDGET_BYTES = 64 * 1024 * 1024
_ENTRY_OVERHEAD = 400
"""Rough bytes an entry costs beyond its text (ids, dates, the objects holding them)."""


@dataclass(frozen=True, slots=True)
class SearchEntry:
    job_id: str
    created_at: datetime
    status: str
    source: str
    remote: bool
    text: str
    skills: frozenset[str]
    work_arrangement: str | None = None

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> SearchEntry:
        return cls(
            job_id=document["_id"],
            created_at=document["created_at"],
            status=document["status"],
            source=document["source"],
            remote=document["remote"],
            text=document["text"],
            skills=frozenset(document.get("skills", ())),
            # An entry written before work_arrangement existed says only whether it is remote.
            work_arrangement=document.get(
                "work_arrangement", "remote" if document["remote"] else None
            ),
        )

    @property
    def size(self) -> int:
        return len(self.text) + _ENTRY_OVERHEAD


@dataclass(frozen=True, slots=True)
class _Cached:
    stamp: int
    entries: tuple[SearchEntry, ...]
    size: int


class JobSearchCache:
    """The search entries of recently active users, least recently used dropped first."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        # Sized in bytes of entries, least recently used dropped first.
        self._users: LRUCache[str, _Cached] = LRUCache(
            budget_bytes, getsizeof=lambda cached: cached.size
        )
        self._loading: dict[str, asyncio.Lock] = {}

    async def entries(self, database: AsyncDatabase[Any], user_id: str) -> tuple[SearchEntry, ...]:
        # The stamp first: entries read after it are at least as new as it says.
        stamp = await _stamp(database, user_id)
        cached = self._fresh(user_id, stamp)
        if cached is not None:
            return cached
        lock = self._loading.setdefault(user_id, asyncio.Lock())
        async with lock:  # many requests of one user on a new stamp load once
            cached = self._fresh(user_id, stamp)
            if cached is None:
                cached = await self._load(database, user_id, stamp)
        self._loading.pop(user_id, None)
        return cached

    def _fresh(self, user_id: str, stamp: int) -> tuple[SearchEntry, ...] | None:
        cached = self._users.get(user_id)
        if cached is None or cached.stamp < stamp:
            return None
        return cached.entries

    async def _load(
        self, database: AsyncDatabase[Any], user_id: str, stamp: int
    ) -> tuple[SearchEntry, ...]:
        found = database[JOB_SEARCH].find({"user_id": user_id})
        entries = tuple([SearchEntry.from_document(document) async for document in found])
        self._keep(user_id, _Cached(stamp, entries, sum(e.size for e in entries)))
        return entries

    def _keep(self, user_id: str, cached: _Cached) -> None:
        self._users.pop(user_id, None)
        if cached.size > self._users.maxsize:
            return  # one user larger than the whole budget: always read from the database
        self._users[user_id] = cached


async def _stamp(database: AsyncDatabase[Any], user_id: str) -> int:
    found = await database[JOB_SEARCH_STAMPS].find_one({"_id": user_id}, {"position": 1})
    return int(found["position"]) if found else 0
