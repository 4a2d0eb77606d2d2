"""Signing checkpoints of the chain and checking them (Ed25519, ``cryptography``)."""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from jobwise.adapters.eventstore.base import AppendResult, EventStore
from jobwise.domain.chain_checkpoint import (
    CHECKPOINT_STREAM,
    CHECKPOINT_STREAM_TYPE,
    CHECKPOINT_TYPE,
    checkpoint_event,
    signed_message,
)
from jobwise.domain.events import RecordedEvent

_RECENT = 4096
"""How many recent head hashes a scan keeps to check the checkpoints that follow."""


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at ``path`` (PEM), generated there (mode 0600) the first time."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process of this installation made it first
        return load_or_create_key(path)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return key


def public_hex(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()


def load_public_key(text: str) -> Ed25519PublicKey:
    """A public key as ``chain-key`` prints it (hex), or a PEM file's content."""
    stripped = text.strip()
    if stripped.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(stripped.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(stripped))


async def write_checkpoint(store: EventStore, key: Ed25519PrivateKey) -> AppendResult | None:
    """Sign the head and append the checkpoint; None when the head is one already."""
    head = await store.head_position()
    if head == 0:
        return None
    (last,) = await store.read_all(head - 1, 1)
    if last.type == CHECKPOINT_TYPE or last.hash is None:
        return None
    signature = key.sign(signed_message(head, last.hash)).hex()
    version = len(await store.read_stream(CHECKPOINT_STREAM))
    event = checkpoint_event(head, last.hash, signature, public_hex(key))
    return await store.append(
        CHECKPOINT_STREAM, [event], version, stream_type=CHECKPOINT_STREAM_TYPE
    )


class CheckpointCheck:
    """Fed every event of a scan in order; judges each checkpoint it meets."""

    def __init__(self, *trusted: Ed25519PublicKey) -> None:
        """Each checkpoint must be signed by one of ``trusted``; with none, by the key it
        names (which proves only that the checkpoint was not altered since)."""
        self._trusted = trusted
        self._recent: deque[tuple[int, str | None]] = deque(maxlen=_RECENT)
        self.checked = 0

    def problem(self, event: RecordedEvent) -> str | None:
        """Why the event, a checkpoint, is not a valid one (None when it is, or isn't one)."""
        self._recent.append((event.position, event.hash))
        if event.type != CHECKPOINT_TYPE:
            return None
        data = event.data
        position, head_hash = data.get("position"), data.get("hash")
        try:
            keys = self._trusted or (load_public_key(str(data.get("public_key", ""))),)
            signature = bytes.fromhex(str(data.get("signature", "")))
            message = signed_message(int(str(position)), str(head_hash))
        except ValueError:
            return "checkpoint is malformed"
        if not any(_verifies(key, signature, message) for key in keys):
            return "checkpoint signature does not verify with a trusted key"
        seen = dict(self._recent)
        if position in seen and seen[position] != head_hash:
            return f"checkpoint names a head hash position {position} does not have"
        self.checked += 1
        return None


def _verifies(key: Ed25519PublicKey, signature: bytes, message: bytes) -> bool:
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True
