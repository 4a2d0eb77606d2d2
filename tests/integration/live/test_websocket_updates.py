"""Generation updates over the WebSocket: in order, gapless, exact on resume, owner only."""

from __future__ import annotations

import asyncio

from jobwise.domain.generation_updates import update_message
from tests.integration.live.conftest import (
    MakeUser,
    receive,
    send,
    seqs,
    updates_until_done,
)
from tests.support.generations import UPDATES_PER_GENERATION

EVERY_SEQ = list(range(1, UPDATES_PER_GENERATION + 1))


async def test_user_channel_gets_every_stage_in_order_exactly_as_stored(
    make_user: MakeUser,
) -> None:
    ada = await make_user()
    ws = await ada.socket()
    await send(ws, type="subscribe", channel="user")
    assert await receive(ws) == {"type": "subscribed", "channel": "user"}
    generation = ada.generation()
    await generation.run(step=2)  # a few events per append, as stages finish

    updates = await updates_until_done(ws)

    assert seqs(updates) == EVERY_SEQ
    stored = await ada.runtime.store.read_stream(generation.generation_id)
    expected = [m for m in (update_message(e) for e in stored) if m is not None]
    assert updates == expected
    assert [u.get("stage") for u in updates[1:3]] == ["analyzing_job", "analyzing_job"]
    assert [u["percent"] for u in updates[:-1]] == [0, 0, 20, 20, 40, 40, 60, 60, 80, 80, 100]
    assert updates[-1]["type"] == "generation.completed"
    assert updates[-1]["result"]["match_score"] == 0.82
    assert all("user_id" not in u for u in updates)
    await ws.close()


async def test_a_client_asking_for_compression_gets_plain_frames_and_every_update(
    make_user: MakeUser,
) -> None:
    # Browsers ask for permessage-deflate; the server declines (one frame serves every
    # socket), and the client reads the updates as any other.
    ada = await make_user()
    ws = await ada.client.ws_connect(f"/api/v1/ws?token={ada.token}", compress=15)
    assert ws.compress == 0
    assert (await receive(ws))["type"] == "authenticated"
    await send(ws, type="subscribe", channel="user")
    assert await receive(ws) == {"type": "subscribed", "channel": "user"}
    generation = ada.generation()
    await generation.run()

    updates = await updates_until_done(ws)

    stored = await ada.runtime.store.read_stream(generation.generation_id)
    assert updates == [m for m in (update_message(e) for e in stored) if m is not None]
    await ws.close()


async def test_subscribe_after_n_replays_exactly_the_rest_then_goes_live(
    make_user: MakeUser,
) -> None:
    ada = await make_user()
    generation = ada.generation()
    await generation.append(6)  # seq 1..6 stored before anyone listens
    ws = await ada.socket()

    await send(ws, type="subscribe", generation_id=generation.generation_id, after=4)
    ack = await receive(ws)
    assert ack == {"type": "subscribed", "generation_id": generation.generation_id, "after": 4}
    replayed = [await receive(ws), await receive(ws)]
    assert seqs(replayed) == [5, 6]
    await generation.run()
    live = await updates_until_done(ws)

    assert seqs(replayed + live) == list(range(5, UPDATES_PER_GENERATION + 1))
    await ws.close()


async def test_subscribing_while_updates_are_being_appended_has_no_seam(
    make_user: MakeUser,
) -> None:
    # The replay from the store and the live updates overlap here: whatever the
    # interleaving, each seq arrives once and in order.
    ada = await make_user()
    sockets = [await ada.socket() for _ in range(4)]
    generations = [ada.generation() for _ in range(4)]
    for generation in generations:
        await generation.append(3)

    async def subscribe_all() -> None:
        for ws, generation in zip(sockets, generations, strict=True):
            await send(ws, type="subscribe", generation_id=generation.generation_id)

    await asyncio.gather(subscribe_all(), *(g.run() for g in generations))

    for ws, generation in zip(sockets, generations, strict=True):
        updates = await updates_until_done(ws)
        assert seqs(updates, generation.generation_id) == EVERY_SEQ
        await ws.close()


async def test_a_socket_on_the_user_channel_and_a_subscription_hears_each_update_once(
    make_user: MakeUser,
) -> None:
    ada = await make_user()
    generation = ada.generation()
    await generation.append(1)
    ws = await ada.socket()
    await send(ws, type="subscribe", channel="user")
    await send(ws, type="subscribe", generation_id=generation.generation_id)
    assert (await receive(ws))["type"] == "subscribed"
    assert (await receive(ws))["type"] == "subscribed"
    await generation.run()

    assert seqs(await updates_until_done(ws)) == EVERY_SEQ
    await ws.close()


async def test_joining_the_user_channel_mid_generation_starts_where_you_join(
    make_user: MakeUser,
) -> None:
    ada = await make_user()
    running = ada.generation()
    await running.append(5)  # seq 1..5 before the socket joins
    ws = await ada.socket()
    await send(ws, type="subscribe", channel="user")
    await receive(ws)
    await running.run()
    fresh = ada.generation()
    await fresh.run()

    updates = await updates_until_done(ws, generations=2)

    assert seqs(updates, running.generation_id) == list(range(6, UPDATES_PER_GENERATION + 1))
    assert seqs(updates, fresh.generation_id) == EVERY_SEQ
    await ws.close()


async def test_other_users_generations_are_not_found_and_never_delivered(
    make_user: MakeUser,
) -> None:
    ada, bob = await make_user(), await make_user()
    adas = ada.generation()
    await adas.append(1)
    bob_ws = await bob.socket()
    await send(bob_ws, type="subscribe", channel="user")
    await receive(bob_ws)

    await send(bob_ws, type="subscribe", generation_id=adas.generation_id)
    refused = await receive(bob_ws)
    await send(bob_ws, type="subscribe", generation_id="no-such-generation")
    unknown = await receive(bob_ws)
    await adas.run()
    bobs = bob.generation()
    await bobs.run()
    heard = await updates_until_done(bob_ws)

    assert refused["type"] == "error"
    assert refused["error"]["code"] == "not_found"
    assert refused["error"]["details"] == {"generation_id": adas.generation_id}
    assert unknown["error"]["code"] == "not_found"
    assert {u["generation_id"] for u in heard} == {bobs.generation_id}
    await bob_ws.close()


async def test_a_stream_that_is_not_a_generation_is_not_found(make_user: MakeUser) -> None:
    ada = await make_user()
    ws = await ada.socket()
    # The user's own account stream exists and is theirs, but it is no generation.
    await send(ws, type="subscribe", generation_id=ada.id)
    assert (await receive(ws))["error"]["code"] == "not_found"
    await ws.close()


async def test_unsubscribe_stops_the_updates(make_user: MakeUser) -> None:
    ada = await make_user()
    first, second = ada.generation(), ada.generation()
    await first.append(1)
    await second.append(1)
    ws = await ada.socket()
    await send(ws, type="subscribe", generation_id=first.generation_id)
    await send(ws, type="subscribe", generation_id=second.generation_id)
    for _ in range(4):  # two acks, two replays of seq 1
        await receive(ws)
    await send(ws, type="unsubscribe", generation_id=first.generation_id)
    assert await receive(ws) == {"type": "unsubscribed", "generation_id": first.generation_id}
    await first.run()
    await second.run()

    heard = await updates_until_done(ws)

    assert {u["generation_id"] for u in heard} == {second.generation_id}
    await ws.close()
