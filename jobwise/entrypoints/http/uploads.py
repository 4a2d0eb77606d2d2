"""A ``multipart/form-data`` body (a file and a few short fields), read from the bytes
the endpoint already read within the upload limit (``Api``, ``Operation.upload``).

One file part at most, a handful of short text fields: a form of a thousand parts is
refused, not walked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import BodyPartReader, MultipartReader, streams, web

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


async def read_form(request: web.Request) -> Form:
    raw = await request.read()  # already read and bounded by the endpoint
    reader = _reader(request, raw)
    form = Form()
    for _ in range(MAX_PARTS + 1):
        try:
            part = await reader.next()
        except (ValueError, AssertionError, RuntimeError):
            raise InvalidRequest("The multipart body could not be read.") from None
        if part is None:
            return form
        if not isinstance(part, BodyPartReader) or not part.name:
            raise InvalidRequest("Each part of the form must be a named field.")
        data = bytes(await part.read(decode=False))
        if part.filename is not None:
            form.files[part.name] = UploadedFile(
                part.name, part.filename, part.headers.get("Content-Type"), data
            )
        elif len(data) > MAX_FIELD_BYTES:
            raise InvalidInput(None, [FieldProblem(part.name, "too long")])
        else:
            try:
                form.fields[part.name] = data.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput(None, [FieldProblem(part.name, "must be UTF-8 text")]) from None
    raise InvalidRequest(f"The form has more than {MAX_PARTS} parts.")


def _reader(request: web.Request, raw: bytes) -> MultipartReader:
    stream = streams.StreamReader(request.protocol, 2**16, loop=asyncio.get_running_loop())
    stream.feed_data(raw)
    stream.feed_eof()
    try:
        return MultipartReader(request.headers, stream)
    except (ValueError, AssertionError, KeyError):
        raise InvalidRequest("The multipart body has no boundary.") from None
