"""Serving the app on a public port: aiohttp's server, guarded against what clients do.

``web.run_app`` serves well-behaved clients; a public port also meets these:

* a request whose headers are too long or not HTTP at all is answered by aiohttp
  itself, below the middlewares, in plain text that quotes the offending header
  (a bearer token's first 100 characters) into the body and the log. Here it is
  answered in the contract's JSON error shape, logged in one line, quoting nothing;
* connections are capped (in all, and per client address) below the process's
  file-descriptor limit, so a flood of idle or stalled sockets is turned away
  with a 503 instead of exhausting descriptors until ``accept()`` fails for
  everyone (``/health`` included);
* an idle keep-alive connection is closed after ``keepalive_timeout``; a body
  that stalls is cut by ``jobwise.entrypoints.http.api`` after ``body_timeout``, and what is
  left of a body nobody read is drained for a second at most, not ten.

``listen`` takes the port before anything slow starts (the embedded database, the
app, its worker), so a port already in use is an ``OSError`` for the caller to report
in one line at once; ``serve`` serves on it with these in place until SIGTERM/SIGINT,
then drains within ``JOBWISE_DRAIN_SECONDS``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import resource
import socket
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import orjson
from aiohttp import web
from aiohttp.http_exceptions import LineTooLong
from aiohttp.web_request import BaseRequest

from jobwise.entrypoints.http.clients import TrustedProxies
from jobwise.entrypoints.http.middleware import SERVER_NAME, add_safety_headers
from jobwise.entrypoints.shutdown import Shutdown

log = logging.getLogger("jobwise.http")

RESERVED_DESCRIPTORS = 256
"""Descriptors kept out of the connection cap: database and Redis pools, files, logs."""
LINGERING_SECONDS = 1.0
"""After answering a request whose body was not read to its end (refused early, or
stalled), drain it this long at most before closing; aiohttp's default is 10 s."""


@dataclass
class ConnectionGuard:
    """How many connections may be open at once, in all and from one address."""

    max_connections: int
    max_per_address: int
    trusted: TrustedProxies = field(default_factory=TrustedProxies)
    _open: int = 0
    _by_address: Counter[str] = field(default_factory=Counter)

    def admit(self, address: str | None) -> bool:
        if self._open >= self.max_connections:
            return False
        counted = address is not None and not self.trusted.trusts(address)
        if counted and self._by_address[address or ""] >= self.max_per_address:
            return False
        self._open += 1
        if counted:
            self._by_address[address or ""] += 1
        return True

    def release(self, address: str | None) -> None:
        self._open -= 1
        if address is not None and address in self._by_address:
            self._by_address[address] -= 1
            if self._by_address[address] <= 0:
                del self._by_address[address]


def error_body(status: int, code: str, message: str) -> bytes:
    return orjson.dumps({"error": {"code": code, "message": message, "details": {}}})


_AT_CAPACITY = (
    b"HTTP/1.1 503 Service Unavailable\r\n"
    b"Content-Type: application/json; charset=utf-8\r\n"
    b"Retry-After: 1\r\nConnection: close\r\nServer: " + SERVER_NAME.encode() + b"\r\n"
)


class GuardedRequestHandler(web.RequestHandler):
    """One connection: admitted by the guard, and protocol errors answered in JSON."""

    def __init__(self, manager: GuardedServer, **kwargs: Any) -> None:
        super().__init__(manager, **kwargs)
        self._guard = manager.guard
        self._admitted = False
        self._address: str | None = None
        self._last_request = False

    # -- draining: a request in flight is read to its end and answered ------------------
    # aiohttp's ``close()`` and ``shutdown()`` stop reading the connection first, then wait
    # for the handler: a request still receiving its body would never get the rest, and
    # would wait until the drain cancelled it. Here it reads on until it is answered.

    def close(self) -> None:
        """Close once the request in flight, if any, is answered."""
        if self._request_in_progress and not self._force_close:
            self._last_request = True
            return
        super().close()

    async def shutdown(self, timeout: float | None = 15.0) -> None:  # noqa: ASYNC109 (aiohttp's)
        """Wait (within ``timeout``) for the request in flight, still reading; then as
        aiohttp does: stop reading, cancel a handler that is still running, close."""
        if self._request_in_progress and not self._force_close and timeout:
            loop = asyncio.get_running_loop()
            started = loop.time()
            self._handler_waiter = loop.create_future()  # resolved as the handler ends
            try:
                async with asyncio.timeout(timeout):
                    await self._handler_waiter
            except TimeoutError:
                pass
            finally:
                self._handler_waiter = None
            timeout = max(0.001, timeout - (loop.time() - started))
        await super().shutdown(timeout)

    async def finish_response(
        self, request: BaseRequest, resp: web.StreamResponse, start_time: float | None
    ) -> tuple[web.StreamResponse, bool]:
        if self._last_request:
            resp.force_close()  # "Connection: close", and no other request on it
        return await super().finish_response(request, resp, start_time)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        peer = transport.get_extra_info("peername")
        self._address = peer[0] if isinstance(peer, tuple) and peer else None
        self._admitted = self._guard.admit(self._address)
        if self._admitted:
            return
        body = error_body(503, "too_many_connections", "Too many connections; retry shortly.")
        length = f"Content-Length: {len(body)}\r\n\r\n".encode()
        with contextlib.suppress(OSError, RuntimeError):
            cast(asyncio.Transport, transport).write(_AT_CAPACITY + length + body)
        self.force_close()
        transport.close()

    def connection_lost(self, exc: BaseException | None) -> None:
        if self._admitted:
            self._guard.release(self._address)
            self._admitted = False
        super().connection_lost(exc)

    def handle_error(
        self,
        request: BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """Answer a request aiohttp could not parse (or a crash below the middlewares).

        The exception's text may quote the request (a header's first 100 characters),
        so neither the answer nor the log repeats it: only its kind.
        """
        if isinstance(exc, LineTooLong):
            status, code = 431, "header_too_large"
            text = "A request header or the request line is longer than the server accepts."
        elif status == 500:
            code, text = "internal_error", "Something went wrong on our side."
        else:
            code, text = "malformed_request", "The request is not valid HTTP."
        log.warning(
            "refused a request from %s: %s",
            request.remote,
            type(exc).__name__ if exc else status,
            extra={"status": status},
        )
        if request.writer.output_size > 0:  # a response was already on its way
            raise ConnectionError("cannot answer: a response was already sent")
        response = web.Response(
            status=status, body=error_body(status, code, text), content_type="application/json"
        )
        add_safety_headers(response, private=True)
        response.force_close()
        return response


class GuardedServer(web.Server):
    def __init__(self, *args: Any, guard: ConnectionGuard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard

    def __call__(self) -> web.RequestHandler:
        return GuardedRequestHandler(self, loop=self._loop, **self._kwargs)


class GuardedAppRunner(web.AppRunner):
    """``web.AppRunner`` whose connections are ``GuardedRequestHandler``s."""

    def __init__(
        self,
        app: web.Application,
        guard: ConnectionGuard,
        *,
        keepalive_timeout: float,
        shutdown_timeout: float = 10.0,
    ) -> None:
        super().__init__(
            app,
            access_log=None,
            keepalive_timeout=keepalive_timeout,
            shutdown_timeout=shutdown_timeout,
        )
        self._guard = guard
        self._keepalive_timeout = keepalive_timeout
        self._requests_until: float | None = None

    def finish_requests_within(self, seconds: float) -> None:
        """On ``cleanup()``, give requests in flight until ``seconds`` from now (however
        long ``on_shutdown`` takes), then cancel them."""
        self._requests_until = time.monotonic() + seconds

    async def shutdown(self) -> None:
        await super().shutdown()  # the app's on_shutdown
        if self._requests_until is not None:
            # aiohttp waits this long for the handlers, right after this returns; it takes
            # 0 as "no limit", so the least is a millisecond.
            left = self._requests_until - time.monotonic()
            self._shutdown_timeout = max(0.001, left)

    async def _make_server(self) -> web.Server:
        plain = await super()._make_server()  # starts the app (cleanup_ctx, on_startup)
        return GuardedServer(
            plain.request_handler,
            request_factory=plain.request_factory,
            handler_cancellation=plain.handler_cancellation,
            guard=self._guard,
            access_log=None,
            keepalive_timeout=self._keepalive_timeout,
            lingering_time=LINGERING_SECONDS,
            # Request bodies are taken as sent: the parser would otherwise inflate a
            # gzip "bomb" (1 MB in, 1 GB out) on the event loop before any handler could
            # refuse it; a compressed body is refused by ``read_body`` instead (415).
            auto_decompress=False,
        )


def descriptor_budget() -> int:
    """Raise the soft open-files limit to the hard one; the connections that leaves room for."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if wanted > soft:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
    return max(16, soft - RESERVED_DESCRIPTORS)


BACKLOG = 1024


def listen(host: str, port: int) -> list[socket.socket]:
    """Listening sockets on ``host:port``, one per address ``host`` resolves to (as
    ``web.TCPSite`` binds them: ``localhost`` may be ::1 and 127.0.0.1).

    Raises ``OSError`` when the port is taken (``socket.gaierror`` when ``host`` does
    not resolve); connections that arrive before the app has started wait in the
    backlog instead of being refused."""
    addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    distinct = list(dict.fromkeys((family, address) for family, _, _, _, address in addresses))
    if port == 0:
        distinct = distinct[:1]  # each socket would take a different free port
    listeners: list[socket.socket] = []
    try:
        for family, address in distinct:
            listeners.append(_bound(family, address))
    except OSError:
        for listener in listeners:
            listener.close()
        raise
    return listeners


def _bound(family: int, address: Any) -> socket.socket:
    listener = socket.socket(family, socket.SOCK_STREAM)
    try:
        # As asyncio's create_server does: a restart may reuse a port in TIME_WAIT, and an
        # IPv6 socket beside an IPv4 one on the same port listens on IPv6 alone.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        listener.bind(address)
        listener.listen(BACKLOG)
    except OSError:
        listener.close()
        raise
    listener.setblocking(False)
    return listener


async def serve(
    app: web.Application,
    *,
    listeners: Sequence[socket.socket],
    guard: ConnectionGuard,
    keepalive_timeout: float,
    drain_seconds: float,
    drain_work_seconds: float,
    announce: Callable[[str], None],
) -> None:
    """Serve until SIGTERM/SIGINT, then drain (``jobwise.entrypoints.shutdown``).

    The drain, in ``runner.cleanup()``'s order: the listening sockets close (a new
    connection is refused, so a proxy tries another replica), idle keep-alive connections
    close, the app's ``on_shutdown`` begins the generation worker's drain, closes live
    WebSockets with 1001 and ends event streams; requests in flight have until
    ``drain_work_seconds`` after the signal to finish (then they are cancelled); then
    the runtime closes."""
    shutdown = Shutdown(drain_seconds, announce)
    shutdown.install()  # a signal during start-up drains too, once started
    runner = GuardedAppRunner(app, guard, keepalive_timeout=keepalive_timeout)
    await runner.setup()
    try:
        if not shutdown.requested.is_set():  # else: signalled while starting
            for listener in listeners:
                # The site listens again: aiohttp's default would shrink the backlog.
                await web.SockSite(runner, listener, backlog=BACKLOG).start()
            urls = " and ".join(site_url(listener) for listener in listeners)
            announce(f"JobWise serving on {urls} (Ctrl+C to stop)")
            await shutdown.wait()
        runner.finish_requests_within(drain_work_seconds)
    finally:
        await runner.cleanup()


def site_url(listener: socket.socket) -> str:
    host, port = listener.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def run(main: Any) -> None:
    """Run the ``serve`` coroutine to the end on a new loop; an error at start propagates
    to the caller."""
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    task = loop.create_task(main)
    try:
        loop.run_until_complete(task)
    finally:
        try:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    loop.run_until_complete(task)
        finally:
            _cancel_all(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()


def _cancel_all(loop: asyncio.AbstractEventLoop) -> None:
    tasks = asyncio.all_tasks(loop)
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
