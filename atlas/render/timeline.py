"""The timeline's time axis: an SVG drawn at build time (no script), one row per dated claim.

Each row is drawn as the texts date it: a dot for a day; a bar over the month or year a date
names (a month solid, a year hatched: precision shows); a dashed outline over the days bounds
allow ("between … and …"); an open side runs to the edge of the axis with an arrow, as does an
ongoing period. A period (`until`) is one bar from the first day of its start to the last day of
its end. Each row is a link to its entry in the list below the figure (`#t-<claim>`), which gives
the date in words, the speakers, the sources and the quotes, each quote linking to its sentence;
the row's number is the entry's, and its title (a tooltip, and its accessible name) the claim.

The figure scrolls inside its own box on a narrow screen; its text stays at a readable size.
"""
from __future__ import annotations

from datetime import date, timedelta

from markupsafe import Markup

from ..analysis.views import Dated
from .html import formatted

WIDTH = 760  # the drawing's width in px; the axis runs from LEFT to WIDTH - RIGHT
LEFT, RIGHT, TOP, ROW = 40, 20, 34, 22
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(value: str) -> date:
    return date.fromisoformat(value)


def span(entry: Dated) -> tuple[str | None, str | None]:
    """The first and last day an entry covers (None: open on that side)."""
    last = entry.end[1] if entry.end else entry.start[1]
    return entry.start[0], (None if entry.ongoing else last)


def extent(entries: list[Dated]) -> tuple[date, date] | None:
    """The axis: from the first month any entry touches to the last, whole months."""
    days = [_day(d) for e in entries for d in (*e.start, *(e.end or ())) if d]
    if not days:
        return None
    first, last = min(days), max(days)
    end = date(last.year + (last.month == 12), last.month % 12 + 1, 1) - timedelta(days=1)
    return date(first.year, first.month, 1), end


class Axis:
    def __init__(self, first: date, last: date):
        self.first, self.last = first, last
        self.days = (last - first).days + 1

    def x(self, day: date, end: bool = False) -> float:
        """The x of a day's start (or end), rounded for stable output."""
        offset = (day - self.first).days + (1 if end else 0)
        return round(LEFT + (WIDTH - LEFT - RIGHT) * offset / self.days, 1)

    def ticks(self) -> list[tuple[float, str]]:
        """Month starts labelled 'Jan 2020', 'Feb', … up to two years; beyond, years."""
        yearly = self.days > 740
        out, day = [], self.first
        while day <= self.last:
            if not yearly:
                out.append((self.x(day), MONTHS[day.month - 1] + (f" {day.year}" if day.month == 1 or not out else "")))
            elif day.month == 1 or not out:
                out.append((self.x(day), str(day.year)))
            day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return out


def densest_year(entries: list[Dated]) -> tuple[date, date] | None:
    """The twelve months (from a month start) in which most entries start, when the whole axis
    spans more than two years: the figure then draws them again, closer."""
    bounds = extent(entries)
    if bounds is None or (bounds[1] - bounds[0]).days <= 740:
        return None
    starts = sorted(_day(e.start[0]) for e in entries if e.start[0])
    best, window = 0, None
    for first in starts:
        begin = date(first.year, first.month, 1)
        end = date(begin.year + 1, begin.month, 1) - timedelta(days=1)
        count = sum(begin <= d <= end for d in starts)
        if count > best:
            best, window = count, (begin, end)
    return window


def kind(record: dict) -> str:
    """How a claim's row is drawn: 'period' (it has an end), 'day', 'month' or 'year' (a value
    of that precision, read from the value when the record does not say), or 'bounds'."""
    if record.get("until") or record.get("ongoing"):
        return "period"
    value = record["date"]
    if not value.get("value"):
        return "bounds"
    return value.get("precision") or {4: "year", 7: "month"}.get(len(value["value"]), "day")


def row(axis: Axis, place: int, number: int, entry: Dated, title: str, kind: str) -> Markup:
    """One entry's row, the place-th of its drawing: its number, its shape, its open sides."""
    y = TOP + (place - 1) * ROW
    first, last = span(entry)
    # a side beyond the axis (or open) runs to its edge, with an arrow
    first = first if first and _day(first) >= axis.first else None
    last = last if last and _day(last) <= axis.last else None
    x1 = axis.x(_day(first)) if first else LEFT
    x2 = axis.x(_day(last), end=True) if last else WIDTH - RIGHT
    shape = (formatted('<circle class="atlas-tl-dot" cx="%s" cy="%s" r="5"/>', round((x1 + x2) / 2, 1), y)
             if kind == "day" else
             formatted('<rect class="atlas-tl-bar atlas-tl-%s" x="%s" y="%s" width="%s" height="10" rx="2"%s/>',
                       kind, x1, y - 5, max(round(x2 - x1, 1), 3),
                       formatted(' style="fill: url(#atlas-tl-hatch-%d)"', axis.days) if kind == "year" else ""))
    arrows = Markup("")
    if not first:
        arrows += formatted('<path class="atlas-tl-open" d="M%s %s l8 -6 v12 z"/>', LEFT - 8, y)
    if not last:
        arrows += formatted('<path class="atlas-tl-open" d="M%s %s l-8 -6 v12 z"/>', WIDTH - RIGHT + 8, y)
    label = formatted('<text class="atlas-tl-number" x="%s" y="%s">%d</text>', LEFT - 12, y + 4, number)
    return (formatted('<a href="#t-%s"><title>%d. %s</title>', entry.claim, number, title)
            + label + shape + arrows + Markup("</a>"))


def figure(entries: list[tuple[Dated, str, str]]) -> Markup:
    """The axis figure for (entry, claim statement, kind) rows, numbered from 1; when the dates
    span more than two years, a second drawing of the densest twelve months, closer."""
    bounds = extent([e for e, _, _ in entries])
    if bounds is None:
        return Markup("")
    numbered = list(enumerate(entries, 1))
    out = _drawing(Axis(*bounds), numbered, "all dated claims")
    zoom = densest_year([e for e, _, _ in entries])
    if zoom:
        inside = [(n, row) for n, row in numbered if _meets(row[0], *zoom)]
        out += _drawing(Axis(*zoom), inside, f"closer: the claims dated in the twelve months from {_words(zoom[0])}")
    return out


def _meets(entry: Dated, first: date, last: date) -> bool:
    start, end = span(entry)
    return (not start or _day(start) <= last) and (not end or _day(end) >= first)


def _drawing(axis: Axis, rows: list, what: str) -> Markup:
    height = TOP + len(rows) * ROW + 6
    ticks = Markup("").join(
        formatted('<line class="atlas-tl-tick" x1="%s" y1="%s" x2="%s" y2="%s"/><text class="atlas-tl-label" x="%s" y="14">%s</text>',
                  x, 20, x, height - 4, x, label) for x, label in axis.ticks())
    drawn = Markup("").join(row(axis, place, n, e, title, kind) for place, (n, (e, title, kind)) in enumerate(rows, 1))
    legend = formatted('<figcaption>Time axis, %s, from %s to %s. Each numbered row is the entry of that number below: a dot '
        'is a day, a solid bar a month, a hatched bar a year, a dashed outline the days a date’s bounds allow, '
        'a paler bar a period; an arrow at an edge means the date is open on that side, the period ongoing, or '
        'the row goes on beyond this drawing.</figcaption>', what, _words(axis.first), _words(axis.last))
    return (formatted('<figure class="atlas-tl-figure"><div class="atlas-tl-scroll" tabindex="0" role="group" '
                   'aria-label="Time axis, %s (scrolls sideways on a narrow screen)">'
                   '<svg class="atlas-tl" viewBox="0 0 %d %d" width="%d" height="%d" role="group" '
                   'aria-label="Time axis, %s">', what, WIDTH, height, WIDTH, height, what)
            + formatted('<defs><pattern id="atlas-tl-hatch-%d" width="6" height="6" patternUnits="userSpaceOnUse" '
                     'patternTransform="rotate(45)"><rect width="6" height="6" class="atlas-tl-hatch-bg"/>'
                     '<line x1="0" y1="0" x2="0" y2="6" class="atlas-tl-hatch-line"/></pattern></defs>', axis.days)
            + ticks + drawn + Markup("</svg></div>") + legend + Markup("</figure>"))


def _words(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
