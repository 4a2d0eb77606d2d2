"""A LinkedIn data export imported through the API, and read back."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from tests.integration.profiles.conftest import User

SAMPLE = Path(__file__).parents[2] / "data" / "linkedin" / "basic-2023"


def sample_zip() -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(SAMPLE.iterdir()):
            archive.writestr(f"Basic_LinkedInDataExport/{path.name}", path.read_bytes())
    return base64.b64encode(buffer.getvalue()).decode("ascii")


async def test_import_a_linkedin_export_and_read_it_back(ada: User) -> None:
    created = await ada.call(
        "POST", "/import", expect=201, json={"format": "linkedin", "data": sample_zip()}
    )
    profile = await ada.call("GET", f"/{created['id']}", expect=200)
    assert profile["personal_info"]["full_name"] == "Grace Hopper"
    assert profile["personal_info"]["email"] == "grace@example.org"
    assert profile["personal_info"]["website"] == "https://grace.example.org"
    assert profile["professional_summary"].startswith("Backend Engineer | Compilers\n\n")
    current, previous, _ = profile["experiences"]
    assert (current["company"], current["start_date"], current["is_current"]) == (
        "Example Systems",
        "2022-11-01",
        True,
    )
    assert (previous["end_date"], previous["is_current"]) == ("2022-10-01", False)
    assert [item["institution"] for item in profile["education"]] == ["Yale University"]
    assert [skill["name"] for skill in profile["skills"]["technical"]] == [
        "Python",
        "Compilers",
        "Event Sourcing",
    ]
    languages = {item["name"]: item.get("proficiency") for item in profile["skills"]["languages"]}
    assert languages == {
        "English": "native",
        "Spanish": "fluent",
        "German": "basic",
        "Klingon": None,
    }
    (cka, _) = profile["skills"]["certifications"]
    assert (cka["issuer"], cka["date_obtained"], cka["credential_id"]) == (
        "Cloud Native Computing Foundation",
        "2022-03-01",
        "LF-abc123",
    )
    assert {project["name"] for project in profile["projects"]} == {"Tide tables", "Notebook"}
    kept = profile["custom_fields"]["linkedin"]
    assert kept["unplaced"]["education"][0]["row"]["School Name"] == "Online Academy"
    assert kept["notes"] == [
        "Basic_LinkedInDataExport/Education.csv line 3: degree: String should have "
        "at least 1 character "
        "(kept in custom_fields)"
    ]


async def test_a_bad_upload_is_a_422_naming_data(ada: User) -> None:
    cases = [
        {"format": "linkedin", "data": "not base64!"},
        {"format": "linkedin", "data": base64.b64encode(b"PK\x03\x04 not really").decode()},
        {"format": "linkedin", "data": {"basics": {"name": "Ada"}}},
        {"format": "json-resume", "data": sample_zip()},
    ]
    for body in cases:
        answer = await ada.call("POST", "/import", expect=422, json=body)
        assert answer["error"]["code"] == "validation_error"
        assert [problem["field"] for problem in answer["error"]["details"]["fields"]] == ["data"]
    listed = await ada.call("GET", "", expect=200)
    assert listed["total"] == 0
