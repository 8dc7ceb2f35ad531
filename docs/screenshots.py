"""The README's screenshots of the officer workspace, in Russian, over the demo data.

    PYTHONPATH=. .venv/bin/python docs/screenshots.py

Loads the demo into a throwaway database (as the tests do), runs its anomaly scan, serves
the app on 127.0.0.1 and photographs with Debian's Chromium: the workspace's task list, a
contract's record page, the anomaly list and the dashboard, into docs/*.png.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from inventory.services import demo
from tests.browser import launch, offline
from tests.live_server import serving

HERE = Path(__file__).parent
VIEWPORT = {"width": 1280, "height": 860}


class _Folders:
    """What serving() asks of pytest's tmp_path_factory."""

    def mktemp(self, name: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=name))


def _fill(session) -> None:
    demo.load_demo(session, password="demo")
    demo.scan_demo(session)


def main() -> None:
    with serving(_fill, _Folders(), settings={"BASEMAP_URL": "none"}) as served:
        with sync_playwright() as p:
            browser = launch(p)
            page = offline(browser.new_context(viewport=VIEWPORT).new_page())
            page.set_default_timeout(60_000)
            page.goto(f"{served.base}/auth/login?lang=ru&next=/office/")
            page.fill("input[name=username]", "officer-osh")
            page.fill("input[name=password]", "demo")
            page.click("section.sign-in form button[type=submit]")
            page.wait_for_url("**/office/")
            page.screenshot(path=HERE / "office-home.png")
            page.click(".task-ending .task-items a")
            page.wait_for_url("**/office/contracts/*")
            page.screenshot(path=HERE / "office-record.png")
            page.click("nav.site-nav a.nav-flags")
            page.wait_for_url("**/audit/flags")
            page.screenshot(path=HERE / "audit-flags.png")
            page.click("nav.site-nav a.nav-dashboard")
            page.wait_for_url("**/audit/dashboard")
            page.screenshot(path=HERE / "audit-dashboard.png")
            browser.close()


if __name__ == "__main__":
    main()
