"""The shapes of ``/api/v1/profiles``: what a profile reads as, and what writes take.

A client can send back what it reads: create and PUT take ``skills`` in the
grouped shape every read returns (``{technical, soft, languages,
certifications}``, a technical or soft skill may be a plain string), or as the
older flat list of ``{category, name, ...}``; and PUT accepts a whole profile
as GET returned it, its read-only fields (``id``, ``version``, timestamps ...)
ignored, its items matched to the stored ones by ``id``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jobwise.adapters.interop.json_resume import (
    ImportedProfile,
    JsonResume,
    JsonResumeImportError,
    import_profile,
)
from jobwise.adapters.interop.linkedin import LinkedInImportError, read_export
from jobwise.application.queries.profiles import ProfileVersion
from jobwise.domain.errors import FieldProblem, InvalidInput
from jobwise.domain.profile_items import (
    DESCRIPTION_MAX,
    ITEMS_MAX,
    NAME_MAX,
    CustomFields,
    EducationFields,
    ExperienceFields,
    Name,
    OptionalName,
    PersonalInfo,
    Proficiency,
    ProjectFields,
    SkillCategory,
    SkillFields,
    Strict,
)
from jobwise.entrypoints.http.api import validate
from jobwise.entrypoints.http.params import ExpectedVersion, Version
from jobwise.entrypoints.http.shapes import object_or_list, text_or

ItemId = Annotated[str, Field(min_length=1, max_length=100)]

# -- what a profile reads as -----------------------------------------------------------


class ExperienceItem(ExperienceFields):
    id: str


class EducationItem(EducationFields):
    id: str


class ProjectItem(ProjectFields):
    id: str


class NamedSkill(BaseModel):
    id: str
    name: str


class LanguageSkill(NamedSkill):
    proficiency: str | None = None


class Certification(NamedSkill):
    issuer: str | None = None
    date_obtained: date | None = None
    credential_id: str | None = None


class Skills(BaseModel):
    technical: list[NamedSkill] = []
    soft: list[NamedSkill] = []
    languages: list[LanguageSkill] = []
    certifications: list[Certification] = []


class ProfileView(BaseModel):
    id: str
    user_id: str
    personal_info: PersonalInfo
    professional_summary: str | None
    skills: Skills
    experiences: list[ExperienceItem]
    education: list[EducationItem]
    projects: list[ProjectItem]
    custom_fields: dict[str, Any]
    version: int
    is_active: bool
    created_at: datetime
    updated_at: datetime


class ProfileList(BaseModel):
    items: list[ProfileView]
    total: int
    limit: int
    offset: int


class ProfileVersions(BaseModel):
    items: list[ProfileVersion]


# -- what writes take ------------------------------------------------------------------


class ExperienceIn(ExperienceFields):
    id: ItemId | None = Field(default=None, description="Kept when it names a stored item")


class EducationIn(EducationFields):
    id: ItemId | None = None


class ProjectIn(ProjectFields):
    id: ItemId | None = None


class SkillIn(SkillFields):
    id: ItemId | None = None


class NamedSkillIn(Strict):
    id: ItemId | None = None
    name: Name


class LanguageIn(Strict):
    id: ItemId | None = None
    name: Name
    proficiency: Proficiency | None = None


class CertificationIn(Strict):
    id: ItemId | None = None
    name: Name
    issuer: OptionalName = None
    date_obtained: date | None = None
    credential_id: OptionalName = None


class SkillGroupsIn(Strict):
    """Skills in the shape every read returns; a technical or soft skill may be a string."""

    technical: Annotated[list[text_or(NamedSkillIn, NAME_MAX)], Field(max_length=ITEMS_MAX)] = []  # type: ignore[valid-type]
    soft: Annotated[list[text_or(NamedSkillIn, NAME_MAX)], Field(max_length=ITEMS_MAX)] = []  # type: ignore[valid-type]
    languages: Annotated[list[LanguageIn], Field(max_length=ITEMS_MAX)] = []
    certifications: Annotated[list[CertificationIn], Field(max_length=ITEMS_MAX)] = []

    def items(self) -> list[dict[str, Any]]:
        """As component items, in the user's order: technical, soft, languages, certifications."""
        grouped: list[tuple[SkillCategory, list[Any]]] = [
            (SkillCategory.TECHNICAL, self.technical),
            (SkillCategory.SOFT, self.soft),
            (SkillCategory.LANGUAGE, self.languages),
            (SkillCategory.CERTIFICATION, self.certifications),
        ]
        return [
            _item(SkillIn.model_validate({"category": category, **_fields(skill)}))
            for category, group in grouped
            for skill in group
        ]


SkillsIn = object_or_list(SkillGroupsIn, SkillIn, ITEMS_MAX)
"""Grouped (as read) or the flat list of ``{category, name, ...}``."""


def skill_items(skills: SkillGroupsIn | list[SkillIn]) -> list[dict[str, Any]]:
    if isinstance(skills, SkillGroupsIn):
        return skills.items()
    return [_item(skill) for skill in skills]


def component_items(items: Sequence[BaseModel]) -> list[dict[str, Any]]:
    return [_item(item) for item in items]


def _fields(skill: str | BaseModel) -> dict[str, Any]:
    return {"name": skill} if isinstance(skill, str) else skill.model_dump(exclude_unset=True)


def _item(model: BaseModel) -> dict[str, Any]:
    """A component item's fields as stored, with its ``id`` only when the client sent one."""
    fields = model.model_dump(mode="json")
    if fields.get("id") is None:
        fields.pop("id", None)
    return fields


Summary = Field(default=None, max_length=DESCRIPTION_MAX)
Items: Any = Field(default=[], max_length=ITEMS_MAX)


class CreateProfileRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    personal_info: PersonalInfo
    professional_summary: str | None = Summary
    custom_fields: CustomFields = {}
    experiences: list[ExperienceIn] = Items
    education: list[EducationIn] = Items
    projects: list[ProjectIn] = Items
    skills: SkillsIn = []  # type: ignore[valid-type]


class ReadOnlyEcho(BaseModel):
    """Fields a profile reads with that a PUT may send back unchanged: they are ignored."""

    id: str | None = Field(default=None, description="Read-only: ignored")
    user_id: str | None = Field(default=None, description="Read-only: ignored")
    version: int | None = Field(
        default=None, description="Read-only: ignored (send If-Match to make the PUT conditional)"
    )
    is_active: bool | None = Field(default=None, description="Read-only here: use PATCH")
    created_at: datetime | None = Field(default=None, description="Read-only: ignored")
    updated_at: datetime | None = Field(default=None, description="Read-only: ignored")


class ReplaceProfileRequest(ReadOnlyEcho):
    """A whole profile. A component that is sent replaces the stored one: items with a
    stored ``id`` are kept (and changed if they differ), others are added, and stored items
    not sent are removed. A component left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    personal_info: PersonalInfo
    professional_summary: str | None = Summary
    custom_fields: CustomFields = {}
    experiences: list[ExperienceIn] | None = Field(default=None, max_length=ITEMS_MAX)
    education: list[EducationIn] | None = Field(default=None, max_length=ITEMS_MAX)
    projects: list[ProjectIn] | None = Field(default=None, max_length=ITEMS_MAX)
    skills: SkillsIn | None = None  # type: ignore[valid-type]
    expected_version: ExpectedVersion = None

    def components(self) -> dict[str, list[dict[str, Any]]]:
        """The components this PUT replaces, as items."""
        replaced: dict[str, list[dict[str, Any]]] = {}
        for name in ("experiences", "education", "projects"):
            items = getattr(self, name)
            if items is not None:
                replaced[name] = component_items(items)
        if self.skills is not None:
            replaced["skills"] = skill_items(self.skills)
        return replaced


class PatchProfileRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    personal_info: PersonalInfo | None = None
    professional_summary: str | None = Summary
    custom_fields: CustomFields | None = None
    is_active: Literal[True] | None = Field(
        default=None, description="true makes this the active profile"
    )
    expected_version: ExpectedVersion = None


class VersionQuery(BaseModel):
    version: Version | None = None


# -- a component's items, added one at a time or many at once ---------------------------

COMPONENT_MODELS: dict[str, type[BaseModel]] = {
    "experiences": ExperienceFields,
    "education": EducationFields,
    "projects": ProjectFields,
    "skills": SkillFields,
}


def one_or_many(model: type[BaseModel], name: str) -> type[RootModel[Any]]:
    """A body that is one item or a list of them (a bulk add: one version bump)."""

    class OneOrMany(RootModel[list[model]]):  # type: ignore[valid-type]
        root: list[model] = Field(min_length=1, max_length=ITEMS_MAX)  # type: ignore[valid-type]

        @model_validator(mode="before")
        @classmethod
        def _listed(cls, data: Any) -> Any:
            return [data] if isinstance(data, dict) else data

    OneOrMany.__name__ = OneOrMany.__qualname__ = name
    return OneOrMany


# -- JSON Resume and LinkedIn exports in, JSON Resume out ---------------------------------


class ImportRequest(BaseModel):
    """``json-resume``: ``data`` is the resume (an object). ``linkedin``: ``data`` is the
    LinkedIn data export ZIP ("Get a copy of your data"), base64-encoded."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["json-resume", "linkedin"]
    data: dict[str, Any] | str

    @field_validator("data")
    @classmethod
    def _fits_format(cls, value: dict[str, Any] | str, info: ValidationInfo) -> Any:
        fmt = info.data.get("format")
        if fmt == "json-resume" and not isinstance(value, dict):
            raise ValueError("a JSON Resume is an object")
        if fmt == "linkedin" and not isinstance(value, str):
            raise ValueError("a LinkedIn export is the ZIP file, base64-encoded, as a string")
        return value


class ExportQuery(BaseModel):
    format: Literal["json-resume"] = "json-resume"


def imported(data: dict[str, Any]) -> ImportedProfile:
    """A JSON Resume as a new profile's parts; a 422 naming ``data.<field>`` if it is not one."""
    resume = validate(JsonResume, data, "data")
    try:
        return import_profile(resume)
    except JsonResumeImportError as error:
        raise InvalidInput(None, [FieldProblem(f"data.{error.field}", str(error))]) from None


def imported_linkedin(data: str) -> ImportedProfile:
    """A LinkedIn data export (the ZIP, base64) as a new profile's parts; a 422 naming
    ``data`` if it is not one."""
    try:
        archive = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        problem = FieldProblem("data", "must be the ZIP file, base64-encoded")
        raise InvalidInput(None, [problem]) from None
    try:
        return read_export(archive)
    except LinkedInImportError as error:
        raise InvalidInput(None, [FieldProblem(error.field, str(error))]) from None


def created_components(
    parts: CreateProfileRequest | ImportedProfile,
) -> dict[str, list[dict[str, Any]]]:
    """A new profile's components as items (a create takes skills grouped or flat)."""
    components = {
        name: component_items(getattr(parts, name))
        for name in ("experiences", "education", "projects")
    }
    components["skills"] = (
        skill_items(parts.skills)
        if isinstance(parts, CreateProfileRequest)
        else component_items(parts.skills)
    )
    return components
