"""One client of the live updates: what it watches, how far each generation got, its queue.

Ordering and exactness live here, the same for a WebSocket and an SSE stream:

* Each generation a client watches has a ``Feed``: the last ``seq`` sent. An
  update at ``last + 1`` is sent; one at or below ``last`` is a duplicate (the
  doorbell and the store follower both announce every update) and is dropped.
* An update beyond ``last + 1`` means something was missed (pub/sub is
  at-most-once): the feed is resynced from the store, the truth, and sends
  every update after ``last`` in order. Updates that arrive meanwhile are held
  and applied after the store's, so the seam between replay and live has
  neither a gap nor a duplicate. Subscribing with ``after: N`` is the same
  resync, starting at N.
* Sending never waits: a message is written at once when the connection has
  nothing pending (``write_now``), else it goes to a bounded outbox drained by a
  writer task, behind what is already queued. A client too slow to keep up is cut
  off (``end``) rather than allowed to hold memory or delay anyone else; it
  resumes from its last ``seq``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections import OrderedDict, deque
from dataclasses import dataclass, field

from pymongo.errors import PyMongoError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from jobwise.adapters.eventstore import EventStore
from jobwise.entrypoints.live.updates import Update, updates_after

log = logging.getLogger(__name__)

MAX_BACKLOG_BYTES = 64 * 1024
"""Bytes written but not yet taken by the network a client may have before it counts as
too slow, whatever its queue holds (the transport buffers without limit otherwise)."""
MAX_FEEDS = 1000
"""Generations one client remembers the progress of; the oldest finished ones go first."""
RESYNC_ATTEMPTS = 5
RESYNC_FIRST_PAUSE = 0.1

Outgoing = Update | str
"""What a client is sent: an update, or a protocol message already in JSON."""


class SlowConsumer(Exception):
    """The client's outbox is full: it reads slower than its updates arrive."""


@dataclass
class Feed:
    """How far one generation got on one client."""

    last_seq: int
    held: list[Update] | None = None
    """Not None while the store is being read: updates that arrived meanwhile."""
    finished: bool = False
    explicit: bool = False
    """Subscribed to by id (not only seen on the user channel)."""


@dataclass
class Outbox:
    limit: int
    items: deque[Outgoing] = field(default_factory=deque)

    def full(self) -> bool:
        return len(self.items) >= self.limit


class Watcher(ABC):
    """A live-update client; subclasses say how to write to it and how to end it."""

    def __init__(
        self, user_id: str, session_id: str, store: EventStore, *, queue_size: int
    ) -> None:
        self.user_id = user_id
        self.session_id = session_id
        self._store = store
        self._feeds: OrderedDict[str, Feed] = OrderedDict()
        self._outbox = Outbox(queue_size)
        self._writer: asyncio.Task[None] | None = None
        self._resyncs: set[asyncio.Task[None]] = set()
        self.user_channel_since: int | None = None
        """On the user channel: the store position it was joined at; else None."""
        self.ended = False
        self.detached = asyncio.Event()
        """Set by the hub once the client's handler has let go of it."""
        self.sent = 0

    # -- what subclasses provide ---------------------------------------------------

    @abstractmethod
    async def write(self, item: Outgoing) -> None:
        """Put one message on the wire (may wait for the network)."""

    @abstractmethod
    def close(self, code: int, reason: str) -> None:
        """Start ending the client's connection with ``code``; must not wait."""

    def backlog_bytes(self) -> int:
        """Bytes written to the connection that the network has not taken yet."""
        return 0

    def write_now(self, item: Outgoing) -> bool:
        """Write ``item`` without waiting if the connection can take it right now (nothing
        pending on it); False leaves it to the writer task. One update reaches every
        socket of its owner within one pass of the hub, with no task per socket."""
        return False

    # -- subscriptions -------------------------------------------------------------

    @property
    def subscriptions(self) -> int:
        explicit = sum(1 for feed in self._feeds.values() if feed.explicit)
        return explicit + (1 if self.user_channel_since is not None else 0)

    def subscribed_to(self, generation_id: str) -> bool:
        feed = self._feeds.get(generation_id)
        return feed is not None and feed.explicit

    async def subscribe(self, generation_id: str, after: int) -> bool:
        """Send every update after ``after`` from the store, then the live ones.

        False if the store could not be read (the live ones still come, and the
        first of them starts a resync)."""
        feed = Feed(last_seq=after, held=[], explicit=True)
        # Registered before the store is read: whatever arrives meanwhile is held.
        self._remember(generation_id, feed)
        return await self._resync(generation_id, feed)

    def unsubscribe(self, generation_id: str) -> None:
        feed = self._feeds.get(generation_id)
        if feed is None:
            return
        feed.explicit = False
        if self.user_channel_since is None:
            del self._feeds[generation_id]

    def join_user_channel(self, since_position: int) -> None:
        """Every generation of the user: those started after ``since_position`` from seq 1."""
        if self.user_channel_since is None:
            self.user_channel_since = since_position

    def leave_user_channel(self) -> None:
        self.user_channel_since = None
        for generation_id in [g for g, feed in self._feeds.items() if not feed.explicit]:
            del self._feeds[generation_id]

    # -- updates -------------------------------------------------------------------

    def offer(self, update: Update) -> None:
        """An update of this client's user, from the doorbell or the store; never waits."""
        if self.ended:
            return
        feed = self._feeds.get(update.generation_id)
        if feed is None:
            if self.user_channel_since is None or self._before_joining(update):
                return
            feed = self._first_seen(update)
            if feed.held is not None:
                return
        self._apply(update.generation_id, feed, update)

    def _first_seen(self, update: Update) -> Feed:
        """A generation first heard of on the user channel."""
        if update.seq == 1:
            feed = Feed(last_seq=0)
            self._remember(update.generation_id, feed)
            return feed
        # Joined mid-way, or missed its first updates: the store says which.
        feed = Feed(last_seq=0, held=[update])
        self._remember(update.generation_id, feed)
        self._spawn_resync(update.generation_id, feed, baseline=True)
        return feed

    def _apply(self, generation_id: str, feed: Feed, update: Update) -> None:
        if feed.held is not None:
            feed.held.append(update)
        elif update.seq <= feed.last_seq:
            return  # already sent
        elif update.seq == feed.last_seq + 1:
            self._advance(feed, update)
        else:
            feed.held = [update]
            self._spawn_resync(generation_id, feed)

    def _advance(self, feed: Feed, update: Update) -> None:
        feed.last_seq = update.seq
        feed.finished = update.terminal
        self.send(update)

    def _spawn_resync(self, generation_id: str, feed: Feed, *, baseline: bool = False) -> None:
        task = asyncio.create_task(self._resync_quietly(generation_id, feed, baseline))
        self._resyncs.add(task)
        task.add_done_callback(self._resyncs.discard)

    async def _resync(self, generation_id: str, feed: Feed, *, baseline: bool = False) -> bool:
        stored = await self._read_store(generation_id, 0 if baseline else feed.last_seq)
        if self._feeds.get(generation_id) is not feed or self.ended:
            return stored is not None  # resubscribed, dropped or ended while reading
        held, feed.held = feed.held or [], None
        if baseline and not self._started_after_joining(stored):
            # Started before this client joined: it gets what it heard first, onwards.
            feed.last_seq = min(update.seq for update in held) - 1
        for update in stored or []:
            if update.seq == feed.last_seq + 1:
                self._advance(feed, update)
        for update in sorted(held, key=lambda u: u.seq):
            # The store had every update announced before it was read, so one still
            # beyond the next seq cannot be real; the store follower will bring it.
            if update.seq == feed.last_seq + 1:
                self._advance(feed, update)
        return stored is not None

    async def _resync_quietly(self, generation_id: str, feed: Feed, baseline: bool) -> None:
        await self._resync(generation_id, feed, baseline=baseline)

    def _before_joining(self, update: Update) -> bool:
        """Stored at or before the join (a lagging store follower brings it late)."""
        since = self.user_channel_since
        return update.position is not None and since is not None and update.position <= since

    def _started_after_joining(self, stored: list[Update] | None) -> bool:
        if not stored or stored[0].seq != 1 or stored[0].position is None:
            return False
        since = self.user_channel_since
        return since is not None and stored[0].position > since

    async def _read_store(self, generation_id: str, after: int) -> list[Update] | None:
        """The stored updates after ``after``; None once every attempt failed."""

        def failed(state: RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            log.warning(
                "live resync of %s failed (%s), attempt %d",
                generation_id,
                error,
                state.attempt_number,
            )

        retrying = AsyncRetrying(
            retry=retry_if_exception_type(PyMongoError),
            stop=stop_after_attempt(RESYNC_ATTEMPTS),
            wait=wait_exponential(multiplier=RESYNC_FIRST_PAUSE),
            after=failed,
            retry_error_callback=lambda state: None,
        )
        updates: list[Update] | None = await retrying(
            updates_after, self._store, generation_id, after
        )
        return updates

    def _remember(self, generation_id: str, feed: Feed) -> None:
        # Not a cachetools cache: only a finished feed nobody subscribed to may go.
        self._feeds[generation_id] = feed
        self._feeds.move_to_end(generation_id)
        if len(self._feeds) > MAX_FEEDS:
            for old_id, old in list(self._feeds.items()):
                if old.finished and not old.explicit:
                    del self._feeds[old_id]
                    break

    # -- sending -------------------------------------------------------------------

    def send(self, item: Outgoing) -> None:
        """Queue ``item``; a client whose outbox is full is ended as too slow."""
        if self.ended:
            return
        if self._outbox.full() or self.backlog_bytes() > MAX_BACKLOG_BYTES:
            self.end(*self.too_slow())
            return
        # Only with nothing queued: a message never overtakes one sent before it.
        if self._writer is None and not self._outbox.items and self.write_now(item):
            self.sent += 1
            return
        self._outbox.items.append(item)
        if self._writer is None:
            self._writer = asyncio.create_task(self._drain(), name="live-writer")

    def too_slow(self) -> tuple[int, str]:
        """The close code and reason for a client that fell behind."""
        return 1013, "too slow: resume from your last seq"

    async def _drain(self) -> None:
        try:
            while self._outbox.items and not self.ended:
                item = self._outbox.items.popleft()
                await self.write(item)
                self.sent += 1
        except (ConnectionError, RuntimeError, TimeoutError) as error:
            # The connection went away under us; the handler notices and detaches.
            log.debug("live client write failed: %s", error)
            self.end(1006, "connection lost")
        finally:
            self._writer = None

    async def flushed(self) -> None:
        """Wait until what is queued has been written (the caller bounds the wait)."""
        writer = self._writer
        if writer is None or self.ended:
            return
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(writer)

    def end(self, code: int, reason: str) -> None:
        """Stop sending and close the client's connection with ``code``; idempotent."""
        if self.ended:
            return
        self.ended = True
        self._outbox.items.clear()
        for task in list(self._resyncs):
            task.cancel()
        if self._writer is not None and self._writer is not asyncio.current_task():
            self._writer.cancel()
        self.close(code, reason)

    async def stopped(self) -> None:
        """Wait for the background tasks to finish after ``end``."""
        tasks = [*self._resyncs, *([self._writer] if self._writer else [])]
        for task in tasks:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*tasks, return_exceptions=True)
