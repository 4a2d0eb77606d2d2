"""Export formats, download file names, and the render cache key."""

from __future__ import annotations

import pytest

from jobwise.adapters.rendering import (
    DocumentType,
    ExportFormat,
    PageSize,
    RenderRequest,
    content_disposition,
    download_name,
    export_formats,
    list_templates,
)
from jobwise.adapters.rendering import version as version_module


def test_five_export_formats_with_media_types_and_extensions() -> None:
    listed = {(f.format.value, f.media_type.split(";")[0], f.extension) for f in export_formats()}
    assert listed == {
        ("pdf", "application/pdf", "pdf"),
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        ("html", "text/html", "html"),
        ("md", "text/markdown", "md"),
        ("txt", "text/plain", "txt"),
    }


def test_catalogue_has_four_templates_in_letter_and_a4() -> None:
    templates = list_templates()
    assert [t.name for t in templates] == ["classic", "modern", "compact", "technical"]
    assert all(set(t.page_sizes) == {PageSize.LETTER, PageSize.A4} for t in templates)
    assert all(t.description and t.ats_safe for t in templates)


def test_download_name_is_candidate_company_type() -> None:
    name = download_name("Ada Lovelace", "Engine Co", DocumentType.RESUME, ExportFormat.PDF)
    assert name.ascii == name.utf8 == "Ada_Lovelace_Engine_Co_Resume.pdf"
    assert name.content_disposition() == 'attachment; filename="Ada_Lovelace_Engine_Co_Resume.pdf"'


@pytest.mark.parametrize(
    "candidate, company",
    [
        ('"; filename="evil.exe', "../../etc/passwd"),
        ("Ada\r\nSet-Cookie: x=1", "Co\\Ltd"),
        ("José Núñez", "L'Oréal"),
    ],
)
def test_download_names_never_carry_quotes_paths_or_line_breaks(
    candidate: str, company: str
) -> None:
    header = content_disposition(candidate, company, DocumentType.COVER_LETTER, ExportFormat.DOCX)
    ascii_name = header.split('filename="', 1)[1].split('"', 1)[0]
    assert all(ch.isalnum() or ch in "_-." for ch in ascii_name) and ascii_name.isascii()
    assert "\r" not in header and "\n" not in header and "/" not in header
    assert ascii_name.endswith("_Cover_Letter.docx")


def test_non_latin_names_get_an_rfc5987_utf8_name() -> None:
    header = content_disposition("王小明", "字节跳动", DocumentType.RESUME, ExportFormat.PDF)
    assert header.startswith('attachment; filename="Resume.pdf"; ')
    assert "filename*=UTF-8''%E7%8E%8B%E5%B0%8F%E6%98%8E_" in header
    assert download_name("José Núñez", None, DocumentType.RESUME, ExportFormat.TXT).ascii == (
        "Jose_Nunez_Resume.txt"
    )


def _request(**changes: object) -> RenderRequest:
    base = RenderRequest(markdown="# Ada\n", format=ExportFormat.PDF)
    return base.model_copy(update=changes)


def test_cache_key_is_stable_and_changes_with_every_input(monkeypatch: pytest.MonkeyPatch) -> None:
    key = _request().cache_key()
    assert key == _request().cache_key() and len(key) == 64
    variants = [
        _request(markdown="# Ada L\n"),
        _request(template="modern"),
        _request(format=ExportFormat.DOCX),
        _request(page_size=PageSize.A4),
        _request(max_pages=1),
    ]
    assert len({v.cache_key() for v in variants} | {key}) == len(variants) + 1
    monkeypatch.setattr("jobwise.adapters.rendering.models.RENDERER_VERSION", "another-version")
    assert _request().cache_key() != key
    assert version_module.RENDERER_VERSION.startswith("1-")
