"""Page geometry and the fitting ladder: how a template tightens to fit ``max_pages``.

Each rung scales the template's own spacing, type size and margins. The last rung
stops at 88% type (about 9 pt on the compact template): smaller than that is
unreadable, so past it the renderer reports that the document does not fit
instead of shrinking further.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from jobwise.adapters.rendering.formats import PageSize
from jobwise.adapters.rendering.templates import Margins


class PageGeometry(BaseModel):
    model_config = ConfigDict(frozen=True)

    css_size: str
    """The ``@page size`` value."""
    width_in: float
    height_in: float


PAGES: dict[PageSize, PageGeometry] = {
    PageSize.LETTER: PageGeometry(css_size="letter", width_in=8.5, height_in=11.0),
    PageSize.A4: PageGeometry(css_size="A4", width_in=210 / 25.4, height_in=297 / 25.4),
}


class FitLevel(BaseModel):
    model_config = ConfigDict(frozen=True)

    level: int
    space: float
    """Multiplies the template's vertical gaps."""
    scale: float
    """Multiplies the template's type size."""
    margin: float
    """Multiplies the template's page margins."""


FIT_LADDER: tuple[FitLevel, ...] = (
    FitLevel(level=0, space=1.0, scale=1.0, margin=1.0),
    FitLevel(level=1, space=0.7, scale=1.0, margin=0.85),
    FitLevel(level=2, space=0.5, scale=0.95, margin=0.75),
    FitLevel(level=3, space=0.35, scale=0.88, margin=0.65),
)


def fit_level(level: int) -> FitLevel:
    return FIT_LADDER[max(0, min(level, len(FIT_LADDER) - 1))]


def page_css(page_size: PageSize, margins: Margins, fit: FitLevel) -> str:
    """The page rules of one rendering: paper, margins, and the fit variables.

    On screen (the HTML preview, the thumbnail) the sheet is drawn as a page of the
    same size with the margins as padding, so what you preview is what prints.
    """
    page = PAGES[page_size]
    vertical = margins.vertical * fit.margin
    horizontal = margins.horizontal * fit.margin
    return (
        f"@page {{ size: {page.css_size}; margin: {vertical:.3f}in {horizontal:.3f}in; }}\n"
        f":root {{ --space: {fit.space}; --scale: {fit.scale}; }}\n"
        "@media screen {\n"
        f"  .sheet {{ width: {page.width_in:.3f}in; min-height: {page.height_in:.3f}in;"
        f" padding: {vertical:.3f}in {horizontal:.3f}in; }}\n"
        "}\n"
    )
