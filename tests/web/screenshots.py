"""Screenshots of each screen of the web client, at desktop (1280) and phone (390) width.

    .venv/bin/python -m tests.web.screenshots [--out docs/screenshots]

Starts its own ``jobwise serve`` (embedded database, a fake model that answers after a
few seconds, so a generation can be caught running), walks the journey as a user would
and writes ``<screen>-desktop.png`` and ``<screen>-phone.png``.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

from jobwise.adapters.rendering.browser import find_system_chromium
from tests.e2e.conftest import call, jobwise_env, running_serve
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.resume_answers import resume_answer
from tests.web.conftest import PASSWORD, POSTING, RESUME, RESUME_FILE, RESUMES

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
REPO = Path(__file__).parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    out: Path = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as scratch,
        FakeOpenAI() as fake,
    ):
        fake.responder = lambda request: Reply.delay(4.0, then=resume_answer(request))
        data_dir = Path(scratch) / "data"
        with (
            running_serve(data_dir, env=jobwise_env(data_dir, **fake.env())) as serve,
            sync_playwright() as playwright,
        ):
            browser = playwright.chromium.launch(executable_path=str(find_system_chromium()))
            try:
                for kind, (width, height) in WIDTHS.items():
                    context = browser.new_context(
                        viewport={"width": width, "height": height}, device_scale_factor=1
                    )
                    page = context.new_page()
                    page.set_default_timeout(60_000)

                    def shot(name: str, page: Page = page, kind: str = kind) -> None:
                        page.wait_for_timeout(300)  # let fonts and layout settle
                        page.screenshot(path=str(out / f"{name}-{kind}.png"))
                        print(f"wrote {out / f'{name}-{kind}.png'}")

                    walk(page, serve.base, kind, shot)
                    context.close()
            finally:
                browser.close()


def walk(page: Page, base: str, kind: str, shot: Callable[[str], None]) -> None:
    email = f"kyle.{kind}@example.com"
    page.goto(base + "/")
    shot("1-log-in")
    page.get_by_role("button", name="Create an account").click()
    page.get_by_label("Full name").fill("Kyle Oliver")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Start from my resume")).to_be_visible()
    shot("2a-profile-start")
    page.get_by_label(RESUME_FILE).set_input_files(str(RESUMES / "modern.pdf"))
    page.get_by_role("button", name="Read my resume").click()
    expect(page.get_by_role("heading", name="Check what was read")).to_be_visible()
    page.wait_for_timeout(1000)  # the PDF viewer draws the file
    if kind == "desktop":  # a field marked "check this" beside the file, which stays put
        page.get_by_role("group", name="Education 1").scroll_into_view_if_needed()
    shot("2b-resume-review")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_label("JSON Resume file").first.set_input_files(str(RESUME))
    page.get_by_role("button", name="Import").first.click()
    expect(page.get_by_test_id("completeness")).to_contain_text("/ 100")
    shot("2-profile")

    page.goto(base + "/#/jobs")
    page.get_by_label("Where you found it").fill("linkedin")
    page.get_by_label("Posting text").fill(POSTING)
    shot("3-jobs")
    page.get_by_role("button", name="Read the posting").click()
    expect(page.get_by_label("Title")).not_to_have_value("")
    shot("4-job")

    page.get_by_role("button", name="Save to my board").click()
    expect(page.get_by_text("On your board as")).to_be_visible()
    page.get_by_role("button", name="Generate").click()
    expect(page.locator("[data-testid=stages] [data-stage=generating_content]")).to_have_attribute(
        "data-state", "started"
    )
    shot("5-generation-progress")
    expect(page.get_by_test_id("generation-status")).to_have_text("completed", timeout=60_000)
    expect(page.get_by_test_id("match-score")).to_contain_text("%")
    shot("6-generation-result")
    preview = page.get_by_test_id("preview")
    expect(preview).to_be_visible()
    page.get_by_role("heading", name="Preview").scroll_into_view_if_needed()
    page.evaluate("document.getElementById('preview-title').scrollIntoView()")
    shot("7-document-preview")

    session = json.loads(page.evaluate("localStorage.getItem('jobwise.session')"))
    saved = call(base, "GET", "/api/v1/saved-jobs", session["access"])[1]["items"][0]
    applied = {"status": "applied"}
    call(base, "PATCH", f"/api/v1/saved-jobs/{saved['id']}", session["access"], applied)
    page.goto(base + "/#/board")
    expect(page.locator("[data-status=applied] .board-card")).to_have_count(1)
    shot("8-board")
    page.goto(f"{base}/#/history/{saved['job_id']}/job")
    expect(page.get_by_test_id("history")).to_contain_text("Job Created")
    shot("9-history")

    page.goto(base + "/#/account")
    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()
    shot("10-account")
    page.get_by_role("button", name="Delete my account…").click()
    page.get_by_role("dialog").get_by_label("Your password").fill(PASSWORD)
    shot("11-account-delete")


if __name__ == "__main__":
    main()
