"""Characters a resume file gives that a profile may not store, made into ones it may.

A PDF whose font was built for Windows-1252 maps its curly quotes, dashes and ellipsis
to the C1 control points (an apostrophe read as U+0092): those are read as the
Windows-1252 characters they stand for. Line breaks and form feeds inside one line are
a word space. Every other character the profile refuses (NUL and the rest of C0, DEL,
lone surrogates, U+FFFE/U+FFFF) is dropped: it was never text a person could read.
"""

from __future__ import annotations

import re

from jobwise.domain.characters import clean_text


def _windows_1252() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x80, 0xA0):
        try:
            table[code] = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            continue  # 0x81, 0x8D, 0x8F, 0x90, 0x9D stand for nothing: dropped below
    return table


_AS_WINDOWS_1252 = _windows_1252()
_WORD_SPACE = re.compile("[\n\r\x0b\x0c\u2028\u2029]+")


def readable(text: str) -> str:
    """``text`` as a profile may store it (tabs, the reader's column gap, stay)."""
    return clean_text(_WORD_SPACE.sub(" ", text.translate(_AS_WINDOWS_1252)))
