"""A real, throwaway nginx (Debian's package) in front of local API processes.

The test's own nginx: its own prefix directory (config, pid, logs and temp files all
under it), a free loopback port, ``daemon off`` so it is our child, and always stopped
(SIGTERM to its process group, then SIGKILL) on exit. A system nginx, if one runs, is
never touched.

The proxy rules are the production ones (``deploy/nginx/locations.conf``, which
docker-compose's nginx includes too), in a ``server`` of the test's own, whose
``jobwise_api`` upstream lists the local API processes. The test adds only what it
needs to look inside: which upstream served each response (``X-Upstream``, from
``$upstream_addr``), and a source address of its own towards the upstreams
(``proxy_bind``), so an API that believes ``X-Forwarded-For`` from that address only
proves it read the header nginx wrote.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import SimpleNamespace, TracebackType
from typing import Self

import aiohttp

STOP_TIMEOUT = 10.0
LOCATIONS = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "locations.conf"
"""The production proxy rules."""
UPSTREAM = "jobwise_api"
"""The upstream's name, as ``LOCATIONS`` passes requests to it."""
UPSTREAM_HEADER = "X-Upstream"
PROBE = "probe"
"""The query parameter ``UpstreamTrace`` knows a request by."""
NGINX_PATHS = ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
"""Where Debian puts it: not on a regular user's PATH."""


class NginxError(RuntimeError):
    """nginx is missing, refused its configuration, or did not start."""


def find_nginx() -> str:
    found = shutil.which("nginx") or next((p for p in NGINX_PATHS if os.access(p, os.X_OK)), None)
    if found is None:
        raise NginxError(
            "nginx is not installed; `./run test` installs it (Debian package `nginx`: "
            "`apt-get install nginx`)"
        )
    return found


class Nginx:
    """``with Nginx(root, upstreams, ...) as proxy: ... proxy.base ...``"""

    def __init__(
        self,
        root: Path,
        upstreams: Sequence[str],
        *,
        bind_address: str | None = None,
        startup_timeout: float = 10.0,
    ) -> None:
        self.executable = find_nginx()
        self.root = root
        self.upstreams = list(upstreams)
        self.bind_address = bind_address
        self.startup_timeout = startup_timeout
        self.port = _free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.root / "nginx.conf"

    @property
    def error_log(self) -> Path:
        return self.root / "error.log"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.root / "temp" / temp).mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self.config())
        self._check_config()
        with self.error_log.open("ab") as log:
            self._process = subprocess.Popen(
                [*self._command(), "-g", "daemon off;"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                # Its workers in its group: stop() reaches them even if the master died.
                start_new_session=True,
            )
        try:
            self._wait_until_listening()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # a worker left behind

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.error_log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # -- configuration ------------------------------------------------------------------

    def config(self) -> str:
        servers = "\n".join(f"        server {address};" for address in self.upstreams)
        # As root, nginx would run its workers as nobody, who cannot write the test's
        # temp directories (a request body over 16 KB is buffered there).
        user = "user root root;" if os.geteuid() == 0 else ""
        bind = f"proxy_bind {self.bind_address};" if self.bind_address else ""
        return f"""\
{user}
worker_processes 1;
pid {self.root / "nginx.pid"};
error_log {self.error_log} warn;
events {{ worker_connections 512; }}
http {{
    access_log off;
    client_body_temp_path {self.root / "temp" / "client_body"};
    proxy_temp_path {self.root / "temp" / "proxy"};
    fastcgi_temp_path {self.root / "temp" / "fastcgi"};
    uwsgi_temp_path {self.root / "temp" / "uwsgi"};
    scgi_temp_path {self.root / "temp" / "scgi"};

    # Round robin over every API process, as in production: no sticky sessions, and
    # no keep-alive to them.
    upstream {UPSTREAM} {{
{servers}
    }}

    server {{
        listen 127.0.0.1:{self.port};
        {bind}
        add_header {UPSTREAM_HEADER} $upstream_addr always;
        include {LOCATIONS};
    }}
}}
"""

    def _command(self) -> list[str]:
        # No ``-e`` (nginx 1.19.5 and newer): until it reads ``error_log`` from the
        # config, Debian's nginx logs to stderr, which goes to the same file.
        return [self.executable, "-p", str(self.root), "-c", str(self.config_path)]

    def _check_config(self) -> None:
        checked = subprocess.run(
            [*self._command(), "-t", "-q"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=STOP_TIMEOUT,
            check=False,
        )
        if checked.returncode != 0:
            raise NginxError(
                f"nginx refused {self.config_path}:\n{checked.stderr}\n{self.config()}"
            )

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                raise NginxError(f"nginx exited at startup:\n{self.log_tail()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return
            time.sleep(0.05)
        raise NginxError(f"nginx did not listen within {self.startup_timeout}s:\n{self.log_tail()}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def served_by(headers: Mapping[str, str]) -> str:
    """The upstream (``host:port``) that answered, as the test's nginx says. When nginx
    tried several (the first refused the connection), it lists them all: the last one
    answered."""
    upstream = headers.get(UPSTREAM_HEADER)
    assert upstream, f"no {UPSTREAM_HEADER} header: did the request go through the test's nginx?"
    return upstream.split(",")[-1].strip()


class UpstreamTrace:
    """Which upstream answered each request of an aiohttp session that carries a
    ``?probe=<label>`` of its own: a WebSocket's handshake too, whose response headers
    aiohttp does not otherwise show."""

    def __init__(self) -> None:
        self.by_label: dict[str, str] = {}

    def config(self) -> aiohttp.TraceConfig:
        config = aiohttp.TraceConfig()
        config.on_request_end.append(self._ended)
        return config

    async def _ended(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        label = params.url.query.get(PROBE)
        if label is not None:
            self.by_label[label] = served_by(params.response.headers)
