"""The whole journey in a browser: sign up, start the profile from a PDF resume (its draft
checked and corrected beside the file), paste a job, generate a resume while its five
stages arrive live (the socket cut in the middle and resumed), read the result, download
the PDF, and move the job along the board; each step read back through the API."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, WebSocket, expect

from tests.e2e.conftest import Serve, call
from tests.web.conftest import (
    POSTING,
    RESUMES,
    assert_accessible,
    read_resume,
    sign_up,
    stored_session,
)

STAGES = [
    "analyzing_job",
    "compiling_profile",
    "generating_content",
    "validating_quality",
    "exporting",
]


def subscriptions_sent(page: Page) -> list[dict[str, Any]]:
    """Every ``subscribe`` message the page sends on any WebSocket, in order."""
    sent: list[dict[str, Any]] = []

    def watch(socket: WebSocket) -> None:
        def on_frame(payload: str | bytes) -> None:
            message = json.loads(payload)
            if message.get("type") == "subscribe":
                sent.append(message)

        socket.on("framesent", on_frame)

    page.on("websocket", watch)
    return sent


def updates_shown(page: Page) -> list[dict[str, str]]:
    shown: list[dict[str, str]] = page.locator("[data-testid=updates] li").evaluate_all(
        "items => items.map(li => ({seq: li.dataset.seq, type: li.dataset.type,"
        " stage: li.dataset.stage, status: li.dataset.stageStatus}))"
    )
    return shown


def test_from_sign_up_to_a_downloaded_pdf_and_a_board_move(serve: Serve, page: Page) -> None:
    base = serve.base
    subscribed = subscriptions_sent(page)

    # 1. Sign up, and stay signed in across a reload.
    sign_up(page, base, name="Ada Lovelace")
    page.reload()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # 2. Start from a PDF resume: its draft is checked beside the file and corrected,
    # then becomes the profile, the completeness score beside it.
    read_resume(page, RESUMES / "modern.pdf")
    expect(page.get_by_test_id("source-file")).to_be_visible()
    experience = page.get_by_role("group", name="Experience 1", exact=True)
    expect(experience.get_by_label("Company")).not_to_have_value("")
    title = experience.get_by_label("Job title").input_value()
    experience.get_by_label("Company").fill("Engine Company")
    page.get_by_role("button", name="Create my profile").click()
    expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
    expect(page.get_by_text(f"{title} · Engine Company")).to_be_visible()
    expect(page.get_by_test_id("completeness")).to_contain_text("/ 100")
    token = stored_session(page)["access"]
    status, profile = call(base, "GET", "/api/v1/profiles/me", token)
    assert status == 200 and profile["experiences"][0]["company"] == "Engine Company", profile

    # 3. Paste a posting; what was read is shown, and an edit is stored.
    page.get_by_role("link", name="Jobs").click()
    page.get_by_label("Where you found it").fill("web")
    page.get_by_label("Posting text").fill(POSTING)
    page.get_by_role("button", name="Read the posting").click()
    expect(page.get_by_label("Title")).to_have_value("Senior Backend Engineer")
    expect(page.get_by_label("Location")).to_have_value("Berlin, Germany")
    expect(page.get_by_label("Work arrangement")).to_have_value("hybrid")
    expect(page.get_by_label("Salary")).to_have_value("€85,000 – €105,000 a year")
    expect(page.get_by_test_id("job-skills")).to_contain_text("Kubernetes")
    expect(page.get_by_label("Requirements")).not_to_have_value("")
    job_id = page.url.rsplit("/", 1)[-1]
    page.get_by_label("Company").fill("Acme Robotics GmbH")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    assert call(base, "GET", f"/api/v1/jobs/{job_id}", token)[1]["company"] == "Acme Robotics GmbH"

    # 4. Generate; the stages arrive live; cut the socket in the third and resume.
    page.get_by_label("Tone").select_option("concise")
    page.get_by_role("button", name="Generate").click()
    third = page.locator("[data-testid=stages] [data-stage=generating_content]")
    expect(third).to_have_attribute("data-state", "started")
    generation_id = page.url.rsplit("/", 1)[-1]
    running = call(base, "GET", f"/api/v1/generations/{generation_id}", token)[1]
    assert running["status"] == "generating"  # shown while it runs, not after
    seen_before_drop = page.evaluate("window.__jobwise.watch.lastSeq")
    page.evaluate("window.__jobwise.dropSocket()")
    assert_accessible(page, "generation progress")
    expect(page.get_by_test_id("generation-status")).to_have_text("completed", timeout=60_000)

    shown = updates_shown(page)
    seqs = [int(u["seq"]) for u in shown]
    assert seqs == list(range(1, len(seqs) + 1)), shown  # nothing lost, nothing twice
    started = [u["stage"] for u in shown if u["status"] == "started"]
    completed = [u["stage"] for u in shown if u["status"] == "completed"]
    assert started == STAGES and completed == STAGES, shown
    assert shown[-1]["type"] == "generation.completed"
    assert len(subscribed) >= 2, subscribed
    assert subscribed[0]["after"] == 0
    assert subscribed[1] == {
        "type": "subscribe",
        "generation_id": generation_id,
        "after": seen_before_drop,
    }
    assert seen_before_drop > 0

    # 5. The result: scores, keywords, a preview, the PDF.
    expect(page.get_by_test_id("match-score")).to_contain_text("%")
    expect(page.get_by_test_id("ats-score")).to_contain_text("%")
    expect(page.get_by_test_id("matched")).not_to_be_empty()
    preview = page.frame_locator("[data-testid=preview]")
    expect(preview.locator("body")).to_contain_text("Ada Lovelace")
    assert_accessible(page, "generation result")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download PDF").click()
    pdf = downloading.value
    assert pdf.suggested_filename.endswith(".pdf")
    assert Path(pdf.path()).read_bytes()[:5] == b"%PDF-"
    # DOCX: downloaded where the server offers it, else its refusal shown in words.
    document_id = call(base, "GET", f"/api/v1/generations/{generation_id}", token)[1]["result"][
        "document_id"
    ]
    docx_status, refusal = call(
        base, "GET", f"/api/v1/documents/{document_id}/download?format=docx", token
    )
    if docx_status == 200:
        with page.expect_download() as downloading:
            page.get_by_role("button", name="Download DOCX").click()
        assert Path(downloading.value.path()).read_bytes()[:2] == b"PK"
    else:
        page.get_by_role("button", name="Download DOCX").click()
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text(refusal["error"]["message"])
        assert "{" not in alert.inner_text()
    page.get_by_label("Rating").select_option("4")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_text("Thank you: feedback saved.")).to_be_visible()
    feedback = call(base, "GET", f"/api/v1/generations/{generation_id}", token)[1]["feedback"]
    assert feedback["rating"] == 4

    # 6. The board: save the job, move it by keyboard, then by drag; read back.
    page.get_by_role("link", name="Back to the job").click()
    page.get_by_role("button", name="Save to my board").click()
    expect(page.get_by_text("On your board as")).to_be_visible()
    page.get_by_role("link", name="Board", exact=True).click()
    card = page.locator(".board-card")
    expect(card).to_have_count(1)
    expect(card.get_by_role("link", name="Resume (completed)")).to_be_visible()
    card.get_by_label("Move").select_option("applied")
    card.get_by_label("Move").press("Tab")
    page.keyboard.press("Enter")  # the Move button, reached by keyboard
    expect(page.locator("[data-status=applied] .board-card")).to_have_count(1)
    card.drag_to(page.locator("[data-status=interviewing]"))
    expect(page.locator("[data-status=interviewing] .board-card")).to_have_count(1)
    status, boards = call(base, "GET", "/api/v1/saved-jobs", token)
    entry = boards["items"][0]
    assert (entry["status"], entry["job_id"]) == ("interviewing", job_id)
    assert [step["status"] for step in entry["timeline"]] == [
        "interested",
        "applied",
        "interviewing",
    ]
    assert entry["applied_at"] is not None

    # A move backwards is refused, in words.
    moved = page.locator("[data-status=interviewing] .board-card")
    moved.get_by_label("Move").select_option("interested")
    moved.get_by_role("button", name="Move").click()
    expect(page.get_by_role("alert")).to_contain_text("cannot go from interviewing to interested")

    # 7. The job's history, from the audit trail.
    page.goto(f"{base}/#/jobs/{job_id}")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_test_id("history")).to_contain_text("Job Created")

    # Regenerate, two pages this time: a new generation of the same job, its parent named.
    page.goto(f"{base}/#/generations/{generation_id}")
    page.get_by_label("Maximum pages", exact=True).last.select_option("2")
    page.get_by_role("button", name="Regenerate").click()
    expect(page).not_to_have_url(re.compile(generation_id))
    expect(page.get_by_test_id("stages")).to_be_visible()
    child_id = page.url.rsplit("/", 1)[-1]
    child = call(base, "GET", f"/api/v1/generations/{child_id}", token)[1]
    assert (child["parent_id"], child["job_id"]) == (generation_id, job_id)
    assert child["options"]["max_pages"] == 2

    # Log out: the tokens stop working.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible()
    assert call(base, "GET", "/api/v1/auth/me", token)[0] == 401
