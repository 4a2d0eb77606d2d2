"""SIGTERM drains ``jobwise serve`` and ``jobwise worker`` (``JOBWISE_DRAIN_SECONDS``).

Real processes throughout: a ``serve`` with a live WebSocket, a request still sending
its body and a generation in the middle of a model call is sent SIGTERM; the socket is
closed with 1001, the port refuses new connections, the request still gets its answer,
the process exits on its own (code 0, not the watchdog's) within the drain, and another
worker finishes the generation. Leases are long (300 s) in these tests, so a worker
taking a generation over within a minute shows the drained one released its lease:
had it not, the lease would hold the generation for minutes.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import signal
import socket
import subprocess
from pathlib import Path
from typing import Any

import aiohttp

from tests.e2e.conftest import (
    jobwise_env,
    run_jobwise,
    start_serve,
    start_worker,
    stopped,
    wait_pid_gone,
)
from tests.e2e.test_account_story import PASSWORD
from tests.e2e.test_generation_story import ended, generate, get, seeker, stages_started, wait_for
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.resume_answers import resume_answer

DRAIN_SECONDS = 10
"""The drain in these tests; half of it (5 s) for requests and generations to finish."""
EXIT_BOUND = DRAIN_SECONDS + 10.0
"""A drained process must be gone by then (the drain, and the time a loaded machine
takes to reap it): a bound, not a measurement."""
LEASE_SECONDS = 300


def drained_env(data_dir: Path, **more: str) -> dict[str, str]:
    return jobwise_env(
        data_dir,
        JOBWISE_DRAIN_SECONDS=str(DRAIN_SECONDS),
        JOBWISE_GENERATION_LEASE_SECONDS=str(LEASE_SECONDS),
        JOBWISE_WORKER_CONCURRENCY="1",
        **more,
    )


def exit_code_within(process: subprocess.Popen[bytes], seconds: float, what: str) -> int:
    try:
        return process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError(f"{what} still running {seconds:.0f} s after SIGTERM") from None


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2.0).close()
    except ConnectionRefusedError:
        return True
    return False


class SlowUpload:
    """A registration whose body is still on its way: the server has the headers and
    said ``100 Continue`` (so the request is in its hands), the body comes later."""

    def __init__(self, port: int, email: str) -> None:
        self.body = json.dumps(
            {"email": email, "password": PASSWORD, "full_name": "Slow Sender"}
        ).encode()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30.0)
        head = (
            "POST /api/v1/auth/register HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(self.body)}\r\nExpect: 100-continue\r\n\r\n"
        )
        self.sock.sendall(head.encode())
        continued = self.sock.recv(4096)
        assert continued.startswith(b"HTTP/1.1 100"), continued

    def finish(self) -> tuple[int, dict[str, Any]]:
        self.sock.sendall(self.body)
        raw = b""
        while b"\r\n\r\n" not in raw or len(raw.partition(b"\r\n\r\n")[2]) < _length(raw):
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            raw += chunk
        self.sock.close()
        head, _, body = raw.partition(b"\r\n\r\n")
        return int(head.split()[1]), json.loads(body)


def _length(raw: bytes) -> int:
    for line in raw.partition(b"\r\n\r\n")[0].split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 0


async def live_socket(session: aiohttp.ClientSession, base: str, token: str) -> Any:
    ws = await session.ws_connect(f"{base}/api/v1/ws?token={token}")
    assert (await ws.receive_json(timeout=30))["type"] == "authenticated"
    await ws.send_json({"type": "subscribe", "channel": "user"})
    assert (await ws.receive_json(timeout=30))["type"] == "subscribed"
    return ws


async def close_code(ws: Any) -> int | None:
    while True:
        message = await ws.receive(timeout=30)
        if message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            return ws.close_code  # type: ignore[no-any-return]


def in_stage_three(base: str, token: str, generation_id: str) -> bool:
    current = get(base, f"/api/v1/generations/{generation_id}", token)
    return bool(current["progress"]["stage"] == "generating_content")


async def test_sigterm_drains_serve_and_another_worker_finishes_its_generation(
    tmp_path: Path, mongo_url: str
) -> None:
    """Two serves on one database, as behind the proxy: A runs a generation worker and is
    drained; B (``--no-worker``) stays up to be read from; a ``jobwise worker`` takes
    the generation A let go."""
    with FakeOpenAI() as fake:
        fake.responder = lambda request: Reply.delay(120, then=resume_answer(request))
        shared = {
            **fake.env(),
            "MONGODB_URL": mongo_url,
            "MONGODB_DB": f"drain_{secrets.token_hex(6)}",
            "JWT_SECRET_KEY": secrets.token_urlsafe(48),
        }
        a_dir, b_dir = tmp_path / "a" / "data", tmp_path / "b" / "data"
        a = start_serve(a_dir, env=drained_env(a_dir, **shared), log_name="a")
        b = start_serve(b_dir, env=drained_env(b_dir, **shared), log_name="b", args=["--no-worker"])
        worker = None
        try:
            for serve in (a, b):
                serve.wait_ready(embedded=False)
            token, profile, job = seeker(a.base)
            generation = generate(a.base, token, profile, job)
            wait_for("the model to be asked", lambda: fake.completions)
            wait_for("stage 3", lambda: in_stage_three(b.base, token, generation))
            # Started now, it cannot take the generation: A's worker holds its lease.
            worker = start_worker(b_dir, drained_env(b_dir, **shared), "worker")
            async with aiohttp.ClientSession() as session:
                ws = await live_socket(session, a.base, token)
                upload = SlowUpload(a.port, "slow@example.com")

                a.process.send_signal(signal.SIGTERM)
                code = await close_code(ws)
            fake.responder = resume_answer  # the model answers at once from now on
            wait_for("A's port to refuse", lambda: refuses_connections(a.port), 10)
            status, registered = upload.finish()
            exit_code = await asyncio.to_thread(exit_code_within, a.process, EXIT_BOUND, "A")

            finished = await asyncio.to_thread(
                wait_for, "the generation to end", lambda: ended(b.base, token, generation)
            )
            runs = {
                (s["worker_id"], s["attempt"]) for s in stages_started(b.base, token, generation)
            }
        finally:
            for serve in (a, b):
                serve.terminate()
            worker_code = stopped(worker) if worker is not None else None

    assert code == aiohttp.WSCloseCode.GOING_AWAY
    assert status == 201 and registered["user"]["email"] == "slow@example.com"
    assert exit_code == 0, a.log()[-3000:]
    assert "SIGTERM: draining" in a.log()
    assert finished["status"] == "completed"
    worker_id = _worker_id(b_dir.parent / "worker.log")
    assert {attempt for _, attempt in runs} == {1, 2}
    assert (worker_id, 2) in runs and (worker_id, 1) not in runs  # A's run, then the worker's
    assert worker_code == 0


def _worker_id(log: Path) -> str:
    """The id a ``jobwise worker`` announced (``jobwise worker <id>: running ...``)."""
    return log.read_text().split("jobwise worker ", 1)[1].split(":", 1)[0]


def health(data_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run_jobwise(data_dir, "worker", "--health", env=env)


def _healthy(data_dir: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str] | None:
    checked = health(data_dir, env)
    return checked if checked.returncode == 0 else None


def test_sigterm_drains_a_worker_and_the_next_one_takes_its_generation(tmp_path: Path) -> None:
    """``serve --no-worker`` beside ``jobwise worker`` processes (the production shape):
    the worker keeps a heartbeat while it runs, hands its generation over on SIGTERM
    and exits; the next worker runs it to the end."""
    data_dir = tmp_path / "data"
    beat = tmp_path / "worker.heartbeat"
    with FakeOpenAI() as fake:
        fake.responder = lambda request: Reply.delay(120, then=resume_answer(request))
        env = drained_env(data_dir, **fake.env(), JOBWISE_WORKER_HEARTBEAT=str(beat))
        serve = start_serve(data_dir, env=env, args=["--no-worker"])
        first = second = None
        try:
            serve.wait_ready()
            before = health(data_dir, env)
            first = start_worker(data_dir, env, "first")
            token, profile, job = seeker(serve.base)
            generation = generate(serve.base, token, profile, job)
            wait_for("stage 3", lambda: in_stage_three(serve.base, token, generation))
            # Healthy once it has looked for work (its first sweep) and written so.
            running = wait_for("a healthy heartbeat", lambda: _healthy(data_dir, env))

            first.send_signal(signal.SIGTERM)
            first_code = exit_code_within(first, EXIT_BOUND, "the first worker")
            after = health(data_dir, env)
            fake.responder = resume_answer
            second = start_worker(data_dir, env, "second")
            finished = wait_for("the end", lambda: ended(serve.base, token, generation))
            started = stages_started(serve.base, token, generation)
        finally:
            # The workers first: their database is the serve's.
            codes = [stopped(worker) for worker in (first, second) if worker is not None]
            serve.terminate()

    assert (before.returncode, running.returncode, after.returncode) == (1, 0, 1), (
        before.stderr + running.stdout + running.stderr + after.stderr
    )
    assert "healthy, 1 running" in running.stdout
    assert "no heartbeat" in after.stderr  # removed on the way out
    assert first_code == 0 and codes == [0, 0]
    assert finished["status"] == "completed"
    first_id, second_id = (_worker_id(tmp_path / f"{n}.log") for n in ("first", "second"))
    runs = [(stage["worker_id"], stage["attempt"]) for stage in started]
    assert runs[0] == (first_id, 1) and runs[-1] == (second_id, 2)
    assert {worker for worker, _ in runs} == {first_id, second_id}  # the serve ran none
    assert "handing 1 running generation(s) over" in (tmp_path / "first.log").read_text()
    assert "generation worker" not in serve.log()  # --no-worker: none started in serve


def test_a_second_signal_ends_the_drain_at_once(tmp_path: Path) -> None:
    """A long drain (a request in flight that would hold it up to a minute) is cut short
    by a second SIGTERM; the embedded database goes with the process."""
    data_dir = tmp_path / "data"
    serve = start_serve(data_dir, env=jobwise_env(data_dir, JOBWISE_DRAIN_SECONDS="120"))
    try:
        serve.wait_ready()
        database = serve.server_pid
        upload = SlowUpload(serve.port, "never@example.com")
        serve.process.send_signal(signal.SIGTERM)
        wait_for("the port to refuse", lambda: refuses_connections(serve.port), 10)
        assert serve.process.poll() is None  # draining: waiting for the upload
        serve.process.send_signal(signal.SIGTERM)
        code = exit_code_within(serve.process, 15.0, "serve after a second SIGTERM")
        upload.sock.close()
    finally:
        serve.terminate()

    assert code == 128 + signal.SIGTERM
    assert "second SIGTERM while draining: exiting now" in serve.log()
    assert database is not None and wait_pid_gone(database)
