"""End-to-end helpers: the real ``jobwise`` command, run as a subprocess.

Each ``serve`` gets a fresh data dir under the test's tmp dir, a free port and
an environment without ``MONGODB_URL``/``REDIS_URL``, so it starts its own
embedded SecantusDB. Every wait is bounded, and every process started here is
stopped in a ``finally`` (SIGTERM, then SIGKILL after a grace period), its
SecantusDB child included.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Coroutine, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from pymongo import AsyncMongoClient

from jobwise.adapters.eventstore.mongo import MongoEventStore
from jobwise.domain.events import EventMetadata, NewEvent
from tests.support.settings import GENEROUS_LIMITS

JOBWISE = [sys.executable, "-m", "jobwise.entrypoints.cli"]
DB_NAME = "jobwise"
READY_SECONDS = 60.0
EXIT_SECONDS = 30.0
CLI_SECONDS = 60.0
T = TypeVar("T")
_CLEARED = ("MONGODB_URL", "MONGODB_DB", "REDIS_URL", "JWT_SECRET_KEY", "OPENAI_API_KEY")


# -- environment and processes ---------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def jobwise_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The parent's environment, minus anything that points JobWise elsewhere, plus the
    suite's generous request limits (a test that polls must not meet the default 100 a
    minute; a test about a limit sets it in ``extra``)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in _CLEARED and not name.startswith("JOBWISE_")
    }
    env["JOBWISE_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(GENEROUS_LIMITS)
    env.update(extra)
    return env


def shared_env(mongo_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """What every process of one deployment shares: the database (a fresh one on the
    test session's server), Redis and the signing secret. Pass it to ``jobwise_env`` as
    ``extra``."""
    return {
        "MONGODB_URL": mongo_url,
        "MONGODB_DB": f"cluster_{uuid.uuid4().hex[:12]}",
        "REDIS_URL": redis_url,
        "JWT_SECRET_KEY": secrets.token_urlsafe(48),
        **extra,
    }


def run_jobwise(
    data_dir: Path,
    *args: str,
    timeout: float = CLI_SECONDS,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``jobwise ARGS`` to completion (bounded) and return its outcome."""
    try:
        return subprocess.run(
            [*JOBWISE, *args],
            env=env or jobwise_env(data_dir),
            cwd=data_dir.parent,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        # subprocess.run has killed it; its embedded server dies with it (PDEATHSIG).
        pytest.fail(
            f"`jobwise {' '.join(args)}` did not finish within {timeout:.0f}s; "
            f"stderr: {_text(expired.stderr)[-2000:]}"
        )


def run_jobwise_many(
    data_dir: Path,
    commands: Sequence[Sequence[str]],
    timeout: float = CLI_SECONDS,
    env: dict[str, str] | None = None,
) -> list[subprocess.CompletedProcess[str]]:
    """Run several ``jobwise`` commands at once (they only read), bounded as a whole."""
    started = [
        (
            list(args),
            subprocess.Popen(
                [*JOBWISE, *args],
                env=env or jobwise_env(data_dir),
                cwd=data_dir.parent,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            ),
        )
        for args in commands
    ]
    deadline = time.monotonic() + timeout
    results: list[subprocess.CompletedProcess[str]] = []
    try:
        for args, process in started:
            try:
                out, err = process.communicate(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pytest.fail(f"`jobwise {' '.join(args)}` did not finish within {timeout:.0f}s")
            results.append(subprocess.CompletedProcess(args, process.returncode, out, err))
    finally:
        for _args, process in started:
            if process.poll() is None:
                process.kill()
                process.communicate()
    return results


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


def pid_alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting to be reaped counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def wait_pid_gone(pid: int, timeout: float = EXIT_SECONDS) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.1)
    return not pid_alive(pid)


def processes_mentioning(needle: str) -> list[int]:
    """Pids (other than ours) whose command line contains ``needle``, read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if needle in cmdline and pid_alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def wait_no_process_mentioning(needle: str, timeout: float = EXIT_SECONDS) -> list[int]:
    deadline = time.monotonic() + timeout
    left = processes_mentioning(needle)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = processes_mentioning(needle)
    return left


def _kill_if_ours(pid: int, data_dir: Path) -> None:
    """SIGKILL a leftover SecantusDB child, after checking the pid still is ours."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return
    if str(data_dir.resolve()) in cmdline:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# -- HTTP -------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http_get(url: str, timeout: float = 10.0) -> Reply:
    request = urllib.request.Request(url, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Reply(response.status, dict(response.headers.items()), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers.items()), error.read())


# -- jobwise serve ----------------------------------------------------------------


@dataclass
class Serve:
    """One ``jobwise serve`` subprocess and what it published."""

    data_dir: Path
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    server_pid: int | None = None
    stopped_with: int | None = field(default=None)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, timeout: float = 10.0) -> Reply:
        return http_get(self.base + path, timeout)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def fail(self, why: str) -> None:
        pytest.fail(f"{why}\n--- serve output (tail) ---\n{self.log()[-3000:]}")

    def wait_ready(self, timeout: float = READY_SECONDS, *, embedded: bool = True) -> Reply:
        """Poll ``/ready`` until it answers 200; fail if serve exits or time runs out.
        ``embedded=False``: the serve uses ``MONGODB_URL``, no database of its own."""
        deadline = time.monotonic() + timeout
        last: Reply | str = "no answer"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.fail(f"serve exited with {self.process.returncode} before it was ready")
            try:
                reply = self.get("/ready", timeout=5.0)
            except (OSError, urllib.error.URLError) as error:
                last = repr(error)
            else:
                if reply.status == 200:
                    if embedded:
                        self.embedded()
                    return reply
                last = reply
            time.sleep(0.2)
        self.fail(f"/ready not 200 within {timeout:.0f}s (last: {last!r})")
        raise AssertionError("unreachable")

    def embedded(self) -> dict[str, Any]:
        """``embedded.json`` as this serve published it; remembers the SecantusDB pid."""
        published = json.loads((self.data_dir / "embedded.json").read_text())
        assert published["pid"] == self.process.pid, published
        self.server_pid = int(published["server_pid"])
        return published

    @property
    def mongo_url(self) -> str:
        url: str = self.embedded()["url"]
        return url

    def stop(self, sig: int = signal.SIGTERM, timeout: float = EXIT_SECONDS) -> int:
        """Send ``sig`` and wait for the exit code; fail (after killing it) if it hangs."""
        self.stopped_with = sig
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.terminate()
            self.fail(f"serve did not exit within {timeout:.0f}s of signal {sig}")
            raise

    def terminate(self, grace: float = 15.0) -> None:
        """Teardown: make sure serve and its SecantusDB child are gone, whatever happened."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=grace)
        if self.server_pid is not None and not wait_pid_gone(self.server_pid, grace):
            _kill_if_ours(self.server_pid, self.data_dir)
            wait_pid_gone(self.server_pid, 5.0)


def start_serve(
    data_dir: Path,
    *,
    port: int | None = None,
    env: dict[str, str] | None = None,
    log_name: str = "serve",
    args: Sequence[str] = (),
) -> Serve:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    port = port or free_port()
    log_path = data_dir.parent / f"{log_name}-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*JOBWISE, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
            env=env or jobwise_env(data_dir),
            cwd=data_dir.parent,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Serve(data_dir, port, process, log_path)


def start_worker(
    data_dir: Path, env: dict[str, str], name: str = "worker", *args: str
) -> subprocess.Popen[bytes]:
    """``jobwise worker`` beside a serve (or alone); its output in ``<name>.log`` next to
    ``data_dir``. Stop it with ``stopped``."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    log = (data_dir.parent / f"{name}.log").open("wb")
    return subprocess.Popen(
        [*JOBWISE, "worker", *args],
        env=env,
        cwd=data_dir.parent,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stopped(process: subprocess.Popen[bytes]) -> int:
    """SIGTERM, then its exit code; killed (and the test failed) if it will not stop."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=EXIT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise


@contextlib.contextmanager
def running_serve(data_dir: Path, **kwargs: Any) -> Iterator[Serve]:
    """A ready ``jobwise serve`` on ``data_dir``, always stopped afterwards."""
    serve = start_serve(data_dir, **kwargs)
    try:
        serve.wait_ready()
        yield serve
    finally:
        serve.terminate()


@pytest.fixture
def serve_factory(tmp_path: Path) -> Iterator[Callable[..., Serve]]:
    """Start (not wait for) serves on demand; all of them are stopped at teardown."""
    started: list[Serve] = []

    def start(data_dir: Path | None = None, **kwargs: Any) -> Serve:
        serve = start_serve(data_dir or tmp_path / "data", **kwargs)
        started.append(serve)
        return serve

    try:
        yield start
    finally:
        for serve in started:
            serve.terminate()


# -- writing events straight into the store -------------------------------------


@dataclass(frozen=True)
class Appended:
    stream_id: str
    stream_type: str
    type: str
    event_id: str
    user_id: str


def append_events(mongo_url: str, plan: Sequence[tuple[str, str, Sequence[str]]]) -> list[Appended]:
    """Append, in order, each ``(stream_id, stream_type, [event types])`` as one append.

    Goes through ``MongoEventStore`` on the server that ``serve`` published,
    as another process of the application would.
    """
    user_id = f"user-{uuid.uuid4().hex[:8]}"

    async def write() -> list[Appended]:
        client: AsyncMongoClient[Any] = AsyncMongoClient(
            mongo_url, tz_aware=True, serverSelectionTimeoutMS=10_000
        )
        written: list[Appended] = []
        try:
            store = await MongoEventStore.open(client, client[DB_NAME])
            try:
                versions: dict[str, int] = {}
                for stream_id, stream_type, types in plan:
                    events = [
                        NewEvent(type=t, data={"n": i, "stream": stream_id})
                        for i, t in enumerate(types)
                    ]
                    await store.append(
                        stream_id,
                        events,
                        versions.get(stream_id, 0),
                        stream_type=stream_type,
                        metadata=EventMetadata(user_id=user_id, correlation_id=str(uuid.uuid4())),
                    )
                    versions[stream_id] = versions.get(stream_id, 0) + len(events)
                    written.extend(
                        Appended(stream_id, stream_type, e.type, e.event_id, user_id)
                        for e in events
                    )
            finally:
                # Bounded: see the report about cancellations lost by Python 3.11's wait_for.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(store.close(), 10.0)
        finally:
            await client.close()
        return written

    return _run_isolated(asyncio.wait_for(write(), 60.0))


def _run_isolated(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` on a private loop, leaving the current event loop (pytest-asyncio's) alone."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(work)
    finally:
        leftovers = asyncio.all_tasks(loop)
        for task in leftovers:
            task.cancel()
        if leftovers:
            loop.run_until_complete(asyncio.wait(leftovers, timeout=5.0))
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.close()


def event_lines(output: str) -> list[dict[str, Any]]:
    """Parse ``jobwise events --json`` output: one JSON object per non-empty line."""
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def call(
    base: str,
    method: str,
    path: str,
    token: str | None = None,
    body: Any = None,
    timeout: float = 30,
) -> tuple[int, Any]:
    """The API as a script sees it: (status, the JSON body, or the bytes of a file)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, kind = response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers["Content-Type"]
    if raw and (kind or "").startswith("application/json"):
        return status, json.loads(raw)
    return status, raw or None
