"""A preview PNG of each template: a sample resume's first page, drawn by Chromium.

Made once per (template, page size, renderer version) and kept, in memory and in the
file store, so ``GET /templates/{name}/thumbnail`` costs a browser only the first time
after an upgrade.
"""

from __future__ import annotations

import asyncio
import hashlib
from importlib.resources import files

from jobwise.adapters.rendering.browser import ContextOptions, PageSession, WarmBrowser
from jobwise.adapters.rendering.errors import RenderingError
from jobwise.adapters.rendering.formats import PageSize
from jobwise.adapters.rendering.html import render_html
from jobwise.adapters.rendering.layout import PAGES
from jobwise.adapters.rendering.reading import read_markdown
from jobwise.adapters.rendering.templates import check_page_size, get_template_info
from jobwise.adapters.rendering.version import RENDERER_VERSION
from jobwise.adapters.storage import FileStore, content_key

CSS_PIXELS_PER_INCH = 96
THUMBNAIL_SCALE = 0.5
"""A Letter page becomes 408 x 528 pixels."""


def sample_markdown() -> str:
    """The fictional resume every thumbnail shows."""
    return (files("jobwise.adapters.rendering") / "templates" / "sample_resume.md").read_text()


class ThumbnailService:
    def __init__(self, browser: WarmBrowser, store: FileStore | None = None) -> None:
        self.browser = browser
        self.store = store
        self._made: dict[str, bytes] = {}
        self._lock = asyncio.Lock()

    async def thumbnail(self, template: str, page_size: PageSize = PageSize.LETTER) -> bytes:
        """The PNG; rendered on the first call only."""
        info = get_template_info(template)
        check_page_size(info, page_size)
        key = _key(info.name, page_size)
        async with self._lock:
            if key not in self._made:
                self._made[key] = await self._stored_or_rendered(key, info.name, page_size)
            return self._made[key]

    async def _stored_or_rendered(self, key: str, template: str, page_size: PageSize) -> bytes:
        if self.store is not None and await self.store.exists(key):
            return await self.store.get(key)
        png = await self.render(template, page_size)
        if self.store is not None:
            await self.store.put(key, png)
        return png

    async def render(self, template: str, page_size: PageSize) -> bytes:
        html = render_html(read_markdown(sample_markdown()), template=template, page_size=page_size)
        page = PAGES[page_size]
        width = round(page.width_in * CSS_PIXELS_PER_INCH)
        height = round(page.height_in * CSS_PIXELS_PER_INCH)

        async def shoot(session: PageSession) -> bytes:
            await session.page.set_content(html, wait_until="load")
            await session.page.evaluate("document.fonts.ready.then(() => true)")
            box = await session.page.locator(".sheet").bounding_box()
            if box is None:
                raise RenderingError(f"template {template!r} drew no sheet")
            clip = {"x": box["x"], "y": box["y"], "width": box["width"], "height": height}
            return await session.page.screenshot(clip=clip, type="png")  # type: ignore[arg-type]

        options = ContextOptions(
            viewport_width=width + 80,
            viewport_height=height + 80,
            device_scale_factor=THUMBNAIL_SCALE,
        )
        return await self.browser.run(shoot, options)


def _key(template: str, page_size: PageSize) -> str:
    material = f"thumbnail:{template}:{page_size.value}:{RENDERER_VERSION}".encode()
    return content_key(hashlib.sha256(material).hexdigest(), "png")
