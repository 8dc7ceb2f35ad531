"""Bar charts drawn on the server as SVG geometry for a template (no JavaScript, no CDN):
plain numbers in, rectangles and labels out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 70, 30, 10


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: Decimal | int
    series: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str]]  # (x centre, text) under each group
    ticks: list[tuple[float, str]]  # (y, text) on the left axis
    baseline: float


def grouped_bars(
    groups: Sequence[tuple[str, Sequence[Decimal | int]]],
    tick_text: Callable[[float], str] = lambda v: f"{v:,.0f}",
) -> Chart:
    """A chart of groups of bars (e.g. months x [expected, collected]) scaled to the
    largest value, with four axis ticks written by `tick_text` (the page's number
    format)."""
    series = max((len(values) for _, values in groups), default=1)
    top = max((v for _, values in groups for v in values), default=0) or 1
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(groups), 1)
    bar_w = slot * 0.8 / series
    bars, labels = [], []
    for g, (name, values) in enumerate(groups):
        x0 = LEFT + g * slot + slot * 0.1
        for s, value in enumerate(values):
            h = float(value) / float(top) * plot_h
            bars.append(
                Bar(
                    round(x0 + s * bar_w, 1),
                    round(TOP + plot_h - h, 1),
                    round(bar_w - 1, 1),
                    round(h, 1),
                    value,
                    s,
                )
            )
        labels.append((round(LEFT + g * slot + slot / 2, 1), name))
    ticks = [
        (round(TOP + plot_h - plot_h * i / 4, 1), tick_text(float(top) * i / 4)) for i in range(5)
    ]
    return Chart(WIDTH, HEIGHT, bars, labels, ticks, TOP + plot_h)
