"""The compose stack's proxy rules (deploy/nginx/locations.conf) in a real nginx, in front
of two real ``jobwise serve`` replicas on one database and one Redis: round robin, the
WebSocket upgrade, the client's address (X-Forwarded-For, believed because
``JOBWISE_TRUSTED_PROXIES`` names the proxy) and Host (the web client's Origin check),
the body limit answered in the API's error shape, and a replica drained behind it
without a client noticing.

nginx itself runs here with its own small ``http`` block (its upstream: the two
replicas) around the same ``include``. Skipped where there is no ``nginx`` binary.
Clients speak from addresses of their own on the loopback network (127.0.0.x), so the
API can tell them apart only through the proxy's X-Forwarded-For.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from tests.e2e.conftest import Serve, free_port, jobwise_env, start_serve
from tests.e2e.test_account_story import PASSWORD
from tests.support.redis_server import RedisServer
from tests.unit.test_compose import NGINX, ROOT, temp_paths

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(NGINX is None, reason="no nginx binary on this machine"),
]

LOCATIONS = ROOT / "deploy" / "nginx" / "locations.conf"
MAX_BODY = 1024 * 1024


@dataclass
class Stack:
    port: int
    replicas: list[Serve]
    nginx: subprocess.Popen[bytes]
    log: Path

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        *,
        source: str = "127.0.0.2",
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        """One request through the proxy, sent from ``source``."""
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=30, source_address=(source, 0)
        )
        try:
            sent = {"Content-Type": "application/json", **(headers or {})}
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def register(self, source: str, **headers: str) -> int:
        email = f"proxy-{secrets.token_hex(4)}@example.com"
        body = json.dumps({"email": email, "password": PASSWORD, "full_name": "Ada Lovelace"})
        status, _, _ = self.request(
            "POST", "/api/v1/auth/register", body.encode(), source=source, headers=headers
        )
        return status


def nginx_conf(directory: Path, listen: int, upstreams: list[int]) -> Path:
    servers = "".join(f"        server 127.0.0.1:{port};\n" for port in upstreams)
    as_root = "user root;\n" if os.geteuid() == 0 else ""  # its scratch files are ours
    conf = directory / "nginx.conf"
    conf.write_text(
        f"{as_root}worker_processes 1;\nevents {{ worker_connections 256; }}\n"
        f"http {{\n{temp_paths(directory)}    access_log {directory / 'access.log'};\n"
        f"    upstream jobwise_api {{\n{servers}    }}\n"
        f"    server {{\n        listen 127.0.0.1:{listen};\n"
        f"        include {LOCATIONS};\n    }}\n}}\n"
    )
    return conf


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, mongo_url: str) -> Iterator[Stack]:
    root = tmp_path_factory.mktemp("proxy")
    assert NGINX is not None
    with RedisServer() as redis:
        shared = {
            "MONGODB_URL": mongo_url,
            "MONGODB_DB": f"proxy_{secrets.token_hex(6)}",
            "REDIS_URL": redis.url,
            "JWT_SECRET_KEY": secrets.token_urlsafe(48),
            "JOBWISE_WORKER_CONCURRENCY": "0",
            "JOBWISE_TRUSTED_PROXIES": "127.0.0.1",  # where nginx connects from
            "JOBWISE_REGISTRATIONS_PER_HOUR": "1",  # per client address, across replicas
            "JOBWISE_DRAIN_SECONDS": "10",
        }
        replicas = [
            start_serve(root / n / "data", env=jobwise_env(root / n / "data", **shared), log_name=n)
            for n in ("a", "b")
        ]
        port = free_port()
        conf = nginx_conf(root, port, [replica.port for replica in replicas])
        log = root / "nginx.log"
        directives = f"daemon off; pid {root / 'nginx.pid'};"
        with log.open("wb") as out:
            nginx = subprocess.Popen(
                [NGINX, "-e", "stderr", "-p", f"{root}/", "-c", str(conf), "-g", directives],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            for replica in replicas:
                replica.wait_ready(embedded=False)
            yield Stack(port, replicas, nginx, log)
        finally:
            nginx.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                nginx.wait(timeout=10)
            if nginx.poll() is None:
                nginx.kill()
                nginx.wait()
            for replica in replicas:
                replica.terminate()


def test_requests_go_round_robin_to_every_replica(stack: Stack) -> None:
    marker = secrets.token_hex(6)  # the replicas log each request's id
    answers = [
        stack.request("GET", "/health", headers={"X-Request-ID": f"{marker}-{n}"})[0]
        for n in range(6)
    ]

    assert answers == [200] * 6
    seen = [replica.log().count(marker) for replica in stack.replicas]
    assert seen == [3, 3]  # in turn, no stickiness


def test_the_api_sees_each_client_behind_the_proxy_and_not_what_it_claims(
    stack: Stack,
) -> None:
    """One registration an hour per client address (shared by the replicas through
    Redis): two clients behind the proxy are two addresses, and a client that sends its
    own X-Forwarded-For is still itself."""
    first = [stack.register("127.0.0.3"), stack.register("127.0.0.3")]
    other = stack.register("127.0.0.4")
    spoofing = stack.register("127.0.0.4", **{"X-Forwarded-For": "127.0.0.77"})

    assert first == [201, 429]
    assert other == 201  # another client, not "the proxy" again
    assert spoofing == 429  # still 127.0.0.4: the proxy adds the real address last


def test_a_body_over_the_limit_is_refused_by_the_proxy_in_the_apis_words(stack: Stack) -> None:
    status, headers, body = stack.request("POST", "/api/v1/auth/login", b"x" * (MAX_BODY + 1))
    at_limit, _, answered = stack.request("POST", "/api/v1/auth/login", b" " * MAX_BODY)

    assert status == 413
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body)["error"] == {
        "code": "payload_too_large",
        "message": "The request body is larger than the server accepts.",
        "details": {"max_bytes": MAX_BODY},
    }
    assert headers["Server"] == "nginx"  # no version
    # A body of exactly the limit is the API's to judge (here: not JSON).
    assert at_limit == 422 and json.loads(answered)["error"]["code"] != "payload_too_large"


async def test_the_web_clients_websocket_works_through_the_proxy(stack: Stack) -> None:
    """The page at http://127.0.0.1:<proxy port>/ opens its socket with that Origin: the
    upgrade is passed on, and so is the Host (with its port) the Origin is compared with."""
    token = _token(stack, "127.0.0.5")
    origin = f"http://127.0.0.1:{stack.port}"
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(
            f"{origin}/api/v1/ws?token={token}", headers={"Origin": origin}
        )
        authenticated = await ws.receive_json(timeout=30)
        await ws.send_json({"type": "ping"})
        pong = await ws.receive_json(timeout=30)
        await ws.close()
        refused = await session.get(
            f"{origin}/api/v1/ws?token={token}",
            headers={"Origin": "http://elsewhere.example", "Upgrade": "websocket"},
        )

    assert authenticated["type"] == "authenticated" and pong == {"type": "pong"}
    assert refused.status == 403  # another page's origin, as without the proxy


def test_a_replica_drained_behind_the_proxy_costs_clients_nothing(stack: Stack) -> None:
    """SIGTERM to one replica (a rolling restart): its port refuses, the proxy sends
    every request to the other one, and no client sees an error. Last in this module:
    it stops replica A."""
    a, b = stack.replicas
    a.process.send_signal(signal.SIGTERM)
    answers = []
    deadline = time.monotonic() + 30
    while a.process.poll() is None and time.monotonic() < deadline:
        answers.append(stack.request("GET", "/ready")[0])
    answers += [stack.request("GET", "/ready")[0] for _ in range(5)]

    assert a.process.wait(timeout=30) == 0
    assert len(answers) > 5 and set(answers) == {200}
    assert b.process.poll() is None


def _token(stack: Stack, source: str) -> str:
    email = f"socket-{secrets.token_hex(4)}@example.com"
    body = json.dumps({"email": email, "password": PASSWORD, "full_name": "Ada Lovelace"})
    status, _, answer = stack.request("POST", "/api/v1/auth/register", body.encode(), source=source)
    assert status == 201, answer
    token: str = json.loads(answer)["access_token"]
    return token
