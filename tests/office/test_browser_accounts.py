"""Accounts in a real Chromium, in Kyrgyz and in Russian, on a desktop and on a 390×844
phone: an administrator creates an officer; the officer signs in, changes the password
and signs out, after which a copy of the old cookie no longer opens the workspace; the
administrator moves the account to another city, sets a new password and deactivates
it, after which it cannot sign in. Every page walked is checked as tests/office/walks.py
says (language, no codes, axe-core, width, console)."""

from __future__ import annotations

import shutil

import pytest

from tests import factories as f
from tests.browser import CHROMIUM
from tests.live_server import serving
from tests.office import walks
from tests.office.walks import WALKS, checked, said

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed"),
]
ADMIN_PASSWORD = "correct horse 42"
FIRST = "Juniper-Harbour-Sleet-4"
SECOND = "Saffron-Lantern-Orbit-9"
THIRD = "Copper-Meadow-Quartz-7"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    def fill(session):
        f.municipality(session, "osh", name_ky="Ош", name_ru="Ош")
        f.municipality(
            session, "jalal-abad", name_ky="Жалал-Абад", name_ru="Джалал-Абад", centre=f.JALAL_ABAD
        )
        f.user(session, "admin", username="chief", password=ADMIN_PASSWORD)

    with serving(fill, tmp_path_factory, settings={"BASEMAP_URL": "none"}) as served:
        yield served.base


@pytest.fixture(scope="module")
def chromium():
    yield from walks.browser(playwright_api)


def _flash(page) -> str:
    return page.locator(".flash").inner_text().strip()


@pytest.mark.parametrize("walk", WALKS)
def test_an_account_from_creation_to_deactivation(live, chromium, walk, request):
    (language, viewport), base = walk, live
    username = f"b.osmonov.{request.node.callspec.id}"
    page = walks.open_page(chromium, viewport)
    walks.sign_in(page, base, "chief", language, ADMIN_PASSWORD)
    page.wait_for_url("**/office/")
    page.click(".user-menu a.nav-users")
    page.wait_for_url("**/office/users")
    checked(page, language, "users")
    form = page.locator("form#new-user")
    form.locator("input[name=username]").fill(username)
    form.locator("select[name=role]").select_option("officer")
    form.locator("select[name=municipality]").select_option("osh")
    form.locator("input[name=full_name]").fill("Осмонов Бакыт")
    form.locator("input[name=password]").fill(FIRST)
    form.locator("input[name=confirmation]").fill(FIRST)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/office/users")
    assert _flash(page) == said(
        language, "The account %(username)s was created.", username=username
    )
    checked(page, language, "account created")

    mine = walks.open_page(chromium, viewport)
    walks.sign_in(mine, base, username, language, FIRST)
    mine.wait_for_url("**/office/")
    mine.click(".user-menu a.nav-password")
    mine.wait_for_url("**/auth/password")
    checked(mine, language, "password form")
    mine.fill("input[name=current_password]", FIRST)
    mine.fill("input[name=password]", SECOND)
    mine.fill("input[name=confirmation]", SECOND)
    mine.click("section.sign-in form button[type=submit]")
    mine.wait_for_url("**/auth/password")
    changed = "Your password is changed. Other devices and API tokens are signed out."
    assert _flash(mine) == said(language, changed)
    checked(mine, language, "password changed")
    old_cookies = mine.context.cookies()
    mine.click(".user-menu form.sign-out button")
    mine.wait_for_url("**/auth/login**")
    assert mine.locator(".user-menu").count() == 0
    checked(mine, language, "signed out")

    # Someone who copied the cookie before the sign-out gets the sign-in page.
    thief = walks.open_page(chromium, viewport)
    thief.context.add_cookies(old_cookies)
    thief.goto(f"{base}/office/")
    assert "/auth/login" in thief.url
    thief.context.close()

    page.click(f"table.users a:text-is('{username}')")
    page.wait_for_url("**/office/users/*")
    checked(page, language, "account")
    page.select_option("form#account select[name=municipality]", "jalal-abad")
    page.click("form#account button[type=submit]")
    page.wait_for_url("**/office/users/*")
    assert _flash(page) == said(language, "The account was saved.")
    assert page.locator("form#account select[name=municipality]").input_value() == "jalal-abad"
    page.fill("form#reset-password input[name=password]", THIRD)
    page.fill("form#reset-password input[name=confirmation]", THIRD)
    page.click("form#reset-password button[type=submit]")
    page.wait_for_url("**/office/users/*")
    reset = "The new password is set; the account's sessions and API tokens ended."
    assert _flash(page) == said(language, reset)
    page.click("form#activity button[type=submit]")
    page.wait_for_url("**/office/users/*")
    assert _flash(page) == said(language, "The account was deactivated.")
    checked(page, language, "account deactivated")
    page.goto(f"{base}/office/users")
    row = page.locator("table.users tr", has=page.locator(f"a:text-is('{username}')"))
    assert said(language, "deactivated") in row.inner_text()
    assert "Джалал-Абад" in row.inner_text() or "Жалал-Абад" in row.inner_text()
    checked(page, language, "users after")

    walks.sign_in(mine, base, username, language, THIRD)
    mine.wait_for_selector("p.error")
    assert mine.locator("p.error").inner_text() == said(language, "Wrong username or password.")
    assert "/auth/login" in mine.url
    # The refusal is answered 401, which Chromium logs; nothing else may be logged.
    assert [m for m in mine.console if "401" not in m] == []
    mine.console.clear()
    checked(mine, language, "refused")
    mine.context.close()
    page.context.close()
