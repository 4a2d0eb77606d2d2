"""A bench server in its own process (``python -m bench.<module>``), as the load's target.

The module prints one JSON line once it listens (its ports, pid, ...) and stops when
its stdin closes: ``server_process`` yields that line and the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_SECONDS = 60
STOP_TIMEOUT_SECONDS = 20


@contextlib.asynccontextmanager
async def server_process(
    module: str, url: str, database: str, extra_args: Sequence[str] = ()
) -> AsyncIterator[tuple[dict[str, Any], asyncio.subprocess.Process]]:
    """Start ``python -m <module> --mongo-url --data-dir --database``; its ready line."""
    with tempfile.TemporaryDirectory(prefix=f"jobwise-{module.replace('.', '-')}-") as data_dir:
        log_path = Path(data_dir) / "server.log"
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                module,
                "--mongo-url",
                url,
                "--data-dir",
                data_dir,
                "--database",
                database,
                *extra_args,
                cwd=ROOT,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=log,
            )
        try:
            assert process.stdout is not None
            line = await asyncio.wait_for(process.stdout.readline(), READY_TIMEOUT_SECONDS)
            if not line:
                raise RuntimeError(f"{module} failed: {log_path.read_text()[-2000:]}")
            yield orjson.loads(line), process
        finally:
            await stop_by_stdin(process)


async def stop_by_stdin(process: asyncio.subprocess.Process) -> None:
    """Close its stdin (the signal to stop), then wait; killed if it will not."""
    if process.returncode is not None:
        return
    if process.stdin is not None:
        process.stdin.close()
    try:
        await asyncio.wait_for(process.wait(), timeout=STOP_TIMEOUT_SECONDS)
    except TimeoutError:
        process.kill()
        await process.wait()
