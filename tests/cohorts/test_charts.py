"""The completions chart: accessible, escaped, small, and drawn to scale (no database)."""

from datetime import date, timedelta
from xml.etree import ElementTree  # our own output, not untrusted input

from django.utils import translation

from cohorts.charts import ChartPoint, completions_chart, nice_ceiling

SVG = "{http://www.w3.org/2000/svg}"


def _weeks(counts):
    start = date(2026, 1, 5)
    return [ChartPoint(start=start + timedelta(weeks=i), count=c) for i, c in enumerate(counts)]


def test_nice_ceiling_rounds_up_to_1_2_5():
    assert [nice_ceiling(n) for n in (0, 1, 3, 7, 11, 20, 21, 499, 501)] == [
        1, 1, 5, 10, 20, 20, 50, 500, 1000]


def test_chart_is_valid_svg_with_title_desc_and_one_bar_per_period():
    svg = completions_chart(points=_weeks([2, 0, 5]), period="week")
    root = ElementTree.fromstring(  # noqa: S314
        svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "completions-title completions-desc"
    assert root.find(f"{SVG}title").text == "Completions per week"
    assert root.find(f"{SVG}desc").text == "7 completions from 2026-01-05 to 2026-01-19."
    bars = root.findall(f"{SVG}rect")
    assert [bar.find(f"{SVG}title").text for bar in bars] == [
        "05 Jan 26: 2", "12 Jan 26: 0", "19 Jan 26: 5"]
    assert "<script" not in svg and "on" not in {a[:2] for b in bars for a in b.attrib}


def test_bars_are_drawn_to_scale():
    root = ElementTree.fromstring(  # noqa: S314
        completions_chart(points=_weeks([10, 5, 0]), period="week"))
    heights = [float(bar.get("height")) for bar in root.findall(f"{SVG}rect")]
    assert heights[0] == 2 * heights[1] and heights[2] == 0
    labels = [t.text for t in root.findall(f"{SVG}text")]
    assert "Completions" in labels and "Period starting" in labels and "10" in labels


def test_a_year_of_days_stays_small_with_few_date_labels():
    points = [ChartPoint(start=date(2026, 1, 1) + timedelta(days=i), count=i % 7)
              for i in range(365)]
    svg = completions_chart(points=points, period="day")
    root = ElementTree.fromstring(  # noqa: S314
        svg)
    dated = [t for t in root.findall(f"{SVG}text") if t.get("class") == "tick"
             and not t.text.isdigit()]
    assert len(dated) <= 8
    assert len(svg.encode()) < 60_000


def test_no_points_draw_nothing():
    assert completions_chart(points=[], period="day") == ""


def test_dates_are_written_in_the_language():
    points = [ChartPoint(start=date(2026, 2, 2) + timedelta(weeks=i), count=i) for i in range(3)]
    with translation.override("fr"):
        root = ElementTree.fromstring(  # noqa: S314
            completions_chart(points=points, period="week"))
    desc = root.find(f"{SVG}desc").text
    assert "02/02/2026" in desc and "16/02/2026" in desc and "2026-02-02" not in desc
    titles = [bar.find(f"{SVG}title").text for bar in root.findall(f"{SVG}rect")]
    assert titles[0] == "02 Fév 26: 0"  # the month's French abbreviation, not "Feb"
