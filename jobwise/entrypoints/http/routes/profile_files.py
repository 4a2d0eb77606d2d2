"""Files a profile can start from, uploaded as ``multipart/form-data``: a resume (PDF or
DOCX), read into a draft the person checks; a LinkedIn data export (ZIP), imported whole.

What the file is comes from its bytes (a PDF starts ``%PDF-``; a DOCX is a ZIP holding
``word/document.xml``; any other ZIP is taken for a LinkedIn export), or from the form's
``format`` field, which must then agree with them.
"""

from __future__ import annotations

import io
import zipfile
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from jobwise.adapters.interop.json_resume import ImportedProfile
from jobwise.adapters.interop.linkedin import LinkedInImportError, read_export
from jobwise.adapters.interop.resume_file.errors import UnreadableResume
from jobwise.adapters.interop.resume_file.reader import ResumeDraft
from jobwise.domain.errors import FieldProblem, InvalidInput, UnreadableFile
from jobwise.entrypoints.http.auth import current_user
from jobwise.entrypoints.http.keys import OFFLOOP, RESUME_FILES
from jobwise.entrypoints.http.uploads import read_form

FileFormat = Literal["pdf", "docx", "linkedin"]
_FORMATS = ("pdf", "docx", "linkedin")
_OLD_WORD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportUpload(BaseModel):
    """The form: ``file`` (a PDF or DOCX resume, or a LinkedIn data export ZIP) and, if
    you want to say it, ``format``. A resume answers 200 with a draft (nothing is made:
    check it, then ``POST /api/v1/profiles`` with its ``draft``); a LinkedIn export
    answers 201 with the profile made from it."""

    model_config = ConfigDict(extra="forbid")

    file: bytes = Field(json_schema_extra={"format": "binary"})
    format: FileFormat | None = None
    use_llm: bool = False
    """A resume only: also ask the configured language model to read it; every value it
    gives must be in the file (at most ``JOBWISE_LLM_PARSES_PER_HOUR`` an hour)."""


async def upload_read(request: web.Request) -> ResumeDraft | ImportedProfile:
    form = await read_form(request, files=("file",), fields=("format", "use_llm"))
    upload = form.file("file")
    file_format = _format_of(upload.data, form.fields.get("format"))
    if file_format == "linkedin":
        return await request.app[OFFLOOP].run(linkedin_profile, upload.data)
    use_llm = form.fields.get("use_llm", "false").strip().lower() in ("true", "1", "yes", "on")
    try:
        return await request.app[RESUME_FILES].read(
            upload.data, file_format, user_id=current_user(request).user_id, use_llm=use_llm
        )
    except UnreadableResume as error:
        raise UnreadableFile(error.reason, error.message) from None


def linkedin_profile(archive: bytes) -> ImportedProfile:
    try:
        return read_export(archive)
    except LinkedInImportError as error:
        field = "file" if error.field == "data" else error.field.replace("data", "file", 1)
        raise InvalidInput(None, [FieldProblem(field, str(error))]) from None


def _format_of(data: bytes, said: str | None) -> FileFormat:
    if said is not None and said not in _FORMATS:
        raise InvalidInput(None, [FieldProblem("format", "must be pdf, docx or linkedin")])
    found = _sniffed(data)
    if found is None:
        raise UnreadableFile(
            "unsupported",
            "Upload a resume as a PDF or DOCX file, or a LinkedIn data export ZIP."
            + (
                " A Word 97-2003 .doc file must be saved as DOCX first."
                if data.startswith(_OLD_WORD)
                else ""
            ),
        )
    if said is not None and said != found:
        raise UnreadableFile(
            "format_mismatch", f"The file is a {found.upper()}, not a {said.upper()}."
        )
    return found


def _sniffed(data: bytes) -> FileFormat | None:
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if not data.startswith(b"PK"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("malformed", "The ZIP file is damaged and cannot be read.") from None
    if "word/document.xml" in names:
        return "docx"
    return "linkedin"
