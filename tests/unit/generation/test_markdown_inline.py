"""The plain-text export's link and emphasis reading: the same answers as the regular
expressions it replaced, in time linear in the line (those took minutes on a line of
199,000 ``[``)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobwise.domain.writing.markdown import _plain_inline, markdown_to_text

# The patterns as they were: the reference for what a line means.
_OLD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")
_OLD_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def _old_plain_inline(text: str) -> str:
    text = _OLD_LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})", text)
    return _OLD_EMPHASIS.sub(lambda m: m.group(2) or m.group(3) or "", text).replace("\\", "")


# Markdown's own characters, often, with some words, spaces and other scripts between.
_LINE = st.text(alphabet=st.sampled_from("[]()*_\\ \tab1é·-#`"), max_size=60) | st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
    max_size=40,
)


@settings(max_examples=3000, deadline=None)
@given(_LINE)
def test_a_line_reads_as_the_old_patterns_read_it(line: str) -> None:
    assert _plain_inline(line) == _old_plain_inline(line)


@pytest.mark.parametrize(
    "line",
    [
        "[a](https://x.y) and **bold** and *it* and __under__",
        "[a[b](c) [](x) [y]() [z](w",
        "**a** **b *c* d** * e * a*b*c",
        "***x*** **a*b** *a **b** c*",
    ],
)
def test_chosen_lines_read_as_before(line: str) -> None:
    assert _plain_inline(line) == _old_plain_inline(line)


@pytest.mark.parametrize(
    "unit", ["[", "[a", "[a](", "[](", "](", "*a ", "**a", "__a", "* a", "a*", "*", "`", "\\"]
)
def test_two_hundred_thousand_characters_read_in_linear_time(unit: str) -> None:
    line = unit * (200_000 // len(unit))
    started = time.monotonic()
    markdown_to_text(f"# Ada\n\n{line}\n- {line}\n**Label:** {line}\n")
    # Linear reading takes a few hundredths of a second; the old patterns took minutes.
    assert time.monotonic() - started < 5
