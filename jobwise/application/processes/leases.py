"""Leases: which worker runs which generation, for how long, and on which attempt.

One document per generation in ``generation_leases``, changed only by atomic
conditional updates, never read-then-written:

* **claim**: "free or expired -> mine until now + lease", one ``find_one_and_update``
  with an upsert. A lease someone holds does not match the filter, so the upsert tries
  to insert the same ``_id`` and the unique ``_id`` refuses it: no two workers ever hold
  one generation. Each claim increments ``attempt``: the run's fencing token (the
  generation aggregate refuses events of an older attempt).
* **renew**: "mine, this attempt -> until now + lease", every third of the lease while
  the run goes on; a renewal that matches nothing means the lease was lost, and the run
  is stopped.
* **finish**: the generation ended; the lease is kept as ``done`` (so a read model that
  still shows it running cannot get it claimed again) and expires a week later.
* **release**: the run stopped without ending the generation (shutdown, a database
  hiccup): the lease expires now, so any worker may take it over at once.

A claim reads the lease as it was before (``ReturnDocument.BEFORE``): one that had
expired without being released or finished is a **takeover**, its worker having died
or stalled, and the claim says whose it was (``Lease.taken_from``).

Times are the workers' clocks (UTC); a lease of tens of seconds tolerates ordinary skew.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, IndexModel, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from jobwise.domain.events import utc_now

COLLECTION = "generation_leases"
KEEP_FINISHED = timedelta(days=7)


@dataclass(frozen=True)
class Lease:
    generation_id: str
    owner: str
    attempt: int
    until: datetime
    taken_from: str | None = None
    """The worker whose lease this claim took over (it expired unreleased), if any."""


class LeaseBook:
    def __init__(self, collection: AsyncCollection[Any], seconds: float) -> None:
        self._leases = collection
        self.seconds = seconds

    async def ensure_indexes(self) -> None:
        await self._leases.create_indexes(
            [
                IndexModel(
                    [("finished_at", ASCENDING)],
                    name="finished_expiry",
                    expireAfterSeconds=int(KEEP_FINISHED.total_seconds()),
                ),
                # ``held`` (every scrape of /metrics) reads only the leases that end in
                # the future, not the week of finished ones kept behind them.
                IndexModel([("until", ASCENDING)], name="until"),
            ]
        )

    async def claim(self, generation_id: str, owner: str) -> Lease | None:
        """The lease, if it was free or expired; None while someone else holds it."""
        now = utc_now()
        until = now + timedelta(seconds=self.seconds)
        try:
            before = await self._leases.find_one_and_update(
                {"_id": generation_id, "done": {"$ne": True}, "until": {"$lte": now}},
                {
                    "$set": {"owner": owner, "until": until, "claimed_at": now, "released": False},
                    "$inc": {"attempt": 1},
                },
                upsert=True,
                return_document=ReturnDocument.BEFORE,
            )
        except DuplicateKeyError:
            return None  # held: the upsert met the existing lease's _id
        if before is None:  # inserted: the first claim
            return Lease(generation_id, owner, 1, until)
        # ``released`` is False only on a lease a claim set and no release cleared
        # (a lease kept before the flag existed is not taken for one).
        abandoned = before.get("released") is False
        return Lease(
            generation_id,
            owner,
            int(before["attempt"]) + 1,
            until,
            taken_from=str(before.get("owner")) if abandoned else None,
        )

    async def renew(self, lease: Lease) -> Lease | None:
        """The lease, extended; None if it is no longer ours."""
        until = utc_now() + timedelta(seconds=self.seconds)
        renewed = await self._leases.update_one(_ours(lease), {"$set": {"until": until}})
        if renewed.matched_count == 0:
            return None
        return Lease(lease.generation_id, lease.owner, lease.attempt, until)

    async def finish(self, lease: Lease) -> None:
        now = utc_now()
        await self._leases.update_one(
            _ours(lease), {"$set": {"done": True, "until": now, "finished_at": now}}
        )

    async def release(self, lease: Lease) -> None:
        await self._leases.update_one(
            _ours(lease), {"$set": {"until": utc_now(), "released": True}}
        )

    async def held(self) -> int:
        """Leases some worker holds now (claimed, not released, finished or expired)."""
        return await self._leases.count_documents(
            {"done": {"$ne": True}, "until": {"$gt": utc_now()}}
        )

    async def busy(self, generation_ids: Iterable[str]) -> dict[str, datetime | None]:
        """Of these generations, those not free to claim now: the time each lease
        expires, or None for a finished one."""
        ids = list(generation_ids)
        if not ids:
            return {}
        now = utc_now()
        found = self._leases.find(
            {"_id": {"$in": ids}, "$or": [{"done": True}, {"until": {"$gt": now}}]},
            {"until": 1, "done": 1},
        )
        return {
            str(lease["_id"]): None if lease.get("done") else lease["until"]
            async for lease in found
        }


def _ours(lease: Lease) -> dict[str, Any]:
    return {"_id": lease.generation_id, "owner": lease.owner, "attempt": lease.attempt}
