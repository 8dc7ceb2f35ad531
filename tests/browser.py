"""What the browser tests share: Debian's Chromium, and pages that may reach the app only."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright):
    """Headless Debian Chromium (Playwright's own browsers cannot be downloaded here)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def offline(page):
    """`page` with every request outside the app (127.0.0.1) aborted and kept in
    `page.blocked`, and script errors kept in `page.errors`, as a closed network would."""
    page.blocked, page.errors = [], []
    page.on("pageerror", lambda error: page.errors.append(str(error)))

    def gate(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            page.blocked.append(route.request.url)
            route.abort()

    page.route("**/*", gate)
    return page
