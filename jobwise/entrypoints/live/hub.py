"""The live-update hub of one process: hears every generation update, hands it to its owner.

Two sources feed it, and clients cannot tell them apart:

* the pub/sub doorbell (``UpdatePublisher`` on channel ``generations``): fast,
  and the way updates appended by another process arrive at once;
* a follower of the event store from the position the hub started at: slower
  across processes (it wakes when the store's head moves), but it misses
  nothing. It is what makes a Redis outage, or a message Redis dropped, cost a
  moment rather than an update: even a generation that ran entirely while
  Redis was down reaches its watchers.

Each update goes to the watchers of its owner (only the owner may watch a
generation); each watcher keeps its own ``seq`` per generation, so an update
heard twice is sent once. Revoked sessions are ended here, with 4401.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict

from pymongo.errors import PyMongoError

from jobwise.adapters.eventstore import EventStore
from jobwise.adapters.pubsub import Message, PubSub, PubSubUnavailable
from jobwise.adapters.pubsub.publisher import CHANNEL
from jobwise.entrypoints.live.updates import Update
from jobwise.entrypoints.live.watcher import Watcher
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)

REVOKED = 4401
GOING_AWAY = 1001
RETRY_FIRST_PAUSE = 0.05
RETRY_MAX_PAUSE = 2.0
SHUTDOWN_WAIT_SECONDS = 6.0
FOLLOW_BATCH = 500
FOLLOW_IDLE_SECONDS = 0.7


class LiveHub:
    def __init__(self, pubsub: PubSub, store: EventStore, *, follow_store: bool = True) -> None:
        self._pubsub = pubsub
        self._store = store
        self._follow_store = follow_store
        self._by_user: defaultdict[str, set[Watcher]] = defaultdict(set)
        self._by_session: defaultdict[str, set[Watcher]] = defaultdict(set)
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False
        self.position = 0
        """The store position the follower has handed out every update up to."""
        self.heard = 0
        """Updates heard (from either source), for the bench and the curious."""

    @property
    def store(self) -> EventStore:
        return self._store

    # -- watchers ------------------------------------------------------------------

    def attach(self, watcher: Watcher) -> None:
        self._by_user[watcher.user_id].add(watcher)
        self._by_session[watcher.session_id].add(watcher)

    def detach(self, watcher: Watcher) -> None:
        _discard(self._by_user, watcher.user_id, watcher)
        _discard(self._by_session, watcher.session_id, watcher)
        watcher.detached.set()

    def moved_session(self, watcher: Watcher, old_session_id: str) -> None:
        """``watcher`` re-authenticated with another session of its user."""
        _discard(self._by_session, old_session_id, watcher)
        self._by_session[watcher.session_id].add(watcher)

    def watchers_of(self, user_id: str) -> list[Watcher]:
        return list(self._by_user.get(user_id, ()))

    @property
    def watchers(self) -> int:
        return sum(len(watchers) for watchers in self._by_user.values())

    def revoked(self, session_id: str) -> None:
        """A session ended (logout, refresh-token reuse): end its streams now."""
        for watcher in list(self._by_session.get(session_id, ())):
            watcher.end(REVOKED, "session_revoked")

    def dispatch(self, update: Update) -> None:
        self.heard += 1
        if update.user_id is None:
            return
        for watcher in list(self._by_user.get(update.user_id, ())):
            watcher.offer(update)

    # -- running -------------------------------------------------------------------

    async def start(self) -> None:
        self.position = await self._store.head_position()
        self._tasks = [asyncio.create_task(self._listen_forever(), name="live-doorbell")]
        if self._follow_store:
            self._tasks.append(asyncio.create_task(self._follow_forever(), name="live-follower"))

    async def shutdown(self) -> None:
        """End every stream with GOING_AWAY (the server is stopping), all at once, and
        wait (a bounded time) until their handlers have closed them."""
        everyone = [w for watchers in self._by_user.values() for w in watchers]
        for watcher in everyone:
            watcher.end(GOING_AWAY, "server shutting down")
        if everyone:
            await asyncio.wait(
                [asyncio.ensure_future(w.detached.wait()) for w in everyone],
                timeout=SHUTDOWN_WAIT_SECONDS,
            )

    async def stop(self) -> None:
        self._stopping = True
        await self.shutdown()
        await cancel_and_wait(self._tasks)
        self._tasks = []

    def _rang(self, _channel: str, message: Message) -> None:
        update = Update.from_bridge(message)
        if update is not None:
            self.dispatch(update)

    async def _listen_forever(self) -> None:
        pause = RETRY_FIRST_PAUSE
        while not self._stopping:
            subscription = self._pubsub.subscribe(CHANNEL)
            # Dispatched as the subscription reads each message (the Redis reader's
            # turn of the event loop), not queued for this task's next turn: one wait
            # for the loop less between the doorbell and the sockets.
            subscription.deliver_to(self._rang)
            try:
                await subscription.open()
                pause = RETRY_FIRST_PAUSE
                async for _ in subscription:
                    pass  # nothing is queued: this ends, or raises, with the subscription
            except PubSubUnavailable as error:
                # Updates still flow from the store follower meanwhile.
                log.warning("live updates: pub/sub unavailable (%s); retrying", error)
            finally:
                await subscription.close()
            await asyncio.sleep(pause)
            pause = min(pause * 2, RETRY_MAX_PAUSE)

    async def _follow_forever(self) -> None:
        # Its own catch-up-then-follow loop rather than ``store.subscribe``: the stop
        # flag is checked on every round, because on Python 3.11 a cancellation that
        # lands as the store's idle wait times out can be swallowed (and stop() would
        # then cancel in step with that wait forever).
        pause = RETRY_FIRST_PAUSE
        while not self._stopping:
            try:
                events = await self._store.read_all(self.position, FOLLOW_BATCH)
                for event in events:
                    self.position = event.position
                    update = Update.from_event(event)
                    if update is not None:
                        self.dispatch(update)
                if len(events) < FOLLOW_BATCH:
                    head = await self._store.wait_beyond(self.position, FOLLOW_IDLE_SECONDS)
                    if not events and head > self.position:
                        # The head says more is there but the read found none (a database
                        # emptied under us, a write not yet visible): never spin on it.
                        await asyncio.sleep(FOLLOW_IDLE_SECONDS)
                pause = RETRY_FIRST_PAUSE
            except PyMongoError as error:
                log.warning("live updates: store follower failed (%s); retrying", error)
                await asyncio.sleep(pause)
                pause = min(pause * 2, RETRY_MAX_PAUSE)


def _discard(index: defaultdict[str, set[Watcher]], key: str, watcher: Watcher) -> None:
    watchers = index.get(key)
    if watchers is None:
        return
    watchers.discard(watcher)
    if not watchers:
        with contextlib.suppress(KeyError):
            del index[key]
