"""Pathological text: what makes a backtracking pattern or a quadratic scan show itself.

Every input is about ``size`` characters (200,000 by default, a document's limit):
one character repeated, pairs and triples that open a construct and never close it,
deep nesting, and the same as one huge line or as many short ones.
"""

from __future__ import annotations

SIZE = 200_000
SINGLES = ("[", "(", "*", "_", "`", "#", "-", "\\", "<", "&", "|", "·", " ")
PAIRS = ("[](", "*a", "[a](", "**a", "_a ", "*a ", "[a", "](", "`a", "a*", "\\[")


def pathological(size: int = SIZE) -> dict[str, str]:
    """Name → text, each within ``size`` characters."""
    half = size // 2
    texts = {f"one-{char!r}": char * size for char in SINGLES}
    texts |= {f"pair-{pair!r}": pair * (size // len(pair)) for pair in PAIRS}
    texts |= {
        "nested-brackets": "[" * half + "]" * half,
        "nested-links": "[a](" * (size // 8) + ")" * (size // 8),
        "nested-quotes": "> " * half,
        "nested-lists": "".join("  " * (i % 40) + "- a\n" for i in range(size // 84)),
        "lines-of-[": "[\n" * half,
        "lines-of-**a": "**a\n" * (size // 4),
        "lines-of-*a-": "*a \n" * (size // 4),
    }
    return {name: text[:size] for name, text in texts.items()}


WORST = ("one-'['", "pair-'[a]('", "lines-of-[", "pair-'*a '", "nested-brackets")
"""The slowest for the old code (minutes) or the current one (seconds of Markdown)."""
