"""Targets, the printed table and the JSON file."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from bench.common import SYNC_OFF, SYNC_ON, Figure

APPEND_SHARE = 0.5
LAG_P99_MS = 100.0
REBUILD_RATE = 2_000.0
AUTH_ME_SHARE = 0.5
"""``GET /auth/me`` req/s as a share of a bare aiohttp JSON handler's."""
PROFILE_GET_SHARE = 0.7
"""``GET /profiles/{id}`` req/s as a share of a bare ``find_one`` of the same document."""
PROFILE_GET_P99_MS = 25.0
PROFILE_POST_P99_MS = 50.0
_TARGETED_APPENDS = ("append_1_one_store", "append_8_one_store")


@dataclass(frozen=True)
class Verdict:
    target: str
    met: bool | None
    """None: shown for information, no target applies."""


def _yardstick(figures: list[Figure], server: str) -> Figure | None:
    return next((f for f in figures if f.key == "insert_one_1" and f.server == server), None)


def share_of_insert(figure: Figure, figures: list[Figure]) -> float | None:
    if not figure.key.startswith("append_"):
        return None
    yardstick = _yardstick(figures, figure.server)
    return figure.value / yardstick.value if yardstick and yardstick.value else None


def _verdict(figure: Figure, figures: list[Figure]) -> Verdict | None:
    checks: dict[str, Callable[[], Verdict]] = {
        "projection_lag_p99": lambda: Verdict(f"< {LAG_P99_MS:.0f} ms", figure.value < LAG_P99_MS),
        "rebuild": lambda: Verdict(f">= {REBUILD_RATE:,.0f} /s", figure.value >= REBUILD_RATE),
        "auth_me_share": lambda: Verdict(
            f">= {AUTH_ME_SHARE:.0%} of bare", figure.value >= AUTH_ME_SHARE * 100
        ),
        "profile_get_share": lambda: Verdict(
            f">= {PROFILE_GET_SHARE:.0%} of find_one", figure.value >= PROFILE_GET_SHARE * 100
        ),
        "profile_get_p99": lambda: Verdict(
            f"< {PROFILE_GET_P99_MS:.0f} ms", figure.value < PROFILE_GET_P99_MS
        ),
        "profile_post_p99": lambda: Verdict(
            f"< {PROFILE_POST_P99_MS:.0f} ms", figure.value < PROFILE_POST_P99_MS
        ),
    }
    if figure.key in checks:
        return checks[figure.key]()
    if "met" in figure.extra:  # a group that judged its own goal (bench.jobs)
        return Verdict(str(figure.extra["target"]), bool(figure.extra["met"]))
    share = share_of_insert(figure, figures)
    if share is None:
        return None
    text = f">= {APPEND_SHARE:.0%} of insert"
    return Verdict(text, share >= APPEND_SHARE if figure.key in _TARGETED_APPENDS else None)


def verdicts(figures: list[Figure]) -> dict[int, Verdict]:
    found = {id(f): _verdict(f, figures) for f in figures}
    return {key: verdict for key, verdict in found.items() if verdict is not None}


def _result_text(verdict: Verdict | None) -> str:
    if verdict is None:
        return ""
    if verdict.met is None:
        return "(info)"
    return "met" if verdict.met else "MISSED"


def _row(figure: Figure, figures: list[Figure], verdict: Verdict | None) -> list[str]:
    share = share_of_insert(figure, figures)
    return [
        figure.label,
        figure.server,
        f"{figure.value:,.1f} {figure.unit}",
        "" if share is None else f"{share:.1%}",
        verdict.target if verdict and verdict.met is not None else "",
        _result_text(verdict),
        f"{figure.cpu.client:.2f}/{figure.cpu.server:.2f}" if figure.cpu else "",
    ]


_HEADER = ["figure", "db", "value", "vs insert", "target", "result", "cpu cl/srv"]


def table(figures: list[Figure]) -> str:
    found = verdicts(figures)
    ordered = sorted(figures, key=lambda f: f.server != SYNC_OFF)
    rows = [_HEADER] + [_row(f, figures, found.get(id(f))) for f in ordered]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def details(figures: list[Figure]) -> str:
    """The extra numbers behind some figures (lag distribution, fill, summaries)."""
    lines: list[str] = []
    for figure in figures:
        if figure.extra:
            shown = orjson.dumps(figure.extra, default=_round).decode()
            lines.append(f"  {figure.key} [{figure.server}]: {shown}")
        if figure.count:
            lines.append(
                f"  {figure.key} [{figure.server}]: {figure.count:,} in {figure.seconds:.1f} s"
            )
    return "\n".join(lines)


def _round(value: Any) -> Any:
    return round(value, 2) if isinstance(value, float) else str(value)


def cost_of_sync(figures: list[Figure]) -> str:
    """How much --sync-on-commit costs, per figure measured both ways."""
    by_key: dict[str, dict[str, Figure]] = {}
    for figure in figures:
        by_key.setdefault(figure.key, {})[figure.server] = figure
    lines: list[str] = []
    for key, pair in by_key.items():
        if SYNC_ON in pair and SYNC_OFF in pair and pair[SYNC_OFF].value:
            ratio = pair[SYNC_ON].value / pair[SYNC_OFF].value
            lines.append(f"  {key}: sync on runs at {ratio:.0%} of sync off")
    return "\n".join(lines)


def payload(figures: list[Figure], context: dict[str, Any], settings: Any) -> dict[str, Any]:
    found = verdicts(figures)
    return {
        "context": context,
        "settings": dataclasses.asdict(settings),
        "figures": [
            {
                **dataclasses.asdict(f),
                "share_of_insert": share_of_insert(f, figures),
                "target": found[id(f)].target if id(f) in found else None,
                "met": found[id(f)].met if id(f) in found else None,
            }
            for f in figures
        ],
    }


def write_json(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(orjson.dumps(content, default=str, option=orjson.OPT_INDENT_2) + b"\n")
