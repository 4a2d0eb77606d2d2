"""A signed checkpoint of the hash chain: the head (position, hash) signed with Ed25519.

Written to the log itself, so the checkpoints are chained too; a verifier holding
the public key can tell that the head was this at that time, and whoever rewrites
the log after it cannot sign a new checkpoint without the private key.
"""

from __future__ import annotations

from jobwise.domain.events import NewEvent

CHECKPOINT_STREAM = "chain-checkpoints"
CHECKPOINT_STREAM_TYPE = "chain"
CHECKPOINT_TYPE = "ChainCheckpointRecorded"


def signed_message(position: int, head_hash: str) -> bytes:
    """What the signature covers: domain-separated, so it is never another message's."""
    return f"jobwise-chain-checkpoint:v1:{position}:{head_hash}".encode()


def checkpoint_event(position: int, head_hash: str, signature: str, public_key: str) -> NewEvent:
    return NewEvent(
        type=CHECKPOINT_TYPE,
        data={
            "position": position,
            "hash": head_hash,
            "signature": signature,
            "public_key": public_key,
        },
    )
