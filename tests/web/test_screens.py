"""Each screen of the web client: accessible (axe-core: no serious or critical violation),
usable at phone width, its forms storing what they say, errors in words; how the page and
its files are served; staying signed in across reloads with refresh-token rotation."""

from __future__ import annotations

import json
import re
import time
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import Serve, call, http_get
from tests.support.fake_openai import FakeOpenAI, Reply
from tests.support.lying_model import LyingModel
from tests.support.resume_answers import resume_answer
from tests.web.conftest import (
    LLM_DELAY_SECONDS,
    PASSWORD,
    POSTING,
    RESUME,
    assert_accessible,
    new_email,
    sign_up,
    stored_session,
)


def test_the_page_and_its_files_are_served_with_a_strict_csp_and_caching(serve: Serve) -> None:
    page = http_get(serve.base + "/")
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert page.headers["Cache-Control"] == "no-cache"
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("script-src")[1][:20]
    assert f"ws://127.0.0.1:{serve.port}" in csp and "frame-ancestors 'none'" in csp
    assets = re.findall(r'(?:href|src)="(/static/[0-9a-f]{12}/[^"]+)"', page.body.decode())
    assert {a.rsplit("/", 1)[-1] for a in assets} >= {"app.css", "main.js"}
    for asset in assets:
        served = http_get(serve.base + asset)
        assert served.status == 200, asset
        assert "immutable" in served.headers["Cache-Control"]
    module = http_get(serve.base + assets[-1])
    assert module.headers["Content-Type"].startswith("text/javascript")
    vendor = assets[-1].replace("js/main.js", "vendor/preact.module.js")
    assert http_get(serve.base + vendor).status == 200
    # Another version's URL is not served as this one's; the API is untouched.
    stale = http_get(serve.base + re.sub(r"/static/[0-9a-f]{12}/", "/static/000000000000/", vendor))
    assert stale.status == 404 and stale.json()["error"]["code"] == "not_found"
    assert http_get(serve.base + "/static/x/../../pyproject.toml").status == 404
    api = http_get(serve.base + "/api/v1/auth/me")
    assert api.status == 401 and api.json()["error"]["code"]
    assert http_get(serve.base + "/health").status == 200
    assert http_get(serve.base + "/docs").status == 200


def test_sign_up_errors_are_words_and_the_screens_are_accessible(serve: Serve, page: Page) -> None:
    page.goto(serve.base + "/")
    assert_accessible(page, "log in")
    page.get_by_role("button", name="Create an account").click()
    assert_accessible(page, "sign up")
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_label("Email").fill(new_email())
    page.get_by_label("Password").fill("weakpassword")
    page.get_by_role("button", name="Sign up").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("password")
    assert "{" not in alert.inner_text()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    assert_accessible(page, "new profile")


def test_profile_items_are_added_edited_and_deleted(serve: Serve, page: Page) -> None:
    sign_up(page, serve.base)
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_role("button", name="Create profile").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
    before = page.get_by_test_id("completeness").inner_text()

    page.get_by_label("Professional summary").fill("Engineer who likes hard problems.")
    page.get_by_role("button", name="Save personal info").click()
    expect(page.get_by_text("Saved.")).to_be_visible()

    page.get_by_role("button", name="Add experience").click()
    form = page.locator("form.item-form")
    form.get_by_label("Job title").fill("Senior Engineer")
    form.get_by_label("Company").fill("Engine Co")
    form.get_by_label("Start date").fill("2020-01-01")
    form.get_by_label("Achievements").fill("Cut p99 latency by 40%\nMentored four engineers")
    form.get_by_role("button", name="Add experience").click()
    expect(page.get_by_text("Senior Engineer · Engine Co")).to_be_visible()

    page.get_by_role("button", name="Edit Senior Engineer · Engine Co").click()
    page.locator("form.item-form").get_by_label("Job title").fill("Staff Engineer")
    page.locator("form.item-form").get_by_role("button", name="Save").click()
    expect(page.get_by_text("Staff Engineer · Engine Co")).to_be_visible()

    page.get_by_label("Skills (comma separated)").fill("Python, Go, Rust")
    page.get_by_role("button", name="Add skill").click()
    expect(page.get_by_role("button", name="Remove Rust")).to_be_visible()
    page.get_by_role("button", name="Move Go earlier").click()
    expect(page.get_by_role("button", name="Move Python earlier")).to_be_visible()
    page.get_by_role("button", name="Remove Rust").click()
    expect(page.get_by_role("button", name="Remove Rust")).to_have_count(0)

    # A bad date is refused in words, next to the form.
    page.get_by_role("button", name="Add project").click()
    project = page.locator("form.item-form")
    project.get_by_label("Project name").fill("engine")
    project.get_by_label("Link").fill("not a url")
    project.get_by_label("Link").evaluate("el => el.type = 'text'")  # past the browser's check
    project.get_by_role("button", name="Add project").click()
    expect(project.get_by_role("alert")).to_contain_text("url")
    project.get_by_role("button", name="Cancel").click()
    expect(page.get_by_test_id("completeness")).not_to_have_text(before)
    assert_accessible(page, "profile")

    token = stored_session(page)["access"]
    profile = call(serve.base, "GET", "/api/v1/profiles/me", token)[1]
    assert profile["professional_summary"] == "Engineer who likes hard problems."
    [experience] = profile["experiences"]
    assert experience["title"] == "Staff Engineer"
    assert experience["achievements"] == ["Cut p99 latency by 40%", "Mentored four engineers"]
    assert [s["name"] for s in profile["skills"]["technical"]] == ["Go", "Python"]

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete Staff Engineer · Engine Co").click()
    expect(page.get_by_text("Staff Engineer · Engine Co")).to_have_count(0)
    assert call(serve.base, "GET", "/api/v1/profiles/me", token)[1]["experiences"] == []

    page.get_by_role("link", name="History").click()
    expect(page.get_by_test_id("history")).to_contain_text("Experience Removed")
    assert_accessible(page, "history")


def test_jobs_list_search_and_board_are_accessible(serve: Serve, page: Page) -> None:
    sign_up(page, serve.base)
    page.get_by_role("link", name="Jobs").click()
    assert_accessible(page, "jobs, empty")
    page.get_by_label("Posting text").fill(POSTING)
    page.get_by_role("button", name="Read the posting").click()
    expect(page.get_by_label("Title")).to_have_value("Senior Backend Engineer")
    assert_accessible(page, "job")
    page.get_by_role("button", name="Save to my board").click()
    expect(page.get_by_text("On your board as")).to_be_visible()
    page.get_by_role("link", name="Jobs", exact=True).click()
    page.get_by_label("Search jobs").fill("k8s")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Senior Backend Engineer")).to_be_visible()
    page.get_by_label("Search jobs").fill("haskell")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("No job matches that search.")).to_be_visible()
    assert_accessible(page, "jobs")
    page.get_by_role("link", name="Board", exact=True).click()
    expect(page.locator("[data-status=interested] .board-card")).to_have_count(1)
    assert_accessible(page, "board")


@pytest.mark.parametrize("width", [390])
def test_phone_width_has_no_sideways_scroll(
    serve: Serve, context: BrowserContext, page: Page, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 844})
    sign_up(page, serve.base)
    for screen in ("#/profile", "#/jobs", "#/board"):
        page.goto(f"{serve.base}/{screen}")
        page.get_by_role("heading", level=1).first.wait_for()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{screen} scrolls sideways by {overflow}px at {width}px"
    assert_accessible(page, "board at phone width")


def test_a_reload_keeps_the_session_and_rotates_the_refresh_token(serve: Serve, page: Page) -> None:
    sign_up(page, serve.base)
    first = stored_session(page)
    # An access token past its time: the page must refresh before it asks anything.
    page.evaluate(
        "() => { const s = JSON.parse(localStorage.getItem('jobwise.session'));"
        " s.expiresAt = 0; localStorage.setItem('jobwise.session', JSON.stringify(s)); }"
    )
    page.reload()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_label("Full name")).to_be_visible()
    second = stored_session(page)
    assert second["refresh"] != first["refresh"] and second["access"] != first["access"]
    # The old refresh token is spent: presenting it again is refused.
    status, _ = call(
        serve.base, "POST", "/api/v1/auth/refresh", body={"refresh_token": first["refresh"]}
    )
    assert status == 401
    # That also ended the session (a used refresh token revokes it): the page, asked
    # again, finds itself signed out and says so by showing the log-in form.
    page.reload()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()


def test_logging_in_again_after_logging_out(serve: Serve, page: Page) -> None:
    email = sign_up(page, serve.base)
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in to JobWise")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("Wrong-Horse-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "{" not in page.get_by_role("alert").inner_text()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_starting_again_from_a_json_resume_makes_it_the_active_profile(
    serve: Serve, page: Page
) -> None:
    sign_up(page, serve.base)
    page.get_by_label("Full name").fill("Ada Lovelace")
    page.get_by_role("button", name="Create profile").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
    page.get_by_text("Start again from a JSON Resume").click()
    page.get_by_label("JSON Resume file").set_input_files(str(RESUME))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Kyle Oliver", level=1)).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Kyle Oliver", level=1)).to_be_visible()
    token = stored_session(page)["access"]
    mine = call(serve.base, "GET", "/api/v1/profiles", token)[1]["items"]
    assert sorted(p["personal_info"]["full_name"] for p in mine) == ["Ada Lovelace", "Kyle Oliver"]
    assert page.title() == "Profile · JobWise"


def tab_to(page: Page, name: str, limit: int = 40) -> None:
    """Press Tab until the focused control is the one labelled ``name`` (as a keyboard
    user would), failing if it is never reached."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement;"
            " return (e.labels && e.labels[0] ? e.labels[0].innerText : e.innerText || '').trim() }"
        )
        if focused.rstrip(" *") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_signing_up_and_saving_a_job_by_keyboard_alone(serve: Serve, page: Page) -> None:
    page.goto(serve.base + "/")
    tab_to(page, "Create an account")
    page.keyboard.press("Enter")
    tab_to(page, "Full name")
    page.keyboard.type("Grace Hopper")
    tab_to(page, "Email")
    page.keyboard.type(new_email())
    tab_to(page, "Password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")  # submits the form
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    tab_to(page, "Jobs")
    page.keyboard.press("Enter")
    tab_to(page, "Posting text")
    page.keyboard.insert_text(POSTING)
    tab_to(page, "Read the posting")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Title")).to_have_value("Senior Backend Engineer")
    tab_to(page, "Save to my board")
    page.keyboard.press("Enter")
    expect(page.get_by_text("On your board as")).to_be_visible()
    token = stored_session(page)["access"]
    [saved] = call(serve.base, "GET", "/api/v1/saved-jobs", token)[1]["items"]
    assert saved["status"] == "interested"


def test_a_running_generation_is_cancelled_from_its_page(serve: Serve, page: Page) -> None:
    # Set up through the API, as another client of the same account would.
    status, pair = call(
        serve.base,
        "POST",
        "/api/v1/auth/register",
        body={"email": new_email(), "password": PASSWORD, "full_name": "Kyle Oliver"},
    )
    assert status == 201
    token = pair["access_token"]
    resume = {"format": "json-resume", "data": json.loads(RESUME.read_text("utf-8"))}
    profile = call(serve.base, "POST", "/api/v1/profiles/import", token, resume)[1]
    job = call(serve.base, "POST", "/api/v1/jobs", token, {"source": "web", "raw_text": POSTING})[1]
    generation = call(
        serve.base,
        "POST",
        "/api/v1/generations/resume",
        token,
        {"profile_id": profile["id"], "job_id": job["id"]},
    )[1]
    # The page takes the same tokens, as if it had logged in itself.
    session = {
        "access": token,
        "refresh": pair["refresh_token"],
        "expiresAt": 4_000_000_000_000,
        "user": pair["user"],
    }
    page.goto(serve.base + "/")
    page.evaluate("s => localStorage.setItem('jobwise.session', JSON.stringify(s))", session)
    page.goto(f"{serve.base}/#/generations/{generation['id']}")
    page.reload()  # a hash change alone keeps the page (and its signed-out state)
    expect(page.get_by_test_id("stages")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_test_id("generation-status")).to_have_text("cancelled")
    ended = call(serve.base, "GET", f"/api/v1/generations/{generation['id']}", token)[1]
    assert ended["status"] == "cancelled"


def test_a_generation_needing_review_shows_each_repair_in_words(
    serve: Serve, page: Page, fake_llm: FakeOpenAI
) -> None:
    # A model that invents an employer, lists the company applied to as one, inflates a
    # metric and claims a skill: each repair must read as a sentence on the page.
    liar = LyingModel("invented_employer")
    fake_llm.responder = liar
    try:
        status, pair = call(
            serve.base,
            "POST",
            "/api/v1/auth/register",
            body={"email": new_email(), "password": PASSWORD, "full_name": "Kyle Oliver"},
        )
        assert status == 201
        token = pair["access_token"]
        resume = {"format": "json-resume", "data": json.loads(RESUME.read_text("utf-8"))}
        profile = call(serve.base, "POST", "/api/v1/profiles/import", token, resume)[1]
        job = call(
            serve.base, "POST", "/api/v1/jobs", token, {"source": "web", "raw_text": POSTING}
        )[1]
        body = {"profile_id": profile["id"], "job_id": job["id"]}
        generation = call(serve.base, "POST", "/api/v1/generations/resume", token, body)[1]
        done = wait_for_end(serve.base, token, generation["id"])
    finally:
        fake_llm.responder = lambda request: Reply.delay(
            LLM_DELAY_SECONDS, then=resume_answer(request)
        )
    assert done["status"] == "needs_review", done
    session = {
        "access": token,
        "refresh": pair["refresh_token"],
        "expiresAt": 4_000_000_000_000,
        "user": pair["user"],
    }
    page.goto(serve.base + "/")
    page.evaluate("s => localStorage.setItem('jobwise.session', JSON.stringify(s))", session)
    page.goto(f"{serve.base}/#/generations/{generation['id']}")
    page.reload()
    repairs = page.get_by_test_id("repairs")
    expect(repairs).to_be_visible()
    items = repairs.locator("li")
    expect(items).to_have_count(len(done["removed"]))
    texts = items.all_inner_texts()
    invented = (liar.told[0].marker or "").split(",")[-1].strip()
    assert any(invented in t and "was taken out" in t for t in texts), (invented, texts)
    assert all(re.search(r"was (taken out|replaced|put back|written again)", t) for t in texts)
    assert not any("undefined" in t or "null" in t for t in texts), texts
    assert_accessible(page, "generation repairs")


def wait_for_end(base: str, token: str, generation_id: str) -> dict[str, Any]:
    for _ in range(600):
        found = call(base, "GET", f"/api/v1/generations/{generation_id}", token)[1]
        if found["status"] in ("completed", "needs_review", "failed", "cancelled"):
            return dict(found)
        time.sleep(0.1)
    raise AssertionError(f"generation {generation_id} did not end")
