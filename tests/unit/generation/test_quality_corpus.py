"""The quality corpus loads, is as broad as promised, and every pair goes through the writer.

The corpus is the yardstick for measuring generated resumes and cover letters, so these
tests check the yardstick itself: enough pairs in every field, postings the parser reads,
profiles with experience, every file's source recorded, hand-read must-haves well formed,
and the offline writer producing both documents for every pair.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from jobwise.domain.postings import parse_posting
from jobwise.domain.writing import analyze_job, compile_profile, write_offline
from tests.support.quality_corpus import (
    DATA,
    FIELDS,
    KINDS,
    POSTINGS,
    PROFILES,
    Pair,
    must_have_coverage,
    pairs,
    raw_pairs,
)
from tests.unit.generation.material import TODAY, job_document

PAIRS = pairs()
IDS = [pair.id for pair in PAIRS]


def test_the_corpus_has_at_least_32_pairs_with_unique_ids() -> None:
    assert len(PAIRS) >= 32
    assert len(set(IDS)) == len(IDS)


def test_every_field_has_at_least_five_pairs() -> None:
    counts = Counter(pair.field for pair in PAIRS)
    assert set(counts) == set(FIELDS)
    assert all(counts[field] >= 5 for field in FIELDS), counts


def test_every_file_named_by_a_pair_exists_and_every_stored_file_is_used() -> None:
    named_profiles = {entry["profile"] for entry in raw_pairs()}
    named_postings = {entry["posting"] for entry in raw_pairs()}
    assert named_profiles == {path.name for path in PROFILES.glob("*.json")}
    assert named_postings == {path.name for path in POSTINGS.glob("*.txt")}


@pytest.mark.parametrize("posting", sorted(POSTINGS.glob("*.txt")), ids=lambda path: path.stem)
def test_every_posting_parses_into_a_title(posting: Path) -> None:
    title = parse_posting(posting.read_text(encoding="utf-8")).title
    assert title and title.strip()


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_every_profile_has_an_experience(pair: Pair) -> None:
    assert pair.profile.experiences


def test_sources_names_every_profile_and_posting() -> None:
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    files = [*PROFILES.glob("*.json"), *POSTINGS.glob("*.txt")]
    missing = [path.name for path in files if f"`{path.parent.name}/{path.name}`" not in sources]
    assert not missing


def test_written_profiles_are_marked_as_written() -> None:
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    real = {"thomas-davis.json", "kyle-oliver.json", "craig-gardener.json"}
    for path in PROFILES.glob("*.json"):
        line = next(row for row in sources.splitlines() if f"`profiles/{path.name}`" in row)
        assert ("written for this corpus" in line) == (path.name not in real), line


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_must_haves_are_well_formed(pair: Pair) -> None:
    assert pair.must_haves
    for item in pair.must_haves:
        assert item.kind in KINDS
        assert item.requirement.strip() and item.evidence.strip()


def test_must_have_coverage_is_the_share_met() -> None:
    coverages = {pair.id: must_have_coverage(pair) for pair in PAIRS}
    assert all(0.0 <= value <= 100.0 for value in coverages.values())
    # the corpus spans a full match, a clear miss and everything between
    assert max(coverages.values()) == 100.0
    assert min(coverages.values()) <= 50.0
    half = next(pair for pair in PAIRS if pair.id == "nursing-susan-park-encosion-clinical-review")
    assert must_have_coverage(half) == 50.0


def test_the_corpus_covers_the_situations_it_promises() -> None:
    """Thin and long careers, nursing licences and certifications, non-US candidates."""
    sizes = [len(pair.profile.experiences) for pair in PAIRS]
    assert min(sizes) == 1 and max(sizes) >= 8
    certificates = " ".join(
        name for pair in PAIRS if pair.field == "nursing" for name in pair.profile.certifications
    )
    assert all(name in certificates for name in ("Registered Nurse", "BLS", "ACLS"))
    locations = " ".join(pair.profile.contact.location or "" for pair in PAIRS)
    assert "London" in locations and "Berlin" in locations


@pytest.mark.parametrize("pair", PAIRS, ids=IDS)
def test_the_offline_writer_writes_both_documents(pair: Pair) -> None:
    analysis = analyze_job(job_document(POSTINGS / _posting_file(pair)))
    for kind in ("resume", "cover_letter"):
        compiled = compile_profile(pair.profile, analysis, today=TODAY, kind=kind)
        draft = write_offline(kind, compiled, analysis)
        assert draft.markdown.strip(), f"{pair.id}: empty {kind}"


def _posting_file(pair: Pair) -> str:
    return pair.source.split(" x ")[1]
