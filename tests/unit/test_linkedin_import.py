"""The LinkedIn data export reader: exact mapping of real-format CSVs, and hostile ZIPs.

The CSVs under tests/data/linkedin/ follow the headers, date forms and quirks of real
exports (see SOURCES.md there); the ZIPs are built here from them.
"""

from __future__ import annotations

import codecs
import io
import struct
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jobwise.adapters.interop import linkedin
from jobwise.adapters.interop.linkedin import LinkedInImportError, parse_date, read_export

DATA = Path(__file__).parents[1] / "data" / "linkedin"


def zipped(files: dict[str, bytes | str], folder: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            raw = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(folder + name, raw)
    return buffer.getvalue()


def export(name: str) -> dict[str, bytes | str]:
    return {path.name: path.read_bytes() for path in sorted((DATA / name).iterdir())}


PROFILE = (DATA / "basic-2023" / "Profile.csv").read_text("utf-8")


def dumped(data: bytes) -> dict[str, Any]:
    return read_export(data).model_dump(mode="json")


def refused(data: bytes) -> str:
    with pytest.raises(LinkedInImportError) as caught:
        read_export(data)
    assert caught.value.field == "data"
    return str(caught.value)


# --------------------------------------------------------------------------- mapping


def test_a_2023_export_maps_every_field_exactly() -> None:
    profile = dumped(zipped(export("basic-2023")))
    assert profile["personal_info"] == {
        "full_name": "Grace Hopper",
        "email": "grace@example.org",  # the Primary one, not the first
        "phone": "+1 555 0100",
        "location": "Arlington, Virginia, United States",
        "linkedin": None,  # a linkedin.com/company page is not the person's profile
        "github": None,
        "website": "https://grace.example.org",
    }
    assert profile["professional_summary"] == (
        "Backend Engineer | Compilers\n\n"
        "Builds compilers and the services around them.\nLikes short feedback loops."
    )
    assert profile["experiences"] == [
        {
            "title": "Senior Backend Engineer",
            "company": "Example Systems",
            "location": "Arlington, Virginia, United States",
            "start_date": "2022-11-01",
            "end_date": None,
            "is_current": True,
            "description": "Led the move of billing to an event-sourced service.\n"
            "Cut p99 latency from 900 ms to 210 ms.",
            "achievements": [],
        },
        {
            "title": "Compiler Engineer",
            "company": "Sample Labs - سامبل",
            "location": "Remote",
            "start_date": "2019-03-01",
            "end_date": "2022-10-01",
            "is_current": False,
            "description": None,
            "achievements": [],
        },
        {
            "title": "Intern",
            "company": "Trailhead",
            "location": None,
            "start_date": "2018-01-01",
            "end_date": "2018-01-01",
            "is_current": False,
            "description": None,
            "achievements": [],
        },
    ]
    assert profile["education"] == [
        {
            "institution": "Yale University",
            "degree": "Bachelor of Science - BS, Mathematics",
            "field_of_study": None,
            "start_date": "2010-01-01",
            "end_date": "2014-01-01",
            "gpa": None,
            "honors": [],
        }
    ]
    assert profile["projects"] == [
        {
            "name": "Tide tables",
            "description": "Offline tide tables, one per harbour.",
            "technologies": [],
            "url": "https://github.com/example/tides",
            "start_date": "2018-05-01",
            "end_date": "2018-08-01",
        },
        {
            "name": "Notebook",
            "description": None,
            "technologies": [],
            "url": None,
            "start_date": "2022-01-01",
            "end_date": None,
        },
    ]
    skills = [
        {key: value for key, value in skill.items() if value is not None}
        for skill in profile["skills"]
    ]
    assert skills == [
        {"category": "technical", "name": "Python"},  # listed twice in Skills.csv: once here
        {"category": "technical", "name": "Compilers"},
        {"category": "technical", "name": "Event Sourcing"},
        {"category": "language", "name": "English", "proficiency": "native"},
        {"category": "language", "name": "Spanish", "proficiency": "fluent"},
        {"category": "language", "name": "German", "proficiency": "basic"},
        {"category": "language", "name": "Klingon"},
        {
            "category": "certification",
            "name": "Certified Kubernetes Administrator",
            "issuer": "Cloud Native Computing Foundation",
            "date_obtained": "2022-03-01",
            "credential_id": "LF-abc123",
        },
        {
            "category": "certification",
            "name": "Process Automation Specialist",
            "issuer": "Example Superbadges",
        },
    ]


def test_what_has_no_place_is_kept_in_custom_fields_and_named_in_notes() -> None:
    imported = read_export(zipped(export("basic-2023")))
    note = "Education.csv line 3: degree: String should have at least 1 character"
    assert imported.notes == [f"{note} (kept in custom_fields)"]
    kept = imported.custom_fields["linkedin"]
    assert kept["notes"] == imported.notes
    assert kept["profile"] == {
        "Birth Date": "Dec 9",
        "Industry": "Software Development",
        "Twitter Handles": "[gracehopper]",
    }
    assert kept["websites"] == [
        {"type": "COMPANY", "url": "https://www.linkedin.com/company/example"},
        {"type": "RSS", "url": "https://grace.example.org/feed"},
    ]
    assert kept["emails"] == ["old@example.com"]
    assert kept["unplaced"] == {
        "education": [
            {
                "line": 3,
                "why": "degree: String should have at least 1 character",
                "row": {"School Name": "Online Academy", "Start Date": "Nov 2021"},
            }
        ]
    }
    assert kept["extra"]["education"] == [
        {
            "line": 2,
            "item": "Yale University / Bachelor of Science - BS, Mathematics",
            "columns": {"Notes": "Thesis on type inference", "Activities": "Chess club"},
        }
    ]
    assert kept["extra"]["certifications"] == [
        {
            "line": 2,
            "item": "Certified Kubernetes Administrator",
            "columns": {"Url": "https://www.credly.com/badges/example", "Finished On": "Mar 2025"},
        }
    ]
    wordings = {entry["item"]: entry["columns"] for entry in kept["extra"]["languages"]}
    assert wordings["Spanish"] == {"Proficiency": "Professional working proficiency"}
    assert "Klingon" not in wordings


def test_a_2018_export_with_older_columns_and_file_names() -> None:
    imported = read_export(zipped(export("complete-2018"), folder="Complete_LinkedInDataExport/"))
    assert imported.personal_info.model_dump(mode="json") == {
        "full_name": "Ada Lovelace",
        "email": None,
        "phone": "020 7946 0000",
        "location": "London, United Kingdom",  # Geo Location, then Country
        "linkedin": None,
        "github": "https://github.com/example-ada/",
        "website": "http://ada.example.org",
    }
    assert imported.professional_summary == "Analyst of engines"
    (project,) = imported.projects
    assert (project.name, project.url) == ("Note G", "http://ada.example.org/note-g")
    assert (project.start_date, project.end_date) == (date(1843, 7, 1), date(1843, 9, 1))
    kept = imported.custom_fields["linkedin"]
    assert kept["phones"] == [{"Number": "+44 20 7946 0001"}]
    assert kept["profile"] == {
        "Birth Date": "Dec 10, 1815",
        "Industry": "Computer Software",
        "Twitter Handles": "adalovelace",
        "Instant Messengers": "SKYPE:ada.example",
    }
    assert imported.notes == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019", date(2019, 1, 1)),
        ("Jan 2020", date(2020, 1, 1)),
        ("Sep 2025", date(2025, 9, 1)),
        ("September 2025", date(2025, 9, 1)),
        ("Feb 17, 1998", date(1998, 2, 17)),
        ("2021-03-04", date(2021, 3, 4)),
        ("", None),
        ("Present", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["Apr 22", "Smarch 2020", "2021-02-30", "01/02/2020"])
def test_an_unreadable_date_raises(text: str) -> None:
    with pytest.raises(ValueError, match="cannot read the date"):
        parse_date(text)


def test_a_position_with_an_unreadable_date_is_kept_whole_not_guessed() -> None:
    positions = (
        "Company Name,Title,Description,Location,Started On,Finished On\n"
        "Acme,Engineer,,,Jan 2020,Smarch 2021\n"
        "Acme,Intern,,,Jun 2019,Aug 2019\n"
    )
    imported = read_export(zipped({"Profile.csv": PROFILE, "Positions.csv": positions}))
    assert [item.title for item in imported.experiences] == ["Intern"]
    (unplaced,) = imported.custom_fields["linkedin"]["unplaced"]["positions"]
    assert unplaced["line"] == 2
    assert unplaced["why"] == "cannot read the date 'Smarch 2021'"
    assert unplaced["row"]["Finished On"] == "Smarch 2021"
    assert imported.notes == [
        "Positions.csv line 2: cannot read the date 'Smarch 2021' (kept in custom_fields)"
    ]


def test_a_value_our_rules_refuse_is_kept_beside_the_item() -> None:
    projects = "Title,Description,Url,Started On,Finished On\nTool,,ftp://tool.example,2020,\n"
    imported = read_export(zipped({"Profile.csv": PROFILE, "Projects.csv": projects}))
    (project,) = imported.projects
    assert project.url is None
    (extra,) = imported.custom_fields["linkedin"]["extra"]["projects"]
    assert extra == {"line": 2, "item": "Tool", "columns": {"Url": "ftp://tool.example"}}


def test_a_preamble_before_the_header_is_skipped() -> None:
    skills = 'Notes:\n"Skills you listed, one per line."\n\nName\nPython\n'
    imported = read_export(zipped({"Profile.csv": PROFILE, "Skills.csv": skills}))
    assert [skill.name for skill in imported.skills] == ["Python"]


def test_unknown_files_are_not_read() -> None:
    # Connections.csv, Courses.csv and Honors.csv are in the samples; a bomb would be too.
    imported = read_export(
        zipped({"Profile.csv": PROFILE, "messages.csv": b"\x00" * 1000, "Rich Media.csv": "x"})
    )
    assert imported.personal_info.full_name == "Grace Hopper"


CURLY = "First Name,Last Name,Headline\nJosé,Núñez,Ingeniero – “backend”\n"
PLAIN = "First Name,Last Name,Headline\nJosé,Núñez,Ingeniero\n"


@pytest.mark.parametrize(
    ("content", "headline"),
    [
        (codecs.BOM_UTF8 + CURLY.encode("utf-8"), "Ingeniero – “backend”"),
        (CURLY.encode("utf-16"), "Ingeniero – “backend”"),  # with its BOM
        (CURLY.encode("cp1252"), "Ingeniero – “backend”"),  # Excel on Windows
        (PLAIN.encode("latin-1"), "Ingeniero"),
        (PLAIN.encode("latin-1")[:-1] + b"\x81\n", "Ingeniero\x81"),  # not cp1252: Latin-1
    ],
)
def test_encodings(content: bytes, headline: str) -> None:
    imported = read_export(zipped({"Profile.csv": content}))
    assert imported.personal_info.full_name == "José Núñez"
    assert imported.professional_summary == headline


# --------------------------------------------------------------------------- refusals


def test_not_a_zip() -> None:
    assert "not a ZIP" in refused(b"First Name,Last Name\nAda,Lovelace\n")
    assert "not a ZIP" in refused(b"")
    assert "not a ZIP" in refused(zipped({"Profile.csv": PROFILE})[:-30])


def test_no_profile_or_no_name() -> None:
    assert "no Profile.csv" in refused(zipped({"Skills.csv": "Name\nPython\n"}))
    assert "no row" in refused(zipped({"Profile.csv": "First Name,Last Name\n"}))
    assert "no valid full name" in refused(
        zipped({"Profile.csv": "First Name,Last Name,Headline\n,,Engineer\n"})
    )
    assert "no header row" in refused(zipped({"Profile.csv": "Vorname,Nachname\nA,B\n"}))


def test_two_files_of_one_kind_are_ambiguous() -> None:
    message = refused(zipped({"Profile.csv": PROFILE, "old/Profile.csv": PROFILE}))
    assert "two Profile.csv" in message


def test_an_encrypted_zip() -> None:
    data = bytearray(zipped({"Profile.csv": PROFILE}))
    # Set the "encrypted" flag in the local and the central header (bytes 6 and 8 on).
    data[6] |= 0x1
    central = data.find(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert "encrypted" in refused(bytes(data))


def test_a_zip_bomb_is_stopped_while_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkedin, "MAX_FILE_BYTES", 100_000)
    bomb = zipped({"Profile.csv": PROFILE, "Skills.csv": "Name\n" + "A\n" * 1_000_000})
    assert len(bomb) < 10_000
    assert "larger than" in refused(bomb)


def test_a_header_that_understates_the_size_does_not_fool_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(linkedin, "MAX_FILE_BYTES", 100_000)
    data = bytearray(zipped({"Profile.csv": PROFILE, "Skills.csv": "Name\n" + "A\n" * 500_000}))
    # Rewrite Skills.csv's uncompressed size to 10 bytes in both headers.
    local = data.find(b"PK\x03\x04", data.find(b"Skills.csv") - 40)
    struct.pack_into("<I", data, local + 22, 10)
    central = data.rfind(b"PK\x01\x02")  # Skills.csv is the last entry
    struct.pack_into("<I", data, central + 24, 10)
    message = refused(bytes(data))
    assert "damaged" in message or "larger than" in message


def test_the_total_of_what_is_read_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkedin, "MAX_TOTAL_BYTES", 150_000)
    rows = "Name\n" + "A\n" * 50
    big = "Title,Description,Url,Started On,Finished On\n" + f'P,"{"x" * 100_000}",,2020,\n'
    files = {"Profile.csv": PROFILE, "Skills.csv": rows, "Projects.csv": big, "Courses.csv": big}
    assert read_export(zipped(files)).projects  # one big file fits
    files["Positions.csv"] = "Company Name,Title\n" + f'"{"y" * 100_000}",T\n'
    assert "larger than" in refused(zipped(files))


def test_too_many_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(linkedin, "MAX_ENTRIES", 5)
    files: dict[str, bytes | str] = {f"Articles/{n}.html": "" for n in range(5)}
    assert "more than 5 entries" in refused(zipped({"Profile.csv": PROFILE, **files}))


def test_nul_bytes_in_a_csv() -> None:
    assert "NUL" in refused(zipped({"Profile.csv": PROFILE.encode() + b"\x00\x00"}))


def test_a_huge_field() -> None:
    huge = "First Name,Last Name,Summary\nAda,Lovelace," + "x" * 200_000 + "\n"
    assert "cannot be read as CSV" in refused(zipped({"Profile.csv": huge}))


def test_a_summary_longer_than_ours() -> None:
    long = "First Name,Last Name,Summary\nAda,Lovelace," + "x" * 5_001 + "\n"
    assert "professional summary" in refused(zipped({"Profile.csv": long}))


def test_more_rows_than_a_profile_holds() -> None:
    skills = "Name\n" + "".join(f"Skill {n}\n" for n in range(101))
    assert "more than 100 rows" in refused(zipped({"Profile.csv": PROFILE, "Skills.csv": skills}))
