"""A ``multipart/form-data`` body (a file and a few short fields), read from the bytes
the endpoint already read within the upload limit (``Api``, ``Operation.upload``).

The form says which parts it has: one of each, a file where a file belongs, short UTF-8
text elsewhere. Anything else (a second file, a field the form does not have, more
than a handful of parts, a part header no parser takes) is refused, not walked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass, field

from aiohttp import BodyPartReader, MultipartReader, hdrs, streams, web
from aiohttp.http_exceptions import HttpProcessingError

from jobwise.domain.errors import FieldProblem, InvalidInput, InvalidRequest

MAX_PARTS = 8
MAX_FIELD_BYTES = 1024


@dataclass(frozen=True)
class UploadedFile:
    name: str
    """The form field's name."""
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class Form:
    files: dict[str, UploadedFile] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)

    def file(self, name: str) -> UploadedFile:
        found = self.files.get(name)
        if found is None or not found.data:
            raise InvalidInput(
                f"Send the file as the form field \u201c{name}\u201d.",
                [FieldProblem(name, "Field required", "missing")],
            )
        return found


async def read_form(
    request: web.Request, *, files: Collection[str], fields: Collection[str]
) -> Form:
    """The form's ``files`` (parts holding a file) and ``fields`` (short text)."""
    raw = await request.read()  # already read and bounded by the endpoint
    form = Form()
    for part, data in await _parts(_reader(request, raw)):
        name = _name_of(part, files, fields, form)
        if name in files:
            form.files[name] = UploadedFile(
                name, part.filename, part.headers.get("Content-Type"), data
            )
        else:
            form.fields[name] = _text_of(name, data)
    return form


async def _parts(reader: MultipartReader) -> list[tuple[BodyPartReader, bytes]]:
    """Every part with its bytes, counted before any is judged: a form of a thousand
    parts is one refusal, not a thousand."""
    parts: list[tuple[BodyPartReader, bytes]] = []
    while True:
        try:
            part = await reader.next()
        except (ValueError, AssertionError, RuntimeError, HttpProcessingError):
            raise InvalidRequest("The multipart body could not be read.") from None
        if part is None:
            return parts
        if len(parts) == MAX_PARTS:
            raise InvalidRequest(f"The form has more than {MAX_PARTS} parts.")
        if not isinstance(part, BodyPartReader) or not part.name:
            raise InvalidRequest("Each part of the form must be a named field.")
        parts.append((part, bytes(await part.read(decode=False))))


def _name_of(
    part: BodyPartReader, files: Collection[str], fields: Collection[str], form: Form
) -> str:
    name = part.name or ""
    if name in form.files or name in form.fields:
        raise InvalidInput(None, [FieldProblem(name[:100], "sent twice", "duplicate")])
    if name not in files and name not in fields:
        problem = FieldProblem(name[:100], "not a field of this form", "extra_forbidden")
        raise InvalidInput(None, [problem])
    if name in files and not _sent_as_file(part):
        raise InvalidInput(
            f"Send the file as the form field \u201c{name}\u201d, with a file name.",
            [FieldProblem(name, "Field required", "missing")],
        )
    return name


def _sent_as_file(part: BodyPartReader) -> bool:
    # aiohttp decodes no name from a filename*= it cannot read (filename*=utf-8''%FF),
    # yet the sender did send a file: the header says so, whatever the name.
    disposition = part.headers.get(hdrs.CONTENT_DISPOSITION, "")
    return part.filename is not None or "filename" in disposition.lower()


def _text_of(name: str, data: bytes) -> str:
    if len(data) > MAX_FIELD_BYTES:
        raise InvalidInput(None, [FieldProblem(name, "too long")])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(None, [FieldProblem(name, "must be UTF-8 text")]) from None


def _reader(request: web.Request, raw: bytes) -> MultipartReader:
    # The whole body is in memory already: a limit above its size keeps the stream from
    # asking the connection to pause, which a request that is fully read cannot.
    limit = max(2**16, len(raw) + 1)
    stream = streams.StreamReader(request.protocol, limit, loop=asyncio.get_running_loop())
    stream.feed_data(raw)
    stream.feed_eof()
    try:
        return MultipartReader(request.headers, stream)
    except (ValueError, AssertionError, KeyError):
        raise InvalidRequest("The multipart body has no boundary.") from None
