"""The Redis client each adapter builds: a burst waits for a connection, it does not fail.

redis-py's default pool refuses a command outright (``MaxConnectionsError``) once
``max_connections`` (100 since redis-py 6) are busy, so one process serving more
requests than that at once would answer some with errors: a rate-limit check in
front of every request, a doorbell per appended update. A blocking pool makes the
extra ones queue for a free connection instead; every adapter still bounds the
whole call with its own timeout, so an outage surfaces as promptly as before.
"""

from __future__ import annotations

from typing import Any

from redis.asyncio import BlockingConnectionPool, Redis

MAX_CONNECTIONS = 100
"""Connections one client opens at most: enough that a burst rarely waits, few enough
that a fleet of processes stays far below Redis's own limit (10,000 clients)."""


def pooled_client(url: str, *, timeout: float, **connection: Any) -> Redis:
    """A client for ``url`` whose commands wait up to ``timeout`` s for a free connection;
    ``connection`` is passed to each connection (timeouts, retries, decoding)."""
    pool = BlockingConnectionPool.from_url(
        url, max_connections=MAX_CONNECTIONS, timeout=timeout, **connection
    )
    return Redis.from_pool(pool)
