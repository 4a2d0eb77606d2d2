"""The client's address: X-Forwarded-For is believed only from trusted proxies."""

from __future__ import annotations

import pytest

from jobwise.entrypoints.http.clients import TrustedProxies

PROXIES = TrustedProxies.parse(["10.0.0.0/8", "192.168.1.5"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.7", None, "203.0.113.7"),
        ("203.0.113.7", "1.2.3.4", "203.0.113.7"),  # not a proxy: the header is ignored
        ("10.1.2.3", "198.51.100.9", "198.51.100.9"),
        ("10.1.2.3", "6.6.6.6, 198.51.100.9", "198.51.100.9"),  # the left part is forgeable
        ("10.1.2.3", "198.51.100.9, 192.168.1.5", "198.51.100.9"),  # proxies are skipped
        ("10.1.2.3", "not-an-ip", "10.1.2.3"),
        ("10.1.2.3", "", "10.1.2.3"),
        (None, "1.2.3.4", None),
    ],
)
def test_client_address(peer: str | None, forwarded: str | None, client: str | None) -> None:
    assert PROXIES.client_address(peer, forwarded) == client


def test_nothing_is_trusted_by_default() -> None:
    assert TrustedProxies().client_address("10.1.2.3", "1.2.3.4") == "10.1.2.3"


def test_a_bad_entry_is_refused() -> None:
    with pytest.raises(ValueError):
        TrustedProxies.parse(["10.0.0.0/33"])
