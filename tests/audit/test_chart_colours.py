"""The dashboard's charts take every colour from the design tokens (tokens.css), with AA
contrast on the page's surface, and name the months in the page's language."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import html

from inventory import models as m
from inventory.services.schedule import rebuild
from tests import factories as f
from tests.audit.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
TOKENS = ROOT / "inventory" / "static" / "css" / "tokens.css"
AUDIT_CSS = ROOT / "inventory" / "audit" / "static" / "audit.css"
#: Declarations that paint: each must be var(--a-token).
PAINT = ("fill", "stroke", "background", "background-color", "color", "border-color")
COLOUR_LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(")


def tokens() -> dict[str, str]:
    """tokens.css as {name: value}, a value that refers to another token resolved."""
    found = dict(re.findall(r"(--[\w-]+)\s*:\s*([^;]+);", TOKENS.read_text()))

    def resolve(value: str) -> str:
        ref = re.fullmatch(r"var\((--[\w-]+)\)", value.strip())
        return resolve(found[ref.group(1)]) if ref else value.strip()

    return {name: resolve(value) for name, value in found.items()}


def chart_rules() -> list[tuple[str, str, str]]:
    """(selector, property, value) of audit.css's rules for the charts and their legend."""
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", AUDIT_CSS.read_text()):
        selector = re.sub(r"/\*.*?\*/", "", selectors, flags=re.S).strip()
        if ".chart" in selector or "series-" in selector:
            for prop, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
                rules.append((selector, prop, value.strip()))
    return rules


def luminance(colour: str) -> float:
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.fixture()
def dashboard(client, db_session, osh, people, flagged):
    """The 2025 dashboard of Osh with rent due and paid and a flag, as the auditor sees it."""
    contract = f.contract(
        db_session,
        f.parcel(db_session, osh),
        rent_amount=Decimal("1200"),
        rent_period=m.RentPeriod.MONTH,
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2025, 12, 31),
    )
    rebuild(db_session, [contract.id])
    f.payment(db_session, contract, paid_on=dt.date(2025, 2, 5), amount=Decimal("1200"))
    sign_in(client, people["auditor"])

    def page(language: str):
        response = client.get(f"/audit/dashboard?municipality=osh&year=2025&lang={language}")
        assert response.status_code == 200
        return html.fromstring(response.get_data(as_text=True))

    return page


def test_every_chart_colour_is_a_design_token(dashboard):
    known = tokens()
    rules = chart_rules()
    painted = {(selector, prop): value for selector, prop, value in rules if prop in PAINT}
    assert painted, "audit.css paints the charts"
    for (selector, prop), value in painted.items():
        ref = re.fullmatch(r"var\((--[\w-]+)\)", value)
        assert ref and ref.group(1) in known, f"{selector} {{ {prop}: {value} }} is not a token"

    page = dashboard("en")
    charts = page.xpath("//svg[contains(@class, 'chart')]")
    assert len(charts) == 2
    for chart in charts:
        for node in chart.iter():
            colours = [node.get(a) for a in ("fill", "stroke", "style", "color") if node.get(a)]
            assert not colours, f"<{node.tag}> paints itself {colours}; use a --chart-* token"
        bars = chart.xpath(".//rect")
        assert bars
        for bar in bars:
            series = [c for c in bar.get("class", "").split() if c.startswith("series-")]
            assert series and any(f".{series[0]}" in s for s, _p, _v in rules), bar.get("class")
    legend = page.xpath("//p[@class='legend']//span[contains(@class, 'swatch')]")
    assert [s.get("class") for s in legend] == ["swatch series-expected", "swatch series-collected"]
    assert not COLOUR_LITERAL.search(
        "".join(s.get("style", "") for s in page.xpath("//*[@style]") if s.xpath("ancestor::svg"))
    )


def test_chart_colours_reach_aa_contrast_on_the_page(dashboard):
    known = tokens()
    surface = known["--surface"]
    for series in ("--chart-expected", "--chart-collected", "--chart-flags"):
        assert contrast(known[series], surface) >= 3, series  # graphics: WCAG 1.4.11
    assert contrast(known["--chart-text"], surface) >= 4.5  # text: WCAG 1.4.3


@pytest.mark.parametrize(("language", "january"), [("en", "Jan"), ("ru", "янв."), ("ky", "Янв")])
def test_the_months_are_named_in_the_pages_language(dashboard, language, january):
    page = dashboard(language)
    labels = page.xpath("//svg[contains(@class, 'chart')][1]//text[@text-anchor='middle']/text()")
    assert len(labels) == 12 and labels[0] == january
