"""The reader's own process: ``python -m jobwise.adapters.interop.resume_file.worker
<pdf|docx> <memory bytes> <cpu seconds>`` reads the file from stdin and writes the draft
(or the reason it cannot) as JSON to stdout.

The limits are set before anything of the file is touched: a file built to make PDFium
or the XML parser allocate without end, or loop, ends this process, not the server.
"""

from __future__ import annotations

import json
import resource
import sys
from typing import Literal, cast


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    file_format = cast(Literal["pdf", "docx"], argv[0])
    _limit(int(argv[1]), int(argv[2]))
    data = sys.stdin.buffer.read()
    # Imported after the limits: the libraries' own allocations count too.
    from jobwise.adapters.interop.resume_file.errors import UnreadableResume
    from jobwise.adapters.interop.resume_file.read import read_file

    try:
        answer = {"draft": read_file(data, file_format).model_dump(mode="json")}
    except UnreadableResume as error:
        answer = {"error": {"reason": error.reason, "message": error.message}}
    except (MemoryError, RecursionError):
        answer = {"error": {"reason": "too_complex", "message": ""}}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
