"""One real Chromium (Debian's, through Playwright) for the rendering tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from jobwise.rendering import ChromiumPdfPrinter, Renderer, WarmBrowser


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[WarmBrowser]:
    async with WarmBrowser() as warm:
        await warm.start()
        yield warm


@pytest.fixture(scope="session")
def renderer(browser: WarmBrowser) -> Renderer:
    return Renderer(ChromiumPdfPrinter(browser))
