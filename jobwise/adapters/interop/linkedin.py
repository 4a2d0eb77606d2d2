"""A LinkedIn data export ("Get a copy of your data", a ZIP of CSV files) to a profile.

``read_export(data)`` turns the bytes of the ZIP into the same :class:`ImportedProfile` a
JSON Resume import gives, so the profile is made by the same ``CreateProfile``. It is pure
and synchronous; callers in the server run it off the event loop.

Mapping (file: column → field)
------------------------------
Profile.csv              First Name + Last Name → full_name; Headline and Summary →
                         professional_summary (the headline, a blank line, the summary);
                         Geo Location (and Country, in older exports, unless the location
                         already names it) → location; Websites ("[PERSONAL:https://…]" or
                         "PORTFOLIO:http://…, BLOG:…") → the first linkedin.com/in/ URL
                         is linkedin, the first github.com URL github, the first other one
                         website.
Email Addresses.csv      Email Address of the row with Primary "Yes" (else the first) → email.
PhoneNumbers.csv         Number of the first row that has one → phone (older exports call
                         the file "Phone Numbers.csv").
Positions.csv            Company Name, Title, Location, Started On, Finished On → company,
                         title, location, start_date, end_date; Description → description;
                         no Finished On ⇔ is_current.
Education.csv            School Name → institution, Degree Name → degree, Start Date /
                         End Date.
Skills.csv               Name → a technical skill (exact repeats once).
Languages.csv            Name, Proficiency → a language; LinkedIn's five levels fold into
                         our four (see ``json_resume.proficiency_from``).
Certifications.csv       Name, Authority → issuer, Started On → date_obtained, License
                         Number → credential_id.
Projects.csv             Title → name, Description, Url, Started On / Finished On (older
                         exports: Start Date / End Date).

Dates: "2019" is 2019-01-01, "Jan 2020" (or "January 2020") 2020-01-01, "Feb 17, 1998" that
day; ISO dates are read too. An empty date, or "Present", is no date.

Nothing is invented and nothing is dropped silently. ``custom_fields["linkedin"]`` keeps
what has no place in our model: the other columns of Profile.csv (Industry, Birth Date,
Twitter Handles, ...), the other websites, emails and phone numbers; per section, for each
placed row (by its line in the file) the columns we do not map (Education Notes and
Activities, a certification's Url and Finished On, a language's own wording, a value our
validation refused); and whole rows that cannot be an item (an education without a degree,
a position whose date cannot be read, ...), each with the reason, which is also one of
:attr:`ImportedProfile.notes` (also kept there). Other files of the export are not read.

Hostile input is refused with :class:`LinkedInImportError` (a 422 for the route): not a
ZIP, an encrypted one, more than ``MAX_ENTRIES`` entries, a file we read that inflates past
``MAX_FILE_BYTES`` or all of them past ``MAX_TOTAL_BYTES`` (counted while inflating, not
taken from the headers), a CSV with NUL bytes or a field past the csv module's limit, a
file whose header row cannot be found, more than ``ITEMS_MAX`` rows in a section, and an
export without a name. Text is read as UTF-8 (with or without BOM), UTF-16 with a BOM,
else Windows-1252, else Latin-1. A preamble before the header ("Notes:" and a paragraph,
as in Connections.csv) is skipped: the header is the first row holding the file's key
columns.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from jobwise.adapters.interop.json_resume import ImportedProfile, proficiency_from
from jobwise.domain.profile_items import (
    DESCRIPTION_MAX,
    ITEMS_MAX,
    EducationFields,
    ExperienceFields,
    PersonalInfo,
    ProjectFields,
    SkillCategory,
    SkillFields,
)

__all__ = [
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_TOTAL_BYTES",
    "MAX_ZIP_BYTES",
    "STASH_KEY",
    "LinkedInImportError",
    "parse_date",
    "read_export",
]

STASH_KEY = "linkedin"
MAX_ZIP_BYTES = 20 * 1024 * 1024
"""The ZIP itself (the HTTP body limit is lower)."""
MAX_ENTRIES = 10_000
MAX_FILE_BYTES = 5 * 1024 * 1024
"""One CSV we read, inflated."""
MAX_TOTAL_BYTES = 20 * 1024 * 1024
"""All the CSVs we read, inflated."""
_CHUNK = 64 * 1024
_HEADER_SEARCH_ROWS = 50


class LinkedInImportError(ValueError):
    """The upload cannot become a profile at all (a 422 for the route, naming ``field``)."""

    def __init__(self, message: str, field: str = "data") -> None:
        super().__init__(message)
        self.field = field


# --------------------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_YEAR = re.compile(r"(\d{4})")
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]+)\.? (\d{1,2}), (\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})(?:-(\d{2}))?")
_NO_DATE = frozenset({"", "present"})


class _BadDate(ValueError):
    pass


def parse_date(text: str) -> date | None:
    """A LinkedIn date as a date; None for no date. Raises ValueError if unreadable."""
    value = " ".join(text.split())
    if value.casefold() in _NO_DATE:
        return None
    try:
        if match := _YEAR.fullmatch(value):
            return date(int(match[1]), 1, 1)
        if (match := _MONTH_YEAR.fullmatch(value)) and match[1].casefold() in _MONTHS:
            return date(int(match[2]), _MONTHS[match[1].casefold()], 1)
        if (match := _MONTH_DAY_YEAR.fullmatch(value)) and match[1].casefold() in _MONTHS:
            return date(int(match[3]), _MONTHS[match[1].casefold()], int(match[2]))
        if match := _ISO.fullmatch(value):
            return date(int(match[1]), int(match[2]), int(match[3] or 1))
    except ValueError:
        pass  # a month 13, a February 30
    raise _BadDate(f"cannot read the date {value!r}")


# --------------------------------------------------------------------------- the ZIP

_FILES = {
    "profile.csv": "profile",
    "email addresses.csv": "emails",
    "phonenumbers.csv": "phones",
    "phone numbers.csv": "phones",
    "positions.csv": "positions",
    "education.csv": "education",
    "skills.csv": "skills",
    "languages.csv": "languages",
    "certifications.csv": "certifications",
    "projects.csv": "projects",
}
"""The files we read (by name, in any folder, any case), and the section each feeds."""


def _members(data: bytes) -> dict[str, tuple[str, bytes]]:
    """Section → (the file's name in the ZIP, its bytes), for the files we read."""
    if len(data) > MAX_ZIP_BYTES:
        raise LinkedInImportError(f"The ZIP is larger than {MAX_ZIP_BYTES} bytes.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise LinkedInImportError("This is not a ZIP file (a LinkedIn data export).") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise LinkedInImportError(f"The ZIP holds more than {MAX_ENTRIES} entries.")
        wanted: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            section = _FILES.get(info.filename.rsplit("/", 1)[-1].casefold())
            if section is None or info.is_dir():
                continue
            if section in wanted:
                raise LinkedInImportError(
                    f"The ZIP holds two {info.filename.rsplit('/', 1)[-1]} files: "
                    f"{wanted[section].filename} and {info.filename}."
                )
            wanted[section] = info
        total = 0
        read: dict[str, tuple[str, bytes]] = {}
        for section, info in wanted.items():
            content = _inflate(archive, info, MAX_TOTAL_BYTES - total)
            total += len(content)
            read[section] = (info.filename, content)
        return read


def _inflate(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    """One entry's bytes, counted while inflating (the header's sizes may lie)."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise LinkedInImportError(f"The ZIP is encrypted ({name}); export it again unencrypted.")
    limit = min(MAX_FILE_BYTES, budget)
    if info.file_size > limit:
        raise _too_big(name, limit)
    parts: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_big(name, limit)
                parts.append(chunk)
    except LinkedInImportError:
        raise
    except RuntimeError:  # zipfile: "File ... is encrypted, password required"
        raise LinkedInImportError(
            f"The ZIP is encrypted ({name}); export it again unencrypted."
        ) from None
    except NotImplementedError:
        raise LinkedInImportError(f"{name} is compressed with an unsupported method.") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
        raise LinkedInImportError(f"{name} is damaged in the ZIP.") from None
    return b"".join(parts)


def _too_big(name: str, limit: int) -> LinkedInImportError:
    return LinkedInImportError(
        f"{name} is larger than the {limit} bytes this import reads "
        f"(at most {MAX_FILE_BYTES} per file and {MAX_TOTAL_BYTES} in all)."
    )


# --------------------------------------------------------------------------- CSV

Row = dict[str, str]


@dataclass
class _Sheet:
    name: str
    rows: list[tuple[int, Row]]
    """(line in the file, {column: value}) for every non-empty data row."""


def _text(name: str, content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        return _decoded(name, content[len(codecs.BOM_UTF8) :], ("utf-8",))
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decoded(name, content, ("utf-16",))
    if b"\x00" in content:
        raise LinkedInImportError(f"{name} holds NUL bytes: it is not a CSV file.")
    return _decoded(name, content, ("utf-8", "cp1252", "latin-1"))


def _decoded(name: str, content: bytes, encodings: Iterable[str]) -> str:
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            raise LinkedInImportError(f"{name} holds NUL characters: it is not a CSV file.")
        return text
    raise LinkedInImportError(f"{name} is not valid text in {', '.join(encodings)}.")


def _sheet(name: str, content: bytes, key_columns: frozenset[str]) -> _Sheet:
    """The rows of a CSV under its header: the first row holding all ``key_columns``."""
    reader = csv.reader(io.StringIO(_text(name, content), newline=""))
    header: list[str] | None = None
    rows: list[tuple[int, Row]] = []
    try:
        for record in reader:
            if header is None:
                cells = [cell.strip() for cell in record]
                if key_columns <= set(cells):
                    header = cells
                elif reader.line_num > _HEADER_SEARCH_ROWS:
                    break
                continue
            values = [value.replace("\r\n", "\n").strip() for value in record]
            if not any(values):
                continue
            row = dict(zip(header, values, strict=False))
            for extra_index, value in enumerate(values[len(header) :]):
                if value:
                    row[f"column {len(header) + extra_index + 1}"] = value
            rows.append((reader.line_num, row))
            if len(rows) > ITEMS_MAX:
                raise LinkedInImportError(
                    f"{name} has more than {ITEMS_MAX} rows; a profile holds at most "
                    f"{ITEMS_MAX} items of a kind."
                )
    except csv.Error as error:
        raise LinkedInImportError(
            f"{name} line {reader.line_num} cannot be read as CSV: {error}."
        ) from None
    if header is None:
        columns = ", ".join(sorted(key_columns))
        raise LinkedInImportError(f"{name} has no header row with the columns {columns}.")
    return _Sheet(name, rows)


# --------------------------------------------------------------------------- rows to items

Item = dict[str, Any]


def _key(column: str) -> str:
    # custom_fields refuse dotted and $-prefixed keys; CSV headers are the user's.
    return column.replace(".", "_").lstrip("$") or "_"


def _kept(row: Row, columns: Iterable[str]) -> dict[str, str]:
    """The non-empty values of ``row`` outside ``columns``."""
    skip = set(columns)
    return {_key(column): value for column, value in row.items() if value and column not in skip}


def _fit(model: type[BaseModel], fields: dict[str, Any], droppable: Iterable[str]) -> Item:
    """``fields`` validated by ``model``; an invalid field in ``droppable`` is cleared and
    retried (the caller keeps its value). Anything else raises ValidationError."""
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
                fields[name] = None


def _why(error: ValidationError) -> str:
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"]) or "row"
    return f"{where}: {detail['msg']}"


@dataclass(frozen=True)
class _Section:
    """How the rows of one file become items of one kind."""

    name: str
    key_columns: frozenset[str]
    model: type[BaseModel]
    to_fields: Callable[[Row], dict[str, Any]]
    """Our fields from a row; raises ValueError (an unreadable date) to keep the row."""
    mapped: dict[str, str]
    """Our field → the column it comes from (a dropped value is kept under that column)."""
    droppable: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    """An older column name → today's."""


def _text_or_none(value: str | None) -> str | None:
    return value or None


def _dates(row: Row, start: str, end: str) -> dict[str, date | None]:
    return {"start_date": parse_date(row.get(start, "")), "end_date": parse_date(row.get(end, ""))}


def _position(row: Row) -> dict[str, Any]:
    return {
        "title": row.get("Title"),
        "company": row.get("Company Name"),
        "location": _text_or_none(row.get("Location")),
        **_dates(row, "Started On", "Finished On"),
        "description": _text_or_none(row.get("Description")),
    }


def _education(row: Row) -> dict[str, Any]:
    return {
        "institution": row.get("School Name"),
        "degree": row.get("Degree Name"),
        **_dates(row, "Start Date", "End Date"),
    }


def _project(row: Row) -> dict[str, Any]:
    return {
        "name": row.get("Title"),
        "description": _text_or_none(row.get("Description")),
        "url": _text_or_none(row.get("Url")),
        **_dates(row, "Started On", "Finished On"),
    }


def _skill(row: Row) -> dict[str, Any]:
    return {"category": SkillCategory.TECHNICAL, "name": row.get("Name")}


def _language(row: Row) -> dict[str, Any]:
    wording = row.get("Proficiency", "")
    # Newer exports may write the level as a constant: NATIVE_OR_BILINGUAL.
    return {
        "category": SkillCategory.LANGUAGE,
        "name": row.get("Name"),
        "proficiency": proficiency_from(wording.replace("_", " ")),
    }


def _certification(row: Row) -> dict[str, Any]:
    return {
        "category": SkillCategory.CERTIFICATION,
        "name": row.get("Name"),
        "issuer": _text_or_none(row.get("Authority")),
        "date_obtained": parse_date(row.get("Started On", "")),
        "credential_id": _text_or_none(row.get("License Number")),
    }


_SECTIONS = (
    _Section(
        "positions",
        frozenset({"Company Name", "Title"}),
        ExperienceFields,
        _position,
        {
            "title": "Title",
            "company": "Company Name",
            "location": "Location",
            "start_date": "Started On",
            "end_date": "Finished On",
            "description": "Description",
        },
        droppable=("location", "description"),
    ),
    _Section(
        "education",
        frozenset({"School Name"}),
        EducationFields,
        _education,
        {
            "institution": "School Name",
            "degree": "Degree Name",
            "start_date": "Start Date",
            "end_date": "End Date",
        },
    ),
    _Section(
        "skills",
        frozenset({"Name"}),
        SkillFields,
        _skill,
        {"name": "Name"},
    ),
    _Section(
        "languages",
        frozenset({"Name", "Proficiency"}),
        SkillFields,
        _language,
        # Proficiency is not listed: its wording is always kept (ours is coarser).
        {"name": "Name"},
    ),
    _Section(
        "certifications",
        frozenset({"Name", "Authority"}),
        SkillFields,
        _certification,
        {
            "name": "Name",
            "issuer": "Authority",
            "date_obtained": "Started On",
            "credential_id": "License Number",
        },
        droppable=("issuer", "credential_id"),
    ),
    _Section(
        "projects",
        frozenset({"Title", "Description"}),
        ProjectFields,
        _project,
        {
            "name": "Title",
            "description": "Description",
            "url": "Url",
            "start_date": "Started On",
            "end_date": "Finished On",
        },
        droppable=("description", "url"),
        aliases={"Start Date": "Started On", "End Date": "Finished On"},
    ),
)

_PROFILE_COLUMNS = frozenset({"First Name", "Last Name"})
_PROFILE_MAPPED = ("First Name", "Last Name", "Headline", "Summary", "Geo Location", "Websites")
_WEBSITE = re.compile(r"([A-Z][A-Z_ ]*):(?!//)(.+)")


def websites(text: str) -> list[tuple[str | None, str]]:
    """ "[PERSONAL:https://a.example, BLOG:https://b.example]" → [(type, url), ...]."""
    inner = text.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    found: list[tuple[str | None, str]] = []
    for piece in inner.split(","):
        piece = piece.strip()
        if not piece:
            continue
        if match := _WEBSITE.fullmatch(piece):
            found.append((match[1], match[2].strip()))
        elif piece.lower().startswith(("http://", "https://", "www.")) or not found:
            found.append((None, piece))
        else:  # a comma inside a URL
            kind, url = found[-1]
            found[-1] = (kind, f"{url},{piece}")
    return found


class _Importer:
    def __init__(self, files: dict[str, tuple[str, bytes]]) -> None:
        self.files = files
        self.notes: list[str] = []
        self.stash: dict[str, Any] = {}

    def sheet(self, section: str, key_columns: frozenset[str]) -> _Sheet | None:
        if section not in self.files:
            return None
        name, content = self.files[section]
        return _sheet(name, content, key_columns)

    def keep(self, where: str, part: str, entry: dict[str, Any]) -> None:
        self.stash.setdefault(where, {}).setdefault(part, []).append(entry)

    def run(self) -> ImportedProfile:
        info, summary = self.profile()
        items = {section.name: self.section(section) for section in _SECTIONS}
        skills = self.unique_skills(items["skills"])
        if self.notes:
            self.stash["notes"] = list(self.notes)
        return ImportedProfile(
            personal_info=info,
            professional_summary=summary,
            experiences=items["positions"],
            education=items["education"],
            projects=items["projects"],
            skills=[*skills, *items["languages"], *items["certifications"]],
            custom_fields={STASH_KEY: self.stash} if self.stash else {},
            notes=self.notes,
        )

    # -- Profile.csv, emails, phones

    def profile(self) -> tuple[PersonalInfo, str | None]:
        sheet = self.sheet("profile", _PROFILE_COLUMNS)
        if sheet is None:
            raise LinkedInImportError(
                "The ZIP holds no Profile.csv: it is not a LinkedIn data export "
                "(a profile needs the name in it)."
            )
        if not sheet.rows:
            raise LinkedInImportError("Profile.csv has no row: a profile needs a full name.")
        _, row = sheet.rows[0]
        for other_line, other in sheet.rows[1:]:
            self.note(f"{sheet.name} line {other_line}: a second profile row, not read")
            self.keep("unplaced", "profile", {"line": other_line, "row": _kept(other, ())})
        name = " ".join(part for part in (row.get("First Name"), row.get("Last Name")) if part)
        fields: dict[str, Any] = {
            "full_name": name,
            "location": self.location(row),
            **self.websites(row.get("Websites", "")),
            "email": self.email(),
            "phone": self.phone(),
        }
        droppable = ("email", "phone", "location", "website", "linkedin", "github")
        try:
            info = _fit(PersonalInfo, fields, droppable)
        except ValidationError as error:
            raise LinkedInImportError(
                f"{sheet.name}: First Name and Last Name give no valid full name "
                f"({error.errors()[0]['msg']})."
            ) from None
        mapped = [*_PROFILE_MAPPED, *(["Country"] if fields["location"] else [])]
        profile = _kept(row, mapped)
        if profile:
            self.stash["profile"] = profile
        refused = {
            name: str(fields[name])
            for name in droppable
            if fields.get(name) and info.get(name) is None
        }
        if refused:  # not valid as our field (an email, a URL): kept as sent
            self.stash["refused"] = refused
        summary = "\n\n".join(part for part in (row.get("Headline"), row.get("Summary")) if part)
        if len(summary) > DESCRIPTION_MAX:
            raise LinkedInImportError(
                f"{sheet.name}: Headline and Summary together are longer than the "
                f"{DESCRIPTION_MAX} characters of a professional summary."
            )
        return PersonalInfo.model_validate(info), summary or None

    @staticmethod
    def location(row: Row) -> str | None:
        geo, country = row.get("Geo Location", ""), row.get("Country", "")
        if country and country.casefold() not in geo.casefold():
            return ", ".join(part for part in (geo, country) if part)
        return geo or None

    def websites(self, text: str) -> dict[str, str]:
        chosen: dict[str, str] = {}
        others: list[dict[str, str]] = []
        for kind, url in websites(text):
            lowered = url.lower()
            http = lowered.startswith(("http://", "https://"))
            # A company page on LinkedIn is not the person's profile: only /in/ is.
            slot = (
                "linkedin"
                if "linkedin.com/in/" in lowered
                else "github"
                if "github.com/" in lowered
                else "website"
            )
            if http and slot not in chosen:
                chosen[slot] = url
            else:
                others.append({"type": kind or "", "url": url} if kind else {"url": url})
        if others:
            self.stash["websites"] = others
        return chosen

    def email(self) -> str | None:
        sheet = self.sheet("emails", frozenset({"Email Address"}))
        rows = [row for _, row in sheet.rows if row.get("Email Address")] if sheet else []
        if not rows:
            return None
        primary = next((row for row in rows if row.get("Primary") == "Yes"), rows[0])
        others = [row["Email Address"] for row in rows if row is not primary]
        if others:
            self.stash["emails"] = others
        return primary["Email Address"]

    def phone(self) -> str | None:
        sheet = self.sheet("phones", frozenset({"Number"}))
        rows = [row for _, row in sheet.rows if row.get("Number")] if sheet else []
        if not rows:
            return None
        others = [_kept(row, ()) for row in rows[1:]]
        if others:
            self.stash["phones"] = others
        extension = rows[0].get("Extension")
        if extension:
            self.stash["phone_extension"] = extension
        return rows[0]["Number"]

    # -- the list sections

    def note(self, text: str) -> None:
        self.notes.append(text)

    def section(self, section: _Section) -> list[Item]:
        sheet = self.sheet(section.name, section.key_columns)
        if sheet is None:
            return []
        items: list[Item] = []
        for line, raw in sheet.rows:
            row = {section.aliases.get(column, column): value for column, value in raw.items()}
            try:
                fields = section.to_fields(row)
                item = _fit(section.model, fields, section.droppable)
            except (ValueError, ValidationError) as error:
                why = _why(error) if isinstance(error, ValidationError) else str(error)
                self.note(f"{sheet.name} line {line}: {why} (kept in custom_fields)")
                self.keep(
                    "unplaced", section.name, {"line": line, "why": why, "row": _kept(row, ())}
                )
                continue
            mapped = set(section.mapped.values())
            extra = _kept(row, mapped)
            for name, column in section.mapped.items():
                if fields.get(name) and item.get(name) is None:  # refused by validation
                    extra[_key(column)] = row[column]
            if extra:
                self.keep(
                    "extra", section.name, {"line": line, "item": _label(item), "columns": extra}
                )
            items.append(item)
        return items

    def unique_skills(self, skills: list[Item]) -> list[Item]:
        seen: set[str] = set()
        unique: list[Item] = []
        for item in skills:
            if item["name"] in seen:
                continue  # Skills.csv lists a skill once per endorsement group, at times
            seen.add(item["name"])
            unique.append(item)
        return unique


def _label(item: Item) -> str:
    return " / ".join(
        str(item[key])
        for key in ("name", "title", "company", "institution", "degree")
        if item.get(key)
    )


def read_export(data: bytes) -> ImportedProfile:
    """The profile a LinkedIn data export (the ZIP's bytes) describes.

    Raises :class:`LinkedInImportError` for anything that is not a readable export.
    """
    return _Importer(_members(data)).run()
