"""Reading a resume file in a process of its own, bounded in time and memory.

A PDF is a program for a page: a hostile one can make a reader allocate or loop without
end, and PDFium is C++. So each file is read in a fresh process (``worker``) with an
address-space and a CPU-time limit, killed at a wall-clock limit too, a few at a time;
the server's event loop only waits. Any way the process fails is a ``too_complex``
refusal for that file and nothing else.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from typing import Literal

from jobwise.adapters.interop.resume_file.errors import UnreadableResume
from jobwise.adapters.interop.resume_file.reader import ResumeDraft
from jobwise.domain.errors import Overloaded

MEMORY_BYTES = 1024 * 1024 * 1024
"""The reader process's address space: Python, PDFium and a long resume take about 150 MB."""
CPU_SECONDS = 20
WALL_SECONDS = 30.0
_TOO_COMPLEX = (
    "The file took more time or memory to read than any resume needs; it may be damaged. "
    "Export it again, or upload it as a DOCX or PDF from another program."
)


class ResumeFileReader:
    def __init__(
        self,
        *,
        at_once: int | None = None,
        memory_bytes: int = MEMORY_BYTES,
        cpu_seconds: int = CPU_SECONDS,
        wall_seconds: float = WALL_SECONDS,
    ) -> None:
        self._slots = asyncio.Semaphore(at_once or os.cpu_count() or 1)
        self.memory_bytes = memory_bytes
        self.cpu_seconds = cpu_seconds
        self.wall_seconds = wall_seconds

    async def read(self, data: bytes, file_format: Literal["pdf", "docx"]) -> ResumeDraft:
        try:
            # A flood of uploads queues for a while, then is told to come back: each
            # waiting one holds its file in memory.
            async with asyncio.timeout(self.wall_seconds):
                await self._slots.acquire()
        except TimeoutError:
            raise Overloaded(
                "Too many files are being read; try again shortly.", retry_after=10
            ) from None
        try:
            output = await self._run(data, file_format)
        finally:
            self._slots.release()
        try:
            answer = json.loads(output)
        except ValueError:
            raise UnreadableResume("too_complex", _TOO_COMPLEX) from None
        if "error" in answer:
            error = answer["error"]
            raise UnreadableResume(error["reason"], error["message"] or _TOO_COMPLEX)
        return ResumeDraft.model_validate(answer["draft"])

    async def _run(self, data: bytes, file_format: str) -> bytes:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "jobwise.adapters.interop.resume_file.worker",
            file_format,
            str(self.memory_bytes),
            str(self.cpu_seconds),
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            async with asyncio.timeout(self.wall_seconds):
                output, _ = await process.communicate(data)
        except TimeoutError:
            raise UnreadableResume("too_complex", _TOO_COMPLEX) from None
        finally:
            if process.returncode is None:  # timed out, or the request went away
                process.kill()
                await process.wait()
        if process.returncode != 0:
            raise UnreadableResume("too_complex", _TOO_COMPLEX)
        return output
