"""Completions over time as a small, accessible, server-rendered SVG bar chart.

No JavaScript and no library: the SVG is a few hundred bytes per bar, carries a
``<title>`` and ``<desc>`` (read by screen readers through ``aria-labelledby``), labels
both axes, and the template shows the same numbers in a ``<table>`` beside it. Pure:
it takes the series from ``cohorts.reports`` and returns markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

__all__ = ["ChartPoint", "completions_chart", "nice_ceiling"]

WIDTH = 640
HEIGHT = 240
MARGIN_START = 44  # room for the value labels
MARGIN_END = 8
MARGIN_TOP = 12
MARGIN_BOTTOM = 40  # room for the date labels and the axis title
MAX_DATE_LABELS = 8


@dataclass(frozen=True, slots=True)
class ChartPoint:
    """One bar: the period starting on ``start`` (a day or a week) and its completions."""

    start: date
    count: int


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50... that is at least ``value`` (at least 1),
    so the axis ends on a round number."""
    ceiling = 1
    while True:
        for step in (1, 2, 5):
            if ceiling * step >= value:
                return ceiling * step
        ceiling *= 10


def _ticks(ceiling: int) -> list[int]:
    """Up to five round values from 0 to ``ceiling``."""
    step = max(1, ceiling // 4) if ceiling % 4 == 0 or ceiling < 4 else max(1, ceiling // 5)
    return list(range(0, ceiling + 1, step))


def _label(point: ChartPoint, period: str) -> str:
    """"05 Jan" (days) or "05 Jan 26" (weeks), the month's abbreviation in the language."""
    return date_format(point.start, "d M" if period == "day" else "d M y")


def completions_chart(*, points: list[ChartPoint], period: str, chart_id: str = "completions"
                      ) -> SafeString:
    """The SVG of ``points`` (``period`` is "day" or "week"), or an empty string when
    there is nothing to draw. Escapes everything it prints."""
    if not points:
        return mark_safe("")
    total = sum(point.count for point in points)
    ceiling = nice_ceiling(max(point.count for point in points))
    plot_width = WIDTH - MARGIN_START - MARGIN_END
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_width / len(points)
    bar = max(1.0, slot * 0.8)
    title = _("Completions per day") if period == "day" else _("Completions per week")
    desc = ngettext(
        "%(count)d completion from %(first)s to %(last)s.",
        "%(count)d completions from %(first)s to %(last)s.", total,
    ) % {"count": total, "first": date_format(points[0].start, "SHORT_DATE_FORMAT"),
         "last": date_format(points[-1].start, "SHORT_DATE_FORMAT")}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for tick in _ticks(ceiling):
        y = MARGIN_TOP + plot_height - plot_height * tick / ceiling
        parts.append(f'<line class="grid" x1="{MARGIN_START}" x2="{WIDTH - MARGIN_END}" '
                     f'y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{MARGIN_START - 4}" y="{y + 4:.1f}" '
                     f'text-anchor="end">{number_format(tick, force_grouping=True)}</text>')
    every = max(1, -(-len(points) // MAX_DATE_LABELS))
    for index, point in enumerate(points):
        x = MARGIN_START + index * slot + (slot - bar) / 2
        height = plot_height * point.count / ceiling
        y = MARGIN_TOP + plot_height - height
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" '
                     f'height="{height:.1f}"><title>{escape(_label(point, period))}: '
                     f'{number_format(point.count, force_grouping=True)}</title></rect>')
        if index % every == 0:
            parts.append(f'<text class="tick" x="{x + bar / 2:.1f}" y="{HEIGHT - 24}" '
                         f'text-anchor="middle">{escape(_label(point, period))}</text>')
    parts.append(f'<text class="axis" x="{WIDTH / 2:.0f}" y="{HEIGHT - 4}" '
                 f'text-anchor="middle">{escape(_("Period starting"))}</text>')
    parts.append(f'<text class="axis" x="12" y="{MARGIN_TOP + plot_height / 2:.0f}" '
                 f'transform="rotate(-90 12 {MARGIN_TOP + plot_height / 2:.0f})" '
                 f'text-anchor="middle">{escape(_("Completions"))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text part is escaped above
