"""Finding Chromium's processes and their memory, from /proc (Linux).

Playwright does not say which process is the browser; every browser we launch
carries a unique ``--jobwise-browser=<id>`` switch, so its main process is the one
whose command line has it and no ``--type=`` (the renderers, GPU and utility
processes all have one).
"""

from __future__ import annotations

from pathlib import Path

_PROC = Path("/proc")
MARKER_SWITCH = "--jobwise-browser"


def _cmdline(pid_dir: Path) -> list[str]:
    try:
        return pid_dir.joinpath("cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def browser_main_pid(marker: str) -> int | None:
    """The main process of the browser launched with ``--jobwise-browser=<marker>``."""
    wanted = f"{MARKER_SWITCH}={marker}"
    for pid_dir in _PROC.iterdir():
        if not pid_dir.name.isdigit():
            continue
        args = _cmdline(pid_dir)
        if wanted in args and not any(arg.startswith("--type=") for arg in args):
            return int(pid_dir.name)
    return None


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in _PROC.joinpath(str(pid), "task").glob("*/children"):
        try:
            found.extend(int(child) for child in task.read_text().split())
        except (OSError, ValueError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    """``pid``'s children, their children, and so on."""
    found: list[int] = []
    queue = children(pid)
    while queue:
        child = queue.pop()
        found.append(child)
        queue.extend(children(child))
    return found


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (0 if it is gone)."""
    try:
        for line in _PROC.joinpath(str(pid), "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of a process and all its descendants (a browser and its renderers)."""
    return rss_bytes(pid) + sum(rss_bytes(child) for child in descendants(pid))
