"""A bare WebSocket client over a plain socket, for clients that misbehave on purpose.

A slow consumer has to stop reading at the TCP level, with a small receive
buffer, which no regular client library lets a test do. This one speaks just
enough of RFC 6455: the handshake, masked text frames out, frames in.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import struct
from dataclasses import dataclass
from typing import Any

TEXT, CLOSE = 0x1, 0x8


@dataclass
class Frame:
    opcode: int
    payload: bytes

    @property
    def close_code(self) -> int | None:
        if self.opcode != CLOSE or len(self.payload) < 2:
            return None
        code: int = struct.unpack("!H", self.payload[:2])[0]
        return code


class RawWebSocket:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, host: str, port: int, path: str, *, receive_buffer: int) -> RawWebSocket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # Set before connecting, so the window the server sees is small from the start.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (host, port))
        # A small limit: the stream stops reading from the socket once 2x this is
        # buffered, so not reading really leaves the bytes in the network.
        reader, writer = await asyncio.open_connection(sock=sock, limit=4096)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise ConnectionError(f"no upgrade: {head[:80]!r}")
        return cls(reader, writer)

    async def send_json(self, message: dict[str, Any]) -> None:
        payload = json.dumps(message).encode()
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        if len(payload) < 126:
            header = struct.pack("!BB", 0x80 | TEXT, 0x80 | len(payload))
        else:
            header = struct.pack("!BBH", 0x80 | TEXT, 0x80 | 126, len(payload))
        self.writer.write(header + mask + masked)
        await self.writer.drain()

    async def frame(self) -> Frame:
        first, second = await self.reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
        return Frame(first & 0x0F, await self.reader.readexactly(length))

    async def frames_until_close(self) -> list[Frame]:
        """Every frame up to and including the close frame (or the end of the stream)."""
        frames = []
        try:
            while True:
                frame = await self.frame()
                frames.append(frame)
                if frame.opcode == CLOSE:
                    return frames
        except (asyncio.IncompleteReadError, ConnectionError):
            return frames

    def close(self) -> None:
        self.writer.transport.abort()
