"""The guard reads claims in sentences: one case per kind of claim, a lie and a truth each.

The candidate is an ICU charge nurse of the quality corpus (tests/data/quality), applying
to a real critical-care posting; every sentence is judged as a line of a cover letter.
"""

from __future__ import annotations

import functools

import pytest

from jobwise.domain.profile_summary import ProfileSummary
from jobwise.domain.writing import analyze_job, validate
from jobwise.domain.writing.models import JobAnalysis
from tests.support.quality_corpus import pairs
from tests.unit.generation.material import job_document
from tests.unit.generation.test_quality_corpus import POSTINGS, _posting_file

PAIR = "nursing-grace-mensah-encosion-critical-care"

LIES = {
    "licence of another state": "I hold an active Texas RN license.",
    "certificate never earned": "I am a PALS Provider as well.",
    "degree abbreviation": "As an MSN-prepared nurse, I teach newer nurses.",
    "degree level": "I hold a Master of Science in Nursing.",
    "degree field": "I earned a Bachelor of Science in Computer Science.",
    "years at an employer in words": (
        "During my fifteen years at Sanford USD Medical Center, I led codes."
    ),
    "career in words": "I bring three decades of experience at the bedside.",
    "title held": "As a Nurse Manager, I ran the unit's staffing.",
    "title upgrade in prose": "I worked as Director of Nursing at Sanford USD Medical Center.",
    "team size": "I led a team of 30 nurses per shift.",
    "number in words": "I cut the infection rate by forty percent.",
    "fraction changed": "I cut the unit's infection rate by half with a bundle audit.",
    "number borrowed": "I precepted 14 new-graduate nurses.",
    "unit swapped": "I taught critical-care clinicals to 8 hospitals a semester.",
    "invented employer": "At Mercy General Hospital, I precepted 11 new-graduate nurses.",
    "invented school": "I studied nursing at Johns Hopkins University.",
    "award": "I was named Employee of the Year in 2021.",
    "promotion": "I was promoted twice in three years.",
    "language": "I am fluent in Spanish.",
    "publication": "My research was published in the American Journal of Critical Care.",
    "since a year": "I have been at Sanford USD Medical Center since 2003.",
}
TRUTHS = {
    "own achievement": "I cut the unit's central-line bloodstream infection rate by a third "
    "with a bundle audit.",
    "team size as stated": "I was charge nurse for a team of 14 nurses per shift.",
    "own figure": "I precepted 11 new-graduate nurses.",
    "licence as held": "I hold an RN licence from the South Dakota Board of Nursing.",
    "certificates held": "I hold CCRN, BLS and ACLS certifications.",
    "degree held": "I hold a Bachelor of Science in Nursing from South Dakota State University.",
    "years within the career": "I bring twenty years of experience at the bedside.",
    "title held": "As ICU Charge Nurse at Sanford USD Medical Center, I ran the shift.",
    "title abbreviation": "I worked as Staff Nurse, ICU at Sanford USD Medical Center.",
    "posting named": "Your posting asks for critical care experience and I would like to help.",
}


@functools.cache
def material() -> tuple[ProfileSummary, JobAnalysis]:
    pair = next(p for p in pairs() if p.id == PAIR)
    return pair.profile, analyze_job(job_document(POSTINGS / _posting_file(pair)))


def letter(sentence: str) -> str:
    return (
        "# Grace Mensah\ngrace@example.com\n\n1 December 2026\n\nDear Hiring Manager,\n\n"
        f"{sentence}\n\nSincerely,\n\nGrace Mensah\n"
    )


@pytest.mark.parametrize("sentence", LIES.values(), ids=LIES.keys())
def test_a_claim_the_profile_does_not_back_is_taken_out(sentence: str) -> None:
    profile, analysis = material()
    report = validate(letter(sentence), "cover_letter", profile, analysis)
    assert sentence not in report.markdown
    assert [r.what for r in report.removed] == [sentence], report.removed
    assert report.removed[0].why


@pytest.mark.parametrize("sentence", TRUTHS.values(), ids=TRUTHS.keys())
def test_a_claim_the_profile_backs_stays(sentence: str) -> None:
    profile, analysis = material()
    report = validate(letter(sentence), "cover_letter", profile, analysis)
    assert report.removed == [], report.removed
    assert sentence in report.markdown
