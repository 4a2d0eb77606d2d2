"""Small PDFs written byte by byte, for what Chromium never prints: an unembedded or a
Type 3 font, text inside a form XObject, a hand-made ToUnicode CMap, a file without an
Info dictionary, a file ending in a cross-reference stream."""

from __future__ import annotations

import zlib

CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def page(resources: bytes, contents: int) -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
        + resources
        + b" /Contents %d 0 R >>" % contents
    )


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def text(*lines: tuple[str, bytes]) -> bytes:
    """A content stream drawing each (font resource name, string) on its own line."""
    out = [b"BT"]
    for number, (font, string) in enumerate(lines):
        out.append(
            b"/%s 12 Tf 1 0 0 1 72 %d Tm (%s) Tj" % (font.encode(), 720 - 20 * number, string)
        )
    out.append(b"ET")
    return b"\n".join(out)


def classic(objects: list[bytes], *, info: int | None = None) -> bytes:
    """Objects 1..n (1: the catalog) in a file ending in a cross-reference table."""
    body = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, value in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, value)
    table = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info_entry = b" /Info %d 0 R" % info if info else b""
    body += b"trailer\n<< /Size %d /Root 1 0 R%s >>\n" % (len(objects) + 1, info_entry)
    body += b"startxref\n%d\n%%%%EOF\n" % table
    return bytes(body)


def with_xref_stream(objects: list[bytes]) -> bytes:
    """The same, ending in a cross-reference stream (PDF 1.5) instead of a table."""
    body = bytearray(b"%PDF-1.5\n")
    offsets = []
    for number, value in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, value)
    number = len(objects) + 1
    offsets.append(len(body))
    rows = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(
        b"\x01" + offset.to_bytes(4, "big") + b"\x00\x00" for offset in offsets
    )
    data = zlib.compress(rows)
    entries = b"/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode" % (number + 1)
    body += b"%d 0 obj\n%s\nendobj\n" % (number, stream(data, entries))
    body += b"startxref\n%d\n%%%%EOF\n" % offsets[-1]
    return bytes(body)


def helvetica_page(string: bytes = b"Ada Lovelace", *, info: bytes | None = None) -> bytes:
    """One page in Helvetica, a standard font no file carries."""
    objects = [
        CATALOG,
        PAGES,
        page(b"<< /Font << /F1 4 0 R >> >>", 5),
        HELVETICA,
        stream(text(("F1", string))),
    ]
    if info is not None:
        objects.append(info)
    return classic(objects, info=len(objects) if info is not None else None)


TYPE3 = (
    b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 1000 1000]"
    b" /FontMatrix [0.001 0 0 0.001 0 0] /CharProcs << /square 6 0 R >>"
    b" /Encoding << /Type /Encoding /Differences [65 /square] >>"
    b" /FirstChar 65 /LastChar 65 /Widths [1000] >>"
)
SQUARE = stream(b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f")


def type3_page() -> bytes:
    """Helvetica, and a Type 3 font whose one glyph (a square) is drawn in the file."""
    return classic(
        [
            CATALOG,
            PAGES,
            page(b"<< /Font << /F1 4 0 R /F2 7 0 R >> >>", 5),
            HELVETICA.replace(b"/Helvetica", b"/Helvetica-Bold"),
            stream(text(("F1", b"Ada Lovelace"), ("F2", b"AAA"))),
            SQUARE,
            TYPE3,
        ]
    )


def form_page() -> bytes:
    """Text drawn only inside a form XObject, in Helvetica (the page's own resources
    name no font)."""
    form = stream(
        text(("F1", b"Ada Lovelace")),
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> >>",
    )
    return classic(
        [
            CATALOG,
            PAGES,
            page(b"<< /XObject << /X1 4 0 R >> >>", 5),
            form,
            stream(b"/X1 Do"),
            HELVETICA,
        ]
    )


RADICAL_CMAP = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<00> <FF>
endcodespacerange
2 beginbfchar
<41> <2F29>
<42> <738B>
endbfchar
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""


def radical_page(info: bytes | None = b"<< /Producer (Skia/PDF m1) >>") -> bytes:
    """ "BA" in a font whose ToUnicode maps B to 王 and A to the radical U+2F29 (⼩), as
    Chromium maps the glyph 小 shares with it."""
    font = HELVETICA.replace(b">>", b" /ToUnicode 6 0 R >>")
    objects = [
        CATALOG,
        PAGES,
        page(b"<< /Font << /F1 4 0 R >> >>", 5),
        font,
        stream(text(("F1", b"BA"))),
        stream(zlib.compress(RADICAL_CMAP), b"/Filter /FlateDecode"),
    ]
    if info is not None:
        objects.append(info)
    return classic(objects, info=len(objects) if info is not None else None)
