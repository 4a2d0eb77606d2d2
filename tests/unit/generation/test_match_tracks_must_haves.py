"""The match score follows a human reading of the posting's must-haves.

The quality corpus (``tests/support/quality_corpus.py``) pairs profiles with real postings
and says, by hand, which hard requirements each profile meets. The match score is computed
from the profile alone, so it can be set beside that coverage: a quality floor, not a
timing. Then one focused test per reading rule the score relies on.
"""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from jobwise.domain.profile_summary import ProfileSummary, summarize
from jobwise.domain.skills import default_taxonomy
from jobwise.domain.writing import analyze_job
from jobwise.domain.writing.credentials import area_terms, degree_levels, states_in
from jobwise.domain.writing.models import (
    JobAnalysis,
    KeywordCoverage,
    Qualification,
    QualificationMatch,
)
from jobwise.domain.writing.qualifications import _read_line
from jobwise.domain.writing.scoring import group_met, keyword_coverage, match_score
from tests.support.quality_corpus import Pair, must_have_coverage, pairs
from tests.unit.generation.material import TODAY, job_document
from tests.unit.generation.test_quality_corpus import POSTINGS, _posting_file

MEDIAN_GAP = 15
HELD_OUT_WORST = 45.0
"""Today's worst gap, on held-out pairs (see the test); MAX_GAP is the goal."""
MAX_GAP = 40


def profile_score(pair: Pair) -> float:
    analysis = analyze_job(job_document(POSTINGS / _posting_file(pair)))
    coverage = keyword_coverage("", analysis, default_taxonomy(), pair.profile)
    return match_score(coverage, analysis)


def gaps() -> dict[str, float]:
    return {p.id: abs(profile_score(p) - must_have_coverage(p)) for p in pairs()}


def test_the_match_score_tracks_the_hand_judged_must_have_coverage() -> None:
    found = gaps()
    assert statistics.median(found.values()) <= MEDIAN_GAP, found


def test_no_pair_is_far_off_the_hand_judged_coverage() -> None:
    # The goal is MAX_GAP (40); two held-out pairs are still off by 42-43 points
    # (software-thomas-davis-gds-developer, data-maya-okafor-tts-data-analyst), left
    # unstudied to keep them held out. This floor stops any pair getting worse than them.
    found = gaps()
    worst = max(found, key=found.__getitem__)
    assert found[worst] <= HELD_OUT_WORST, (worst, found)


# -- reading the posting ---------------------------------------------------------------------


def read(line: str, *, only: bool = False) -> list[tuple[str, str, list[str]]]:
    return [
        (q.kind, q.text, q.subjects)
        for q in _read_line(line, preferred_by_default=False, only=only)
    ]


def test_a_teaching_licence_is_read_by_its_educator_and_uk_names() -> None:
    line = "an appropriate certification as determined by the Office of Educator Licensure"
    assert ("licence", "Teaching licence", []) in read(line)
    assert ("licence", "Teaching licence", []) in read("Must hold Qualified Teacher Status (QTS)")


def test_a_licence_of_a_us_state_is_read_with_its_state_unless_multistate_will_do() -> None:
    assert read("Active California RN license (required)") == [
        ("licence", "RN licence", ["California"])
    ]
    assert read("Current Washington State RN license (or multistate compact license)") == [
        ("licence", "RN licence", [])
    ]
    assert states_in("West Virginia and New Mexico") == ["West Virginia", "New Mexico"]


def test_prose_that_seeks_an_experienced_teacher_asks_for_teaching_experience() -> None:
    line = "We are seeking to recruit an experienced and highly committed KS3 & 4 history teacher."
    assert read(line, only=True) == [
        ("years", "experience as KS3 & 4 history teacher", ["KS3 & 4 history teacher"])
    ]
    assert read("Our teachers are experienced and kind.", only=True) == []


def test_the_successful_candidate_clause_asks_for_a_dbs_check() -> None:
    line = "The successful candidate will be subject to enhanced DBS disclosure procedures."
    assert read(line, only=True) == [("certification", "DBS check", [])]
    assert read("DBS checks are run by the trust for visitors.", only=True) == []


def test_one_or_more_years_of_supervisory_experience_is_read() -> None:
    line = "2-4 years in warehousing, with 1 or more years of supervisory experience"
    assert ("years", "1 year of supervisory experience", ["supervisory"]) in read(line)


def test_languages_are_read_as_languages_not_subjects() -> None:
    assert read("Very good command of English") == [("language", "English", [])]
    assert read("Excellent English communication skills") == [("language", "English", [])]
    assert read("Experience as an English teacher") == []


def test_a_line_that_only_says_where_or_when_one_works_is_a_condition() -> None:
    assert read("Ability to work PST hours remotely") == [
        ("condition", "Ability to work PST hours remotely", [])
    ]
    assert all(kind != "condition" for kind, _, _ in read("3+ years of remote Python work"))


def test_med_surg_is_a_ward_not_a_masters_in_education() -> None:
    assert degree_levels("our Med/Surg team") == []
    assert degree_levels("an M.Ed or MEd") == [3]


def test_skills_carry_the_requirement_line_that_names_them() -> None:
    analysis = analyze_job(
        {
            "title": "Data Engineer",
            "requirements": ["Python, API calls and JSON", "Airflow, Luigi or dbt"],
        }
    )
    lines = {q.text: q.line for q in analysis.must_haves if q.kind == "skill"}
    assert lines["Python"] == lines["JSON"] == "Python, API calls and JSON"
    assert lines["dbt"] == "Airflow, Luigi or dbt"


# -- checking the profile --------------------------------------------------------------------


def profile(
    experiences: list[dict[str, Any]] | None = None,
    certifications: list[str] | None = None,
    languages: list[dict[str, str]] | None = None,
) -> ProfileSummary:
    skills = {
        "certifications": [{"name": name} for name in certifications or []],
        "languages": languages or [],
    }
    document = {"id": "p", "experiences": experiences or [], "skills": skills}
    return summarize(document, today=TODAY)


def role(title: str, start: str, end: str | None, description: str = "") -> dict[str, Any]:
    return {"company": "Acme", "title": title, "start_date": start, "end_date": end,
            "description": description}  # fmt: skip


def checked(asked: list[Qualification], candidate: ProfileSummary) -> KeywordCoverage:
    analysis = JobAnalysis(title="Job", must_haves=asked)
    return keyword_coverage("", analysis, default_taxonomy(), candidate)


def test_a_leadership_role_is_met_by_a_lead_or_supervisor_title() -> None:
    asked = Qualification(
        kind="years", text="2 years in a leadership role", years=2, subjects=["leadership role"]
    )
    lead = profile(experiences=[role("Production Lead", "2022-01-01", None)])
    operator = profile(experiences=[role("Machine Operator", "2018-01-01", None)])
    assert checked([asked], lead).qualifications[0].met
    assert not checked([asked], operator).qualifications[0].met


def test_a_state_licence_is_met_only_by_that_state() -> None:
    asked = Qualification(kind="licence", text="RN licence", subjects=["California"])
    oregon = profile(certifications=["RN, Oregon State Board of Nursing"])
    california = profile(certifications=["Registered Nurse, California BRN"])
    assert not checked([asked], oregon).qualifications[0].met
    assert checked([asked], california).qualifications[0].met


def test_a_soft_skill_is_yours_to_show_once_you_have_worked() -> None:
    asked = Qualification(kind="skill", text="Communication", soft=True)
    worked = profile(experiences=[role("Clerk", "2020-01-01", None)])
    match = checked([asked], worked).qualifications[0]
    assert match.met and match.have == "yours to show"
    assert not checked([asked], profile()).qualifications[0].met


def test_a_skill_of_several_words_is_met_by_one_line_holding_them_all() -> None:
    asked = Qualification(kind="skill", text="Data Engineering")
    engineer = profile(experiences=[role("Data Engineer", "2020-01-01", None)])
    apart = profile(experiences=[role("Engineer", "2020-01-01", None, "Read data sheets")])
    assert checked([asked], engineer).qualifications[0].met
    assert not checked([asked], apart).qualifications[0].met


def test_a_language_is_met_by_the_profiles_languages() -> None:
    asked = Qualification(kind="language", text="Polish")
    speaker = profile(languages=[{"name": "Polish", "proficiency": "Native"}])
    assert checked([asked], speaker).qualifications[0].met
    assert not checked([asked], profile(languages=[{"name": "German"}])).qualifications[0].met


def _match(met: bool, line: str, text: str = "x") -> QualificationMatch:
    return QualificationMatch(qualification=Qualification(kind="skill", text=text, line=line),
                              met=met)  # fmt: skip


def test_a_line_counts_once_a_choice_is_met_by_any_item() -> None:
    both = "Python, API calls and JSON"
    assert group_met([_match(True, both), _match(False, both)]) == 0.5
    choice = "Airflow, Luigi or dbt"
    assert group_met([_match(False, choice), _match(True, choice)]) == 1.0
    assert group_met([_match(False, choice), _match(False, choice)]) == 0.0


@pytest.mark.parametrize("text", ["Lead generation campaigns", "managed budgets"])
def test_words_that_are_not_leading_people_are_not_a_leadership_area(text: str) -> None:
    assert "area:lead" not in area_terms(text)
