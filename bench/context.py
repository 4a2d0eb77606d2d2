"""The machine a run was made on, so figures can be compared fairly."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


def _version(package: str) -> str:
    """An installed distribution's version, read from its metadata (never imported)."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit() -> str:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
        )
    except OSError:
        return "unknown"
    return done.stdout.strip() or "unknown"


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()


def machine_context() -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "secantusdb": _version("secantusdb"),
        "pymongo": _version("pymongo"),
        "git_commit": _git_commit(),
        "load_average_at_start": load_average(),
    }


def describe(context: dict[str, Any]) -> str:
    load = ", ".join(f"{x:.2f}" for x in context["load_average_at_start"])
    return (
        f"machine: {context['cores']} cores ({context['usable_cores']} usable), {context['cpu']}\n"
        f"python {context['python']}, pymongo {context['pymongo']}, "
        f"SecantusDB {context['secantusdb']} (over the wire, on disk), "
        f"commit {context['git_commit']}\n"
        f"load average at start: {load}"
    )
