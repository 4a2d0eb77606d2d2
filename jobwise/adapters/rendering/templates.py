"""The template catalogue and the Jinja2 environment that renders it.

A template is a Jinja2 page (``templates/<name>.html.j2``, extending ``base.html.j2``)
and its stylesheet (``templates/<name>.css``). Every template is ATS-safe by
construction of the base page: one column, real text, the standard section headings
as written, the contact block first, no tables, no images, nothing in page headers or
footers. Templates differ in type, spacing and emphasis only.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import jinja2
from pydantic import BaseModel, ConfigDict

from jobwise.adapters.rendering.errors import UnknownTemplateError, UnsupportedPageSizeError
from jobwise.adapters.rendering.formats import PageSize
from jobwise.adapters.rendering.inline import inline_html, lines_html

TEMPLATE_DIR = files("jobwise.adapters.rendering") / "templates"


class Margins(BaseModel):
    """Page margins in inches, before any fitting."""

    model_config = ConfigDict(frozen=True)

    vertical: float
    horizontal: float


class TemplateInfo(BaseModel):
    """One entry of ``GET /generations/templates``."""

    model_config = ConfigDict(frozen=True)

    name: str
    display_name: str
    description: str
    page_sizes: tuple[PageSize, ...] = (PageSize.LETTER, PageSize.A4)
    margins: Margins
    ats_safe: bool = True


_CATALOGUE: tuple[TemplateInfo, ...] = (
    TemplateInfo(
        name="classic",
        display_name="Classic",
        description="Serif type, centred name, ruled section headings: the conservative choice.",
        margins=Margins(vertical=0.6, horizontal=0.75),
    ),
    TemplateInfo(
        name="modern",
        display_name="Modern",
        description="Sans-serif with a blue accent; dates aligned right of each entry heading.",
        margins=Margins(vertical=0.6, horizontal=0.7),
    ),
    TemplateInfo(
        name="compact",
        display_name="Compact",
        description="Smaller type and tight spacing to keep a long history on fewer pages.",
        margins=Margins(vertical=0.45, horizontal=0.55),
    ),
    TemplateInfo(
        name="technical",
        display_name="Technical",
        description="Monospaced section headings and skill labels, for engineering roles.",
        margins=Margins(vertical=0.55, horizontal=0.65),
    ),
)
TEMPLATES: dict[str, TemplateInfo] = {info.name: info for info in _CATALOGUE}
DEFAULT_TEMPLATE = "classic"


def list_templates() -> list[TemplateInfo]:
    return list(_CATALOGUE)


def get_template_info(name: str) -> TemplateInfo:
    try:
        return TEMPLATES[name]
    except KeyError:
        raise UnknownTemplateError(name, tuple(TEMPLATES)) from None


def check_page_size(info: TemplateInfo, page_size: PageSize) -> None:
    if page_size not in info.page_sizes:
        offered = ", ".join(size.value for size in info.page_sizes)
        raise UnsupportedPageSizeError(f"{info.name} offers {offered}, not {page_size.value}")


@cache
def environment() -> jinja2.Environment:
    """One environment for the process: templates are compiled once and kept."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = inline_html
    env.filters["lines"] = lines_html
    return env
