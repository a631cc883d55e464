"""Dates as the records write them (YYYY, YYYY-MM or YYYY-MM-DD; a value with its precision, or
earliest/latest bounds) read as ranges of days, the one reading shared by the checks (a period
may not end before it begins), the timeline and the exports.

A written date stands for every day it covers: '2020-01' for 1 to 31 January 2020. Days are
YYYY-MM-DD text, which sorts as the dates do. And a date in plain words ('9 January 2020',
'between 9 January 2020 and the end of January 2020'), which the pages and citations share.
"""
from __future__ import annotations

import calendar
import re

PARTS = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")


def is_real(value: str) -> bool:
    """Whether a written date names a real year, month or day."""
    match = PARTS.fullmatch(value)
    if not match:
        return False
    year, month, day = match.groups()
    if month and not 1 <= int(month) <= 12:
        return False
    return not day or 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]


def day_range(value: str) -> tuple[str, str] | None:
    """The first and last day a written date covers, or None if it is not a real date."""
    if not is_real(value):
        return None
    year, month, day = PARTS.fullmatch(value).groups()
    if day:
        return value, value
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-{calendar.monthrange(int(year), int(month))[1]:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def when_range(date: dict) -> tuple[str | None, str | None]:
    """The first and last day a date object allows: its value's days, or from its earliest
    bound's first day to its latest bound's last day; None for an open or unreadable side."""
    if date.get("value") is not None:  # a record with every field present has value: None for bounds
        found = day_range(date["value"]) if isinstance(date["value"], str) else None
        return found or (None, None)
    earliest = day_range(date["earliest"]) if isinstance(date.get("earliest"), str) else None
    latest = day_range(date["latest"]) if isinstance(date.get("latest"), str) else None
    return (earliest[0] if earliest else None, latest[1] if latest else None)


# -- in plain words ---------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def calendar_words(value: str) -> str:
    """'2020-01-09' -> '9 January 2020', '2020-01' -> 'January 2020', '2020' -> '2020'."""
    parts = value.split("-")
    if len(parts) == 1:
        return parts[0]
    month = MONTHS[int(parts[1]) - 1] if 1 <= int(parts[1]) <= 12 else parts[1]
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"


def precision_of(value: str) -> str:
    return ("year", "month", "day")[value.count("-")]


def date_text(value: dict | None) -> str:
    """A date in plain words, as render/words.py's `date` shows it without its markup: '9 January 2020',
    'January 2020', 'between 9 January 2020 and the end of January 2020', 'no earlier than
    April 2020'; 'date not known' for none."""
    if not value:
        return "date not known"
    if value.get("value"):
        return calendar_words(value["value"])
    earliest, latest = value.get("earliest"), value.get("latest")

    def bound(day: str, edge: str) -> str:
        return (f"{edge} " if edge and precision_of(day) != "day" else "") + calendar_words(day)

    if earliest and latest:
        return f"between {bound(earliest, 'the start of')} and {bound(latest, 'the end of')}"
    if earliest:
        return f"no earlier than {calendar_words(earliest)}"
    return f"no later than {bound(latest, 'the end of')}"
