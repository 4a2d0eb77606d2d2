"""The quality corpus (``tests/data/quality``): profiles paired with real job postings.

Each pair is a JSON Resume profile, the pasted text of a public posting, and a human
reading of the posting's hard requirements (``must_haves``) with whether the profile meets
each. That reading was written by hand, not computed by JobWise, so it is the yardstick a
match score or a generated document is measured against. Sources are in SOURCES.md.

Profiles become a ``ProfileSummary`` exactly as ``tests/unit/generation/material.py``
builds one (import, ids, newest first, ``summarize``), on the same fixed day.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from jobwise.domain.profile_summary import ProfileSummary, summarize
from tests.unit.generation.material import TODAY, profile_document

DATA = Path(__file__).parents[1] / "data" / "quality"
PROFILES = DATA / "profiles"
POSTINGS = DATA / "postings"
FIELDS = ("software", "data", "nursing", "teaching", "marketing", "operations")

Kind = Literal["skill", "licence", "certification", "degree", "years", "other"]
KINDS: tuple[Kind, ...] = ("skill", "licence", "certification", "degree", "years", "other")


@dataclass(frozen=True)
class MustHave:
    """One hard requirement of a posting, and whether (and how) the profile meets it."""

    requirement: str
    kind: Kind
    met: bool
    evidence: str


@dataclass(frozen=True)
class Pair:
    id: str
    field: str
    profile: ProfileSummary
    posting_text: str
    must_haves: list[MustHave]
    source: str  # "<profile file> x <posting file>", the names SOURCES.md lists


def _must_have(entry: dict[str, Any]) -> MustHave:
    kind = entry["kind"]
    if kind not in KINDS:
        raise ValueError(f"unknown must-have kind {kind!r} in {entry!r}")
    return MustHave(entry["requirement"], kind, bool(entry["met"]), entry["evidence"])


@cache
def _profile(file_name: str) -> ProfileSummary:
    resume = json.loads((PROFILES / file_name).read_text(encoding="utf-8"))
    return summarize(profile_document(resume), today=TODAY)


def _pair(entry: dict[str, Any]) -> Pair:
    return Pair(
        id=entry["id"],
        field=entry["field"],
        profile=_profile(entry["profile"]),
        posting_text=(POSTINGS / entry["posting"]).read_text(encoding="utf-8"),
        must_haves=[_must_have(item) for item in entry["must_haves"]],
        source=f"{entry['profile']} x {entry['posting']}",
    )


def raw_pairs() -> list[dict[str, Any]]:
    """pairs.json as written: file names rather than loaded profiles and postings."""
    entries: list[dict[str, Any]] = json.loads((DATA / "pairs.json").read_text(encoding="utf-8"))
    return entries


@cache
def _pairs() -> tuple[Pair, ...]:
    return tuple(_pair(entry) for entry in raw_pairs())


def pairs() -> list[Pair]:
    """Every pair of the corpus, loaded once per process."""
    return list(_pairs())


def must_have_coverage(pair: Pair) -> float:
    """The share of the pair's must-haves the profile meets, 0-100."""
    if not pair.must_haves:
        return 100.0
    met = sum(1 for item in pair.must_haves if item.met)
    return 100.0 * met / len(pair.must_haves)
