"""The timeline's time axis (atlas/render/timeline.py): how each date is drawn, and the axis."""
from __future__ import annotations

import re
from datetime import date

from atlas.analysis.views import Dated
from atlas.render import timeline


def test_each_precision_is_drawn_its_own_way():
    assert timeline.kind({"date": {"value": "2020-01-09", "precision": "day"}}) == "day"
    assert timeline.kind({"date": {"value": "2020-01"}}) == "month"
    assert timeline.kind({"date": {"value": "2020"}}) == "year"
    assert timeline.kind({"date": {"earliest": "2019-04", "latest": "2020-01"}}) == "bounds"
    assert timeline.kind({"date": {"value": "2019-04"}, "until": {"value": "2020-01"}}) == "period"
    assert timeline.kind({"date": {"value": "2019-04"}, "ongoing": True}) == "period"


def test_rows_link_to_their_entries_intervals_span_their_days_and_open_sides_get_arrows():
    day = Dated("a-day", ("2020-01-09", "2020-01-09"), None, False)
    month = Dated("a-month", ("2020-03-01", "2020-03-31"), None, False)
    open_start = Dated("open-start", (None, "2020-02-29"), None, False)
    ongoing = Dated("ongoing", ("2020-02-01", "2020-02-29"), None, True)
    html = str(timeline.figure([(day, "Day <b>x</b>", "day"), (month, "Month", "month"),
                                (open_start, "Open", "bounds"), (ongoing, "Ongoing", "period")]))
    assert re.findall(r'<a href="#t-([a-z-]+)">', html) == ["a-day", "a-month", "open-start", "ongoing"]
    assert "<title>1. Day &lt;b&gt;x&lt;/b&gt;</title>" in html  # contributor text escaped
    axis = timeline.Axis(date(2020, 1, 1), date(2020, 3, 31))
    bar = re.search(r'<rect class="atlas-tl-bar atlas-tl-month" x="([\d.]+)" y="[\d.-]+" width="([\d.]+)"', html)
    assert float(bar.group(1)) == axis.x(date(2020, 3, 1))
    assert abs(float(bar.group(1)) + float(bar.group(2)) - axis.x(date(2020, 3, 31), end=True)) < 0.11
    assert html.count('class="atlas-tl-open"') == 2  # the open start and the ongoing end
    assert html == str(timeline.figure([(day, "Day <b>x</b>", "day"), (month, "Month", "month"),
                                        (open_start, "Open", "bounds"), (ongoing, "Ongoing", "period")]))


def test_a_long_span_gets_a_closer_drawing_of_its_densest_year():
    entries = [Dated("old", ("2011-01-01", "2011-12-31"), None, False)]
    entries += [Dated(f"new-{n}", (f"2020-0{n}-01", f"2020-0{n}-01"), None, False) for n in range(1, 6)]
    assert timeline.densest_year(entries) == (date(2020, 1, 1), date(2020, 12, 31))
    html = str(timeline.figure([(e, e.claim, "day") for e in entries]))
    assert html.count("<figure") == 2
    closer = html[html.index("<figure", 10):]
    assert "#t-old" not in closer and closer.count('<a href="#t-new-') == 5
