"""Which characters stored text may hold: the one rule for every text a client sends.

Refused everywhere (a 422 naming the field): NUL and the other C0 control characters
except tab, newline and carriage return; DEL and the C1 controls (U+007F-U+009F);
lone surrogates (JSON's ``"\\ud800"`` decodes to one; no UTF-8 can carry it); and the
non-characters U+FFFE and U+FFFF. None of them is typed by a person, and no XML-based
format (DOCX, HTML) can carry the C0 ones, so one stored in a profile would break
every document made from it. Single-line fields (names, titles, companies, URLs)
refuse line breaks too: a newline in a name would start a new line, or a Markdown
heading, in the documents made from it.

Text stored before this rule (older events) is cleaned on the way out instead, by
``clean_text``: every export reads it through that, and so does the generator's
profile summary (a job's older text may still reach a generated draft, whose exports
clean it in turn).
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")


def text_problem(text: str, *, single_line: bool = False) -> str | None:
    """Why ``text`` may not be stored, or None."""
    found = _FORBIDDEN.search(text)
    if found is not None:
        return f"{_kind(found.group())} U+{ord(found.group()):04X} is not allowed"
    if single_line and _LINE_BREAK.search(text) is not None:
        return "line breaks are not allowed in a single-line field"
    return None


def _kind(char: str) -> str:
    if "\ud800" <= char <= "\udfff":
        return "lone surrogate"
    if char in "\ufffe\uffff":
        return "non-character"
    return "control character"


def clean_text(text: str) -> str:
    """``text`` without the characters the rule refuses (for what was stored before it)."""
    return _FORBIDDEN.sub("", text)


def _one_line(text: str | None) -> str | None:
    problem = None if text is None else text_problem(text, single_line=True)
    if problem is not None:
        raise ValueError(problem)
    return text


OneLine = AfterValidator(_one_line)
"""A pydantic validator for single-line text: ``Annotated[str, OneLine]`` (or
``str | None``)."""
SingleLine = Annotated[str, OneLine]
