"""A real, throwaway ``redis-server`` for tests.

Tests never touch a Redis that might already run on the machine: each
``RedisServer`` starts its own on a free loopback port, persists nothing, and
is always stopped (terminated, then killed if it lingers) on exit.
"""

from __future__ import annotations

import atexit
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

STOP_TIMEOUT = 5.0


class RedisServerError(RuntimeError):
    """The test Redis could not be found or started."""


class RedisServer:
    """``with RedisServer() as redis: ... redis.url ...``; ``stop()``/``start()`` for outages."""

    def __init__(self, *, startup_timeout: float = 10.0) -> None:
        self.executable = _find_redis_server()
        self.port = _free_port()
        self.startup_timeout = startup_timeout
        self._dir = Path(tempfile.mkdtemp(prefix="jobwise-redis-"))
        self._process: subprocess.Popen[bytes] | None = None
        # Safety net for a test run that dies without reaching ``__exit__``.
        atexit.register(self.stop)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pid(self) -> int | None:
        """The server's process id while it runs (the bench meters its CPU)."""
        return self._process.pid if self.running and self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start (or restart, on the same port) and return once it answers PING."""
        if self.running:
            return
        self._process = subprocess.Popen(
            self._command(),
            cwd=self._dir,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Terminate and reap the server; kill it if it does not exit in time."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

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
        atexit.unregister(self.stop)
        shutil.rmtree(self._dir, ignore_errors=True)

    def _command(self) -> list[str]:
        return [
            self.executable,
            "--port", str(self.port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", str(self._dir),
            "--logfile", str(self._log),
        ]  # fmt: skip

    @property
    def _log(self) -> Path:
        return self._dir / "redis.log"

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                raise RedisServerError(f"redis-server exited at startup:\n{self._log_tail()}")
            if _answers_ping(self.port):
                return
            time.sleep(0.02)
        raise RedisServerError(
            f"redis-server did not answer PING within {self.startup_timeout}s:\n{self._log_tail()}"
        )

    def _log_tail(self) -> str:
        try:
            return "\n".join(self._log.read_text(errors="replace").splitlines()[-20:])
        except OSError:
            return "(no log)"


def _find_redis_server() -> str:
    path = shutil.which("redis-server")
    if path is None:
        raise RedisServerError(
            "redis-server is not on PATH; install it (e.g. `apt-get install redis-server`)"
        )
    return path


def _free_port() -> int:
    # The OS picks a port that is free now; the server binds it a moment later.
    # Redis sets SO_REUSEADDR, so a restart can take the same port back.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False
