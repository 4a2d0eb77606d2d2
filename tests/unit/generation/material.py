"""Real resumes and postings (``tests/data/generation``, sources in SOURCES.md) as stage inputs.

A resume goes the way a user's import goes: ``import_profile`` gives validated items,
stored as the profile projection stores them (ids, newest first), and ``summarize``
makes the ``ProfileSummary`` the generator reads.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from pathlib import Path
from typing import Any

from jobwise.adapters.interop.json_resume import JsonResume, import_profile
from jobwise.domain.postings import parse_posting
from jobwise.domain.profile_items import with_id
from jobwise.domain.profile_summary import ProfileSummary, summarize
from jobwise.projections.profiles import newest_first

DATA = Path(__file__).parents[2] / "data" / "generation"
POSTINGS = Path(__file__).parents[2] / "data" / "postings"
TODAY = date(2026, 11, 30)
SKILL_GROUPS = {
    "technical": ("technical", ("name",)),
    "soft": ("soft", ("name",)),
    "language": ("languages", ("name", "proficiency")),
    "certification": ("certifications", ("name", "issuer", "date_obtained", "credential_id")),
}
RESUMES = ("thomas-davis", "kyle-oliver", "craig-gardener")
PAIRS = {
    # resume -> the public posting it is tailored to in these tests
    "thomas-davis": "posting-unsplash-senior-frontend.txt",
    "kyle-oliver": "posting-djinni-senior-backend.txt",
    "craig-gardener": "posting-gitlab-it-sre.txt",
}


def profile_document(resume: dict[str, Any]) -> dict[str, Any]:
    """The profile read-model document after importing ``resume``."""
    imported = import_profile(JsonResume.model_validate(resume))
    ids = (f"item-{n}" for n in itertools.count(1))
    skills: dict[str, list[dict[str, Any]]] = {group: [] for group, _ in SKILL_GROUPS.values()}
    for skill in imported.skills:
        fields = skill.model_dump(mode="json")
        group, kept = SKILL_GROUPS[fields["category"]]
        skills[group].append({"id": next(ids), **{name: fields[name] for name in kept}})
    return {
        "id": "profile-1",
        "user_id": "user-1",
        "personal_info": imported.personal_info.model_dump(mode="json"),
        "professional_summary": imported.professional_summary,
        "skills": skills,
        "experiences": newest_first([with_id(i, next(ids)) for i in imported.experiences]),
        "education": newest_first([with_id(i, next(ids)) for i in imported.education]),
        "projects": [with_id(item, next(ids)) for item in imported.projects],
        "custom_fields": imported.custom_fields,
        "version": 1,
        "is_active": True,
    }


def resume_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / f"resume-{name}.json").read_text(encoding="utf-8"))
    return data


def profile(name: str) -> ProfileSummary:
    return summarize(profile_document(resume_json(name)), today=TODAY)


def job_document(path: Path) -> dict[str, Any]:
    """A job as ``GET /jobs/{id}`` shows one created from this paste."""
    raw = path.read_text(encoding="utf-8")
    parsed = parse_posting(raw)
    return {"id": f"job-{path.stem}", **parsed.model_dump(mode="json"), "raw_text": raw}


def posting(file_name: str) -> dict[str, Any]:
    folder = DATA if (DATA / file_name).exists() else POSTINGS
    return job_document(folder / file_name)
