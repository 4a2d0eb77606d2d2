"""The live socket's own text frames are byte for byte what aiohttp's writer sends."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.http_websocket import WebSocketWriter, WSMsgType

from jobwise.entrypoints.live.frames import text_frame


class _Transport:
    """Collects what a writer writes (the asyncio transport interface it uses)."""

    def __init__(self) -> None:
        self.written = b""

    def write(self, data: bytes) -> None:
        self.written += bytes(data)

    def is_closing(self) -> bool:
        return False


async def _aiohttp_frame(payload: bytes) -> bytes:
    transport = _Transport()
    protocol: Any = asyncio.Protocol()
    writer = WebSocketWriter(protocol, transport, use_mask=False, limit=2**30)  # type: ignore[arg-type]
    await writer.send_frame(payload, WSMsgType.TEXT)
    return transport.written


@pytest.mark.parametrize("size", [0, 1, 125, 126, 300, 65535, 65536, 70_000])
async def test_a_frame_of_every_length_class_matches_aiohttp(size: int) -> None:
    payload = ("é" * size).encode()[:size]  # multi-byte UTF-8, cut to the exact size
    assert text_frame(payload) == await _aiohttp_frame(payload)
