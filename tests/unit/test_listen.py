"""``listen``: the port is taken before anything starts, on every address of the host."""

from __future__ import annotations

import errno
import socket

import pytest

from jobwise.entrypoints.http.server import listen


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_every_address_the_host_resolves_to_is_listened_on() -> None:
    port = _free_port()
    resolved = {
        (family, address[0])
        for family, _, _, _, address in socket.getaddrinfo(
            "localhost", port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    }
    listeners = listen("localhost", port)
    try:
        assert {(s.family, s.getsockname()[0]) for s in listeners} == resolved
        assert {s.getsockname()[1] for s in listeners} == {port}
    finally:
        for listener in listeners:
            listener.close()


def test_a_taken_port_is_an_address_in_use_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError) as refused:
            listen("127.0.0.1", taken.getsockname()[1])
    assert refused.value.errno == errno.EADDRINUSE
