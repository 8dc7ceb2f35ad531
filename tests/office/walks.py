"""What the workspace's browser walks share: one Chromium per module, a page in Kyrgyz or
Russian on a desktop or a 390×844 phone, and the check every page walked must pass
(`<html lang>` is the language, no code on screen, axe-core finds no serious or critical
violation, nothing scrolls sideways, the console stays free of errors)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from babel.support import Translations

from tests.browser import (  # noqa: F401  (browser, open_page: the walks' own names)
    browser,
    open_page,
    scrolls_sideways,
    serious_violations,
)

PASSWORD = "correct horse 42"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
#: Every walk in Kyrgyz and in Russian, on a desktop and on a phone: (language, window).
WALKS = [
    pytest.param((language, viewport), id=f"{language}-{name}")
    for language in ("ky", "ru")
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE))
]
#: Codes the data keeps that no reader may see: municipality slugs, uses, statuses,
#: roles, rules, severities, and Python's None (case matters: "Osh" is a word in English).
CODES = (
    "osh",
    "jalal_abad",
    "jalal-abad",
    "industry",
    "greening",
    "catering",
    "trade",
    "settlements",
    "free",
    "leased",
    "reserved",
    "disputed",
    "municipal_use",
    "draft",
    "active",
    "expired",
    "auction",
    "officer",
    "auditor",
    "admin",
    "legal_entity",
    "misuse",
    "rent_below_norm",
    "critical",
    "confirmed",
    "None",
)
#: A number written the English way: 1,375.5 or 197396.41.
ENGLISH_NUMBER = re.compile(r"\b\d{1,3},\d{3}\b|\b\d+\.\d+\b")
_TRANSLATIONS = Path(__file__).parents[2] / "inventory" / "translations"


def codes_in(text: str) -> list[str]:
    """The codes of CODES that `text` shows as words of their own."""
    return [c for c in CODES if re.search(rf"(?<![\w.-]){re.escape(c)}(?![\w-])", text)]


@cache
def _catalogue(language: str) -> Translations:
    return Translations.load(str(_TRANSLATIONS), [language])


def said(language: str, message: str, **values) -> str:
    """`message` as the workspace says it in `language` (its compiled catalogue)."""
    return (
        _catalogue(language).gettext(message) % values
        if values
        else (_catalogue(language).gettext(message))
    )


def sign_in(page, base, username, language, password=PASSWORD, then="/office/"):
    page.goto(f"{base}/auth/login?lang={language}&next={then}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("section.sign-in form button[type=submit]")


def too_wide(page) -> bool:
    """Whether the page is wider than its window. A phone browser widens its window to a
    page too wide for it, so the width is also compared with the window asked for."""
    wide = page.evaluate("document.scrollingElement.scrollWidth") > page.viewport_size["width"]
    return scrolls_sideways(page) or wide


def checked(page, language: str, what: str) -> str:
    """The page is in `language`, shows no code, passes axe-core, fits the window and
    logged no error; its visible text is returned."""
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == language, what
    text = page.locator("body").inner_text()
    assert codes_in(text) == [], (what, codes_in(text))
    found = serious_violations(page)
    assert found == [], (what, found)
    assert not too_wide(page), (what, "scrolls sideways")
    assert page.console == [] and page.errors == [] and page.blocked == [], (
        what,
        page.console,
        page.errors,
        page.blocked,
    )
    return text
