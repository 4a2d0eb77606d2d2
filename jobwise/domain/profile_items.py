"""The parts of a master profile, as validated values (design doc §3).

Every rule here answers a 422 naming the field: lengths, http(s) URLs, valid
emails, date order, ``is_current`` exactly when there is no ``end_date``, the
proficiency words, and no unknown fields.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jobwise.domain.characters import OneLine, text_problem
from jobwise.domain.storable import find_unstorable

CUSTOM_FIELDS_DEPTH = 16
"""How deeply ``custom_fields`` may nest (a JSON Resume's sections need four levels)."""
NAME_MAX = 200
DESCRIPTION_MAX = 5000
ITEMS_MAX = 100
"""At most this many items in one component (experiences, projects, ...)."""
LIST_ITEM_MAX = 1000
"""An achievement, honor or technology."""


def _storable_custom_fields(value: dict[str, Any]) -> dict[str, Any]:
    problem = find_unstorable(value, max_depth=CUSTOM_FIELDS_DEPTH, text_rule=text_problem)
    if problem is not None:
        raise ValueError(f"{problem.reason} (at {problem.path})")
    return value


CustomFields = Annotated[dict[str, Any], AfterValidator(_storable_custom_fields)]
"""Free-form JSON the user keeps with a profile: any keys a database can store and query
safely, at most ``CUSTOM_FIELDS_DEPTH`` deep (its size is the profile's rule)."""


def _http_url(value: str) -> str:
    lowered = value.strip().lower()
    if not lowered.startswith(("http://", "https://")) or len(lowered) < 11 or " " in lowered:
        raise ValueError("must be an http(s) URL")
    return value.strip()


# Names, titles, companies, places and URLs are one line each (``jobwise.domain.characters``);
# descriptions and achievements may hold line breaks.
HttpUrl = Annotated[str, Field(max_length=2048), OneLine, AfterValidator(_http_url)]
Name = Annotated[str, Field(min_length=1, max_length=NAME_MAX), OneLine]
OptionalName = Annotated[str | None, Field(default=None, max_length=NAME_MAX), OneLine]
Line = Annotated[str, OneLine]
Description = Annotated[str | None, Field(default=None, max_length=DESCRIPTION_MAX)]
ShortList = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=LIST_ITEM_MAX)]],
    Field(default_factory=list, max_length=ITEMS_MAX),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Proficiency(StrEnum):
    NATIVE = "native"
    FLUENT = "fluent"
    CONVERSATIONAL = "conversational"
    BASIC = "basic"


class SkillCategory(StrEnum):
    TECHNICAL = "technical"
    SOFT = "soft"
    LANGUAGE = "language"
    CERTIFICATION = "certification"


class PersonalInfo(Strict):
    full_name: Name
    email: EmailStr | None = Field(default=None, max_length=254)
    phone: Annotated[Line | None, Field(default=None, max_length=50)]
    location: OptionalName = None
    linkedin: HttpUrl | None = None
    github: HttpUrl | None = None
    website: HttpUrl | None = None


def _not_before_start(end: date | None, info: ValidationInfo) -> date | None:
    """An ``end_date`` validator: named on the field itself, so the 422 says which."""
    start = info.data.get("start_date")
    if end is not None and start is not None and end < start:
        raise ValueError("end_date must not be before start_date")
    return end


class ExperienceFields(Strict):
    title: Name
    company: Name
    location: OptionalName = None
    start_date: date
    end_date: date | None = None
    is_current: bool | None = Field(default=None, validate_default=True)
    """Derived when omitted: current exactly when there is no end_date."""
    description: Description = None
    achievements: ShortList

    _end = field_validator("end_date")(_not_before_start)

    @field_validator("is_current")
    @classmethod
    def _current_means_no_end(cls, value: bool | None, info: ValidationInfo) -> bool:
        open_ended = info.data.get("end_date") is None
        if value is None:
            return open_ended
        if value != open_ended:
            raise ValueError("is_current must be true exactly when there is no end_date")
        return value


class EducationFields(Strict):
    institution: Name
    degree: Name
    field_of_study: OptionalName = None
    start_date: date
    end_date: date | None = None
    gpa: Annotated[Line | None, Field(default=None, max_length=20)]
    honors: ShortList

    _end = field_validator("end_date")(_not_before_start)


class ProjectFields(Strict):
    name: Name
    description: Description = None
    technologies: ShortList
    url: HttpUrl | None = None
    start_date: date | None = None
    end_date: date | None = None

    _end = field_validator("end_date")(_not_before_start)


class SkillFields(Strict):
    category: SkillCategory = SkillCategory.TECHNICAL
    name: Name
    proficiency: Proficiency | None = None
    """Languages only."""
    issuer: OptionalName = None
    date_obtained: date | None = None
    credential_id: OptionalName = None

    @model_validator(mode="after")
    def _fits_category(self) -> Self:
        if self.proficiency is not None and self.category != SkillCategory.LANGUAGE:
            raise ValueError("proficiency applies to languages only")
        certification_only = (self.issuer, self.date_obtained, self.credential_id)
        if self.category != SkillCategory.CERTIFICATION and any(certification_only):
            raise ValueError("issuer, date_obtained and credential_id apply to certifications")
        return self


def with_id(fields: BaseModel, item_id: str) -> dict[str, Any]:
    """A component item as stored: its fields plus its stable id."""
    return {"id": item_id, **fields.model_dump(mode="json")}
