"""The rendering fixtures in tests/data/rendering (see SOURCES.md there)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "rendering"


def fixture(name: str) -> str:
    return (DATA / f"{name}.md").read_text(encoding="utf-8")
