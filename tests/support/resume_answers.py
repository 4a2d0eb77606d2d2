"""What a language model might answer to the resume prompt: faithful, or fabricating.

``resume_answer(request)`` reads the candidate out of the prompt the generator sent (the
``CANDIDATE:`` JSON of the user message) and answers in the ``LlmResume`` shape, as a
model would. With ``fabricate=True`` it does what the fabrication guard exists for: it
invents an employer, lists the company applied to as a past employer, inflates a metric
and claims a skill the profile lacks. Use it as a ``FakeOpenAI`` responder.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

INVENTED_EMPLOYER = "Globex Corporation"
INVENTED_SKILL = "Kubernetes"
_METRIC = re.compile(
    r"(\d+(?:\.\d+)?)(?=\s*(?:%|percent|million|k\b|users|players|engineers|people))", re.I
)


def prompt_part(request: dict[str, Any], label: str) -> dict[str, Any]:
    """One JSON part (``JOB``, ``CANDIDATE``, ``REQUEST``) of the user message."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    for part in user.split("\n\n"):
        if part.startswith(f"{label}:\n"):
            parsed: dict[str, Any] = json.loads(part.removeprefix(f"{label}:\n"))
            return parsed
    raise AssertionError(f"no {label} in the prompt")


def month(value: str | None, current: bool = False) -> str:
    if current or not value:
        return "Present"
    return date.fromisoformat(value).strftime("%b %Y")


def resume_answer(request: dict[str, Any], *, fabricate: bool = False) -> dict[str, Any]:
    candidate = prompt_part(request, "CANDIDATE")
    job = prompt_part(request, "JOB")
    roles = [
        {
            "title": role["title"],
            "company": role["company"],
            "location": role.get("location"),
            "dates": f"{month(role['start_date'])} – {month(role['end_date'], role['is_current'])}",
            "bullets": list(role["achievements"])[:4],
        }
        for role in candidate["experiences"]
    ]
    skills = list(candidate["skills"])
    if fabricate:
        inflate_first_metric(roles)
        roles.insert(
            1,
            {
                "title": "Staff Engineer",
                "company": INVENTED_EMPLOYER,
                "dates": "Jan 2015 – Dec 2016",
                "bullets": ["Owned the billing platform end to end"],
            },
        )
        roles.append(
            {
                "title": "Backend Engineer",
                "company": job["company"],
                "dates": "Jan 2014 – Dec 2014",
                "bullets": ["Built the first version of the self-service API"],
            }
        )
        skills.append(INVENTED_SKILL)
    return {
        "summary": f"{candidate['current_title']} applying for the {job['title']} role.",
        "experiences": roles,
        "skills": skills,
        "education": [
            {"degree": school["degree"], "institution": school["institution"], "dates": ""}
            for school in candidate["education"]
        ],
        "certifications": candidate["certifications"],
    }


def inflate_first_metric(roles: list[dict[str, Any]]) -> str:
    """Multiply the first metric (a percentage, a count of users...) by ten; the new text."""
    for role in roles:
        for index, bullet in enumerate(role["bullets"]):
            found = _METRIC.search(bullet)
            if found:
                bigger = f"{float(found.group()) * 10:g}"
                role["bullets"][index] = bullet[: found.start()] + bigger + bullet[found.end() :]
                return str(role["bullets"][index])
    raise AssertionError("no achievement with a number to inflate")
