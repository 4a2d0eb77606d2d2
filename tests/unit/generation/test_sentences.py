"""Sentences for the guard: a sentence is judged, and removed, whole."""

from __future__ import annotations

import pytest

from jobwise.domain.writing.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Charge nurse at St. Luke's Hospital. Led triage for 40 beds.",
            ["Charge nurse at St. Luke's Hospital.", "Led triage for 40 beds."],
        ),
        (
            "Worked beside Dr. Chen and Sr. Engineer Ana Ruiz. Shipped it!",
            ["Worked beside Dr. Chen and Sr. Engineer Ana Ruiz.", "Shipped it!"],
        ),
        (
            "Tools, e.g. Tableau and Looker, for the board.",
            ["Tools, e.g. Tableau and Looker, for the board."],
        ),
        ("Mentored J. Smith. Ran the rota.", ["Mentored J. Smith.", "Ran the rota."]),
        ("Acme Co. Ltd. Hired me. Twice.", ["Acme Co. Ltd. Hired me.", "Twice."]),
        ("Upgraded to v2.0. Then cut costs.", ["Upgraded to v2.0.", "Then cut costs."]),
        ('She said "done." Then left.', ['She said "done."', "Then left."]),
        ("No stop at the end", ["No stop at the end"]),
        ("", []),
    ],
)
def test_abbreviations_initials_and_short_forms_end_no_sentence(
    text: str, sentences: list[str]
) -> None:
    assert split_sentences(text) == sentences


def test_nothing_is_lost_or_added_but_the_spaces_between() -> None:
    text = "Built A. B. Reed's pipeline. It ran at 3 a.m. Nightly! Ask Mt. Sinai? Yes."
    assert " ".join(split_sentences(text)) == text
