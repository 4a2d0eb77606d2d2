"""Running projections: catch up, follow, checkpoint atomically, report lag.

Exactly once
------------
Each batch of events is applied and its checkpoint moved in one transaction,
and the checkpoint update is conditional on the position the batch started
from. A crash loses the whole batch (it is re-read and applied again) or
keeps all of it (the checkpoint says so): nothing is skipped or applied twice.
If another process runs the same projection, only one of them wins each
batch; the loser re-reads the checkpoint and carries on from there.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError, PyMongoError

from jobwise.adapters.eventstore.base import EventStore
from jobwise.domain.erasure import is_erased
from jobwise.domain.events import RecordedEvent, utc_now
from jobwise.projections.projection import Projection, RecentDocuments, ViewBatch
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)

CHECKPOINTS = "projection_checkpoints"
BATCH_SIZE = 500
IDLE_WAIT_SECONDS = 1.0
SLICE_SECONDS = 0.005
"""Work a batch does before it lets the event loop run others: a batch of hundreds of
events would otherwise hold every request and live update of the process for tens of ms."""
IDLE_CHECKPOINT_EVENTS = 1_000
IDLE_CHECKPOINT_SECONDS = 5.0
"""A checkpoint that only trails over events that changed no view is stored when it is
this far behind, or this old: not after every write (a transaction per projection
per write). Replaying such events after a restart changes nothing."""


class _CheckpointMoved(Exception):
    """Someone else moved the checkpoint (another process, or a rebuild)."""


class ProjectionRunner:
    def __init__(
        self,
        projection: Projection,
        store: EventStore,
        client: AsyncMongoClient[Any],
        database: AsyncDatabase[Any],
        *,
        prefix: str = "",
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.projection = projection
        self.batch_size = batch_size
        self.store = store
        self._client = client
        self._database = database
        self.prefix = prefix
        self.physical = {name: prefix + name for name in projection.collections}
        self._checkpoints = database[prefix + CHECKPOINTS]
        self.position = 0
        """Applied up to here (in memory; what ``wait_for`` watches)."""
        self._stored = 0
        """The checkpoint in the database. It may trail ``position`` over events
        that changed no view: replaying those changes nothing."""
        self._recent = RecentDocuments()
        self._stored_at = 0.0
        self._moved = asyncio.Condition()
        self.failure: BaseException | None = None

    @property
    def name(self) -> str:
        return self.projection.name

    # -- lifecycle ---------------------------------------------------------------

    async def prepare(self) -> None:
        """Create indexes and load the checkpoint; a new projection version starts over."""
        for logical, indexes in self.projection.collections.items():
            if indexes:
                await self._database[self.physical[logical]].create_indexes(indexes)
        checkpoint = await self._checkpoints.find_one({"_id": self.name})
        if checkpoint and checkpoint.get("version") != self.projection.version:
            log.info("projection %s changed version: rebuilding", self.name)
            await self.reset()
            return
        self._stored = int(checkpoint["position"]) if checkpoint else 0
        await self._set_position(self._stored)

    async def reset(self) -> None:
        """Forget everything: drop the views and the checkpoint (the next run replays from 0)."""
        await self._checkpoints.delete_one({"_id": self.name})
        for physical in self.physical.values():
            await self._database.drop_collection(physical)
        for logical, indexes in self.projection.collections.items():
            if indexes:
                await self._database[self.physical[logical]].create_indexes(indexes)
        self.position = self._stored = 0
        self._recent.clear()

    async def run_forever(self) -> None:
        """Follow the store for as long as the app lives, surviving database hiccups."""
        while True:
            try:
                await self.run_until(None)
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.failure = error
                log.exception("projection %s failed; retrying", self.name)
                await asyncio.sleep(1.0)

    async def run_until(self, target: int | None) -> None:
        """Apply events until ``position >= target`` (``None``: forever)."""
        while target is None or self.position < target:
            events = await self.store.read_all(self.position, self.batch_size)
            if target is not None:
                events = [e for e in events if e.position <= target]
            if not events:
                await self._store_checkpoint(eager=target is not None)
                if target is not None and await self.store.head_position() <= self.position:
                    return
                await self.store.wait_beyond(self.position, IDLE_WAIT_SECONDS)
                continue
            await self.apply_batch(events)
            self.failure = None
        await self._store_checkpoint()

    # -- applying ----------------------------------------------------------------

    async def apply_batch(self, events: Sequence[RecordedEvent]) -> None:
        try:
            await self._apply_batch(events)
        except BaseException:
            self._recent.clear()  # handlers may have changed cached documents in place
            raise

    async def _apply_batch(self, events: Sequence[RecordedEvent]) -> None:
        start = self.position
        # An erased event (its owner's key destroyed) builds no view: it is skipped.
        wanted = [
            e
            for e in events
            if e.position > start and self.projection.wants(e) and not is_erased(e)
        ]
        views = ViewBatch(self._database, self.physical, self._recent)
        await views.prefetch(key for e in wanted for key in self.projection.keys(e))
        loop = asyncio.get_running_loop()
        slice_ends = loop.time() + SLICE_SECONDS
        for event in wanted:
            await self.projection.apply(event, views)
            if loop.time() >= slice_ends:
                await asyncio.sleep(0)  # nothing is written until the batch ends
                slice_ends = loop.time() + SLICE_SECONDS
        end = events[-1].position
        if views.changed:
            await self._write(views, end)
        else:
            await self._set_position(end)  # the checkpoint follows when idle or with a write

    async def _store_checkpoint(self, *, eager: bool = True) -> None:
        behind = self.position - self._stored
        if behind <= 0:
            return
        stale = asyncio.get_running_loop().time() - self._stored_at >= IDLE_CHECKPOINT_SECONDS
        if eager or behind >= IDLE_CHECKPOINT_EVENTS or stale:
            await self._write(ViewBatch(self._database, self.physical), self.position)

    async def _write(self, views: ViewBatch, end: int) -> None:
        try:
            await self._commit(views, self._stored, end)
        except _CheckpointMoved:
            await self._reload()
            return
        views.remember()
        self._stored = end
        self._stored_at = asyncio.get_running_loop().time()
        await self._set_position(end)

    async def _commit(self, views: ViewBatch, start: int, end: int) -> None:
        async with self._client.start_session() as session:
            try:
                async with await session.start_transaction():
                    moved = await self._checkpoints.update_one(
                        {"_id": self.name, "position": start},
                        {
                            "$set": {
                                "position": end,
                                "version": self.projection.version,
                                "updated_at": utc_now(),
                            }
                        },
                        upsert=start == 0,
                        session=session,
                    )
                    if moved.matched_count == 0 and moved.upserted_id is None:
                        raise _CheckpointMoved
                    await views.flush(session)
            except DuplicateKeyError as error:
                raise _CheckpointMoved from error
            except PyMongoError as error:
                if error.has_error_label("TransientTransactionError"):
                    raise _CheckpointMoved from error
                raise

    async def _reload(self) -> None:
        """Another process stored this batch (or more): carry on from its checkpoint, and
        tell the waiters, whose writes it may include."""
        self._recent.clear()
        checkpoint = await self._checkpoints.find_one({"_id": self.name})
        self._stored = int(checkpoint["position"]) if checkpoint else 0
        await self._set_position(self._stored)

    async def _set_position(self, position: int) -> None:
        async with self._moved:
            self.position = position
            self._moved.notify_all()

    # -- observing ---------------------------------------------------------------

    async def wait_for(self, position: int, max_wait: float) -> bool:
        """True once this projection has applied ``position``; False after ``max_wait`` s."""
        if self.position >= position:
            return True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max_wait), self._moved:
                await self._moved.wait_for(lambda: self.position >= position)
        return self.position >= position

    async def lag(self) -> int:
        return max(0, await self.store.head_position() - self.position)

    def written(self, collection: str, doc_id: Any) -> dict[str, Any] | None:
        """The document this runner last wrote under ``doc_id``, as of ``position``, if it
        still holds it (a copy). What its own process just wrote, read without a round
        trip: only for answering that write (see ``Projector.written``)."""
        known, document = self._recent.get((collection, doc_id))
        return dict(document) if known and document is not None else None


class ReadModelsLagging(Exception):
    """A change is stored, but the read models did not include it in time."""

    code = "read_model_lagging"
    message = (
        "The change is stored, but the read models are still catching up; "
        "read again shortly (a retry with the same Idempotency-Key is safe)."
    )

    def __init__(self, position: int) -> None:
        super().__init__(self.message)
        self.details = {"position": position}


class Projector:
    """Every projection of the app, each with its own runner task."""

    def __init__(self, runners: Sequence[ProjectionRunner]) -> None:
        self.runners = list(runners)
        self._tasks: list[asyncio.Task[None]] = []
        self.caught_up_to = 0

    async def start(self) -> None:
        for runner in self.runners:
            await runner.prepare()
        self.caught_up_to = await self.runners[0].store.head_position() if self.runners else 0
        self._tasks = [
            asyncio.create_task(r.run_forever(), name=f"projection-{r.name}") for r in self.runners
        ]

    async def stop(self) -> None:
        await cancel_and_wait(self._tasks)
        self._tasks = []

    async def wait_for(
        self, position: int, max_wait: float, written: Sequence[RecordedEvent] | None = None
    ) -> bool:
        """Read-your-writes: True once every read model includes ``position``.

        Given the events ``written``, only the read models that take one of them are
        waited for: a profile edit does not wait for the jobs projection to skip it.
        """
        runners = self.runners
        if written is not None:
            runners = [r for r in runners if any(r.projection.wants(e) for e in written)]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max_wait
        for runner in runners:
            if not await runner.wait_for(position, max(0.0, deadline - loop.time())):
                return False
        return True

    def written(self, collection: str, doc_id: Any) -> dict[str, Any] | None:
        """The view document a runner of this process last wrote, for answering a write
        once ``wait_for`` returned: it includes that write (the runner got there and
        holds what it wrote since). Never for plain reads, which another process's
        writes may have moved on: those read the database."""
        for runner in self.runners:
            if collection in runner.projection.collections:
                return runner.written(collection, doc_id)
        return None

    async def lags(self) -> dict[str, int]:
        return {runner.name: await runner.lag() for runner in self.runners}

    def problems(self) -> dict[str, str]:
        """Why projections are not ready: still replaying history, or failing."""
        found: dict[str, str] = {}
        for runner in self.runners:
            if runner.failure is not None:
                found[runner.name] = f"failing: {runner.failure}"
            elif runner.position < self.caught_up_to:
                found[runner.name] = f"catching up ({self.caught_up_to - runner.position} behind)"
        return found
