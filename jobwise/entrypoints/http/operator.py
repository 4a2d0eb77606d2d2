"""Who may read the operator's pages (``/status``): the machine itself, or a token holder.

``/status`` shows the event store's head and each projection's position: harmless to a
user, useful to someone mapping the system. It is answered to a client on loopback (the
address the app believes, so behind a trusted proxy the forwarded client, not the proxy;
a request an untrusted proxy relayed is not taken for one from this machine) or to a
request carrying ``Authorization: Bearer <JOBWISE_OPERATOR_TOKEN>``.
"""

from __future__ import annotations

import hmac
import ipaddress

from aiohttp import web

from jobwise.domain.errors import Forbidden
from jobwise.entrypoints.http.clients import TRUSTED_PROXIES, TrustedProxies, client_ip
from jobwise.entrypoints.http.keys import SETTINGS


def require_operator(request: web.Request) -> None:
    if _from_this_machine(request) or _holds_operator_token(request):
        return
    raise Forbidden(
        "Only an operator may read this: ask from the server's own machine, or send "
        "Authorization: Bearer <JOBWISE_OPERATOR_TOKEN>."
    )


def _from_this_machine(request: web.Request) -> bool:
    """On loopback, and not relayed from elsewhere: a request that says it is relayed
    (``X-Forwarded-For``) counts only from a trusted proxy, and only for a client address
    the header itself gives (a garbage header must not leave the proxy's own address)."""
    relayed = request.headers.get("X-Forwarded-For")
    if relayed is None:
        return _on_loopback(request.remote)
    trusted = request.app.get(TRUSTED_PROXIES, TrustedProxies())
    if not trusted.trusts(request.remote):
        return False
    address = client_ip(request)
    hops = {hop.strip() for hop in relayed.split(",")}
    return address in hops and _on_loopback(address)


def _on_loopback(address: str | None) -> bool:
    if address is None:
        return False
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _holds_operator_token(request: web.Request) -> bool:
    expected = request.app[SETTINGS].operator_token
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if expected is None or scheme.lower() != "bearer" or not presented:
        return False
    return hmac.compare_digest(presented.strip().encode(), expected.get_secret_value().encode())
