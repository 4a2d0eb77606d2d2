"""A PDF's lines, read glyph by glyph with PDFium (pypdfium2).

PDFium's own line breaks follow the page's content stream, which a template may write
in any order, and its word spaces are guessed. Here a line is what shares a baseline in
stream order; a word space is a gap a fifth of an em wide; a gap of over ``FAR`` em (a
date set flush right, the next column) becomes ``COLUMN_GAP``. Stream order keeps a
two-column layout's columns apart: LaTeX and browsers write one box after the other.

PDFium is not thread-safe; this runs in the reader's own process (``worker``).
"""

from __future__ import annotations

import ctypes
import dataclasses
import itertools
import re
import statistics
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from jobwise.adapters.interop.resume_file.errors import UnreadableResume
from jobwise.adapters.interop.resume_file.lines import COLUMN_GAP, TextLine

MAX_PAGES = 10
"""Pages read at most: a resume has two or three; a book does not become a profile."""
MAX_GLYPHS = 200_000
"""Characters read at most, over all pages (ten dense pages hold about 60,000)."""
WORD_GAP = 0.1
IDEOGRAPH_GAP = 0.3
LETTER_SPACED = 0.08
"""Of an em: a line whose letters usually stand this far apart is set letter-spaced."""
FAR = 1.8
BASELINE_SHIFT = 0.45
BULLETS = (
    "\u2022\u25e6\u25aa\u25cf\u25a0\u25ba\u27a2\u2023\u2043\u2219\u00b7\u25b8\u25c6"
    "\u2713\u2714\uf0b7\uf0a7\uf076\uf0d8\u2013\u2014*-"
)
"""Glyphs that start a list item (the private-use ones are Symbol and Wingdings bullets)."""
_ICON_FONT = re.compile(
    r"awesome|icons?\b|icon[a-z]|wingding|dingbat|academicons|marvosym|entypo|glyphicon|"
    r"octicon|ionicon|materialsymbols|materialicons|fontello|linearicons|feather",
    re.IGNORECASE,
)
ICON = "\ue000"
"""What an icon font's glyph reads as: a private-use character, which the reader takes
for a bullet at a line's start and a separator inside it."""
_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demi|cmbx|\bbx|-bd\b|,b\b", re.IGNORECASE)
_SPACES = {0x20, 0xA0, 0x09, 0x3000}
_BREAKS = {0x0D, 0x0A, 0x0C}
_HYPHEN_MARKS = {0xFFFE, 0x02}
_ENCRYPTED = 4  # FPDF_ERR_PASSWORD
_SECURITY = 5  # FPDF_ERR_SECURITY


@dataclass(slots=True)
class _Glyph:
    char: str
    x: float
    baseline: float
    right: float
    size: float
    bold: bool
    spaced: bool
    """A space (or a break) came between this glyph and the one before, in the stream."""
    guessed: bool
    """PDFium guessed a space there (one it generated)."""
    icon: bool = False
    """Set in an icon font."""


def read_pdf_lines(data: bytes) -> list[TextLine]:
    """Every line of the first ``MAX_PAGES`` pages; ``UnreadableResume`` if the bytes are
    no PDF, an encrypted one, or one whose pages carry no text (a scan)."""
    document = _open(data)
    try:
        lines: list[TextLine] = []
        budget = MAX_GLYPHS
        for number in range(min(len(document), MAX_PAGES)):
            page = document[number]
            try:
                textpage = page.get_textpage()
                try:
                    glyphs = _icons(list(_glyphs(textpage, budget)))
                finally:
                    textpage.close()
            finally:
                page.close()
            budget -= len(glyphs)
            lines.extend(_lines(glyphs, number + 1))
            if budget <= 0:
                break
    finally:
        document.close()
    if not any(line.text.strip() for line in lines):
        raise UnreadableResume(
            "no_text",
            "The PDF has no text to read: it looks scanned or made of images. "
            "Export it again from the program you wrote it in, or upload the DOCX.",
        )
    return lines


def _open(data: bytes) -> pdfium.PdfDocument:
    if not data.lstrip()[:1024].find(b"%PDF-") >= 0:
        raise UnreadableResume("not_pdf", "The file is not a PDF.")
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        code = getattr(error, "err_code", None)
        if code in (_ENCRYPTED, _SECURITY):
            raise UnreadableResume(
                "encrypted",
                "The PDF is protected by a password. Save a copy without one and upload that.",
            ) from None
        raise UnreadableResume("malformed", "The PDF is damaged and cannot be read.") from None


def _glyphs(textpage: pdfium.PdfTextPage, budget: int) -> Iterator[_Glyph]:
    raw = textpage.raw
    count = min(pdfium_c.FPDFText_CountChars(raw), budget)
    origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
    box = pdfium_c.FS_RECTF()
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    spaced = guessed = False
    for index in range(count):
        code = pdfium_c.FPDFText_GetUnicode(raw, index)
        if code in _SPACES or code in _BREAKS:
            # A space the file writes, or a break PDFium made (a template printing glyph by
            # glyph gets one between words); PDFium's guessed spaces are left to the
            # geometry below, which reads letter-spaced text better.
            if code in _SPACES and pdfium_c.FPDFText_IsGenerated(raw, index) != 0:
                guessed = True
            else:
                spaced = True
            continue
        char = "-" if code in _HYPHEN_MARKS else _char(code)
        if not char:
            continue
        if not pdfium_c.FPDFText_GetCharOrigin(raw, index, origin_x, origin_y):
            continue
        if not pdfium_c.FPDFText_GetLooseCharBox(raw, index, box):
            continue
        # Word writes its text at size 1 scaled up by the text matrix, which the font
        # size PDFium reports leaves out; the glyph's box (about 1.2 em tall) does not.
        size = max(pdfium_c.FPDFText_GetFontSize(raw, index), (box.top - box.bottom) / 1.3)
        weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
        font = ""
        if pdfium_c.FPDFText_GetFontInfo(raw, index, name, 128, flags):
            font = name.value.decode("latin-1")
        bold = weight >= 600 or bool(_BOLD_NAME.search(font))
        icon = bool(_ICON_FONT.search(font)) and char not in BULLETS
        yield _Glyph(
            char, origin_x.value, origin_y.value, box.right, size, bold, spaced, guessed, icon
        )
        spaced = guessed = False


def _ideograph(char: str) -> bool:
    return (
        "\u2e80" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or "\uff00" <= char <= "\uffef"
    )


def _icons(glyphs: list[_Glyph]) -> list[_Glyph]:
    """An icon font's lone glyph says "phone" or "mail" with whatever letter it maps to
    ("/", "0", "t"): it becomes ``ICON``. A longer run in such a font is the text the
    file gives for the icon ("tel:(+82) 10-9030-1843"), and stays."""
    start = 0
    while start < len(glyphs):
        if not glyphs[start].icon:
            start += 1
            continue
        end = start
        while end < len(glyphs) and glyphs[end].icon:
            end += 1
        if end - start <= 2:
            for index in range(start, end):
                # A private-use code point says which icon (FontAwesome's: U+F09B
                # is GitHub's mark); a letter standing in for one says nothing.
                if not "\ue000" <= glyphs[index].char <= "\uf8ff":
                    glyphs[index] = dataclasses.replace(glyphs[index], char=ICON)
        start = end
    return glyphs


def _char(code: int) -> str:
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return ""
    char = chr(code)
    if code < 0x20 or code == 0x7F:
        return ""
    return "-" if code == 0xAD else char  # fonts map their hyphen to the soft hyphen


def _lines(glyphs: list[_Glyph], page: int) -> Iterator[TextLine]:
    run: list[_Glyph] = []
    previous: list[_Glyph] = []
    for glyph in glyphs:
        if run:
            last = run[-1]
            em = max(last.size, glyph.size, 1.0)
            same_line = abs(glyph.baseline - last.baseline) <= BASELINE_SHIFT * em
            backwards = glyph.x < last.x - 0.5 * em
            if not same_line or backwards:
                yield _line(run, page, previous)
                previous, run = run, []
        run.append(glyph)
    if run:
        yield _line(run, page, previous)


def _text(run: list[_Glyph]) -> str:
    """The run's characters with its word spaces and column gaps: a space the file
    writes, or a gap clearly wider than the line's usual one between letters (TeX
    writes no spaces), so letter-spaced capitals ("C O N T A C T") stay one word."""
    pairs = list(itertools.pairwise(run))
    gaps = [(b.x - a.right) / max(a.size, b.size, 1.0) for a, b in pairs]
    usual = statistics.median(gaps) if gaps else 0.0
    tracked = usual > LETTER_SPACED
    word_gap = usual + 0.15 if tracked else WORD_GAP
    text = [run[0].char]
    for (before, glyph), gap in zip(pairs, gaps, strict=True):
        # Ideographs sit close without spaces; only a clear gap parts them ("小龙 李").
        ideographs = _ideograph(before.char) and _ideograph(glyph.char)
        if gap > FAR:
            text.append(COLUMN_GAP)
        elif glyph.spaced or (
            (gap > IDEOGRAPH_GAP)
            if ideographs
            else ((glyph.guessed and not tracked) or gap > word_gap)
        ):
            text.append(" ")
        text.append(glyph.char)
    return "".join(text)


def _size(run: list[_Glyph]) -> float:
    return statistics.median(glyph.size for glyph in run)


def _line(run: list[_Glyph], page: int, previous: list[_Glyph]) -> TextLine:
    size = _size(run)
    joined = _text(run).strip().replace("--\u2010", "-")  # Word's hyphen, as three glyphs
    icon = "\ue000" <= joined[:1] <= "\uf8ff"  # an icon font's glyph used as a bullet
    marked = (joined[:1] in BULLETS or icon) and (len(joined) == 1 or joined[1] in " \t")
    if marked:
        joined = joined[1:].strip()
    gap = 0.0
    if previous and size:
        gap = max(0.0, (previous[-1].baseline - run[0].baseline) / size - 1.0)
    letters = [glyph for glyph in run if glyph.char.isalpha()] or run
    return TextLine(
        text=joined,
        page=page,
        size=round(size, 2),
        bold=sum(glyph.bold for glyph in letters) >= 0.6 * len(letters),
        x=round(run[0].x, 1),
        right=round(max(glyph.right for glyph in run), 1),
        marked=marked,
        gap_before=round(gap, 2),
    )
