"""How a live client is sent to: at once when its connection is free, else queued, in order.

``Connection`` is a client whose connection can take a message at once only while
``free`` (as a socket with nothing waiting for the network), and whose queued writes
wait for ``network`` (a slow network), so each path is chosen on purpose.
"""

from __future__ import annotations

import asyncio

from jobwise.adapters.eventstore.memory import InMemoryEventStore
from jobwise.entrypoints.live.updates import Update
from jobwise.entrypoints.live.watcher import Outgoing, Watcher


class Connection(Watcher):
    def __init__(self, queue_size: int = 8) -> None:
        super().__init__("user-1", "session-1", InMemoryEventStore(), queue_size=queue_size)
        self.free = True
        self.network = asyncio.Event()
        self.wire: list[Outgoing] = []
        self.closed_with: tuple[int, str] | None = None

    def write_now(self, item: Outgoing) -> bool:
        if not self.free:
            return False
        self.wire.append(item)
        return True

    async def write(self, item: Outgoing) -> None:
        await self.network.wait()
        self.wire.append(item)

    def close(self, code: int, reason: str) -> None:
        self.closed_with = (code, reason)


def update(seq: int) -> Update:
    message = {"type": "generation.progress", "generation_id": "g-1", "seq": seq}
    made = Update.from_bridge({**message, "user_id": "user-1"})
    assert made is not None
    return made


async def test_a_message_goes_out_at_once_when_the_connection_is_free() -> None:
    client = Connection()
    client.send("hello")
    assert client.wire == ["hello"]  # no task, no wait
    assert client.sent == 1


async def test_nothing_overtakes_a_queued_message() -> None:
    client = Connection()
    client.free = False
    client.send("first")
    client.free = True
    client.send("second")  # the connection could take it, but "first" is ahead of it
    assert client.wire == []

    client.network.set()
    await client.flushed()
    assert client.wire == ["first", "second"]
    client.send("third")  # nothing queued any more: straight out again
    assert client.wire == ["first", "second", "third"]
    assert client.sent == 3


async def test_updates_arrive_in_seq_order_across_both_paths() -> None:
    client = Connection(queue_size=16)
    client.join_user_channel(0)
    for seq in range(1, 13):
        client.free = seq % 3 != 0  # every third finds the connection busy
        client.offer(update(seq))
    client.network.set()
    await client.flushed()
    assert [u.seq for u in client.wire if isinstance(u, Update)] == list(range(1, 13))


async def test_a_client_whose_queue_fills_is_ended_as_too_slow() -> None:
    client = Connection(queue_size=2)
    client.free = False
    for text in ("a", "b", "c"):
        client.send(text)
    assert client.ended
    assert client.closed_with == client.too_slow()
    await client.stopped()
