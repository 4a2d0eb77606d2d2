"""The warm browser: crashes, replacement after N documents, concurrency, no network."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from playwright.async_api import BrowserContext
from playwright.async_api import Error as PlaywrightError

from jobwise.adapters.rendering import (
    BrowserError,
    BrowserSettings,
    ChromiumPdfPrinter,
    ExportFormat,
    PageSize,
    Renderer,
    RenderRequest,
    WarmBrowser,
)
from jobwise.adapters.rendering.browser import PageSession
from tests.integration.generations.conftest import until
from tests.integration.rendering.pdf_reading import pages_text
from tests.unit.rendering.fixtures import fixture


async def gone(pids: list[int]) -> None:
    """Return once every process has exited (a loaded machine can take a while to reap a
    Chromium: wait for it, not for a clock); fail after a bound."""
    await until(lambda: not any(_alive(pid) for pid in pids), 30)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:  # a zombie is as good as gone
        return stat.read().rsplit(")", 1)[1].split()[0] != "Z"


async def test_a_browser_killed_mid_document_is_replaced_and_the_document_printed() -> None:
    async with WarmBrowser(BrowserSettings(concurrency=1)) as browser:
        printer = ChromiumPdfPrinter(browser)
        await printer.print_pdf("<h1>warm-up</h1>", PageSize.LETTER)
        first_pid = browser.process_id()
        assert first_pid is not None
        killed: list[int] = []

        async def kill_then_print(session: PageSession) -> bytes:
            await session.page.set_content("<h1>Survivor</h1>")
            if not killed:
                pid = browser.process_id()
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            return await session.page.pdf()

        pdf = await browser.run(kill_then_print)
        assert pages_text(pdf) == ["Survivor"]
        assert browser.stats.recovered == 1 and browser.stats.launches == 2
        assert browser.process_id() not in (None, first_pid)
        # and the next document, on the new browser, is ordinary
        renderer = Renderer(printer)
        out = await renderer.render(
            RenderRequest(markdown=fixture("ada_resume"), format=ExportFormat.PDF)
        )
        assert out.check is not None and out.check.passed


async def test_a_browser_killed_between_documents_is_relaunched() -> None:
    async with WarmBrowser(BrowserSettings(concurrency=1)) as browser:
        printer = ChromiumPdfPrinter(browser)
        await printer.print_pdf("<p>one</p>", PageSize.LETTER)
        pid = browser.process_id()
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        await gone([pid])
        printed = await printer.print_pdf("<p>two</p>", PageSize.LETTER)
        assert pages_text(printed.content) == ["two"]
        assert browser.stats.launches == 2


async def test_the_browser_is_replaced_after_max_documents() -> None:
    async with WarmBrowser(BrowserSettings(max_documents=2, concurrency=1)) as browser:
        printer = ChromiumPdfPrinter(browser)
        pids = []
        for n in range(5):
            printed = await printer.print_pdf(f"<p>document {n}</p>", PageSize.A4)
            assert pages_text(printed.content) == [f"document {n}"]
            pids.append(browser.process_id())
        assert browser.stats.launches == 3 and browser.stats.recycled == 2
        assert len(set(pids)) == 3
        retired = [pid for pid in set(pids) if pid is not None and pid != browser.process_id()]
        assert retired
        await gone(retired)


async def test_ten_concurrent_renders_each_get_their_own_document(renderer: Renderer) -> None:
    names = [f"Candidate Number{n} Example" for n in range(10)]
    base = fixture("ada_resume")
    requests = [
        RenderRequest(
            markdown=base.replace("Ada Lovelace", name, 1),
            format=ExportFormat.PDF,
            template=["classic", "modern", "compact", "technical"][n % 4],
        )
        for n, name in enumerate(names)
    ]
    results = await asyncio.gather(*(renderer.render(r) for r in requests))
    for name, out in zip(names, results, strict=True):
        assert out.check is not None and out.check.passed, out.check
        first = pages_text(out.content)[0]
        assert first.startswith(name)
        assert not any(other in first for other in names if other != name)


@pytest.fixture
async def loopback_server() -> AsyncIterator[tuple[str, list[str]]]:
    hits: list[str] = []

    async def anything(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.Response(body=b"", content_type="image/png")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", anything)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", hits
    finally:
        await runner.cleanup()


async def test_the_page_never_reaches_the_network(
    browser: WarmBrowser, loopback_server: tuple[str, list[str]]
) -> None:
    base, hits = loopback_server
    html = (
        f'<link rel="stylesheet" href="{base}/style.css">'
        f"<style>@font-face {{ font-family: X; src: url({base}/font.woff2); }}"
        f" body {{ font-family: X; background: url({base}/bg.png); }}</style>"
        f'<h1>Ada</h1><img src="{base}/photo.png"><iframe src="{base}/frame"></iframe>'
        f'<script src="{base}/app.js"></script>'
    )
    printed = await ChromiumPdfPrinter(browser).print_pdf(html, PageSize.LETTER)
    assert hits == []  # the server saw nothing
    assert f"{base}/photo.png" in printed.blocked_requests
    assert pages_text(printed.content)[0].startswith("Ada")


async def test_a_markdown_image_is_never_requested(
    renderer: Renderer, loopback_server: tuple[str, list[str]]
) -> None:
    base, hits = loopback_server
    markdown = fixture("ada_resume") + f"\n![my photo]({base}/me.png)\n"
    out = await renderer.render(RenderRequest(markdown=markdown, format=ExportFormat.PDF))
    assert hits == [] and out.check is not None and out.check.passed
    assert "my photo" in " ".join(pages_text(out.content))
    assert not any(f.code == "blocked_request" for f in out.check.findings)


async def _context_of(session: PageSession) -> tuple[BrowserContext, int]:
    return session.context, session.documents


async def test_a_context_serves_documents_one_after_another_sharing_nothing(
    loopback_server: tuple[str, list[str]],
) -> None:
    base, hits = loopback_server
    settings = BrowserSettings(concurrency=1, documents_per_context=3)
    async with WarmBrowser(settings) as browser:
        printer = ChromiumPdfPrinter(browser)
        first = await printer.print_pdf(
            f'<p>Alpha Secret</p><img src="{base}/alpha.png">'
            # a refresh the first document schedules must not reach the second
            '<meta http-equiv="refresh" content="1; url=about:blank">',
            PageSize.LETTER,
        )
        assert f"{base}/alpha.png" in first.blocked_requests

        async def slow_second(session: PageSession) -> tuple[bytes, list[str]]:
            await session.page.set_content("<p>Bravo</p>")
            await asyncio.sleep(1.5)  # past the first document's refresh
            return await session.page.pdf(), session.blocked_requests

        second, blocked = await browser.run(slow_second)
        third_context, printed_before = await browser.run(_context_of)
        fourth_context, printed_on_fourth = await browser.run(_context_of)
    assert pages_text(second) == ["Bravo"]
    assert blocked == [] and hits == []
    # The first three documents on one context; the fourth, past documents_per_context,
    # on a new one.
    assert printed_before == 2
    assert fourth_context is not third_context and printed_on_fourth == 0


async def test_a_document_that_fails_does_not_hand_its_context_on() -> None:
    async with WarmBrowser(BrowserSettings(concurrency=1)) as browser:
        used, _ = await browser.run(_context_of)

        async def fail(session: PageSession) -> None:
            await session.page.set_content("<p>half done</p>")
            raise PlaywrightError("the document failed")

        with pytest.raises(BrowserError):
            await browser.run(fail)
        after, printed_on_it = await browser.run(_context_of)
        printed = await ChromiumPdfPrinter(browser).print_pdf("<p>Clean</p>", PageSize.LETTER)
    assert after is not used and printed_on_it == 0
    assert pages_text(printed.content) == ["Clean"]
