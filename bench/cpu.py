"""CPU used by this process and by the server during a measurement: who is busy?"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuShare:
    """Cores kept busy on average (1.0 = one core flat out)."""

    client: float
    server: float

    def describe(self) -> str:
        return f"client {self.client:.2f} / server {self.server:.2f} cores"


def process_seconds(pid: int, *, descendants: bool = True) -> float:
    """User + system CPU seconds of ``pid`` and (unless told not to) its descendants
    (0.0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / _TICKS
    if not descendants:
        return own
    return own + sum(process_seconds(child) for child in _children(pid))


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(c) for c in task.read_text().split())
        except (OSError, ValueError):
            continue
    return found


class CpuMeter:
    def __init__(self, server_pid: int) -> None:
        self.server_pid = server_pid
        self._began = (0.0, 0.0, 0.0)

    def _now(self) -> tuple[float, float, float]:
        times = os.times()
        return time.perf_counter(), times.user + times.system, process_seconds(self.server_pid)

    def start(self) -> None:
        self._began = self._now()

    def stop(self) -> CpuShare:
        wall, client, server = (
            now - then for now, then in zip(self._now(), self._began, strict=True)
        )
        if wall <= 0:
            return CpuShare(0.0, 0.0)
        return CpuShare(client / wall, server / wall)
