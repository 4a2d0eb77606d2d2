"""DOCX files built in memory with python-docx: their lines (``read_docx_lines``), the
draft read from them, and files built to be refused."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from jobwise.adapters.interop.resume_file.docx_lines import read_docx_lines
from jobwise.adapters.interop.resume_file.errors import UnreadableResume
from jobwise.adapters.interop.resume_file.reader import read_resume
from tests.unit.interop.resume_lines import assert_nothing_invented

MB = 1024 * 1024


def saved(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def resume() -> DocxDocument:
    """A page header with the name, contact details in a table, heading styles, a bold
    entry head, a bulleted and a numbered list."""
    document = Document()
    header = document.sections[0].header
    header.is_linked_to_previous = False
    header.paragraphs[0].add_run("Jane Doe").font.size = Pt(20)
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "jane@example.com"
    table.cell(0, 1).text = "+1 (512) 555-0199"
    table.cell(0, 2).text = "Austin, TX"
    document.add_heading("Experience", level=1)
    head = document.add_paragraph()
    head.add_run("Software Engineer, Acme Corp").bold = True
    head.add_run("\tJan 2020 – Present").bold = True
    document.add_paragraph("Built the billing service.", style="List Bullet")
    document.add_paragraph("Cut its costs by half.", style="List Number")
    document.add_heading("Education", level=1)
    school = document.add_paragraph()
    school.add_run("BSc in Physics, University of Leeds\t2014 – 2018").bold = True
    document.add_heading("Skills", level=1)
    document.add_paragraph("Python, Go, SQL")
    return document


def rezipped(data: bytes, change: Callable[[str, bytes], bytes], **more: bytes) -> bytes:
    """The DOCX with each part changed by ``change``, and ``more`` parts added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, change(info.filename, source.read(info)))
        for name, body in more.items():
            archive.writestr(name, body)
    return out.getvalue()


def refused(data: bytes) -> str:
    with pytest.raises(UnreadableResume) as caught:
        read_docx_lines(data)
    return caught.value.reason


# -- lines --------------------------------------------------------------------------------


def test_lines_in_reading_order_header_first_then_table_cells() -> None:
    texts = [line.text for line in read_docx_lines(saved(resume()))]
    assert texts[:5] == [
        "Jane Doe",
        "jane@example.com",
        "+1 (512) 555-0199",
        "Austin, TX",
        "Experience",
    ]


def test_what_word_says_of_each_line() -> None:
    lines = {line.text: line for line in read_docx_lines(saved(resume()))}
    assert lines["Jane Doe"].size == 20.0
    assert lines["Experience"].heading and lines["Experience"].bold
    head = lines["Software Engineer, Acme Corp\tJan 2020 – Present"]
    assert head.bold and not head.heading and not head.marked
    assert lines["Built the billing service."].marked
    assert lines["Cut its costs by half."].marked
    assert not lines["Python, Go, SQL"].marked and not lines["Python, Go, SQL"].bold


def test_a_soft_break_makes_a_new_line_and_a_tab_a_column_gap() -> None:
    document = Document()
    paragraph = document.add_paragraph("Acme Corp\tAustin, TX")
    paragraph.add_run().add_break()
    paragraph.add_run("Engineer")
    texts = [line.text for line in read_docx_lines(saved(document))]
    assert texts == ["Acme Corp\tAustin, TX", "Engineer"]


def test_every_cell_of_a_table_is_read() -> None:
    document = Document()
    table = document.add_table(rows=6, cols=3)
    for row in range(6):
        for column in range(3):
            table.cell(row, column).text = f"cell {row} {column}"
    texts = [line.text for line in read_docx_lines(saved(document))]
    assert texts == [f"cell {row} {column}" for row in range(6) for column in range(3)]


def test_a_merged_cell_is_read_once() -> None:
    document = Document()
    table = document.add_table(rows=2, cols=2)
    merged = table.cell(0, 0).merge(table.cell(1, 0))
    merged.text = "Jane Doe"
    table.cell(0, 1).text = "jane@example.com"
    texts = [line.text for line in read_docx_lines(saved(document))]
    assert texts.count("Jane Doe") == 1


# Text a DOCX holds outside plain runs of body paragraphs.


def test_a_content_control_around_paragraphs_is_read() -> None:
    # Word's own resume templates wrap each section in a content control (w:sdt).
    document = Document()
    document.add_paragraph("Jane Doe")
    control = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent>"
        "<w:p><w:r><w:t>jane@example.com</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Experience</w:t></w:r></w:p>"
        "</w:sdtContent></w:sdt>"
    )
    document.element.body.insert(1, control)
    texts = [line.text for line in read_docx_lines(saved(document))]
    assert texts == ["Jane Doe", "jane@example.com", "Experience"]


def test_a_content_control_inside_a_paragraph_is_read() -> None:
    document = Document()
    paragraph = document.add_paragraph("Location: ")
    paragraph._p.append(
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent>"
            "<w:r><w:t>Austin, TX</w:t></w:r></w:sdtContent></w:sdt>"
        )
    )
    assert [line.text for line in read_docx_lines(saved(document))] == ["Location: Austin, TX"]


def test_a_tracked_insertion_is_read() -> None:
    document = Document()
    paragraph = document.add_paragraph("Jane ")
    paragraph._p.append(
        parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>Doe</w:t></w:r></w:ins>')
    )
    assert [line.text for line in read_docx_lines(saved(document))] == ["Jane Doe"]


def test_a_text_box_is_read() -> None:
    document = Document()
    document.add_paragraph("Jane Doe")
    holder = document.add_paragraph()
    holder._p.append(
        parse_xml(
            f"<w:r {nsdecls('w')}><w:pict>"
            '<v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
            "<w:p><w:r><w:t>jane@example.com</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        )
    )
    texts = [line.text for line in read_docx_lines(saved(document))]
    assert "jane@example.com" in texts


# -- the draft ----------------------------------------------------------------------------


def test_a_docx_becomes_a_draft() -> None:
    lines = read_docx_lines(saved(resume()))
    draft = read_resume(lines, "docx")
    assert_nothing_invented(draft, lines)
    body = draft.draft
    assert body["personal_info"] == {
        "full_name": "Jane Doe",
        "email": "jane@example.com",
        "phone": "+1 (512) 555-0199",
        "location": "Austin, TX",
    }
    (experience,) = body["experiences"]
    assert (experience["title"], experience["company"]) == ("Software Engineer", "Acme Corp")
    assert (experience["start_date"], experience["is_current"]) == ("2020-01-01", True)
    assert experience["achievements"] == ["Built the billing service.", "Cut its costs by half."]
    (education,) = body["education"]
    assert (education["institution"], education["degree"]) == ("University of Leeds", "BSc")
    assert body["skills"]["technical"] == ["Python", "Go", "SQL"]
    assert draft.format == "docx"


def test_a_bold_paragraph_that_names_a_section_is_its_heading() -> None:
    document = Document()
    document.add_paragraph("Jane Doe")
    document.add_paragraph().add_run("SKILLS").bold = True
    document.add_paragraph("Python, Go")
    draft = read_resume(read_docx_lines(saved(document)), "docx")
    assert draft.draft["skills"]["technical"] == ["Python", "Go"]


def test_the_name_in_body_text_is_not_taken_from_a_heading_styled_entry() -> None:
    document = Document()
    document.add_paragraph().add_run("Jane Doe").bold = True
    document.add_paragraph("jane@example.com | Austin, TX")
    document.add_heading("Experience", level=1)
    document.add_heading("Globex Corporation", level=2)
    document.add_paragraph("Software Engineer\tJan 2020 – Present")
    document.add_paragraph("Built the billing service.", style="List Bullet")
    lines = read_docx_lines(saved(document))
    draft = read_resume(lines, "docx")
    assert_nothing_invented(draft, lines)
    assert draft.draft["personal_info"]["full_name"] == "Jane Doe"
    (experience,) = draft.draft["experiences"]
    assert (experience["title"], experience["company"]) == (
        "Software Engineer",
        "Globex Corporation",
    )


# -- refused ------------------------------------------------------------------------------


def test_an_xml_bomb_is_too_large() -> None:
    def inflated(name: str, body: bytes) -> bytes:
        return body + b" " * (21 * MB) if name == "word/document.xml" else body

    data = rezipped(saved(resume()), inflated)
    assert len(data) < MB
    assert refused(data) == "too_large"


def test_many_xml_parts_together_past_the_limit_are_too_large() -> None:
    parts = {f"word/part{i}.xml": b"<a/>" + b" " * (3 * MB) for i in range(8)}
    assert refused(rezipped(saved(resume()), lambda _, body: body, **parts)) == "too_large"


def test_a_media_part_that_inflates_past_any_resume_is_too_large() -> None:
    def related(name: str, body: bytes) -> bytes:
        if name == "word/_rels/document.xml.rels":
            return body.replace(
                b"</Relationships>",
                b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/image" Target="media/image1.jpeg"/>'
                b"</Relationships>",
            )
        return body

    data = rezipped(saved(resume()), related, **{"word/media/image1.jpeg": b"\0" * (120 * MB)})
    assert len(data) < MB
    assert refused(data) == "too_large"


def test_a_zip_without_a_document_is_not_a_docx() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert refused(buffer.getvalue()) == "not_docx"


@pytest.mark.parametrize("data", [b"", b"%PDF-1.7\n", b"PK\x03\x04 truncated"])
def test_bytes_that_are_no_zip_are_not_a_docx(data: bytes) -> None:
    assert refused(data) == "not_docx"


def test_an_empty_docx_has_no_text() -> None:
    assert refused(saved(Document())) == "no_text"


def test_a_damaged_document_is_malformed() -> None:
    def broken(name: str, body: bytes) -> bytes:
        return b"<w:document><unclosed" if name == "word/document.xml" else body

    assert refused(rezipped(saved(resume()), broken)) == "malformed"


def test_an_encrypted_entry_is_refused_as_encrypted() -> None:
    data = bytearray(saved(resume()))
    # Set the "encrypted" flag bit of every central directory entry.
    at = data.find(b"PK\x01\x02")
    while at != -1:
        data[at + 8] |= 0x01
        at = data.find(b"PK\x01\x02", at + 4)
    assert refused(bytes(data)) == "encrypted"


def _with_doctype(doctype: str, entity: str) -> bytes:
    document = Document()
    document.add_paragraph("Jane Doe")
    document.add_paragraph("PLACEHOLDER")

    def change(name: str, body: bytes) -> bytes:
        if name != "word/document.xml":
            return body
        body = body.replace(b"<w:document", doctype.encode() + b"<w:document", 1)
        return body.replace(b"PLACEHOLDER", entity.encode())

    return rezipped(saved(document), change)


def test_entity_expansion_is_refused_not_expanded() -> None:
    entities = '<!ENTITY a "lollollollollollollollollollol">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{f"&{chr(97 + i)};" * 10}">' for i in range(9)
    )
    data = _with_doctype(f"<!DOCTYPE w:document [{entities}]>", "&j;")
    try:
        lines = read_docx_lines(data)
    except UnreadableResume as error:
        assert error.reason == "malformed"
    else:
        assert sum(len(line.text) for line in lines) < 1000


def test_an_external_entity_is_not_read() -> None:
    data = _with_doctype(
        '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>', "secret:&x;"
    )
    try:
        lines = read_docx_lines(data)
    except UnreadableResume as error:
        assert error.reason == "malformed"
    else:
        assert not any("root:" in line.text for line in lines)


def test_a_style_based_on_itself_is_read_in_its_own_size() -> None:
    document = Document()
    looped = document.styles.add_style("Looped", 1)  # WD_STYLE_TYPE.PARAGRAPH
    looped.font.size = Pt(14)
    looped._element.append(parse_xml(f'<w:basedOn {nsdecls("w")} w:val="Looped"/>'))
    document.add_paragraph("Jane Doe", style="Looped")
    (read,) = read_docx_lines(saved(document))
    assert (read.text, read.size) == ("Jane Doe", 14.0)


def test_a_paragraph_without_a_size_takes_the_documents_default() -> None:
    document = Document()
    document.add_paragraph("Jane Doe")
    assert [line.size for line in read_docx_lines(saved(document))] == [11.0]
