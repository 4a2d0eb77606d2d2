"""Who is calling: the client's address, read through trusted reverse proxies only.

Behind nginx every connection comes from the proxy, which names the real client
in ``X-Forwarded-For``. That header is the client's own words unless it was
written by a proxy we trust, so it is read only when the connection comes from
``JOBWISE_TRUSTED_PROXIES``, and then from the right: the first address that is
not itself a trusted proxy is the client (anything to its left was sent by the
client and may be forged).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

from aiohttp import web

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxies:
    networks: tuple[IpNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> TrustedProxies:
        """From addresses and CIDR ranges (``10.0.0.0/8``); raises ``ValueError`` on a bad one."""
        return cls(tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries))

    def trusts(self, address: str | None) -> bool:
        if address is None or not self.networks:
            return False
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client_address(self, peer: str | None, forwarded_for: str | None) -> str | None:
        """The client's address, given the connection's peer and ``X-Forwarded-For``."""
        if not forwarded_for or not self.trusts(peer):
            return peer
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            if not self.trusts(hop):
                return hop if _is_address(hop) else peer
        return hops[0] if hops and _is_address(hops[0]) else peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


TRUSTED_PROXIES = web.AppKey("trusted_proxies", TrustedProxies)


def client_ip(request: web.Request) -> str | None:
    """The calling client's address, as the app is configured to read it."""
    trusted = request.app.get(TRUSTED_PROXIES, TrustedProxies())
    return trusted.client_address(request.remote, request.headers.get("X-Forwarded-For"))
