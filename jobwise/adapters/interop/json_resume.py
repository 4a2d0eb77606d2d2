"""JSON Resume (jsonresume.org, schema v1) to and from a master profile.

``export_profile(profile)`` turns a profile read-model document into a
:class:`JsonResume`; ``import_profile(resume)`` turns one into validated profile
items (:class:`ImportedProfile`). Both are pure.

Mapping
-------
basics        name↔full_name, email, phone, url↔website, summary↔professional_summary,
              location↔location (text; exported as ``{"address": text}``; imported as
              "address, city, region, postalCode, countryCode"), the first LinkedIn and
              GitHub ``profiles`` entries' ``url``↔linkedin/github.
work          name↔company, position↔title, location, startDate/endDate, summary↔description,
              highlights↔achievements; no endDate ⇔ is_current.
education     institution, studyType↔degree, area↔field_of_study, startDate/endDate, score↔gpa.
awards        honors. An education honor is exported as an award
              ``{title: honor, awarder: institution, date: the education's endDate}``; on import an
              award whose ``awarder`` is the institution of an imported education entry becomes
              that entry's honor (several entries at one institution: the one whose endDate
              matches the award's date, else the first). Every other award is kept as it is.
projects      name, description, keywords↔technologies, url, startDate/endDate.
skills        Exported as two groups, ``{"name": "Technical skills", "keywords": [...]}`` and
              ``{"name": "Soft skills", "keywords": [...]}``. On import an entry named
              "Soft skills" (any case) gives soft skills from its keywords; any other entry
              with keywords gives one technical skill per keyword (its name is a group label);
              an entry without keywords is one technical skill (its name).
languages     language↔name, fluency↔proficiency: native "Native speaker", fluent "Fluent",
              conversational "Conversational", basic "Basic"; on import free text is read
              ("Native or bilingual", "Full professional proficiency", "B2", ...), unknown
              wording gives no proficiency.
certificates  name, issuer, date↔date_obtained. credential_id: an http(s) credential is the
              ``url``; any other id is written into the name as "Name (Credential ID: X)",
              the way LinkedIn shows it, and read back from there. Without such a suffix an
              imported ``url`` becomes the credential_id.

Dates: JSON Resume allows "YYYY", "YYYY-MM" and "YYYY-MM-DD"; ours are full dates, so
"2020" is read as 2020-01-01 and "2020-03" as 2020-03-01. An empty string is read as
"no date" (common in the wild, though the schema does not allow it).

Nothing is lost: ``custom_fields["json_resume"]`` (see :class:`Stash`) keeps what our model
has no place for, and export puts it back where it was:

- sections we do not model (volunteer, publications, interests, references, meta), ``$schema``
  and unknown top-level keys, verbatim;
- for every list section, one *slot* per original entry, in the original order. A slot is
  either the entry itself (it could not be placed: e.g. work without a startDate, which our
  model requires; we do not invent a start date) or a reference to the profile item made from
  it, by content key (company+title, institution+degree, name, ...; ids do not exist yet at
  import time), plus ``extra``: its fields our item has no place for (work.url,
  education.courses, a project url that is not http(s), ...), and ``originals``: values our
  item holds with the same meaning but other wording, such as "2020-03" for 2020-03-01 or
  "Full professional proficiency" for fluent;
- the same ``extra``/``originals`` for basics (label, image, the location object, a
  ``url`` that is not http(s) and so cannot be our website, ...).

On export every slot is replayed against the *current* profile: an item that was deleted
drops its slot, an item whose value changed is exported fresh (an original wording is used
only while it still means the current value), ``extra`` fills only fields the item leaves
empty, and items added since the import are appended after the slots. A value that fails our
validation (a bad email, a too-long gpa) is set aside into ``extra`` instead of failing the
import; an entry whose required fields are missing or invalid is kept as a whole slot and
named in :attr:`ImportedProfile.notes`. Only a resume without ``basics.name`` is refused
(:class:`JsonResumeImportError`): a profile needs a full name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from jobwise.domain.profile_items import (
    DESCRIPTION_MAX,
    ITEMS_MAX,
    EducationFields,
    ExperienceFields,
    PersonalInfo,
    Proficiency,
    ProjectFields,
    SkillCategory,
    SkillFields,
)
from jobwise.domain.storable import escape_keys, unescape_keys

__all__ = [
    "Award",
    "Basics",
    "Certificate",
    "Education",
    "ImportedProfile",
    "Interest",
    "JsonResume",
    "JsonResumeImportError",
    "Language",
    "Location",
    "Meta",
    "Project",
    "Publication",
    "Reference",
    "ResumeDate",
    "Skill",
    "Slot",
    "SocialProfile",
    "Stash",
    "Volunteer",
    "Work",
    "expand_date",
    "export_profile",
    "import_profile",
    "proficiency_from",
]

STASH_KEY = "json_resume"
STASH_LAYOUT = 2
"""The ``custom_fields`` key that holds what JSON Resume had and our model does not."""

# --------------------------------------------------------------------------- dates

_PARTIAL_DATE = re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")


def expand_date(value: str) -> str:
    """ "2020" → "2020-01-01", "2020-03" → "2020-03-01"; a full date stays as it is."""
    return value + "-01-01"[: 10 - len(value)] if len(value) < 10 else value


def _partial_date(value: str) -> str:
    if not _PARTIAL_DATE.fullmatch(value):
        raise ValueError("must be an ISO 8601 date: YYYY, YYYY-MM or YYYY-MM-DD")
    date.fromisoformat(expand_date(value))  # a real calendar day: no 2021-02-30
    return value


def _blank_is_absent(value: Any) -> Any:
    # Many resumes in the wild write "" for "no end date"; the schema does not allow it.
    return None if value == "" else value


ResumeDate = Annotated[str, AfterValidator(_partial_date)]
"""A JSON Resume date: "YYYY", "YYYY-MM" or "YYYY-MM-DD", kept as written."""

OptionalDate = Annotated[ResumeDate | None, BeforeValidator(_blank_is_absent)]

# --------------------------------------------------------------------------- schema


class _Object(BaseModel):
    # The published schema allows more properties on every object; keeping them is what
    # lets an import lose nothing.
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class Location(_Object):
    address: str | None = None
    postalCode: str | None = None
    city: str | None = None
    countryCode: str | None = None
    region: str | None = None


class SocialProfile(_Object):
    network: str | None = None
    username: str | None = None
    url: str | None = None


class Basics(_Object):
    name: str | None = None
    label: str | None = None
    image: str | None = None
    email: str | None = None
    phone: str | None = None
    url: str | None = None
    summary: str | None = None
    location: Location | None = None
    profiles: list[SocialProfile] | None = None


class Work(_Object):
    name: str | None = None
    location: str | None = None
    description: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: OptionalDate = None
    endDate: OptionalDate = None
    summary: str | None = None
    highlights: list[str] | None = None


class Volunteer(_Object):
    organization: str | None = None
    position: str | None = None
    url: str | None = None
    startDate: OptionalDate = None
    endDate: OptionalDate = None
    summary: str | None = None
    highlights: list[str] | None = None


class Education(_Object):
    institution: str | None = None
    url: str | None = None
    area: str | None = None
    studyType: str | None = None
    startDate: OptionalDate = None
    endDate: OptionalDate = None
    score: str | None = None
    courses: list[str] | None = None


class Award(_Object):
    title: str | None = None
    date: OptionalDate = None
    awarder: str | None = None
    summary: str | None = None


class Certificate(_Object):
    name: str | None = None
    date: OptionalDate = None
    url: str | None = None
    issuer: str | None = None


class Publication(_Object):
    name: str | None = None
    publisher: str | None = None
    releaseDate: OptionalDate = None
    url: str | None = None
    summary: str | None = None


class Skill(_Object):
    name: str | None = None
    level: str | None = None
    keywords: list[str] | None = None


class Language(_Object):
    language: str | None = None
    fluency: str | None = None


class Interest(_Object):
    name: str | None = None
    keywords: list[str] | None = None


class Reference(_Object):
    name: str | None = None
    reference: str | None = None


class Project(_Object):
    name: str | None = None
    description: str | None = None
    highlights: list[str] | None = None
    keywords: list[str] | None = None
    startDate: OptionalDate = None
    endDate: OptionalDate = None
    url: str | None = None
    roles: list[str] | None = None
    entity: str | None = None
    type: str | None = None


class Meta(_Object):
    canonical: str | None = None
    version: str | None = None
    lastModified: str | None = None


class JsonResume(_Object):
    """A JSON Resume v1 document. Every field is optional, as in the schema; unknown
    top-level keys are kept (``model_extra``) and exported again."""

    schema_url: str | None = Field(default=None, alias="$schema")
    basics: Basics | None = None
    work: list[Work] | None = None
    volunteer: list[Volunteer] | None = None
    education: list[Education] | None = None
    awards: list[Award] | None = None
    certificates: list[Certificate] | None = None
    publications: list[Publication] | None = None
    skills: list[Skill] | None = None
    languages: list[Language] | None = None
    interests: list[Interest] | None = None
    references: list[Reference] | None = None
    projects: list[Project] | None = None
    meta: Meta | None = None


# --------------------------------------------------------------------------- stash


class Slot(BaseModel):
    """One original entry of a list section, in its original place."""

    entry: dict[str, Any] | None = None
    """The entry as it was, when it could not become a profile item."""
    key: list[str] | None = None
    """The content key of the profile item made from it."""
    keys: list[list[str]] | None = None
    """Skill groups: the keys of the skills made from its keywords."""
    honor: list[str] | None = None
    """Awards: [institution, degree, honor] of the education honor made from it."""
    extra: dict[str, Any] = Field(default_factory=dict)
    originals: dict[str, Any] = Field(default_factory=dict)


class BasicsStash(BaseModel):
    extra: dict[str, Any] = Field(default_factory=dict)
    originals: dict[str, Any] = Field(default_factory=dict)


class Stash(BaseModel):
    """``custom_fields["json_resume"]``: what an import kept for the next export."""

    layout: Literal[1, 2] = 1
    """Bumped if this shape ever changes, so old stashes can be told apart. Layout 2 keeps
    its keys escaped (``escape_keys``), so keys such as ``$schema`` can be stored."""
    verbatim: dict[str, Any] = Field(default_factory=dict)
    """Top-level keys we do not model (volunteer, meta, $schema, unknown keys...)."""
    basics: BasicsStash = Field(default_factory=BasicsStash)
    slots: dict[str, list[Slot]] = Field(default_factory=dict)
    """Per list section (also "profiles"), one slot per original entry; a section that was
    present but empty has an empty list, so it is exported empty again."""


# --------------------------------------------------------------------------- shared helpers

Entry = dict[str, Any]
Item = dict[str, Any]

_DATE_KEYS = frozenset({"startDate", "endDate", "date"})
_NETWORKS = {"linkedin": "LinkedIn", "github": "GitHub"}
_SOFT_GROUP = "Soft skills"
_TECHNICAL_GROUP = "Technical skills"
_CREDENTIAL = re.compile(r"(?P<name>.+) \(Credential ID: (?P<id>[^()]+)\)")
_FLUENCY_WORDS = {
    Proficiency.NATIVE: "Native speaker",
    Proficiency.FLUENT: "Fluent",
    Proficiency.CONVERSATIONAL: "Conversational",
    Proficiency.BASIC: "Basic",
}
# Checked in order: "full professional" must win over "professional", "limited working"
# over "working". LinkedIn's five levels fold into our four.
_FLUENCY_PATTERNS = [
    (Proficiency.NATIVE, r"native|mother tongue|bilingual|first language"),
    (
        Proficiency.FLUENT,
        r"fluent|full professional|professional working|proficient|advanced|c1|c2",
    ),
    (Proficiency.CONVERSATIONAL, r"conversational|intermediate|limited working|b1|b2"),
    (Proficiency.BASIC, r"basic|elementary|beginner|a1|a2"),
]


def _compact(entry: Entry) -> Entry:
    """Drop empty values: an absent field and an empty one mean the same to us."""
    return {key: value for key, value in entry.items() if value not in (None, "", [], {})}


def _iso(value: Any) -> str | None:
    # Read models hold ISO strings; accept date objects too, for callers in Python.
    return value.isoformat() if isinstance(value, date) else value


def _expanded(value: str | None) -> str | None:
    return expand_date(value) if value else None


def _is_http(value: str | None) -> bool:
    return bool(value) and str(value).lower().startswith(("http://", "https://"))


def _http_or_none(value: Any) -> str | None:
    return str(value) if _is_http(value) else None


def _network(value: Any) -> str | None:
    """ "LinkedIn", "linked in", "Github" → "linkedin" / "github"; others None."""
    folded = str(value or "").casefold().replace(" ", "")
    return folded if folded in _NETWORKS else None


def proficiency_from(fluency: str | None) -> Proficiency | None:
    """Our proficiency for a free-text JSON Resume fluency, if the wording is known."""
    text = (fluency or "").casefold()
    for proficiency, pattern in _FLUENCY_PATTERNS:
        if re.search(rf"\b({pattern})\b", text):
            return proficiency
    return None


def _location_text(location: dict[str, Any]) -> str:
    parts = ("address", "city", "region", "postalCode", "countryCode")
    return ", ".join(str(location[part]) for part in parts if location.get(part))


def _canonical(key: str, value: Any) -> Any:
    """What a JSON Resume value means to us, in the form our export writes it."""
    if value in ("", [], {}):
        return None
    if key in _DATE_KEYS and isinstance(value, str):
        return expand_date(value)
    if key == "fluency":
        proficiency = proficiency_from(value)
        return _FLUENCY_WORDS[proficiency] if proficiency else None
    if key == "network":
        network = _network(value)
        return _NETWORKS[network] if network else value
    if key == "location" and isinstance(value, dict):
        text = _location_text(value)
        return {"address": text} if text else None
    return value


def _diff(original: Entry, fresh: Entry) -> tuple[Entry, Entry]:
    """Split what ``fresh`` (our export of the imported item) does not reproduce of
    ``original`` into ``extra`` (not held by the item) and ``originals`` (same meaning)."""
    extra: Entry = {}
    originals: Entry = {}
    for key, value in original.items():
        if fresh.get(key) == value:
            continue
        if _canonical(key, value) == fresh.get(key):
            originals[key] = value
        else:
            extra[key] = value
    return extra, originals


def _replay(fresh: Entry, extra: Entry, originals: Entry) -> Entry:
    """The inverse of :func:`_diff`, against the item as it is now."""
    entry = {**extra, **fresh}
    for key, value in originals.items():
        if _canonical(key, value) == fresh.get(key):
            entry[key] = value
    return entry


def _validated(
    model: type[BaseModel], fields: dict[str, Any], droppable: Iterable[str] = ()
) -> Item:
    """``fields`` validated by ``model`` as a JSON-ready dict. An invalid optional field in
    ``droppable`` is cleared and retried (its original value ends up in ``extra``);
    anything else raises ``ValidationError``."""
    fields = dict(fields)
    while True:
        try:
            return model.model_validate(fields).model_dump(mode="json")
        except ValidationError as error:
            bad = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
            clearable = {name for name in bad if name in droppable and fields.get(name)}
            if not bad or bad != clearable:
                raise
            for name in clearable:
                fields[name] = [] if isinstance(fields[name], list) else None


def _why(section: str, index: int, error: ValidationError) -> str:
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"]) or "entry"
    return f"{section}[{index}].{where}: {detail['msg']}"


# --------------------------------------------------------------------------- sections


@dataclass(frozen=True)
class _Section:
    """How one list section maps to one kind of profile item."""

    name: str
    model: type[BaseModel]
    to_fields: Callable[[Entry], dict[str, Any]]
    to_entry: Callable[[Item], Entry]
    key: Callable[[Item], list[str]]
    droppable: tuple[str, ...] = ()


def _experience_fields(entry: Entry) -> dict[str, Any]:
    return {
        "title": entry.get("position"),
        "company": entry.get("name"),
        "location": entry.get("location"),
        "start_date": _expanded(entry.get("startDate")),
        "end_date": _expanded(entry.get("endDate")),
        "description": entry.get("summary"),
        "achievements": entry.get("highlights") or [],
    }


def _work_entry(item: Item) -> Entry:
    return _compact(
        {
            "name": item.get("company"),
            "position": item.get("title"),
            "location": item.get("location"),
            "startDate": _iso(item.get("start_date")),
            "endDate": _iso(item.get("end_date")),
            "summary": item.get("description"),
            "highlights": item.get("achievements"),
        }
    )


def _education_fields(entry: Entry) -> dict[str, Any]:
    return {
        "institution": entry.get("institution"),
        "degree": entry.get("studyType"),
        "field_of_study": entry.get("area"),
        "start_date": _expanded(entry.get("startDate")),
        "end_date": _expanded(entry.get("endDate")),
        "gpa": entry.get("score"),
    }


def _education_entry(item: Item) -> Entry:
    # Honors are not here: they are exported as awards (see the module docstring).
    return _compact(
        {
            "institution": item.get("institution"),
            "studyType": item.get("degree"),
            "area": item.get("field_of_study"),
            "startDate": _iso(item.get("start_date")),
            "endDate": _iso(item.get("end_date")),
            "score": item.get("gpa"),
        }
    )


def _project_fields(entry: Entry) -> dict[str, Any]:
    return {
        "name": entry.get("name"),
        "description": entry.get("description"),
        "technologies": entry.get("keywords") or [],
        "url": entry.get("url"),
        "start_date": _expanded(entry.get("startDate")),
        "end_date": _expanded(entry.get("endDate")),
    }


def _project_entry(item: Item) -> Entry:
    return _compact(
        {
            "name": item.get("name"),
            "description": item.get("description"),
            "keywords": item.get("technologies"),
            "url": item.get("url"),
            "startDate": _iso(item.get("start_date")),
            "endDate": _iso(item.get("end_date")),
        }
    )


def _language_fields(entry: Entry) -> dict[str, Any]:
    return {
        "category": SkillCategory.LANGUAGE,
        "name": entry.get("language"),
        "proficiency": proficiency_from(entry.get("fluency")),
    }


def _language_entry(item: Item) -> Entry:
    proficiency = item.get("proficiency")
    fluency = _FLUENCY_WORDS[Proficiency(proficiency)] if proficiency else None
    return _compact({"language": item.get("name"), "fluency": fluency})


def _certification_fields(entry: Entry) -> dict[str, Any]:
    name = entry.get("name")
    credential = _CREDENTIAL.fullmatch(name or "")
    return {
        "category": SkillCategory.CERTIFICATION,
        "name": credential["name"] if credential else name,
        "issuer": entry.get("issuer"),
        "date_obtained": _expanded(entry.get("date")),
        # A verification link is the nearest thing JSON Resume has to a credential id.
        "credential_id": credential["id"] if credential else _http_or_none(entry.get("url")),
    }


def _certificate_entry(item: Item) -> Entry:
    name, credential = item.get("name"), item.get("credential_id")
    url = credential if _is_http(credential) else None
    if credential and not url:
        name = f"{name} (Credential ID: {credential})"
    return _compact(
        {
            "name": name,
            "issuer": item.get("issuer"),
            "date": _iso(item.get("date_obtained")),
            "url": url,
        }
    )


def _name_key(category: SkillCategory) -> Callable[[Item], list[str]]:
    return lambda item: [category.value, str(item.get("name"))]


_SECTIONS = (
    _Section(
        "work",
        ExperienceFields,
        _experience_fields,
        _work_entry,
        lambda item: [str(item.get("company")), str(item.get("title"))],
        droppable=("location", "description", "achievements"),
    ),
    _Section(
        "education",
        EducationFields,
        _education_fields,
        _education_entry,
        lambda item: [str(item.get("institution")), str(item.get("degree"))],
        droppable=("field_of_study", "gpa"),
    ),
    _Section(
        "projects",
        ProjectFields,
        _project_fields,
        _project_entry,
        lambda item: [str(item.get("name"))],
        droppable=("description", "technologies", "url"),
    ),
    _Section(
        "languages",
        SkillFields,
        _language_fields,
        _language_entry,
        _name_key(SkillCategory.LANGUAGE),
    ),
    _Section(
        "certificates",
        SkillFields,
        _certification_fields,
        _certificate_entry,
        _name_key(SkillCategory.CERTIFICATION),
        droppable=("issuer", "credential_id"),
    ),
)
_HANDLED = frozenset({"basics", "awards", "skills", *(section.name for section in _SECTIONS)})

# --------------------------------------------------------------------------- import


class JsonResumeImportError(ValueError):
    """The resume cannot become a profile at all (a 422 for the route, naming ``field``)."""

    def __init__(self, message: str, field: str = "basics.name") -> None:
        super().__init__(message)
        self.field = field


class ImportedProfile(BaseModel):
    """What a JSON Resume becomes: validated profile parts, in the resume's order."""

    personal_info: PersonalInfo
    professional_summary: str | None = None
    experiences: list[ExperienceFields] = Field(default_factory=list)
    education: list[EducationFields] = Field(default_factory=list)
    projects: list[ProjectFields] = Field(default_factory=list)
    skills: list[SkillFields] = Field(default_factory=list)
    """Every category in one list (technical, soft, language, certification)."""
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    """``{"json_resume": Stash}``: everything needed to export the resume again."""
    notes: list[str] = Field(default_factory=list)
    """Entries that could not become items (they are kept in custom_fields), for the caller."""


class _Importer:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.stash = Stash(layout=STASH_LAYOUT)
        self.items: dict[str, list[Item]] = {}
        self.notes: list[str] = []

    def run(self) -> ImportedProfile:
        personal_info, summary = self.basics(self.document.get("basics") or {})
        for section in _SECTIONS:
            self.section(section)
        self.awards()
        skills = self.skills()
        self.stash.verbatim = {
            key: value for key, value in self.document.items() if key not in _HANDLED
        }
        return ImportedProfile(
            personal_info=personal_info,
            professional_summary=summary,
            experiences=self.items["work"],
            education=self.items["education"],
            projects=self.items["projects"],
            skills=[*skills, *self.items["languages"], *self.items["certificates"]],
            custom_fields={
                STASH_KEY: escape_keys(self.stash.model_dump(mode="json", exclude_defaults=True))
            },
            notes=self.notes,
        )

    def basics(self, basics: Entry) -> tuple[Item, str | None]:
        if not basics.get("name"):
            raise JsonResumeImportError("basics.name is required: a profile needs a full name")
        location = basics.get("location") or {}
        fields = {
            "full_name": basics["name"],
            "email": basics.get("email"),
            "phone": basics.get("phone"),
            "location": _location_text(location) or None,
            "website": basics.get("url"),
            **self.linked_profiles(basics.get("profiles") or []),
        }
        droppable = ("email", "phone", "location", "website", "linkedin", "github")
        try:
            info = _validated(PersonalInfo, fields, droppable)
        except ValidationError as error:  # only full_name is left that can fail
            raise JsonResumeImportError(f"basics.name: {error.errors()[0]['msg']}") from error
        self.profile_slots(basics.get("profiles"), info)
        summary = basics.get("summary")
        if summary is not None and len(summary) > DESCRIPTION_MAX:
            # The same bound as a profile's summary sent any other way.
            raise JsonResumeImportError(
                f"basics.summary: at most {DESCRIPTION_MAX} characters", field="basics.summary"
            )
        rest = {key: value for key, value in basics.items() if key != "profiles"}
        extra, originals = _diff(rest, _basics_entry(info, basics.get("summary")))
        self.stash.basics = BasicsStash(extra=extra, originals=originals)
        return info, basics.get("summary")

    @staticmethod
    def linked_profiles(profiles: list[Entry]) -> dict[str, Any]:
        """linkedin/github from the first profile entry of each network that has a url."""
        found: dict[str, Any] = {}
        for profile in profiles:
            network = _network(profile.get("network"))
            if network and network not in found and profile.get("url"):
                found[network] = profile["url"]
        return found

    def profile_slots(self, profiles: list[Entry] | None, info: Item) -> None:
        if profiles is None:
            return
        slots: list[Slot] = []
        placed: set[str] = set()
        for profile in profiles:
            network = _network(profile.get("network"))
            # Placed only if it is the entry our linkedin/github came from (and it validated).
            url = profile.get("url")
            if network and network not in placed and url and url == info.get(network):
                placed.add(network)
                extra, originals = _diff(profile, _profile_entry(network, url))
                slots.append(Slot(key=[network], extra=extra, originals=originals))
            else:
                slots.append(Slot(entry=profile))
        self.stash.slots["profiles"] = slots

    def section(self, section: _Section) -> None:
        items: list[Item] = self.items.setdefault(section.name, [])
        entries: list[Entry] | None = self.document.get(section.name)
        if entries is None:
            return
        slots = self.stash.slots.setdefault(section.name, [])
        for index, entry in enumerate(entries):
            if len(items) >= ITEMS_MAX:
                self.keep(slots, f"{section.name}[{index}]: more than {ITEMS_MAX} entries", entry)
                continue
            try:
                item = _validated(section.model, section.to_fields(entry), section.droppable)
            except ValidationError as error:
                self.keep(slots, _why(section.name, index, error), entry)
                continue
            items.append(item)
            extra, originals = _diff(entry, section.to_entry(item))
            slots.append(Slot(key=section.key(item), extra=extra, originals=originals))

    def keep(self, slots: list[Slot], why: str, entry: Entry) -> None:
        """An entry that cannot be an item stays in its place, as it is."""
        self.notes.append(f"{why} (kept in custom_fields)")
        slots.append(Slot(entry=entry))

    def awards(self) -> None:
        entries: list[Entry] | None = self.document.get("awards")
        if entries is None:
            return
        slots = self.stash.slots.setdefault("awards", [])
        for entry in entries:
            education = self.honored(entry)
            if education is None:
                slots.append(Slot(entry=entry))
                continue
            honor = education["honors"][-1]
            extra, originals = _diff(entry, _honor_entry(education, honor))
            slots.append(
                Slot(
                    honor=[education["institution"], education["degree"], honor],
                    extra=extra,
                    originals=originals,
                )
            )

    def honored(self, award: Entry) -> Item | None:
        """The education entry this award becomes an honor of (the honor appended), if any."""
        candidates = [
            item
            for item in self.items["education"]
            if award.get("awarder") and item["institution"] == award["awarder"]
        ]
        if not award.get("title") or not candidates:
            return None
        awarded = _expanded(award.get("date"))
        by_date = [item for item in candidates if item.get("end_date") == awarded]
        education = (by_date or candidates)[0]
        try:
            updated = _validated(
                EducationFields,
                {**education, "honors": [*education["honors"], award["title"]]},
            )
        except ValidationError:
            return None  # too many honors or too long a title: it stays an award
        education.update(updated)
        return education

    def skills(self) -> list[Item]:
        entries: list[Entry] | None = self.document.get("skills")
        skills: dict[tuple[str, str], Item] = {}  # one item per (category, name), in order
        if entries is None:
            return []
        slots = self.stash.slots.setdefault("skills", [])
        for index, entry in enumerate(entries):
            try:
                made = _skills_from(entry)
            except ValidationError as error:
                self.keep(slots, _why("skills", index, error), entry)
                continue
            for item in made:
                skills.setdefault((item["category"], item["name"]), item)
            keys = [[item["category"], item["name"]] for item in made]
            if entry.get("keywords"):
                extra = {key: value for key, value in entry.items() if key != "keywords"}
                slots.append(Slot(keys=keys, extra=extra))
            else:
                extra = {key: value for key, value in entry.items() if key != "name"}
                slots.append(Slot(key=keys[0], extra=extra))
        return list(skills.values())


def _skills_from(entry: Entry) -> list[Item]:
    keywords: list[str] = entry.get("keywords") or []
    if not keywords:
        return [_validated(SkillFields, {"name": entry.get("name")})]
    soft = str(entry.get("name") or "").strip().casefold() == _SOFT_GROUP.casefold()
    category = SkillCategory.SOFT if soft else SkillCategory.TECHNICAL
    return [_validated(SkillFields, {"category": category, "name": name}) for name in keywords]


def import_profile(resume: JsonResume) -> ImportedProfile:
    """The profile parts a JSON Resume describes; what does not fit goes to custom_fields.

    Raises :class:`JsonResumeImportError` only when ``basics.name`` is missing or invalid.
    """
    document = resume.model_dump(mode="json", by_alias=True, exclude_none=True)
    return _Importer(document).run()


# --------------------------------------------------------------------------- export


def _basics_entry(info: Item, summary: str | None) -> Entry:
    location = info.get("location")
    return _compact(
        {
            "name": info.get("full_name"),
            "email": info.get("email"),
            "phone": info.get("phone"),
            "url": info.get("website"),
            "summary": summary,
            "location": {"address": location} if location else None,
        }
    )


def _profile_entry(network: str, url: str) -> Entry:
    return {"network": _NETWORKS[network], "url": url}


def _honor_entry(education: Item, honor: str) -> Entry:
    return {"title": honor, "awarder": education.get("institution")}


class _Pool:
    """Profile items to be placed, each at most once, found by content key."""

    def __init__(self, items: Iterable[Item], key: Callable[[Item], list[str]]) -> None:
        self.entries = [(key(item), item) for item in items]
        self.used: set[int] = set()

    def take(self, key: list[str] | None) -> Item | None:
        for index, (candidate, item) in enumerate(self.entries):
            if index not in self.used and candidate == key:
                self.used.add(index)
                return item
        return None

    def rest(self) -> list[Item]:
        return [item for index, (_, item) in enumerate(self.entries) if index not in self.used]


def _present(entries: list[Entry], name: str, stash: Stash) -> list[Entry] | None:
    # An empty section is written only if the imported resume had it (even empty).
    return entries if entries or name in stash.slots else None


def _export_section(
    name: str,
    items: list[Item],
    key: Callable[[Item], list[str]],
    to_entry: Callable[[Item], Entry],
    stash: Stash,
) -> list[Entry] | None:
    pool = _Pool(items, key)
    entries: list[Entry] = []
    for slot in stash.slots.get(name, []):
        if slot.entry is not None:
            entries.append(slot.entry)
        elif (item := pool.take(slot.key)) is not None:  # gone since the import: dropped
            entries.append(_replay(to_entry(item), slot.extra, slot.originals))
    entries.extend(to_entry(item) for item in pool.rest())
    return _present(entries, name, stash)


def _export_awards(education: list[Item], stash: Stash) -> list[Entry] | None:
    honors = [(item, honor) for item in education for honor in item.get("honors") or []]
    used: set[int] = set()
    entries: list[Entry] = []
    for slot in stash.slots.get("awards", []):
        if slot.entry is not None:
            entries.append(slot.entry)
            continue
        for index, (item, honor) in enumerate(honors):
            key = [item.get("institution"), item.get("degree"), honor]
            if index not in used and key == slot.honor:
                used.add(index)
                fresh = _honor_entry(item, honor)
                entries.append(_replay(fresh, slot.extra, slot.originals))
                break
    for index, (item, honor) in enumerate(honors):
        if index not in used:
            # The end date tells two degrees at one institution apart on import.
            entry = {**_honor_entry(item, honor), "date": _iso(item.get("end_date"))}
            entries.append(_compact(entry))
    return _present(entries, "awards", stash)


def _export_skills(skills: dict[str, Any], stash: Stash) -> list[Entry] | None:
    present = {
        (category.value, str(skill.get("name"))): str(skill.get("name"))
        for category, group in (
            (SkillCategory.TECHNICAL, "technical"),
            (SkillCategory.SOFT, "soft"),
        )
        for skill in skills.get(group) or []
    }
    used: set[tuple[str, str]] = set()
    entries: list[Entry] = []
    for slot in stash.slots.get("skills", []):
        if slot.entry is not None:
            entries.append(slot.entry)
            continue
        keys = [(k[0], k[1]) for k in slot.keys or ([slot.key] if slot.key else [])]
        names = [present[key] for key in keys if key in present]
        used.update(keys)
        if names and slot.keys is not None:
            entries.append({**slot.extra, "keywords": names})
        elif names:
            entries.append({**slot.extra, "name": names[0]})
    for category, group in (
        (SkillCategory.TECHNICAL, _TECHNICAL_GROUP),
        (SkillCategory.SOFT, _SOFT_GROUP),
    ):
        added = [name for key, name in present.items() if key[0] == category and key not in used]
        if added:
            _add_to_group(entries, group, added)
    return _present(entries, "skills", stash)


def _add_to_group(entries: list[Entry], group: str, names: list[str]) -> None:
    """Skills added since the import join the group of their category, made if need be."""
    for entry in entries:
        if str(entry.get("name", "")).casefold() == group.casefold() and entry.get("keywords"):
            entry["keywords"] = [*entry["keywords"], *names]
            return
    entries.append({"name": group, "keywords": names})


def _export_basics(profile: dict[str, Any], stash: Stash) -> Entry:
    info: Item = profile.get("personal_info") or {}
    fresh = _basics_entry(info, profile.get("professional_summary"))
    basics = _replay(fresh, stash.basics.extra, stash.basics.originals)
    linked = [
        {"network": network, "url": info[network]} for network in _NETWORKS if info.get(network)
    ]
    profiles = _export_section(
        "profiles",
        linked,
        lambda item: [item["network"]],
        lambda item: _profile_entry(item["network"], item["url"]),
        stash,
    )
    return {**basics, "profiles": profiles} if profiles is not None else basics


def _stash_of(profile: dict[str, Any]) -> Stash:
    raw = (profile.get("custom_fields") or {}).get(STASH_KEY)
    if isinstance(raw, dict) and raw.get("layout") == STASH_LAYOUT:
        raw = unescape_keys(raw)
    try:
        return Stash.model_validate(raw or {})
    except ValidationError:
        # custom_fields are user-editable: a damaged stash must not break the export.
        return Stash()


def _skill_items(profile: dict[str, Any], group: str) -> list[Item]:
    return list((profile.get("skills") or {}).get(group) or [])


def _document(profile: dict[str, Any], stash: Stash) -> dict[str, Any]:
    items = {
        "work": list(profile.get("experiences") or []),
        "education": list(profile.get("education") or []),
        "projects": list(profile.get("projects") or []),
        "languages": _skill_items(profile, "languages"),
        "certificates": _skill_items(profile, "certifications"),
    }
    document: dict[str, Any] = {**stash.verbatim, "basics": _export_basics(profile, stash)}
    for section in _SECTIONS:
        document[section.name] = _export_section(
            section.name, items[section.name], section.key, section.to_entry, stash
        )
    document["awards"] = _export_awards(items["education"], stash)
    document["skills"] = _export_skills(profile.get("skills") or {}, stash)
    # Not _compact: a verbatim section that was empty ("interests": []) stays empty.
    return {key: value for key, value in document.items() if value is not None}


def export_profile(profile: dict[str, Any]) -> JsonResume:
    """A profile read-model document as a JSON Resume, with what an import kept put back.

    Serialise it with ``model_dump(mode="json", by_alias=True, exclude_none=True)``.
    """
    try:
        return JsonResume.model_validate(_document(profile, _stash_of(profile)))
    except ValidationError:
        # Only a hand-edited stash can hold entries the schema refuses; the profile's own
        # data always exports.
        return JsonResume.model_validate(_document(profile, Stash()))
