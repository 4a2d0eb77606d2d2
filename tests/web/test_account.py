"""The account page: "Download my data" saves the ZIP export; "Delete my account" asks
for the password and the word DELETE before it erases anything (``DELETE /api/v1/me``),
then signs out; a wrong password is said and erases nothing.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Serve, call
from tests.web.conftest import PASSWORD, assert_accessible, sign_up


def open_account(page: Page, base: str) -> str:
    email = sign_up(page, base)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", name="My account", exact=True)).to_be_visible()
    return email


def test_download_my_data_saves_the_zip_export(serve: Serve, page: Page) -> None:
    email = open_account(page, serve.base)
    assert_accessible(page, "account")
    with page.expect_download() as started:
        page.get_by_role("button", name="Download my data").click()
    download = started.value
    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        account = json.loads(archive.read("account.json"))
        assert {"README.txt", "manifest.json", "events.jsonl"} <= set(archive.namelist())
    assert account["email"] == email
    expect(page.get_by_role("status")).to_contain_text("downloaded")


def test_the_delete_dialog_needs_the_password_and_the_word(serve: Serve, page: Page) -> None:
    open_account(page, serve.base)
    page.get_by_role("button", name="Delete my account…").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    assert_accessible(page, "account deletion dialog")
    confirm = dialog.get_by_role("button", name="Delete my account")
    expect(confirm).to_be_disabled()
    dialog.get_by_label("Your password").fill(PASSWORD)
    expect(confirm).to_be_disabled()
    dialog.get_by_label("Type DELETE to confirm").fill("delete")
    expect(confirm).to_be_disabled()  # the word exactly, not near enough
    dialog.get_by_label("Type DELETE to confirm").fill("DELETE")
    expect(confirm).to_be_enabled()
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_a_wrong_password_is_said_and_deletes_nothing(serve: Serve, page: Page) -> None:
    email = open_account(page, serve.base)
    page.get_by_role("button", name="Delete my account…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Your password").fill("Wrong-Horse-1")
    dialog.get_by_label("Type DELETE to confirm").fill("DELETE")
    dialog.get_by_role("button", name="Delete my account").click()
    expect(dialog.get_by_role("alert")).to_contain_text("password is not right")
    status, _body = call(
        serve.base, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD}
    )
    assert status == 200


def test_deleting_the_account_signs_out_and_says_farewell(serve: Serve, page: Page) -> None:
    email = open_account(page, serve.base)
    page.get_by_role("button", name="Delete my account…").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Your password").fill(PASSWORD)
    dialog.get_by_label("Type DELETE to confirm").fill("DELETE")
    dialog.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account was deleted")).to_be_visible()
    assert page.evaluate("localStorage.getItem('jobwise.session')") is None
    status, _body = call(
        serve.base, "POST", "/api/v1/auth/login", body={"email": email, "password": PASSWORD}
    )
    assert status == 401
