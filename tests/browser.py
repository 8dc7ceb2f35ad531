"""What the browser tests share: Debian's Chromium, and pages that may reach the app only."""

from __future__ import annotations

import shutil
from pathlib import Path
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


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
#: What axe-core checks: WCAG 2.0 and 2.1, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the page, one line each
    ("rule: target, target"). The page's context needs `bypass_csp=True`: axe is added
    as a script the page's policy does not name."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id,"
        " impact: v.impact, targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))",
        AXE_TAGS,
    )
    return [
        f"{v['id']}: {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def scrolls_sideways(page) -> bool:
    """Whether the page is wider than its window (a phone user would scroll sideways). An
    emulated phone browser widens its window to a page too wide for it, so the width is
    compared with the window asked for (the page's viewport) as well."""
    width = page.evaluate("document.scrollingElement.scrollWidth")
    asked = page.viewport_size["width"] if page.viewport_size else width
    return width > asked or page.evaluate("document.scrollingElement.scrollWidth > innerWidth")


def console_errors(page) -> list[str]:
    """Console errors of `page` from now on, kept in the list returned."""
    found: list[str] = []
    page.on("console", lambda message: message.type == "error" and found.append(message.text))
    return found


def browser(playwright_api):
    """One headless Chromium (a module-scoped fixture yields from this)."""
    with playwright_api.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def open_page(chromium, viewport):
    """A page in a context of its own (its own cookies) that may reach the app only, its
    console errors kept in `page.console` and its script errors in `page.errors`."""
    phone = viewport["width"] < 600
    context = chromium.new_context(
        viewport=viewport, bypass_csp=True, is_mobile=phone, has_touch=phone
    )
    context.set_default_timeout(30_000)
    page = offline(context.new_page())
    page.console = console_errors(page)
    return page
