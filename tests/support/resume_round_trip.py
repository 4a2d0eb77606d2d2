"""JobWise's own resumes, read back: a profile goes the way a user's does (compiled and
written for a real posting by the built-in writer), is printed in every template as
PDF and DOCX, and the resume reader reads the file. What the page shows of the
profile is the expected draft (``accuracy.score``'s schema), built from the compiled
profile, not from the printed text."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jobwise.adapters.interop.json_resume import JsonResume
from jobwise.adapters.interop.resume_file.read import read_file
from jobwise.adapters.rendering import ExportFormat, Renderer, RenderRequest, list_templates
from jobwise.domain.profile_summary import summarize
from jobwise.domain.writing import GenerationOptions, analyze_job, compile_profile, write_offline
from jobwise.domain.writing.models import CompiledProfile
from jobwise.domain.writing.skills_section import skill_groups
from tests.unit.generation.material import PAIRS, TODAY, posting, profile_document, resume_json

CJK = Path(__file__).parents[1] / "data" / "resumes" / "jobwise-sample" / "cjk-profile.json"
CASES = (*PAIRS, "cjk")
"""Three real public resumes (tests/data/generation/SOURCES.md) and one in Chinese and
Japanese (written for the tests)."""
TEMPLATES = tuple(template.name for template in list_templates())
FORMATS = (ExportFormat.PDF, ExportFormat.DOCX)


@dataclass(frozen=True)
class Printed:
    case: str
    markdown: str
    expected: dict[str, Any]


def printed(case: str) -> Printed:
    resume = json.loads(CJK.read_text(encoding="utf-8")) if case == "cjk" else resume_json(case)
    JsonResume.model_validate(resume)
    document = profile_document(resume)
    job = posting(PAIRS.get(case, "posting-djinni-senior-backend.txt"))
    analysis = analyze_job(job)
    options = GenerationOptions()
    compiled = compile_profile(summarize(document, today=TODAY), analysis, options, today=TODAY)
    markdown = write_offline("resume", compiled, analysis, options).markdown
    return Printed(case, markdown, expected_of(compiled, document))


async def read_back(
    renderer: Renderer, markdown: str, template: str, form: ExportFormat
) -> dict[str, Any]:
    rendered = await renderer.render(
        RenderRequest(markdown=markdown, format=form, template=template)
    )
    return read_file(rendered.content, "pdf" if form is ExportFormat.PDF else "docx").model_dump(
        mode="json"
    )


def expected_of(compiled: CompiledProfile, document: dict[str, Any]) -> dict[str, Any]:
    info: dict[str, Any] = {"full_name": compiled.name}
    for name in ("email", "phone", "location"):
        if getattr(compiled, name):
            info[name] = getattr(compiled, name)
    for link in compiled.links:
        kind = (
            "linkedin"
            if "linkedin.com" in link
            else "github"
            if "github.com/" in link
            else "website"
        )
        info.setdefault(kind, link)
    technical, soft, languages = skill_groups(compiled)
    certified = [
        item["name"]
        for item in document["skills"]["certifications"]
        if any(shown.startswith(item["name"]) for shown in compiled.certifications)
    ]
    return {
        "personal_info": info,
        "experiences": [
            {
                "title": role.title,
                "company": role.company,
                **({"start_date": role.start_date.isoformat()[:7]} if role.start_date else {}),
                "end_date": None
                if role.is_current or role.end_date is None
                else role.end_date.isoformat()[:7],
            }
            for role in compiled.experiences
        ],
        "education": [
            {
                "institution": item.institution,
                "degree": f"{item.degree} {item.field_of_study or ''}".strip(),
                **({"start_date": str(item.start_date.year)} if item.start_date else {}),
                **({"end_date": str(item.end_date.year)} if item.end_date else {}),
            }
            for item in compiled.education
        ],
        "projects": [{"name": project.name} for project in compiled.projects],
        "skills": [*technical, *soft],
        "languages": [{"name": shown.split(" (")[0]} for shown in languages],
        "certifications": [{"name": name} for name in certified],
    }
