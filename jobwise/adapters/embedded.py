"""The embedded default: SecantusDB (a MongoDB-wire server) as a child process.

SecantusDB is GPL-2.0; JobWise talks to it only over the wire and never
imports it. The child:

* listens on a free loopback port, with its data under ``<data dir>/db``;
* is asked to die with its parent (``PR_SET_PDEATHSIG``), so even a
  ``kill -9`` of ``jobwise serve`` leaves no orphan behind;
* is started with ``--sync-on-commit`` by default, so a write a client was
  told about survives a crash of the machine, not only of the process.

One process at a time owns a data dir, through an ``flock`` on
``<data dir>/jobwise.lock``. The owner publishes the server's address in
``<data dir>/embedded.json`` so that CLI tools run beside ``jobwise serve``
reuse its server instead of opening the same files twice.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import orjson
from pymongo import MongoClient
from pymongo.errors import PyMongoError

LOCK_FILE = "jobwise.lock"
ADDRESS_FILE = "embedded.json"
_PR_SET_PDEATHSIG = 1


class EmbeddedError(RuntimeError):
    """The embedded server cannot be started or reached; the message says why."""


class DataDirBusy(EmbeddedError):
    """Another process owns this data dir."""


@dataclass
class DataDirLock:
    path: Path
    handle: IO[str]

    def release(self) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(self.handle, fcntl.LOCK_UN)
        self.handle.close()


def lock_data_dir(data_dir: Path) -> DataDirLock:
    """Own ``data_dir`` for this process, or raise ``DataDirBusy`` naming the owner."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / LOCK_FILE
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "unknown"
        handle.close()
        raise DataDirBusy(
            f"data dir {data_dir.resolve()} is in use by another jobwise process (pid {owner}); "
            "stop it, or set JOBWISE_DATA_DIR to another folder"
        ) from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return DataDirLock(path, handle)


def published_address(data_dir: Path) -> str | None:
    """The URL of the embedded server another live process runs on ``data_dir``, if any."""
    try:
        published = orjson.loads((data_dir / ADDRESS_FILE).read_bytes())
        os.kill(int(published["pid"]), 0)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    url = published.get("url")
    return url if isinstance(url, str) and _answers(url, timeout=2.0) else None


def retire_stale_server(data_dir: Path, grace_seconds: float = 30.0) -> None:
    """Wait for the server of a previous, dead owner of ``data_dir`` to finish exiting.

    Call with the data dir lock held. A killed owner's child gets SIGTERM at once
    but needs a few seconds to close its files; starting a new server on them
    before that fails. After the grace period it is killed: nobody owns it.
    """
    try:
        stale = int(orjson.loads((data_dir / ADDRESS_FILE).read_bytes())["server_pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return
    deadline = time.monotonic() + grace_seconds
    while _alive(stale) and _serves(stale, data_dir):
        if time.monotonic() > deadline:
            with contextlib.suppress(OSError):
                os.kill(stale, signal.SIGKILL)
        time.sleep(0.1)
    with contextlib.suppress(FileNotFoundError):
        (data_dir / ADDRESS_FILE).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _serves(pid: int, data_dir: Path) -> bool:
    """Is ``pid`` still a SecantusDB on this data dir (and not a recycled pid)?"""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        state = Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]
    except OSError:
        return False
    return state != "Z" and str((data_dir / "db").resolve()) in command


@dataclass
class EmbeddedServer:
    url: str
    process: subprocess.Popen[bytes]
    data_dir: Path
    log_path: Path

    def publish(self) -> None:
        payload = {"url": self.url, "pid": os.getpid(), "server_pid": self.process.pid}
        (self.data_dir / ADDRESS_FILE).write_bytes(orjson.dumps(payload))

    def stop(self, grace_seconds: float = 20.0) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.data_dir / ADDRESS_FILE).unlink()
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=grace_seconds)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_embedded(
    data_dir: Path,
    *,
    sync_on_commit: bool = True,
    in_memory: bool = False,
    startup_seconds: float = 60.0,
) -> EmbeddedServer:
    """Start SecantusDB and return once it answers a ping."""
    executable = _server_executable()
    data_dir.mkdir(parents=True, exist_ok=True)
    storage = ":memory:" if in_memory else str((data_dir / "db").resolve())
    log_path = data_dir / "secantusdb.log"
    port = _free_port()
    command = [
        executable,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--storage-path",
        storage,
        "--log-level",
        "WARNING",
    ]
    if sync_on_commit:
        command.append("--sync-on-commit")
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            # In memory there is nothing to flush: SIGKILL, which a busy server cannot
            # outlive (seen: in-memory test servers spinning on after SIGTERM).
            preexec_fn=functools.partial(
                _die_with_parent, signal.SIGKILL if in_memory else signal.SIGTERM
            ),
            close_fds=True,
        )
    url = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    server = EmbeddedServer(url, process, data_dir, log_path)
    deadline = time.monotonic() + startup_seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmbeddedError(
                f"SecantusDB exited with code {process.returncode} while starting; "
                f"see {log_path}: {_tail(log_path)}"
            )
        if _answers(url, timeout=0.5):
            return server
        time.sleep(0.1)
    server.stop(grace_seconds=5)
    raise EmbeddedError(f"SecantusDB did not answer within {startup_seconds:.0f}s; see {log_path}")


def _server_executable() -> str:
    beside_python = Path(sys.executable).with_name("secantusd-py")
    found = str(beside_python) if beside_python.exists() else shutil.which("secantusd-py")
    if not found:
        raise EmbeddedError(
            "secantusd-py was not found: install the project (pip install -e .) "
            "or set MONGODB_URL to a MongoDB replica set"
        )
    return found


def _die_with_parent(death_signal: int) -> None:
    """Runs in the child before exec: ask Linux to signal it when its parent dies."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, death_signal, 0, 0, 0)
    # Its own process group: a Ctrl-C in the terminal reaches serve, which stops it in order.
    os.setpgrp()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _answers(url: str, timeout: float) -> bool:
    client: MongoClient[Any] = MongoClient(
        url, serverSelectionTimeoutMS=int(timeout * 1000), connectTimeoutMS=int(timeout * 1000)
    )
    try:
        client.admin.command("ping")
        return True
    except PyMongoError:
        return False
    finally:
        client.close()


def _tail(path: Path, lines: int = 5) -> str:
    with contextlib.suppress(OSError):
        return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    return ""
