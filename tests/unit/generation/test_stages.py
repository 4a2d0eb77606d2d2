"""The four stages on real resumes and real postings (tests/data/generation/SOURCES.md)."""

from __future__ import annotations

import json
import re

import pytest

from jobwise.domain.writing import (
    GenerationOptions,
    analyze_job,
    compile_profile,
    markdown_to_text,
    validate,
    write_offline,
)
from jobwise.domain.writing.facts import numbers_in
from jobwise.domain.writing.length import markdown_lines, pages
from jobwise.domain.writing.markdown import read
from jobwise.domain.writing.summary import own_summary_fits
from tests.unit.generation.material import PAIRS, POSTINGS, TODAY, posting, profile

PAIR_IDS = list(PAIRS)


def stages(resume: str, options: GenerationOptions | None = None, kind: str = "resume"):  # type: ignore[no-untyped-def]
    summary = profile(resume)
    analysis = analyze_job(posting(PAIRS[resume]))
    compiled = compile_profile(summary, analysis, options, today=TODAY, kind=kind)  # type: ignore[arg-type]
    return summary, analysis, compiled


# -- analyzing_job ------------------------------------------------------------------------


def test_analysis_reads_the_parsed_posting() -> None:
    analysis = analyze_job(posting("01-linkedin-backend-berlin.txt"))
    assert analysis.title == "Senior Backend Engineer (Python)"
    assert analysis.role == "Backend Engineer"
    assert analysis.company == "Ledgerly"
    assert analysis.seniority == "senior"
    assert analysis.years_required == 5
    assert analysis.required_skills[:2] == ["Python", "Relational Databases"]
    assert "Kubernetes" in analysis.preferred_skills
    assert "Kubernetes" not in analysis.required_skills


def test_analysis_of_a_paste_alone_matches_the_parsed_document() -> None:
    document = posting("35-greenhouse-data-platform-berlin.txt")
    from_paste = analyze_job({"raw_text": document["raw_text"]})
    from_document = analyze_job(document)
    assert from_paste.required_skills == from_document.required_skills
    assert from_paste.title == from_document.title


def test_analysis_tolerates_missing_and_null_fields() -> None:
    analysis = analyze_job({"title": None, "requirements": None, "parsed_keywords": None})
    assert analysis.title == ""
    assert analysis.required_skills == []
    typed = analyze_job({"title": "Staff Go Engineer", "requirements": ["6+ years of Golang"]})
    assert typed.required_skills == ["Go"]
    assert typed.seniority == "principal"
    assert typed.years_required == 6


def test_a_posting_without_requirements_asks_for_every_skill_it_names() -> None:
    analysis = analyze_job(posting("posting-gitlab-it-sre.txt"))
    assert analysis.company == "GitLab"
    assert {"Terraform", "Kubernetes", "Ansible"} <= set(analysis.required_skills)


def test_the_analysis_summary_is_json() -> None:
    analysis = analyze_job(posting("01-linkedin-backend-berlin.txt"))
    assert json.loads(json.dumps(analysis.summary()))["company"] == "Ledgerly"
    assert analysis.model_validate_json(analysis.model_dump_json()) == analysis


@pytest.mark.parametrize("path", sorted(POSTINGS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_corpus_posting_is_analysed(path) -> None:  # type: ignore[no-untyped-def]
    analysis = analyze_job(posting(path.name))
    assert analysis.title
    assert set(analysis.required_skills).isdisjoint(analysis.preferred_skills)


# -- compiling_profile --------------------------------------------------------------------


@pytest.mark.parametrize("resume", PAIR_IDS)
def test_the_compiled_profile_keeps_the_current_role_and_fits_the_pages(resume: str) -> None:
    summary, _, compiled = stages(resume)
    current = [e for e in summary.experiences if e.is_current] or summary.experiences[:1]
    kept = {(e.title, e.company) for e in compiled.experiences}
    assert {(e.title, e.company) for e in current} <= kept
    assert compiled.estimated_lines <= compiled.line_budget
    starts = [e.start_date for e in compiled.experiences]
    assert starts == sorted(starts, reverse=True)


def test_two_pages_keep_more_than_one() -> None:
    _, _, one = stages("thomas-davis", GenerationOptions(max_pages=1))
    _, _, two = stages("thomas-davis", GenerationOptions(max_pages=2))
    bullets = lambda c: sum(len(e.achievements) for e in c.experiences)  # noqa: E731
    assert bullets(two) > bullets(one)
    assert two.line_budget == 2 * one.line_budget


def test_matched_skills_lead_and_required_come_before_preferred() -> None:
    _, _analysis, compiled = stages("craig-gardener")
    kinds = [s.kind for s in compiled.skills]
    order = ["required", "emphasis", "preferred", "related", "other"]
    assert kinds == sorted(kinds, key=order.index)
    assert {"Terraform", "Kubernetes", "GitLab"} <= {s.name for s in compiled.matched_skills}
    assert "Ansible" not in {s.name for s in compiled.skills}  # the job asks, Craig lacks it


def test_achievements_naming_the_job_skills_rank_first() -> None:
    _, _, compiled = stages("kyle-oliver")
    kinetic = next(e for e in compiled.experiences if e.company == "Kinetic Vision")
    assert "Python" in kinetic.achievements[0].text
    scores = [a.score for a in kinetic.achievements]
    assert scores == sorted(scores, reverse=True)


def test_emphasis_keywords_count_like_requirements() -> None:
    summary = profile("craig-gardener")
    analysis = analyze_job(posting(PAIRS["craig-gardener"]))
    plain = compile_profile(summary, analysis, today=TODAY)
    emphasised = compile_profile(
        summary, analysis, GenerationOptions(emphasis_keywords=["drupal 7"]), today=TODAY
    )
    assert "Drupal 7" not in [s.name for s in plain.matched_skills]
    assert [s.kind for s in emphasised.skills if s.name == "Drupal 7"] == ["emphasis"]


# -- generating_content (offline) ---------------------------------------------------------


@pytest.mark.parametrize("resume", PAIR_IDS)
def test_the_resume_is_tailored(resume: str) -> None:
    _, analysis, compiled = stages(resume)
    markdown = write_offline("resume", compiled, analysis).markdown
    lines = read(markdown)
    assert lines[0].kind == "name" and lines[1].kind == "contact"
    summary = next(line.text for line in lines if line.section == "Summary" and line.kind == "text")
    # The summary used to end "Brings a record of delivered work to the <title> role at
    # <company>": filler that named the target company as if the candidate worked there.
    # Now it is the candidate's own summary when that fits the job, else built from facts.
    if own_summary_fits(compiled.own_summary, analysis):
        assert summary == " ".join((compiled.own_summary or "").split())
    else:
        assert compiled.matched_skills[0].shown_as in summary
        if compiled.years_of_experience:
            assert f"{compiled.years_of_experience} year" in summary
        employers = {role.company for role in compiled.experiences}
        if analysis.company and analysis.company not in employers:
            assert analysis.company not in summary
    skills = next(line.text for line in lines if line.kind == "label" and line.label == "Technical")
    matched = [s.shown_as for s in compiled.matched_skills]
    assert skills.split(", ")[: len(matched)] == matched


def test_the_skills_line_uses_the_postings_spelling() -> None:
    summary = profile("thomas-davis")
    analysis = analyze_job(posting(PAIRS["thomas-davis"]))
    assert analysis.spelled("Node.js") == "Node"
    compiled = compile_profile(summary, analysis, today=TODAY)
    assert "Node" in [s.shown_as for s in compiled.matched_skills]


@pytest.mark.parametrize("resume", PAIR_IDS)
@pytest.mark.parametrize("tone", ["professional", "concise", "bold"])
def test_the_cover_letter_fits_its_shape(resume: str, tone: str) -> None:
    _, analysis, compiled = stages(resume, kind="cover_letter")
    draft = write_offline("cover_letter", compiled, analysis, GenerationOptions(tone=tone))  # type: ignore[arg-type]
    report = validate(draft.markdown, "cover_letter", profile(resume), analysis)
    details = {check.name: check for check in report.ats_score_details}
    assert details["word_count"].passed, details["word_count"].message
    assert details["paragraphs"].passed, details["paragraphs"].message
    assert details["names_role_and_company"].passed
    assert not report.removed


def test_the_cover_letter_ties_real_achievements_to_requirements() -> None:
    summary, analysis, compiled = stages("craig-gardener", kind="cover_letter")
    letter = write_offline("cover_letter", compiled, analysis).markdown
    achievements = [a for e in summary.experiences for a in e.achievements]
    achievements += [e.description or "" for e in summary.experiences]
    told = [a for a in achievements if a and a.rstrip(".")[1:].lower() in letter.lower()]
    assert len(told) >= 2
    assert "GitLab" in letter and analysis.title in letter
    # The letter used to quote requirements ('Your posting asks for "..."'); it now names
    # each need in its own words, so nothing of the posting is quoted.
    lines = analysis.requirements + analysis.responsibilities
    assert not any(f'"{line.rstrip(".")}' in letter for line in lines)


def test_tone_changes_the_wording_not_the_facts() -> None:
    # Not kyle-oliver any more: his own summary fits the job and is kept as he wrote it,
    # whatever the tone; thomas-davis's (first person) is rebuilt in the tone asked for.
    _, analysis, compiled = stages("thomas-davis")
    texts = {
        tone: write_offline("resume", compiled, analysis, GenerationOptions(tone=tone)).markdown  # type: ignore[arg-type]
        for tone in ("professional", "concise", "bold")
    }
    assert len(set(texts.values())) == 3
    facts = {tone: sorted(n for _, n in numbers_in(text)) for tone, text in texts.items()}
    assert facts["professional"] == facts["concise"] == facts["bold"]


def test_include_sections_leaves_out_the_others_but_never_experience() -> None:
    _, analysis, compiled = stages("craig-gardener", GenerationOptions(include_sections=["Skills"]))
    markdown = write_offline(
        "resume", compiled, analysis, GenerationOptions(include_sections=["Skills"])
    ).markdown
    headings = [line.text for line in read(markdown) if line.kind == "section"]
    assert headings == ["Experience", "Skills"]


def test_the_offline_writer_is_deterministic() -> None:
    first = [
        write_offline(k, stages("thomas-davis")[2], stages("thomas-davis")[1])
        for k in ("resume", "cover_letter")
    ]  # type: ignore[arg-type]
    again = [
        write_offline(k, stages("thomas-davis")[2], stages("thomas-davis")[1])
        for k in ("resume", "cover_letter")
    ]  # type: ignore[arg-type]
    assert first == again


# -- validating_quality -------------------------------------------------------------------


@pytest.mark.parametrize("resume", PAIR_IDS)
def test_the_offline_resume_passes_the_guard_untouched(resume: str) -> None:
    summary, analysis, compiled = stages(resume)
    draft = write_offline("resume", compiled, analysis)
    report = validate(draft.markdown, "resume", summary, analysis)
    assert report.status == "passed", report.removed
    assert report.markdown == draft.markdown
    assert sum(check.weight for check in report.ats_score_details) == 100
    assert 0 < report.ats_score <= 100
    assert report.keywords.matched and set(report.keywords.matched) <= set(analysis.keywords)


def test_match_score_weighs_the_postings_qualifications() -> None:
    summary, analysis, compiled = stages("craig-gardener")
    report = validate(
        write_offline("resume", compiled, analysis).markdown, "resume", summary, analysis
    )
    assert report.keywords.missing == [
        s for s in analysis.keywords if s not in report.keywords.matched
    ]
    # Every posting skill is a must-have here: a hard one weighs 3, a soft one 1, and is met
    # when the profile has it (the document alone no longer decides the match).
    checked = report.keywords.qualifications
    assert [m.qualification.text for m in checked] == analysis.required_skills
    weights = [1 if m.qualification.soft else 3 for m in checked]
    got = sum(w for w, m in zip(weights, checked, strict=True) if m.met)
    expected = 100 * got / sum(weights)
    assert report.match_score == pytest.approx(expected, abs=0.1)
    assert set(report.keywords.matched) <= {m.qualification.text for m in checked if m.met}


def test_a_user_edit_is_validated_too() -> None:
    summary, analysis, compiled = stages("craig-gardener")
    markdown = write_offline("resume", compiled, analysis).markdown
    edited = markdown.replace(
        "### Senior Developer, Catch Digital", "### Head of Engineering, Catch Digital"
    ).replace("Nov 2019 – Feb 2020", "Nov 2017 – Feb 2020")
    edited += "\n- Cut cloud costs by 35% for GitLab\n"
    edited = edited.replace("**Technical:** GitLab", "**Technical:** Ansible, GitLab")
    report = validate(edited, "resume", summary, analysis)
    assert report.status == "needs_review"
    whats = {r.what: r for r in report.removed}
    assert whats["Head of Engineering"].action == "replaced"
    assert whats["Head of Engineering"].replacement == "Senior Developer"
    assert "Nov 2017 – Feb 2020" in whats
    assert "Ansible" in whats
    assert "### Senior Developer, Catch Digital" in report.markdown
    assert "Nov 2019 – Feb 2020" in report.markdown
    assert "35%" not in report.markdown and "Ansible" not in report.markdown


def test_ats_checks_flag_tables_first_person_and_length() -> None:
    summary, analysis, compiled = stages("thomas-davis")
    markdown = write_offline("resume", compiled, analysis).markdown
    broken = markdown.replace("## Experience", "## My Journey\n| a | b |\n|---|---|\nI love code.")
    broken += "\n".join(f"- React {n}" for n in range(200))
    report = validate(broken, "resume", summary, analysis)
    failed = {c.name for c in report.ats_score_details if not c.passed}
    assert {"single_column", "standard_headings", "no_first_person", "length"} <= failed
    assert report.ats_score < validate(markdown, "resume", summary, analysis).ats_score
    assert report.recommendations


def test_plain_text_has_no_markdown() -> None:
    _summary, analysis, compiled = stages("craig-gardener")
    text = markdown_to_text(write_offline("resume", compiled, analysis).markdown)
    assert "#" not in text and "**" not in text
    assert "Technical: GitLab" in text
    assert re.search(r"^- ", text, re.M)


def test_the_length_model_agrees_with_the_plan() -> None:
    _, analysis, compiled = stages("thomas-davis")
    markdown = write_offline("resume", compiled, analysis).markdown
    assert pages(markdown_lines(markdown)) <= 1.0
    assert abs(markdown_lines(markdown) - compiled.estimated_lines) < 6  # summary reserve


def test_every_stage_summary_is_json() -> None:
    summary, analysis, compiled = stages("kyle-oliver")
    draft = write_offline("resume", compiled, analysis)
    report = validate(draft.markdown, "resume", summary, analysis)
    for value in (analysis, compiled, draft, report):
        json.dumps(value.summary())
        assert value.model_validate_json(value.model_dump_json()) == value
