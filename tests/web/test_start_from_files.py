"""Starting a profile from a file, in a browser: a resume (PDF or DOCX) is read into a
draft checked beside the file before anything is made; a LinkedIn data export becomes the
profile at once; a file that is no resume is refused in the server's words."""

from __future__ import annotations

import io
import re

import docx
from docx.shared import Pt
from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.e2e.conftest import Serve, call
from tests.web.conftest import (
    LINKEDIN_FILE,
    RESUME_FILE,
    RESUMES,
    assert_accessible,
    read_resume,
    sign_up,
    start_from_linkedin,
    stored_session,
)

# How the review labels each field a confidence's dotted path names.
PERSONAL = {
    "full_name": "Full name",
    "email": "Email",
    "phone": "Phone",
    "location": "Location",
    "linkedin": "LinkedIn URL",
    "github": "GitHub URL",
    "website": "Website",
}
ITEMS = {"experiences": "Experience", "education": "Education", "projects": "Project"}
ITEM_FIELDS = {
    "title": "Job title",
    "company": "Company",
    "location": "Location",
    "start_date": "Start date",
    "end_date": "End date",
    "is_current": "I work here now",
    "description": "Description",
    "achievements": "Achievements",
    "institution": "Institution",
    "degree": "Degree",
    "field_of_study": "Field of study",
    "gpa": "GPA",
    "honors": "Honours",
    "name": "Project name",
    "technologies": "Technologies",
    "url": "Link",
}
SKILLS = {"technical": "Technical skills", "soft": "Soft skills", "languages": "Languages"}


def marked(page: Page, path: str) -> Locator:
    """The "check this" mark of the field a confidence path names."""
    part, _, rest = path.partition(".")
    scope: Page | Locator = page
    if part == "personal_info":
        scope, label = page.get_by_role("group", name="Personal info"), PERSONAL[rest]
    elif part == "professional_summary":
        label = "Professional summary"
    elif part == "skills":
        label = SKILLS[rest]
    else:
        index, _, name = rest.partition(".")
        scope = page.get_by_role("group", name=f"{ITEMS[part]} {int(index) + 1}", exact=True)
        label = ITEM_FIELDS[name]
    return scope.locator(".low-confidence").filter(has=page.get_by_label(label))


def test_a_pdf_resume_is_checked_beside_the_file_then_becomes_the_profile(
    serve: Serve, page: Page
) -> None:
    sign_up(page, serve.base)
    assert_accessible(page, "the starts")
    answer = read_resume(page, RESUMES / "modern.pdf")
    draft = answer["draft"]

    # Left: the PDF itself, and the text as read.
    source = page.get_by_test_id("source-file")
    expect(source).to_be_visible()
    assert (source.get_attribute("src") or "").startswith("blob:")
    page.get_by_text("The text as read", exact=True).click()
    expect(page.get_by_test_id("read-lines")).to_contain_text("Ada Lovelace")

    # Right: the draft as fields.
    personal = page.get_by_role("group", name="Personal info")
    expect(personal.get_by_label("Full name")).to_have_value("Ada Lovelace")
    expect(personal.get_by_label("Email")).to_have_value("ada@example.com")
    read_first = draft["experiences"][0]
    first = page.get_by_role("group", name="Experience 1", exact=True)
    expect(first.get_by_label("Job title")).to_have_value(read_first["title"])
    expect(first.get_by_label("Company")).to_have_value(read_first["company"])
    expect(first.get_by_label("I work here now")).to_be_checked(
        checked=bool(read_first.get("is_current"))
    )
    skills = draft["skills"]
    expect(page.get_by_label("Technical skills")).to_have_value(", ".join(skills["technical"]))
    expect(page.get_by_label("Languages")).to_have_value(
        ", ".join(f"{item['name']} ({item['proficiency']})" for item in skills["languages"])
    )

    # What was hard to read (confidence under 0.6) is marked, and nothing else is.
    low = sorted(path for path, value in answer["confidence"].items() if value < 0.6)
    whole_groups = {"skills.certifications": 4 * len(skills.get("certifications", []))}
    expect(page.locator(".low-confidence")).to_have_count(
        sum(whole_groups.get(path, 1) for path in low)
    )
    for path in low:
        if path not in whole_groups:
            expect(marked(page, path)).to_have_count(1)
            expect(marked(page, path)).to_contain_text("Check this")
    assert_accessible(page, "resume review")
    token = stored_session(page)["access"]
    assert call(serve.base, "GET", "/api/v1/profiles", token)[1]["total"] == 0  # nothing yet

    # Correct a field, then create.
    first.get_by_label("Job title").fill("Principal Backend Engineer")
    page.get_by_label("Soft skills").fill("Mentoring, Writing")
    page.get_by_role("button", name="Create my profile").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
    expect(
        page.get_by_text(f"Principal Backend Engineer · {read_first['company']}")
    ).to_be_visible()

    status, profile = call(serve.base, "GET", "/api/v1/profiles/me", token)
    assert status == 200, profile
    assert profile["personal_info"]["phone"] == draft["personal_info"]["phone"]
    current = profile["experiences"][0]
    assert (current["title"], current["start_date"], current["achievements"]) == (
        "Principal Backend Engineer",
        read_first["start_date"],
        read_first["achievements"],
    )
    made = profile["skills"]
    assert [s["name"] for s in made["soft"]] == ["Mentoring", "Writing"]
    assert [s["name"] for s in made["technical"]] == skills["technical"]
    assert [(s["name"], s.get("proficiency")) for s in made["languages"]] == [
        (item["name"], item["proficiency"]) for item in skills["languages"]
    ]
    assert [c["issuer"] for c in made["certifications"]] == [
        c.get("issuer") for c in skills["certifications"]
    ]
    assert [p["name"] for p in profile["projects"]] == [p["name"] for p in draft["projects"]]
    assert [e["institution"] for e in profile["education"]] == [
        e["institution"] for e in draft["education"]
    ]


def resume_with_a_section_of_its_own() -> FilePayload:
    """A DOCX resume with a section a profile has no place for, and a degree without its
    dates (the reader notes both; nothing is invented for the date)."""
    document = docx.Document()
    name = document.add_paragraph().add_run("Grace Brewster")
    name.bold, name.font.size = True, Pt(20)
    document.add_paragraph("grace@example.org · +1 555 0100 · Arlington, VA")
    document.add_heading("Experience", level=1)
    for head, dates, done in (
        ("Senior Engineer, Engine Co", "Jan 2020 – Present", "Cut build times by half"),
        ("Intern, Tiny Labs", "Jun 2015 – Aug 2016", "Wrote the first test suite"),
    ):
        line = document.add_paragraph()
        line.add_run(head).bold = True
        line.add_run(f"\t{dates}")
        document.add_paragraph(done, style="List Bullet")
    document.add_heading("Education", level=1)
    document.add_paragraph().add_run("BSc Mathematics, Vassar College").bold = True
    document.add_heading("Publications", level=1)
    document.add_paragraph("On compilers and their users, 2019")
    buffer = io.BytesIO()
    document.save(buffer)
    return {
        "name": "grace.docx",
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "buffer": buffer.getvalue(),
    }


def test_notes_are_shown_and_an_empty_required_field_must_be_settled_before_creating(
    serve: Serve, page: Page
) -> None:
    sign_up(page, serve.base)
    answer = read_resume(page, resume_with_a_section_of_its_own())
    draft = answer["draft"]
    assert answer["notes"] and len(draft["experiences"]) == 2, answer
    notes = page.get_by_test_id("notes")
    expect(notes.get_by_role("listitem")).to_have_count(len(answer["notes"]))
    expect(notes).to_contain_text("Publications")
    expect(notes).not_to_contain_text("custom_fields")  # fields named in words
    for note in answer["notes"]:
        for part, index, name in re.findall(
            r"\b(experiences|education|projects)\.(\d+)\.(\w+)", note
        ):
            said = f"{ITEMS[part]} {int(index) + 1}, {name.replace('_', ' ')}"
            expect(notes).to_contain_text(said)
    expect(notes).to_contain_text("Education 1, start date: not found in the file")
    for path, value in answer["confidence"].items():
        if value < 0.6:
            expect(marked(page, path)).to_contain_text("Check this")
    degree = page.get_by_role("group", name="Education 1", exact=True)
    expect(degree.get_by_label("Start date")).to_have_value("")
    expect(marked(page, "education.0.start_date")).to_contain_text("Check this")

    # The empty required date keeps the profile from being made...
    page.get_by_role("button", name="Create my profile").click()
    assert degree.get_by_label("Start date").evaluate("el => el.validity.valueMissing")
    expect(page.get_by_role("heading", name="Check what was read")).to_be_visible()
    token = stored_session(page)["access"]
    assert call(serve.base, "GET", "/api/v1/profiles", token)[1]["total"] == 0
    # ...until it is filled in; an entry may be left out.
    degree.get_by_label("Start date").fill("2012-09-01")
    second = page.get_by_role("group", name="Experience 2", exact=True)
    second.get_by_role("button", name="Leave out").click()
    expect(second).to_have_count(0)
    expect(page.get_by_role("group", name="Experience 1", exact=True)).to_be_visible()
    page.get_by_role("button", name="Create my profile").click()
    expect(page.get_by_role("heading", name="Grace Brewster", level=1)).to_be_visible()
    profile = call(serve.base, "GET", "/api/v1/profiles/me", token)[1]
    assert [e["company"] for e in profile["experiences"]] == [draft["experiences"][0]["company"]]
    assert [e["start_date"] for e in profile["education"]] == ["2012-09-01"]
    # What the form does not show goes on as read: the section kept in custom fields.
    assert profile["custom_fields"] == draft["custom_fields"]


def test_a_docx_shows_its_text_beside_the_draft_and_cancel_goes_back(
    serve: Serve, page: Page
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    sign_up(page, serve.base)
    read_resume(page, RESUMES / "modern.docx")
    expect(page.get_by_test_id("source-file")).to_have_count(0)  # no viewer for a DOCX
    lines = page.get_by_test_id("read-lines")
    expect(lines).to_be_visible()
    expect(lines).to_contain_text("Ada Lovelace")
    expect(page.get_by_role("group", name="Personal info").get_by_label("Full name")).to_have_value(
        "Ada Lovelace"
    )
    # At phone width the file comes first, the draft below it.
    file_box = page.locator(".review .source").bounding_box()
    draft_box = page.locator(".review .draft").bounding_box()
    assert file_box and draft_box and file_box["y"] + file_box["height"] <= draft_box["y"]
    assert_accessible(page, "resume review at phone width")

    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("heading", name="Start from my resume")).to_be_visible()
    token = stored_session(page)["access"]
    assert call(serve.base, "GET", "/api/v1/profiles", token)[1]["total"] == 0


def test_a_linkedin_export_becomes_the_profile(serve: Serve, page: Page) -> None:
    sign_up(page, serve.base, name="Grace Hopper")
    expect(page.get_by_text("Settings → Data privacy → Get a copy of your data")).to_be_visible()
    start_from_linkedin(page)
    expect(page.get_by_text("Senior Backend Engineer · Example Systems")).to_be_visible()
    expect(page.get_by_test_id("completeness")).to_contain_text("/ 100")
    token = stored_session(page)["access"]
    profile = call(serve.base, "GET", "/api/v1/profiles/me", token)[1]
    assert profile["personal_info"]["email"] == "grace@example.org"
    assert len(profile["experiences"]) == 3


def test_a_file_that_is_no_resume_is_refused_in_the_servers_words(serve: Serve, page: Page) -> None:
    sign_up(page, serve.base)
    fake: FilePayload = {
        "name": "resume.pdf",
        "mimeType": "application/pdf",
        "buffer": b"Ada Lovelace\nSenior Backend Engineer, Engine Co\n",
    }
    page.get_by_label(RESUME_FILE).set_input_files(fake)
    page.get_by_role("button", name="Read my resume").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Upload a resume as a PDF or DOCX file")
    assert "{" not in alert.inner_text()
    expect(page.get_by_role("heading", name="Check what was read")).to_have_count(0)

    # A resume offered as the LinkedIn export is refused too, saying what it is.
    page.get_by_label(LINKEDIN_FILE).set_input_files(str(RESUMES / "modern.pdf"))
    page.get_by_role("button", name="Upload my LinkedIn export").click()
    linkedin = page.locator("section", has=page.get_by_role("heading", name="Start from LinkedIn"))
    expect(linkedin.get_by_role("alert")).to_contain_text("The file is a PDF")
    token = stored_session(page)["access"]
    assert call(serve.base, "GET", "/api/v1/profiles", token)[1]["total"] == 0
