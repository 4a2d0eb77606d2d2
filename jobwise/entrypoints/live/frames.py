"""A WebSocket text frame as the server sends it, built once per message.

An update goes to every socket of its owner with the very same bytes: a server's
frames are never masked (RFC 6455, 5.1) and the live socket never compresses (see
``serve_websocket``), so the frame is a two-to-ten byte header and the UTF-8 text,
built once and written to each socket as it is.
"""

from __future__ import annotations

import struct

FIN_TEXT = 0x81
"""FIN set (one frame per message), opcode 1 (text), no extension bits."""
_SHORT = struct.Struct("!BB")
_MEDIUM = struct.Struct("!BBH")
_LONG = struct.Struct("!BBQ")


def text_frame(payload: bytes) -> bytes:
    """The complete, unmasked, uncompressed text frame carrying ``payload`` (UTF-8 JSON)."""
    size = len(payload)
    if size < 126:
        header = _SHORT.pack(FIN_TEXT, size)
    elif size < 65536:
        header = _MEDIUM.pack(FIN_TEXT, 126, size)
    else:
        header = _LONG.pack(FIN_TEXT, 127, size)
    return header + payload
