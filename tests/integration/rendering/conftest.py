"""One real Chromium (Debian's, through Playwright) for the rendering tests."""

from __future__ import annotations

import pytest

from jobwise.adapters.rendering import ChromiumPdfPrinter, Renderer, WarmBrowser


@pytest.fixture(scope="session")
def browser(warm_browser: WarmBrowser) -> WarmBrowser:
    return warm_browser  # the session's one Chromium (tests/conftest.py)


@pytest.fixture(scope="session")
def renderer(browser: WarmBrowser) -> Renderer:
    return Renderer(ChromiumPdfPrinter(browser))
