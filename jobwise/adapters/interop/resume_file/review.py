"""A language model's reading of a resume file, under the generation's rule: no field
that is not in the document.

The model gets the text as read and answers in the draft's shape, dates as printed.
Every value it gives is then looked for in the file's text (case, spaces and hyphens
aside); one that is not there is left out and named in the notes, whatever it is (a
company, a skill, a date). What survives improves the deterministic draft: a missing
contact detail is filled in; a component (experiences, education, projects) is taken
from the model when it found at least as many entries, each with its required names;
skills it found are added. Nothing the rules read is lost otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from jobwise.adapters.interop.resume_file.dates import read_date
from jobwise.adapters.interop.resume_file.reader import ResumeDraft, fit_draft
from jobwise.domain.language_model import LanguageModel, LanguageModelError

MAX_PROMPT_CHARS = 24_000
TAKEN = 0.7
"""Confidence of a value the model found and the file holds."""
SYSTEM_PROMPT = (
    "You read a resume's text, as extracted from its file, into JSON. Copy every value "
    "exactly as it is written in the text: do not reword, translate, summarise, correct "
    "or complete anything, and leave out whatever the text does not say. Dates: copy them "
    'as printed ("Jan 2020", "2019", "Present"). An experience is a job, internship, '
    "research or volunteer position; achievements are its bullet points, verbatim."
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="ignore")


class LlmPerson(_Strict):
    full_name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    linkedin: str | None = None
    github: str | None = None
    website: str | None = None


class LlmExperience(_Strict):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    start: str | None = None
    end: str | None = None
    achievements: list[str] = Field(default_factory=list)


class LlmEducation(_Strict):
    institution: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    start: str | None = None
    end: str | None = None


class LlmProject(_Strict):
    name: str | None = None
    description: str | None = None
    url: str | None = None
    technologies: list[str] = Field(default_factory=list)


class LlmResume(_Strict):
    personal_info: LlmPerson = Field(default_factory=LlmPerson)
    experiences: list[LlmExperience] = Field(default_factory=list)
    education: list[LlmEducation] = Field(default_factory=list)
    projects: list[LlmProject] = Field(default_factory=list)
    technical_skills: list[str] = Field(default_factory=list)
    soft_skills: list[str] = Field(default_factory=list)


async def reviewed(model: LanguageModel, draft: ResumeDraft) -> ResumeDraft:
    """``draft`` improved by the model's reading, every value checked against the file.
    Raises ``LanguageModelError`` when the model fails or answers off-schema."""
    text = "\n".join(line.text for line in draft.lines)
    completion = await model.complete_json(
        system=SYSTEM_PROMPT,
        user=text[:MAX_PROMPT_CHARS],
        schema=LlmResume.model_json_schema(),
        schema_name="resume",
        max_tokens=4000,
    )
    try:
        answer = LlmResume.model_validate(completion.data)
    except ValidationError as error:
        raise LanguageModelError(
            "bad_response", f"answer does not fit the resume schema: {error.error_count()} errors"
        ) from None
    return _Merge(draft, _Guard(text)).apply(answer)


class _Guard:
    """Is a value the model gave written in the file?"""

    def __init__(self, text: str) -> None:
        self.folded = _folded(text)
        self.refused: list[str] = []

    def kept(self, path: str, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if _folded(value) in self.folded:
            return value.strip()
        self.refused.append(
            f"{path}: the language model's \u201c{value[:80]}\u201d is not in the file; left out."
        )
        return None

    def kept_all(self, path: str, values: list[str]) -> list[str]:
        return [kept for value in values if (kept := self.kept(path, value)) is not None]

    def date(self, path: str, printed: str | None) -> tuple[str | None, bool]:
        """(ISO date, is it "present"), from a date as printed, if the file prints it."""
        if printed is None or not printed.strip():
            return None, False
        if re.fullmatch(r"(?i)present|current|now|today|ongoing|至今", printed.strip()):
            return None, self.kept(path, printed) is not None
        when = read_date(printed)
        if when is None or self.kept(path, printed) is None:
            return None, False
        return when.isoformat(), False


class _Merge:
    def __init__(self, draft: ResumeDraft, guard: _Guard) -> None:
        self.draft = draft
        self.body: dict[str, Any] = {**draft.draft}
        self.confidence = dict(draft.confidence)
        self.guard = guard
        self.notes: list[str] = []
        self.changed = False

    def apply(self, answer: LlmResume) -> ResumeDraft:
        self._person(answer.personal_info)
        self._component(
            "experiences",
            [self._experience(i, e) for i, e in enumerate(answer.experiences)],
            ("title", "company"),
        )
        self._component(
            "education",
            [self._education(i, e) for i, e in enumerate(answer.education)],
            ("institution",),
        )
        self._component(
            "projects", [self._project(i, p) for i, p in enumerate(answer.projects)], ("name",)
        )
        self._skills(answer)
        fitted = fit_draft(self.body, self.notes, self.confidence) if self.changed else self.body
        return self.draft.model_copy(
            update={
                "draft": fitted,
                "confidence": self.confidence,
                # The fitting notes again what the rules' draft noted (a start date
                # still to fill in): each note once.
                "notes": list(dict.fromkeys([*self.draft.notes, *self.guard.refused, *self.notes])),
                "reader": "llm" if self.changed else "rules",
                "llm": "used",
            }
        )

    def _person(self, person: LlmPerson) -> None:
        info = dict(self.body.get("personal_info") or {})
        for name, value in person.model_dump().items():
            kept = self.guard.kept(f"personal_info.{name}", value)
            if kept is None or info.get(name):
                continue
            if name in ("linkedin", "github", "website") and not kept.lower().startswith("http"):
                kept = f"https://{kept}"
            info[name] = kept
            self.confidence[f"personal_info.{name}"] = TAKEN
            self.changed = True
        self.body["personal_info"] = info

    def _experience(self, index: int, item: LlmExperience) -> dict[str, Any]:
        path = f"experiences.{index}"
        start, _ = self.guard.date(f"{path}.start_date", item.start)
        end, current = self.guard.date(f"{path}.end_date", item.end)
        fields = {
            "title": self.guard.kept(f"{path}.title", item.title),
            "company": self.guard.kept(f"{path}.company", item.company),
            "location": self.guard.kept(f"{path}.location", item.location),
            "start_date": start,
            "end_date": end,
            "is_current": True if current and end is None else None,
            "achievements": self.guard.kept_all(f"{path}.achievements", item.achievements),
        }
        return _present(fields)

    def _education(self, index: int, item: LlmEducation) -> dict[str, Any]:
        path = f"education.{index}"
        start, _ = self.guard.date(f"{path}.start_date", item.start)
        end, _ = self.guard.date(f"{path}.end_date", item.end)
        fields = {
            "institution": self.guard.kept(f"{path}.institution", item.institution),
            "degree": self.guard.kept(f"{path}.degree", item.degree),
            "field_of_study": self.guard.kept(f"{path}.field_of_study", item.field_of_study),
            "start_date": start,
            "end_date": end,
        }
        return _present(fields)

    def _project(self, index: int, item: LlmProject) -> dict[str, Any]:
        path = f"projects.{index}"
        url = self.guard.kept(f"{path}.url", item.url)
        fields = {
            "name": self.guard.kept(f"{path}.name", item.name),
            "description": self.guard.kept(f"{path}.description", item.description),
            "url": url if url is None or url.lower().startswith("http") else f"https://{url}",
            "technologies": self.guard.kept_all(f"{path}.technologies", item.technologies),
        }
        return _present(fields)

    def _component(self, name: str, items: list[dict[str, Any]], required: tuple[str, ...]) -> None:
        whole = [item for item in items if all(item.get(field) for field in required)]
        if not whole or len(whole) < len(self.body.get(name) or []):
            return  # the rules read more entries: theirs stand
        if whole == self.body.get(name):
            return
        self.confidence = {
            path: value
            for path, value in self.confidence.items()
            if not path.startswith(f"{name}.")
        }
        for index, item in enumerate(whole):
            for field in item:
                self.confidence[f"{name}.{index}.{field}"] = TAKEN
        self.body[name] = whole
        self.changed = True

    def _skills(self, answer: LlmResume) -> None:
        skills = {**(self.body.get("skills") or {})}
        for group, found in (("technical", answer.technical_skills), ("soft", answer.soft_skills)):
            have = list(skills.get(group) or [])
            folded = {_folded(name) for name in have}
            extra = [
                name
                for name in self.guard.kept_all(f"skills.{group}", found)
                if _folded(name) not in folded
            ]
            if extra:
                skills[group] = [*have, *extra]
                self.confidence[f"skills.{group}"] = min(
                    self.confidence.get(f"skills.{group}", TAKEN), TAKEN
                )
                self.changed = True
        self.body["skills"] = skills


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value not in (None, "", [])}


def _folded(text: str) -> str:
    """Case, spaces, hyphens and soft hyphens aside: a wrapped or hyphenated line still
    holds what the model copied from it."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)
