"""The one character rule of stored text (``jobwise.domain.characters``)."""

from __future__ import annotations

import pytest

from jobwise.domain.characters import clean_text, text_problem

KEPT = [
    "Tab\there, lines\nand\r\nCRLF",
    "José Ñúñez, 李小龍, محمد, עברית",
    "e\u0301 (a combining mark), 👩\u200d💻 (a joined emoji), \u00a0 (no-break space)",
    "\u200f\u202e (bidi marks), \ufeff, \U0010fffd",
]


@pytest.mark.parametrize("text", KEPT)
def test_what_people_write_is_kept(text: str) -> None:
    assert text_problem(text) is None
    assert clean_text(text) == text


@pytest.mark.parametrize(
    "char",
    [
        "\x00",
        "\x01",
        "\x0b",
        "\x0c",
        "\x1f",
        "\x7f",
        "\x80",
        "\x85",
        "\x9f",
        "\ud800",
        "\udfff",
        "\ufffe",
        "\uffff",
    ],
)
def test_controls_surrogates_and_non_characters_are_refused_and_cleaned(char: str) -> None:
    assert f"U+{ord(char):04X}" in (text_problem(f"a{char}b") or "")
    assert clean_text(f"a{char}b") == "ab"


@pytest.mark.parametrize("line_break", ["\n", "\r", "\u2028", "\u2029"])
def test_a_single_line_refuses_line_breaks_but_not_tabs(line_break: str) -> None:
    assert text_problem(f"a{line_break}b") is None
    assert text_problem(f"a{line_break}b", single_line=True) is not None
    assert text_problem("a\tb", single_line=True) is None
