"""The items of one section: bullets, lines, or the parts of a prose paragraph.

Bullets come as "-", "*", "•", "·", "–", "1.", "1)", "a)"; pastes lose them, wrap long
ones onto the next line, or run a list into one paragraph separated by semicolons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jobwise.domain.postings.text import bullet_of, indent_of, tidy

_CONTINUES_AFTER = (",", ";", ":", "-", "–", "(", "/", "&", "+")
_JOINING_WORDS = frozenset(
    {"and", "or", "of", "with", "in", "to", "the", "a", "an", "for", "on", "as", "such", "like"}
)
_SENTENCE_RE = re.compile(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])")
_ABBREVIATION_RE = re.compile(r"\b(?:e\.g|i\.e|etc|vs|incl|approx|esp|cf|no)\.$", re.IGNORECASE)
LONG_ITEM = 160
MAX_ABBREVIATION = 8
"""The longest abbreviation ``_ABBREVIATION_RE`` knows ("approx."), with its word break."""


def items_of(lines: list[str], *, hard_wrapped: bool = False) -> list[str]:
    """The items of a section: one per bullet, wrapped lines joined, lead-ins dropped.

    Sections pasted without bullets become one item per line (one per paragraph when
    the whole paste is hard-wrapped, as e-mails are); a prose paragraph is split into
    sentences, and a paragraph of semicolon-separated items into those items. Prose
    around a list (an intro, an equal-opportunity line, a signature) is not an item.
    """
    raw = _gather(lines, hard_wrapped=hard_wrapped)
    last_bullet = max((i for i, item in enumerate(raw) if item.marked), default=-1)
    items: list[str] = []
    if last_bullet >= 0:
        trailing = False
        for i, item in enumerate(raw):
            trailing = trailing or (i > last_bullet and item.after_blank)
            if item.marked or not (trailing or _is_prose(item.text)):
                items.append(item.text)
    else:
        listed = sum(not _is_prose(item.text) for item in raw) >= 2
        for item in raw:
            if not (listed and _is_prose(item.text)):
                items.extend(_split(item.text))
    return [item for item in (_clean(item) for item in items) if item]


def is_hard_wrapped(lines: list[str]) -> bool:
    """True for a paste wrapped at a fixed width (e-mail): no long lines, most full ones."""
    lengths = [len(line) for line in lines if line.strip()]
    full = [length for length in lengths if 55 <= length <= 80]
    return bool(lengths) and max(lengths) <= 80 and len(full) >= max(3, len(lengths) // 2)


def _is_prose(text: str) -> bool:
    """A sentence rather than a list entry: it ends like one and is not short."""
    return len(text.split()) >= 6 and text.rstrip("*_ ").endswith((".", "!", "?"))


@dataclass(frozen=True, slots=True)
class _Item:
    marked: bool
    text: str
    after_blank: bool


def _gather(lines: list[str], *, hard_wrapped: bool) -> list[_Item]:
    """Items with their wrapped continuation lines folded in."""
    items: list[_Item] = []
    marker_indent = 0
    previous_blank = True
    for line in lines:
        if not line.strip():
            previous_blank = True
            continue
        marked, text = bullet_of(line)
        joins = hard_wrapped or _continues(items[-1], line, marker_indent) if items else False
        if marked or previous_blank or not joins:
            items.append(_Item(marked, text, previous_blank))
            marker_indent = indent_of(line) if marked else marker_indent
        else:
            last = items[-1]
            items[-1] = _Item(last.marked, f"{last.text} {text}", last.after_blank)
        previous_blank = False
    return items


def _continues(item: _Item, line: str, marker_indent: int) -> bool:
    """Whether a marker-less line carries on the item above it (a wrapped line)."""
    marked, before = item.marked, item.text
    first = line.lstrip()[:1]
    if first.islower():
        return True
    if marked and indent_of(line) > marker_indent:
        return True
    last_word = before.rsplit(" ", 1)[-1].lower()
    return before.endswith(_CONTINUES_AFTER) or last_word in _JOINING_WORDS


def _split(text: str) -> list[str]:
    if text.count(";") >= 2 or (text.count(";") == 1 and len(text) > 80):
        return [part for part in text.split(";") if part.strip()]
    if len(text) <= LONG_ITEM:
        return _list_clauses(text)
    return _sentences(text)


def _sentences(text: str) -> list[str]:
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_RE.finditer(text):
        # Only the end of the sentence so far can be an abbreviation ("e.g."): searching
        # from ``start`` each time would be quadratic in a run of them.
        tail = max(start, match.start() - MAX_ABBREVIATION)
        if _ABBREVIATION_RE.search(text, tail, match.start()):
            continue
        candidate = text[start : match.start()]
        sentences.extend(_list_clauses(candidate))
        start = match.end()
    sentences.extend(_list_clauses(text[start:]))
    return sentences


def _list_clauses(sentence: str) -> list[str]:
    """ "You have A, are B, have C, and can D." is four requirements in one sentence;
    "Python, Go, Java and Rust" is one (its parts are too short to be clauses)."""
    parts = _top_level_commas(sentence)
    if len(parts) < 3 or not re.match(r"\s*(?:and|or)\b", parts[-1]):
        return [sentence]
    if any(len(part.split()) < 3 for part in parts[1:]):
        return [sentence]
    return parts


def _top_level_commas(text: str) -> list[str]:
    parts: list[str] = []
    depth = start = 0
    for position, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if char == "," and depth == 0:
            parts.append(text[start:position])
            start = position + 1
    parts.append(text[start:])
    return parts


_LEADING_CONJUNCTION_RE = re.compile(r"^(?:and|or|as well as)[ ]+(?=\w)")


def _clean(item: str) -> str:
    """Trim, drop list punctuation and lead-ins ("You will:") and bold wrappers."""
    text = tidy(item.replace("**", "").replace("__", "")).strip(" ;,")
    text = _LEADING_CONJUNCTION_RE.sub("", text)
    if len(text) < 2 or text.endswith((":", "：")):
        return ""
    return text
