"""Browser tests of the web client: Playwright driving Debian's Chromium against a real
``jobwise serve`` (embedded database), one server per test module.

The model is the fake OpenAI-compatible server, answering each writing request only after
``LLM_DELAY_SECONDS``: long enough to catch a generation in its third stage and cut its
live socket there.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    FilePayload,
    Page,
    expect,
    sync_playwright,
)

from jobwise.adapters.rendering.browser import find_system_chromium
from tests.e2e.conftest import Serve, jobwise_env, running_serve
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.resume_answers import resume_answer

PASSWORD = "Correct-Horse-9"
LLM_DELAY_SECONDS = 5.0
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DATA = Path(__file__).parents[1] / "data"
RESUME = DATA / "generation" / "resume-kyle-oliver.json"
LINKEDIN = DATA / "linkedin" / "basic-2023"
LINKEDIN_FILE = "LinkedIn data export (ZIP)"
RESUMES = DATA / "resumes" / "jobwise-sample"
RESUME_FILE = "Your resume (PDF or DOCX)"
POSTING = """Senior Backend Engineer
Acme Robotics · Berlin, Germany (Hybrid)

Requirements:
- 5+ years of Python and Golang in production
- Strong PostgreSQL skills; experience running services on k8s

Nice to have:
- Apache Kafka

Salary: €85,000 – €105,000 a year"""
TIMEOUT_MS = 30_000
# A bound for each wait on the page, generous for a loaded CI machine (never a measurement).
expect.set_options(timeout=15_000)


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        fake.responder = lambda request: Reply.delay(LLM_DELAY_SECONDS, then=resume_answer(request))
        yield fake


@pytest.fixture(scope="module")
def serve(tmp_path_factory: pytest.TempPathFactory, fake_llm: FakeOpenAI) -> Iterator[Serve]:
    data_dir = tmp_path_factory.mktemp("web") / "data"
    env = jobwise_env(data_dir, **fake_llm.env(), JOBWISE_WORKER_CONCURRENCY="2")
    with running_serve(data_dir, env=env) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(find_system_chromium()))
        try:
            yield launched
        finally:
            launched.close()


class Console:
    """What the page said on its console: CSP violations and script errors fail a test."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        text = message.text
        if "Content Security Policy" in text or "Refused to" in text:
            self.errors.append(f"CSP: {text}")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    created = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    created.set_default_timeout(TIMEOUT_MS)
    try:
        yield created
    finally:
        created.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    opened = context.new_page()
    console = Console(opened)
    yield opened
    assert console.errors == [], console.errors


def new_email() -> str:
    return f"web-{uuid.uuid4().hex[:10]}@example.com"


def sign_up(page: Page, base: str, email: str | None = None, name: str = "Ada Lovelace") -> str:
    """Sign up through the page; lands on the profile screen. The email."""
    email = email or new_email()
    page.goto(base + "/")
    page.get_by_role("button", name="Create an account").click()
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("button", name="Log out").wait_for()
    return email


def linkedin_export() -> FilePayload:
    """The sample export zipped as LinkedIn hands it out."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(LINKEDIN.iterdir()):
            archive.writestr(f"Basic_LinkedInDataExport/{path.name}", path.read_bytes())
    return {
        "name": "Basic_LinkedInDataExport_12-06-2026.zip",
        "mimeType": "application/zip",
        "buffer": buffer.getvalue(),
    }


def start_from_linkedin(page: Page) -> None:
    """On the new-profile screen: upload the sample export; lands on the profile."""
    page.get_by_label(LINKEDIN_FILE).set_input_files(linkedin_export())
    page.get_by_role("button", name="Upload my LinkedIn export").click()
    expect(page.get_by_role("heading", name="Grace Hopper", level=1)).to_be_visible()


def read_resume(page: Page, file: Path | FilePayload) -> dict[str, Any]:
    """On the new-profile screen: upload a resume file; lands on its review. What the
    server answered (the draft, its confidence, the lines as read)."""
    page.get_by_label(RESUME_FILE).set_input_files(str(file) if isinstance(file, Path) else file)
    with page.expect_response(lambda r: r.url.endswith("/api/v1/profiles/import")) as answer:
        page.get_by_role("button", name="Read my resume").click()
    expect(page.get_by_role("heading", name="Check what was read")).to_be_visible()
    assert answer.value.status == 200, answer.value.text()
    read: dict[str, Any] = answer.value.json()
    return read


def stored_session(page: Page) -> dict[str, Any]:
    raw = page.evaluate("localStorage.getItem('jobwise.session')")
    assert raw, "no session stored"
    session: dict[str, Any] = json.loads(raw)
    return session


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page as it is now.

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern
    (an injected <script> would be refused, as it should be)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text("utf-8"))
    results: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"][:200] for n in v["nodes"][:3]],
        }
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page, screen: str) -> None:
    found = axe_violations(page)
    assert found == [], f"{screen}: {json.dumps(found, indent=1)}"
