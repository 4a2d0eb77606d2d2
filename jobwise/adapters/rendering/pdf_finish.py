"""After Chromium: set the PDF's metadata and repair its CJK text layer.

Metadata: Chromium writes its user agent as Creator and ``Skia/PDF`` as Producer and
has no author field; we set title, author, subject, and ``JobWise`` as producer.

CJK text layer: Noto CJK (like most CJK fonts) draws a Kangxi radical and the
ideograph it looks like with one glyph, e.g. U+2F29 ⼩ and U+5C0F 小. Chromium's
PDF backend maps each glyph back to the lowest code point that uses it, so
"王小明" extracts as "王⼩明": a recruiter's search for the name finds nothing. We
rewrite those ToUnicode entries to the unified ideograph (the NFKC form), except for
characters the document really contains.

Both changes go into a revision appended to Chromium's file (``pdf_revision``): the
new Info and the repaired CMaps replace the old objects, Chromium's Info (which names
its version) is blanked in place, and nothing else is parsed or written again. pypdf
reads lazily, so only the trailer, the pages' font dictionaries and their ToUnicode
streams are parsed. A file that does not end in a cross-reference table (not what
Chromium writes) is rewritten whole, as before.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Iterator

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
    TextStringObject,
)

from jobwise.adapters.rendering.pdf_revision import (
    Reference,
    append_revision,
    blank_dictionary,
    last_table_offset,
)

PRODUCER = "JobWise"
_LOOKALIKE_RANGES = (
    (0x2E80, 0x2EFF),  # CJK Radicals Supplement
    (0x2F00, 0x2FDF),  # Kangxi Radicals
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0x2F800, 0x2FA1F),  # CJK Compatibility Ideographs Supplement
)
_HEX = r"<([0-9A-Fa-f]*)>"
_BFCHAR = re.compile(r"\d+\s+beginbfchar(.*?)endbfchar", re.DOTALL)
_BFRANGE = re.compile(r"\d+\s+beginbfrange(.*?)endbfrange", re.DOTALL)
_CHAR_ENTRY = re.compile(rf"{_HEX}\s*{_HEX}")
_RANGE_ENTRY = re.compile(rf"{_HEX}\s*{_HEX}\s*(?:{_HEX}|\[([^\]]*)\])")
_MAPPINGS = re.compile(r"\d+\s+beginbf(?:char|range).*endbf(?:char|range)", re.DOTALL)


def finish_pdf(
    pdf: bytes,
    *,
    title: str,
    author: str,
    subject: str,
    source_text: str,
) -> bytes:
    """The PDF with our metadata and a repaired text layer."""
    metadata = {
        "/Title": title,
        "/Author": author,
        "/Subject": subject,
        "/Creator": PRODUCER,
        "/Producer": PRODUCER,
    }
    keep = {char for char in source_text if _is_lookalike(char)}
    previous = last_table_offset(pdf)
    if previous is None:
        return _rewritten(pdf, metadata, keep)
    reader = PdfReader(io.BytesIO(pdf))
    objects: dict[Reference, PdfObject] = {}
    for reference, cmap in _to_unicode_streams(reader.pages):
        repaired = repair_to_unicode(cmap.get_data(), keep)
        if repaired is not None:
            cmap.set_data(repaired)
            objects[reference] = cmap
    old_info = reader.trailer.raw_get("/Info") if "/Info" in reader.trailer else None
    info = _reference(old_info) or (int(reader.trailer.get("/Size", 1)), 0)
    objects[info] = _info(reader, metadata)
    if old_info is not None:
        pdf = blank_dictionary(pdf, reader, info)
    return append_revision(pdf, reader, objects, previous=previous, info=info)


def _rewritten(pdf: bytes, metadata: dict[str, str], keep: set[str]) -> bytes:
    """The whole file written anew by pypdf (slow: every object is parsed and copied)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for _, cmap in _to_unicode_streams(writer.pages):
        repaired = repair_to_unicode(cmap.get_data(), keep)
        if repaired is not None:
            cmap.set_data(repaired)
    writer.add_metadata(metadata)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _info(reader: PdfReader, metadata: dict[str, str]) -> DictionaryObject:
    """Chromium's Info (its dates kept) with our entries over it."""
    info = DictionaryObject()
    reference = reader.trailer.get("/Info")
    old = reference.get_object() if reference is not None else None
    if isinstance(old, DictionaryObject):
        info.update({NameObject(key): value for key, value in old.items()})
    for key, value in metadata.items():
        info[NameObject(key)] = TextStringObject(value)
    return info


def _reference(value: object) -> Reference | None:
    return (value.idnum, value.generation) if isinstance(value, IndirectObject) else None


def _to_unicode_streams(pages: Iterable[PageObject]) -> Iterator[tuple[Reference, StreamObject]]:
    """Each distinct ToUnicode CMap stream of the pages' fonts, with its reference."""
    seen: set[Reference] = set()
    for page in pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        if fonts is None:
            continue
        for font_reference in fonts.get_object().values():
            font = font_reference.get_object()
            if not isinstance(font, DictionaryObject) or "/ToUnicode" not in font:
                continue
            reference = _reference(font.raw_get("/ToUnicode"))
            cmap = font["/ToUnicode"].get_object()
            if reference is not None and reference not in seen and isinstance(cmap, StreamObject):
                seen.add(reference)
                yield reference, cmap


def _is_lookalike(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _LOOKALIKE_RANGES)


def _unified(text: str, keep: set[str]) -> str:
    return "".join(
        unicodedata.normalize("NFKC", char) if _is_lookalike(char) and char not in keep else char
        for char in text
    )


def _decode(hex_text: str) -> str:
    return bytes.fromhex(hex_text).decode("utf-16-be", errors="replace")


def _encode(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def parse_to_unicode(data: bytes) -> list[tuple[str, str]]:
    """A ToUnicode CMap's mappings as (source code in hex, Unicode text)."""
    text = data.decode("latin-1")
    mappings: list[tuple[str, str]] = []
    for block in _BFCHAR.findall(text):
        mappings.extend((src, _decode(dst)) for src, dst in _CHAR_ENTRY.findall(block))
    for block in _BFRANGE.findall(text):
        for low, high, start, array in _RANGE_ENTRY.findall(block):
            mappings.extend(_expand_range(low, high, start, array))
    return mappings


def _expand_range(low: str, high: str, start: str, array: str) -> Iterator[tuple[str, str]]:
    width = len(low)
    first, last = int(low, 16), int(high, 16)
    targets = re.findall(_HEX, array) if array else []
    for offset, code in enumerate(range(first, last + 1)):
        source = f"{code:0{width}X}"
        if targets:
            if offset < len(targets):
                yield source, _decode(targets[offset])
        else:
            base = bytes.fromhex(start)
            bumped = base[:-2] + (int.from_bytes(base[-2:], "big") + offset).to_bytes(2, "big")
            yield source, bumped.decode("utf-16-be", errors="replace")


def repair_to_unicode(data: bytes, keep: set[str]) -> bytes | None:
    """The CMap with look-alike radicals mapped to ideographs; None if nothing changes."""
    mappings = parse_to_unicode(data)
    repaired = [(source, _unified(target, keep)) for source, target in mappings]
    if repaired == mappings:
        return None
    text = data.decode("latin-1")
    found = _MAPPINGS.search(text)
    if found is None:
        return None
    return (text[: found.start()] + _bfchar_blocks(repaired) + text[found.end() :]).encode(
        "latin-1"
    )


def _bfchar_blocks(mappings: list[tuple[str, str]]) -> str:
    """Mappings as ``bfchar`` blocks of at most 100 entries (the CMap format's limit)."""
    blocks: list[str] = []
    for start in range(0, len(mappings), 100):
        chunk = mappings[start : start + 100]
        lines = "\n".join(f"<{source}> <{_encode(target)}>" for source, target in chunk)
        blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
    return "\n".join(blocks)
