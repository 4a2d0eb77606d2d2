"""How a parsed field is judged against what a careful reader wrote down: shared by the
corpus tests (our own postings and the real ones)."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from pathlib import Path
from typing import Any


def expected_of(path: Path) -> dict[str, Any]:
    """The expectations written beside a posting (``NN-name.json`` for ``NN-name.txt``)."""
    data: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return data


def norm(value: object) -> object:
    if isinstance(value, str):
        return " ".join(value.split()).strip(" .,").casefold() or None
    return value


def scalar_ok(expected: object, actual: object) -> bool:
    """A match after trimming and case-folding; the expectation may list alternatives."""
    options = expected if isinstance(expected, list) else [expected]
    return any(norm(option) == norm(actual) for option in options)


def same_number(expected: float | None, actual: float | None) -> bool:
    if expected is None or actual is None:
        return expected is actual
    return math.isclose(expected, actual, rel_tol=1e-9)


def f1(expected: Collection[str], actual: Collection[str]) -> float:
    want, got = set(expected), set(actual)
    if not want and not got:
        return 1.0
    hits = len(want & got)
    if not hits:
        return 0.0
    precision, recall = hits / len(got), hits / len(want)
    return 2 * precision * recall / (precision + recall)
