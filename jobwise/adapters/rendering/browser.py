"""One warm Chromium, shared by every render in the process.

Lifecycle:

* The browser is launched on first use (or by ``start()`` when serving, so the first
  document does not pay for it) and kept running.
* A document is printed on a page of its own browser context. A context has
  JavaScript off and every network request aborted (recorded, so the caller can report
  it): the page is the HTML we give it and nothing else, and nothing a document holds
  can set a cookie, fill a cache or write storage.
* Opening a context costs more than printing (a new renderer process: about 200 ms
  here, and a fresh renderer prints a 2-page resume in about 150 ms where a warm one
  takes 55), so a context serves up to ``documents_per_context`` documents, one at a
  time: after each, its page is navigated to ``about:blank`` (a new, empty document:
  nothing of the last one's DOM stays, nor a refresh it scheduled) and waits for the
  next. A document that failed or timed out closes its context, never handing it on.
* One context per slot is kept ready ahead of time: a document takes a ready one, and
  another starts opening (or the used one is reset) behind it.
* A semaphore sized to the machine bounds how many documents print at once.
* After ``max_documents`` documents the browser is replaced (the old one finishes the
  documents it has, then closes), which caps slow leaks in a long-running server.
* If the browser dies (crash, OOM kill, someone's ``kill -9``) or a document times
  out, the document is retried once on a newly launched browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from playwright.async_api import Browser, BrowserContext, Page, Playwright, Route, async_playwright
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import TimeoutError as PlaywrightTimeout
from pydantic import BaseModel, ConfigDict, Field

from jobwise.adapters.rendering.errors import BrowserError
from jobwise.adapters.rendering.processes import MARKER_SWITCH, browser_main_pid

log = logging.getLogger(__name__)
T = TypeVar("T")

CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
DEBIAN_CHROMIUM = (Path("/usr/bin/chromium"), Path("/usr/bin/chromium-browser"))


def default_concurrency() -> int:
    """Documents printed at once: one per usable core, at least 1, at most 4.

    Printing is CPU-bound in the renderer processes; more at once than cores only
    makes each one slower.
    """
    return max(1, min(4, len(os.sched_getaffinity(0))))


class BrowserSettings(BaseModel):
    model_config = ConfigDict(frozen=True)

    executable_path: Path | None = None
    """None: Playwright's own Chromium when it is installed, else Debian's ``chromium``."""
    args: tuple[str, ...] = CHROMIUM_ARGS
    concurrency: int = Field(default_factory=default_concurrency, ge=1)
    max_documents: int = Field(default=500, ge=1)
    """Replace the browser after this many documents."""
    documents_per_context: int = Field(default=50, ge=1)
    """Documents one context prints, one after another, before it is closed (1: a new
    context, and renderer process, for every document)."""
    timeout_seconds: float = Field(default=30.0, gt=0)
    """For each browser step (launch, load, print); past it the browser is presumed stuck."""
    prepare_ahead: bool = True
    """Open each slot's next context while idle (see the module's docstring)."""


class BrowserStats(BaseModel):
    launches: int = 0
    documents: int = 0
    recycled: int = 0
    """Browsers replaced after ``max_documents``."""
    recovered: int = 0
    """Documents retried on a new browser after the old one died or hung."""


class ContextOptions(BaseModel):
    """Options of a context other than the defaults (a thumbnail's viewport and scale)."""

    model_config = ConfigDict(frozen=True)

    viewport_width: int = 1280
    viewport_height: int = 720
    device_scale_factor: float = 1.0


@dataclass
class PageSession:
    """The fresh page a job runs on, and the requests the page tried to make."""

    page: Page
    context: BrowserContext
    blocked_requests: list[str] = field(default_factory=list)
    documents: int = 0
    """Documents printed on this page so far."""


@dataclass(eq=False)
class _Instance:
    """One launched browser and the documents it is serving."""

    browser: Browser
    marker: str
    uses: int = 0
    active: int = 0
    retiring: bool = False
    spares: list[PageSession] = field(default_factory=list)
    preparing: int = 0
    """Spares being opened or reset."""
    resets: set[asyncio.Task[None]] = field(default_factory=set)
    """Used pages being reset: a document finding no spare waits for one (tens of ms)
    rather than open a context (hundreds)."""

    @property
    def alive(self) -> bool:
        return self.browser.is_connected()


class WarmBrowser:
    """The process's Chromium: ``run(job)`` gives ``job`` a fresh page and cleans up."""

    def __init__(self, settings: BrowserSettings | None = None) -> None:
        self.settings = settings or BrowserSettings()
        self.stats = BrowserStats()
        self._slots = asyncio.Semaphore(self.settings.concurrency)
        self._lock = asyncio.Lock()
        self._playwright: Playwright | None = None
        self._starting: asyncio.Future[Playwright] | None = None
        """Playwright's driver on its way up: kept so that a start interrupted by a
        cancellation still ends in ``close``, never as an orphaned driver process."""
        self._current: _Instance | None = None
        self._retired: set[_Instance] = set()
        self._background: set[asyncio.Task[None]] = set()
        self._closed = False

    # --- public --------------------------------------------------------------------------

    async def start(self) -> None:
        """Launch now rather than on the first document."""
        async with self._lock:
            instance = await self._usable_instance()
        self._prepare_spares(instance)

    async def run(
        self,
        job: Callable[[PageSession], Awaitable[T]],
        options: ContextOptions | None = None,
    ) -> T:
        """Run ``job`` on a fresh page; retried once on a new browser if this one fails."""
        async with self._slots:
            for attempt in (1, 2):
                instance = await self._checkout()
                try:
                    return await self._run_on(instance, job, options)
                except (PlaywrightError, TimeoutError) as error:
                    if attempt == 2 or not await self._presume_broken(instance, error):
                        raise BrowserError(f"Chromium failed on the document: {error}") from error
                    self.stats.recovered += 1
                    log.warning("chromium failed mid-document, retrying on a new one: %s", error)
                finally:
                    await self._checkin(instance)
        raise AssertionError("unreachable: the second attempt returns or raises")

    def process_id(self) -> int | None:
        """The running browser's main process id (for the bench and the crash test)."""
        instance = self._current
        return browser_main_pid(instance.marker) if instance and instance.alive else None

    async def close(self) -> None:
        self._closed = True
        for task in list(self._background):
            task.cancel()
        await asyncio.gather(*self._background, return_exceptions=True)
        async with self._lock:
            for instance in [*self._retired, *([self._current] if self._current else [])]:
                await self._shut(instance)
            self._retired.clear()
            self._current = None
            if self._playwright is None and self._starting is not None:
                with contextlib.suppress(Exception):
                    self._playwright = await self._starting
            if self._playwright is not None:
                await self._playwright.stop()
                self._playwright = None
            self._starting = None

    async def __aenter__(self) -> WarmBrowser:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # --- one document --------------------------------------------------------------------

    async def _run_on(
        self,
        instance: _Instance,
        job: Callable[[PageSession], Awaitable[T]],
        options: ContextOptions | None,
    ) -> T:
        session = None if options else await self._ready_spare(instance)
        printed = False
        try:
            if session is None:
                session = await self._open_session(instance, options)
            result = await asyncio.wait_for(job(session), self.settings.timeout_seconds * 3)
            printed = True
            return result
        finally:
            if session is not None:
                session.documents += 1
                if printed and options is None and self._reusable(instance, session):
                    self._recycle(instance, session)
                else:
                    with contextlib.suppress(PlaywrightError):
                        await session.context.close()
            if options is None:
                self._prepare_spares(instance)

    async def _ready_spare(self, instance: _Instance) -> PageSession | None:
        session = self._take_spare(instance)
        if session is None and instance.resets:
            await asyncio.wait(instance.resets, return_when=asyncio.FIRST_COMPLETED)
            session = self._take_spare(instance)
        return session

    @property
    def _wanted_spares(self) -> int:
        return self.settings.concurrency

    def _reusable(self, instance: _Instance, session: PageSession) -> bool:
        return (
            session.documents < self.settings.documents_per_context
            and instance.alive
            and not instance.retiring
            and not self._closed
        )

    def _recycle(self, instance: _Instance, session: PageSession) -> None:
        """Reset the page in the background, then offer it as a spare."""
        instance.active += 1  # in use while it resets: a retiring browser waits for it
        instance.preparing += 1
        task = asyncio.create_task(self._reset(instance, session))
        self._background.add(task)
        instance.resets.add(task)
        task.add_done_callback(self._background.discard)
        task.add_done_callback(instance.resets.discard)

    async def _reset(self, instance: _Instance, session: PageSession) -> None:
        try:
            await session.page.goto("about:blank")
            session.blocked_requests.clear()
            # Spares past one per slot (after a burst) would only hold memory.
            if self._reusable(instance, session) and len(instance.spares) < self._wanted_spares:
                instance.spares.append(session)
                return
            await session.context.close()
        except PlaywrightError as error:
            log.info("could not reset a browser page for another document: %s", error)
            with contextlib.suppress(PlaywrightError):
                await session.context.close()
        finally:
            instance.preparing -= 1
            await self._checkin(instance)

    async def _open_session(
        self, instance: _Instance, options: ContextOptions | None = None
    ) -> PageSession:
        chosen = options or ContextOptions()
        context = await instance.browser.new_context(
            java_script_enabled=False,
            viewport={"width": chosen.viewport_width, "height": chosen.viewport_height},
            device_scale_factor=chosen.device_scale_factor,
        )
        try:
            blocked: list[str] = []

            async def refuse(route: Route) -> None:
                blocked.append(route.request.url)
                await route.abort("blockedbyclient")

            await context.route("**/*", refuse)
            page = await context.new_page()
            page.set_default_timeout(self.settings.timeout_seconds * 1000)
            return PageSession(page=page, context=context, blocked_requests=blocked)
        except BaseException:
            with contextlib.suppress(PlaywrightError):
                await context.close()
            raise

    def _take_spare(self, instance: _Instance) -> PageSession | None:
        while instance.spares:
            session = instance.spares.pop()
            if not session.page.is_closed():
                return session
        return None

    def _prepare_spares(self, instance: _Instance) -> None:
        if not self.settings.prepare_ahead or self._closed:
            return
        wanted = self._wanted_spares - len(instance.spares) - instance.preparing
        for _ in range(max(0, wanted)):
            instance.preparing += 1
            task = asyncio.create_task(self._add_spare(instance))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    async def _add_spare(self, instance: _Instance) -> None:
        # Counted as in use while it opens, so a retiring browser is not closed under it.
        instance.active += 1
        try:
            if instance.alive and not instance.retiring:
                session = await self._open_session(instance)
                if instance.alive and not instance.retiring and not self._closed:
                    instance.spares.append(session)
                else:
                    await session.context.close()
        except PlaywrightError as error:
            log.info("could not prepare a browser context ahead: %s", error)
        finally:
            instance.preparing -= 1
            await self._checkin(instance)

    # --- the browser's life --------------------------------------------------------------

    async def _checkout(self) -> _Instance:
        async with self._lock:
            instance = await self._usable_instance()
            instance.uses += 1
            instance.active += 1
            self.stats.documents += 1
            return instance

    async def _usable_instance(self) -> _Instance:
        """The current browser, launched or replaced as needed (under ``self._lock``)."""
        if self._closed:
            raise BrowserError("the browser has been closed")
        current = self._current
        if current is not None and not current.alive:
            await self._shut(current)
            current = None
        elif current is not None and current.uses >= self.settings.max_documents:
            self.stats.recycled += 1
            await self._retire(current)
            current = None
        if current is None:
            current = self._current = await self._launch()
        return current

    async def _checkin(self, instance: _Instance) -> None:
        instance.active -= 1
        if instance.retiring and instance.active <= 0:
            self._retired.discard(instance)
            await self._shut(instance)

    async def _retire(self, instance: _Instance) -> None:
        instance.retiring = True
        spares, instance.spares = instance.spares, []
        for session in spares:
            with contextlib.suppress(PlaywrightError):
                await session.context.close()
        if instance.active <= 0:
            await self._shut(instance)
        else:
            self._retired.add(instance)

    async def _presume_broken(self, instance: _Instance, error: BaseException) -> bool:
        """Is the browser to blame (dead, or stuck past the timeout)? Then replace it."""
        if isinstance(error, TimeoutError | PlaywrightTimeout) or not instance.alive:
            async with self._lock:
                if self._current is instance:
                    self._current = None
                    await self._retire(instance)
            return True
        return False

    async def _launch(self) -> _Instance:
        if self._playwright is None:
            if self._starting is None:
                self._starting = asyncio.ensure_future(async_playwright().start())
            # Shielded: a cancelled launch leaves the start running, for close to stop.
            self._playwright = await asyncio.shield(self._starting)
        marker = uuid.uuid4().hex
        try:
            browser = await self._playwright.chromium.launch(
                executable_path=self._executable(self._playwright),
                args=[*self.settings.args, f"{MARKER_SWITCH}={marker}"],
                timeout=self.settings.timeout_seconds * 1000,
            )
        except PlaywrightError as error:
            raise BrowserError(f"could not launch Chromium: {error}") from error
        self.stats.launches += 1
        log.info("chromium launched (%s)", browser.version)
        return _Instance(browser=browser, marker=marker)

    def _executable(self, playwright: Playwright) -> str | None:
        if self.settings.executable_path is not None:
            return str(self.settings.executable_path)
        if Path(playwright.chromium.executable_path).exists():
            return None  # Playwright's own build
        return str(find_system_chromium())

    async def _shut(self, instance: _Instance) -> None:
        with contextlib.suppress(PlaywrightError):
            await instance.browser.close()


def find_system_chromium() -> Path:
    """Debian's Chromium (``./run`` installs it), or whatever ``chromium`` is on PATH."""
    for candidate in DEBIAN_CHROMIUM:
        if candidate.exists():
            return candidate
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return Path(found)
    raise BrowserError("no Chromium found: install Debian's chromium package (./run does)")
