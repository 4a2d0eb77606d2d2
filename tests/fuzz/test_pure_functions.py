"""Hypothesis-generated text through the pure text functions every request path uses:
each answers (or refuses with its own error) for any text, in bounded time."""

from __future__ import annotations

import contextlib
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobwise.adapters.interop.json_resume import JsonResume, JsonResumeImportError, import_profile
from jobwise.adapters.rendering import markdown_to_html
from jobwise.adapters.rendering.reading import read_markdown
from jobwise.adapters.rendering.text import render_text
from jobwise.application.queries.jobs import search_terms
from jobwise.domain.writing.markdown import markdown_to_text, read
from tests.fuzz.inputs import pathological

pytestmark = pytest.mark.fuzz

MARKUP = '[]()*_`#-\\<>&|·!"“” \n\tab1'
# Markdown's own characters often, with any other text between; repeated into long runs.
TEXT = st.text(alphabet=st.sampled_from(MARKUP), max_size=200) | st.text(max_size=100)
LONG = st.builds(lambda unit, times: unit * times, TEXT, st.integers(1, 400))
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SECONDS = 5.0
TEXTS = pathological()


def _within(seconds: float, started: float) -> None:
    assert time.monotonic() - started < seconds


@FAST
@given(LONG)
def test_markdown_reads_into_text_and_html(markdown: str) -> None:
    started = time.monotonic()
    assert markdown_to_text(markdown).endswith("\n")
    read(markdown)
    render_text(read_markdown(markdown))
    assert markdown_to_html(markdown).startswith("<!DOCTYPE html>")
    _within(SECONDS, started)


@FAST
@given(TEXT)
def test_search_queries_split_into_terms(q: str) -> None:
    started = time.monotonic()
    assert all(term == " ".join(term.split()) for term in search_terms(q))
    _within(SECONDS, started)


@FAST
@given(TEXT, TEXT, st.lists(TEXT, max_size=5))
def test_json_resume_text_imports_or_is_refused(
    name: str, summary: str, bullets: list[str]
) -> None:
    started = time.monotonic()
    data = {
        "basics": {"name": name, "summary": summary, "label": name},
        "work": [{"name": name or "x", "position": summary[:50], "highlights": bullets}],
        "languages": [{"language": "English", "fluency": summary}],
        "certificates": [{"name": f"{name} (Credential ID: {summary[:30]}"}],
    }
    # Refused in its own words, or imported (a pydantic ValidationError is a ValueError).
    with contextlib.suppress(JsonResumeImportError, ValueError):
        import_profile(JsonResume.model_validate(data))
    _within(SECONDS, started)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_pathological_document_reads_into_text_in_linear_time(name: str) -> None:
    started = time.monotonic()
    markdown_to_text(TEXTS[name])
    _within(SECONDS, started)  # hundredths of a second; the old patterns took minutes
