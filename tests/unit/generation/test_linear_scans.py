"""The fabrication guard's quotes and the ATS check's tags: the same answers as the
patterns they replaced, in time linear in the line (a line of 20,000 "“" took 5.5 s
and 200,000 would take minutes; 200,000 "<a" took about 15 s)."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jobwise.domain.writing.guard import _unquoted
from jobwise.domain.writing.validation import _multi_column

_OLD_QUOTED = re.compile(r"[\"“]([^\"”]{3,})[\"”]")
_OLD_MULTI_COLUMN = re.compile(
    r"^\s*\|.*\|\s*$|<[a-zA-Z/][^>]*>|!\[|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)
JOB_TEXT = "we build fast apis. a b c. “quoted” things"


def _old_unquoted(text: str, job_text: str) -> str:
    return _OLD_QUOTED.sub(
        lambda m: "" if " ".join(m.group(1).split()).casefold() in job_text else m.group(0), text
    )


_QUOTES = st.text(alphabet=st.sampled_from('"“” abcAB.\n'), max_size=60)
_TAGS = st.text(alphabet=st.sampled_from("<>/aZ1 |!['\n☀"), max_size=60)


@settings(max_examples=3000, deadline=None)
@given(_QUOTES | st.text(max_size=40))
def test_quotes_are_read_as_the_old_pattern_read_them(text: str) -> None:
    assert _unquoted(text, JOB_TEXT) == _old_unquoted(text, JOB_TEXT)


@settings(max_examples=3000, deadline=None)
@given(_TAGS | st.text(max_size=40))
def test_tags_are_found_as_the_old_pattern_found_them(raw: str) -> None:
    assert _multi_column(raw) == (_OLD_MULTI_COLUMN.search(raw) is not None)


@pytest.mark.parametrize("unit", ["“", "“a", "“ab”", '"', "“abc"])
def test_a_line_of_quote_marks_is_read_in_linear_time(unit: str) -> None:
    started = time.monotonic()
    _unquoted(unit * (200_000 // len(unit)), JOB_TEXT)
    assert time.monotonic() - started < 5  # tenths of a second; the pattern took minutes


@pytest.mark.parametrize("unit", ["<a", "</", "<a>", "<"])
def test_a_line_of_tag_starts_is_checked_in_linear_time(unit: str) -> None:
    started = time.monotonic()
    _multi_column(unit * (200_000 // len(unit)))
    assert time.monotonic() - started < 5  # milliseconds; the pattern took about 15 s
