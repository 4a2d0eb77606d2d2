"""While serving, sign the chain's head every ``JOBWISE_CHAIN_CHECKPOINT_SECONDS`` when it moved."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

from aiohttp import web
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from jobwise.adapters.eventstore.base import EventStore
from jobwise.adapters.eventstore.checkpoints import load_or_create_key, write_checkpoint
from jobwise.entrypoints.http.keys import EVENTS, SETTINGS
from jobwise.tasks import cancel_and_wait

log = logging.getLogger(__name__)


def install_checkpointing(app: web.Application) -> None:
    """After the runtime (it uses the store the runtime opened)."""
    app.cleanup_ctx.append(_checkpointing)


async def _checkpointing(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    key = load_or_create_key(settings.chain_key_file or settings.data_dir / "chain-key.pem")
    task = asyncio.create_task(
        _every(app[EVENTS], key, settings.chain_checkpoint_seconds), name="chain-checkpoints"
    )
    yield
    await cancel_and_wait([task])


async def _every(store: EventStore, key: Ed25519PrivateKey, seconds: float) -> None:
    while True:
        await asyncio.sleep(seconds)
        try:
            # Nothing is written when the head is already a checkpoint: an idle log stays still.
            await write_checkpoint(store, key)
        except Exception:  # a failed checkpoint must not stop the next one
            log.exception("chain checkpoint failed")
