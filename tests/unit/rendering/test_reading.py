"""The Markdown reader: the format's structure, and hand edits that stray from it."""

from __future__ import annotations

from jobwise.adapters.rendering import read_markdown
from jobwise.adapters.rendering.document import BulletList, Paragraph, line_text
from tests.unit.rendering.fixtures import fixture


def test_the_format_reads_into_name_contact_sections_and_entries() -> None:
    doc = read_markdown(fixture("ada_resume"))
    assert doc.name == "Ada Lovelace"
    assert [line_text(item) for item in doc.contact] == [
        "ada@example.com",
        "+44 20 7946 0000",
        "London, UK",
        "https://linkedin.com/in/ada",
        "https://github.com/ada",
    ]
    assert doc.section_titles == [
        "Summary",
        "Experience",
        "Projects",
        "Skills",
        "Education",
        "Certifications",
    ]
    experience = doc.sections[1]
    assert [entry.title for entry in experience.entries] == [
        "Senior Backend Engineer, Engine Co",
        "Analyst, Difference Ltd",
    ]
    first = experience.entries[0]
    assert first.meta is not None and line_text(first.meta) == "London, UK · Jan 2020 – Present"
    bullets = first.blocks[0]
    assert isinstance(bullets, BulletList) and len(bullets.items) == 4


def test_skill_lines_stay_lines_with_bold_labels() -> None:
    skills = read_markdown(fixture("ada_resume")).sections[3]
    paragraph = skills.blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert [line_text(line) for line in paragraph.lines] == [
        "Technical: Python, Go, PostgreSQL, Kubernetes, Redis, gRPC, Terraform",
        "Languages: English (native), French (fluent)",
    ]
    assert paragraph.lines[0][0].bold and not paragraph.lines[0][1].bold


def test_a_project_meta_line_and_its_description_are_split() -> None:
    project = read_markdown(fixture("ada_resume")).sections[2].entries[0]
    assert project.meta is not None
    assert line_text(project.meta) == "https://github.com/ada/engine · Python, Rust"
    description = project.blocks[0]
    assert isinstance(description, Paragraph)
    assert line_text(description.lines[0]).startswith("An interpreter")


def test_a_cover_letter_has_no_sections_and_keeps_its_closing_lines() -> None:
    doc = read_markdown(fixture("cover_letter"))
    assert doc.is_letter and doc.name == "Ada Lovelace"
    closing = doc.body[-1]
    assert isinstance(closing, Paragraph)
    assert [line_text(line) for line in closing.lines] == ["Sincerely,", "Ada Lovelace"]
    assert line_text(doc.body[1].lines[0]) == "Dear Hiring Manager,"  # type: ignore[union-attr]


def test_hand_edits_still_read_sensibly() -> None:
    doc = read_markdown(fixture("hand_edited"))
    assert doc.name == "Grace Hopper"
    assert [line_text(item) for item in doc.contact] == [
        "Rear Admiral",
        "grace@example.com",
        "Website",
        "<script>alert(1)</script>",  # raw HTML is text, never markup
    ]
    assert doc.contact[2][0].href == "https://example.com/grace"
    untitled, experience, _skills = doc.sections
    assert untitled.title == "" and untitled.entries[0].title == "Entry before any section, Navy"
    blocks = experience.entries[0].blocks
    bullets, numbered = blocks[0], blocks[1]
    assert isinstance(bullets, BulletList) and [item.depth for item in bullets.items] == [0, 1]
    assert isinstance(numbered, BulletList) and numbered.ordered
    texts = [
        line_text(line) for block in blocks if isinstance(block, Paragraph) for line in block.lines
    ]
    assert "A fourth-level heading" in texts
    assert "a picture" in texts  # an image is its alt text; nothing is loaded
    assert "code block line" in texts


def test_only_safe_links_become_links() -> None:
    doc = read_markdown(
        "# X\n[click](javascript:alert(1)) · [mail](mailto:x@example.com) · [f](ftp://x.example)\n"
    )
    assert [(line_text(item), item[0].href) for item in doc.contact] == [
        ("[click](javascript:alert(1))", None),  # not a link at all: plain text
        ("mail", "mailto:x@example.com"),
        ("f", None),
    ]


def test_text_without_any_heading_is_a_nameless_document() -> None:
    doc = read_markdown("just a paragraph\n\n- and a bullet\n")
    assert doc.name == "" and doc.is_letter and len(doc.body) == 2
