"""What a document database can store: the rules every event's data must meet.

MongoDB (and SecantusDB) cannot store a key holding a NUL byte (BSON keys are
C strings), treat keys starting with ``$`` as operators and keys holding ``.``
as paths, and refuse documents nested more than 100 levels deep. BSON's integers
are 64-bit (a bigger one is an ``OverflowError`` in the driver), and an infinite or
NaN number is no JSON: it would be read back as null. A value that
breaks one of these rules fails the whole insert it travels in, so it has to be
caught before it is queued beside anyone else's events: at the HTTP edge with a
422 naming the key, and again by the event store for whatever reaches it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

MAX_EVENT_DEPTH = 64
"""Nesting an event's data may reach; the stored document adds a level or two above it."""
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_SHOWN_KEY = 40
_SHOWN_PARTS = 8


@dataclass(frozen=True)
class Unstorable:
    """Why a value cannot be stored, and where: ``parts`` are the keys and indexes
    leading to it, each made safe to show (short, NULs visible)."""

    parts: tuple[str, ...]
    reason: str
    kind: str = "unstorable_value"
    """The error type a 422 reports: ``unstorable_value`` or ``invalid_text``."""

    @property
    def path(self) -> str:
        """A JSON-pointer-like path; very deep ones keep only their ends."""
        parts = list(self.parts)
        if len(parts) > _SHOWN_PARTS:  # a path 300 levels deep is not worth reading whole
            parts = [*parts[:3], "...", *parts[-3:]]
        return "/" + "/".join(parts) if parts else ""

    def describe(self) -> str:
        return f"{self.path or '/'}: {self.reason}"


TextRule = Callable[[str], str | None]
"""Why a text may not be stored, or None (``jobwise.domain.characters.text_problem``)."""


def find_unstorable(
    value: Any,
    max_depth: int = MAX_EVENT_DEPTH,
    *,
    strict_keys: bool = True,
    text_rule: TextRule | None = None,
) -> Unstorable | None:
    """The first problem in ``value`` (a JSON-like tree), or None when it can be stored.

    ``strict_keys=False`` refuses only what no database can hold (NUL in a key, the
    depth); the default also refuses ``$``-prefixed and dotted keys, which MongoDB
    stores only nested and with caveats, and which tools and queries misread.
    Integers beyond 64 bits and non-finite numbers are always refused; ``text_rule``,
    when given, is applied to every string and every key.
    """
    problems = unstorable_parts(value, max_depth, strict_keys=strict_keys, text_rule=text_rule)
    return next(problems, None)


def unstorable_parts(
    value: Any,
    max_depth: int = MAX_EVENT_DEPTH,
    *,
    strict_keys: bool = True,
    text_rule: TextRule | None = None,
) -> Iterator[Unstorable]:
    """Every problem ``find_unstorable`` would report first, in document order.

    Walks iteratively, so a hostile nesting depth cannot exhaust Python's stack.
    """
    stack: list[tuple[_Path, int, Any]] = [(None, 1, value)]
    while stack:
        path, depth, node = stack.pop()
        if isinstance(node, Unstorable):  # a key's problem, kept in its place
            yield node
        elif depth > max_depth:
            yield Unstorable(_parts(path), f"nested deeper than {max_depth} levels")
        elif isinstance(node, dict):
            children = [
                _entry(path, depth, key, child, strict_keys, text_rule)
                for key, child in node.items()
            ]
            stack.extend(reversed(children))
        elif isinstance(node, (list, tuple)):
            stack.extend(((path, i), depth + 1, node[i]) for i in reversed(range(len(node))))
        elif (found := _leaf_problem(node, text_rule)) is not None:
            yield Unstorable(_parts(path), *found)


def _entry(
    path: _Path, depth: int, key: Any, child: Any, strict_keys: bool, text_rule: TextRule | None
) -> tuple[_Path, int, Any]:
    """What to walk for one dict entry: its value, or its key's problem in its place."""
    here = (path, key)
    problem = key_problem(key, strict=strict_keys)
    if problem is not None:
        return here, depth, Unstorable(_parts(here), problem)
    if text_rule is not None and (problem := text_rule(key)) is not None:
        return here, depth, Unstorable(_parts(here), problem, "invalid_text")
    return here, depth + 1, child


def _leaf_problem(node: Any, text_rule: TextRule | None) -> tuple[str, str] | None:
    """A number or text that cannot be stored: (reason, kind), or None."""
    if isinstance(node, bool):
        return None
    if isinstance(node, int) and not INT64_MIN <= node <= INT64_MAX:
        return "integers must lie between -2**63 and 2**63-1", "unstorable_value"
    if isinstance(node, float) and not math.isfinite(node):
        return "numbers must be finite", "unstorable_value"
    if text_rule is not None and isinstance(node, str):
        problem = text_rule(node)
        return None if problem is None else (problem, "invalid_text")
    return None


def key_problem(key: object, *, strict: bool = True) -> str | None:
    if not isinstance(key, str):
        return "object keys must be strings"
    if "\x00" in key:
        return "object keys may not contain a NUL character"
    if not strict:
        return None
    if key.startswith("$"):
        return "object keys may not start with '$'"
    if "." in key:
        return "object keys may not contain '.'"
    return None


def shown_key(key: object) -> str:
    """A key as it may safely appear in an error message: short, NULs made visible."""
    text = str(key).replace("\x00", "\\u0000")
    return text if len(text) <= _SHOWN_KEY else text[:_SHOWN_KEY] + "..."


# A path is a linked list (parent, key), built per node at no string cost and only
# spelled out for the one node that is reported.
_Path = tuple[Any, str | int] | None


def _parts(path: _Path) -> tuple[str, ...]:
    parts: list[str] = []
    while path is not None:
        path, key = path
        parts.append(shown_key(key))
    return tuple(reversed(parts))


# -- keys that must survive as they were --------------------------------------------
# Some real formats need keys the rules refuse (JSON Resume's "$schema"). Where such a
# document is kept verbatim, its keys are escaped reversibly, as JSON Pointer escapes
# "~" and "/": "~" -> "~0", "." -> "~1", a leading "$" -> "~2".


def escape_keys(value: Any) -> Any:
    """``value`` with every object key made storable; ``unescape_keys`` undoes it."""
    return _map_keys(value, _escape_key)


def unescape_keys(value: Any) -> Any:
    return _map_keys(value, _unescape_key)


def _escape_key(key: str) -> str:
    escaped = key.replace("~", "~0").replace(".", "~1")
    return "~2" + escaped[1:] if escaped.startswith("$") else escaped


def _unescape_key(key: str) -> str:
    if key.startswith("~2"):
        key = "$" + key[2:]
    return key.replace("~1", ".").replace("~0", "~")


def _map_keys(value: Any, rename: Any) -> Any:
    if isinstance(value, dict):
        return {rename(str(k)): _map_keys(v, rename) for k, v in value.items()}
    if isinstance(value, list):
        return [_map_keys(v, rename) for v in value]
    return value
