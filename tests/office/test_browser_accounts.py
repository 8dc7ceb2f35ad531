"""Accounts in a real Chromium: an administrator creates an officer; the officer signs
in, changes the password and signs out, after which a copy of the old cookie no longer
opens the workspace; once the administrator deactivates the account, it cannot sign in."""

from __future__ import annotations

import shutil

import pytest

from tests import factories as f
from tests.browser import CHROMIUM, launch, offline
from tests.live_server import serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
ADMIN_PASSWORD = "correct horse 42"
FIRST = "Juniper-Harbour-Sleet-4"
SECOND = "Saffron-Lantern-Orbit-9"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    def fill(session):
        f.municipality(session, "osh")
        f.user(session, "admin", username="chief", password=ADMIN_PASSWORD)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base


def _sign_in(page, base, username, password):
    page.goto(f"{base}/auth/login?lang=en&next=/office/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.sign-in-form button[type=submit], section.sign-in form button")


def test_an_account_from_creation_to_deactivation(live):
    base = live
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        try:
            admin = chromium.new_context()
            admin.set_default_timeout(30_000)
            page = offline(admin.new_page())
            _sign_in(page, base, "chief", ADMIN_PASSWORD)
            page.wait_for_url("**/office/")
            page.click(".user-menu >> text=Users")
            page.wait_for_url("**/office/users")
            form = page.locator("form#new-user")
            form.locator("input[name=username]").fill("b.osmonov")
            form.locator("select[name=role]").select_option("officer")
            form.locator("select[name=municipality]").select_option("osh")
            form.locator("input[name=full_name]").fill("Осмонов Бакыт")
            form.locator("input[name=password]").fill(FIRST)
            form.locator("input[name=confirmation]").fill(FIRST)
            form.locator("button[type=submit]").click()
            page.wait_for_url("**/office/users")
            assert "b.osmonov was created" in page.locator(".flash").inner_text()
            assert page.errors == []

            officer = chromium.new_context()
            officer.set_default_timeout(30_000)
            mine = offline(officer.new_page())
            _sign_in(mine, base, "b.osmonov", FIRST)
            mine.wait_for_url("**/office/")
            mine.click(".user-menu >> text=Change my password")
            mine.wait_for_url("**/auth/password")
            mine.fill("input[name=current_password]", FIRST)
            mine.fill("input[name=password]", SECOND)
            mine.fill("input[name=confirmation]", SECOND)
            mine.click("section.sign-in form button[type=submit]")
            mine.wait_for_url("**/auth/password")
            assert "Your password is changed" in mine.locator(".flash").inner_text()
            old_cookies = officer.cookies()
            mine.click(".user-menu button:has-text('Sign out')")
            mine.wait_for_url("**/auth/login")
            assert mine.locator(".user-menu").count() == 0

            # Someone who copied the cookie before the sign-out gets the sign-in page.
            thief = chromium.new_context()
            thief.set_default_timeout(30_000)
            thief.add_cookies(old_cookies)
            stolen = offline(thief.new_page())
            stolen.goto(f"{base}/office/")
            assert "/auth/login" in stolen.url

            page.goto(f"{base}/office/users")
            page.click("text=b.osmonov")
            page.click("form#activity button[type=submit]")
            assert "The account was deactivated." in page.locator(".flash").inner_text()

            _sign_in(mine, base, "b.osmonov", SECOND)
            mine.wait_for_selector("p.error")
            assert "Wrong username or password." in mine.locator("p.error").inner_text()
            assert "/auth/login" in mine.url
            assert page.errors == [] and mine.errors == []
        finally:
            chromium.close()
