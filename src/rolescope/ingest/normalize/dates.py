"""Posting dates in the shapes real sources use, with the precision they actually carry.

Shapes handled: ``2024-01`` (HN and remotewlb give the month only), ``2024-05-29``, ISO datetimes
with or without a timezone (the date is the one written, not converted), epoch milliseconds (Lever
``createdAt``) and epoch seconds, ``1/14/2024`` (US month/day/year, the LinkedIn titles file),
``May 29, 2024`` / ``29 May 2024``, and a bare year. Years before 1990 or after next year are
rejected: job-ad dates outside that window are typos or placeholders.
"""

from __future__ import annotations

import datetime as dt
import re

MIN_YEAR = 1990
_YEAR_MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")
_YEAR = re.compile(r"\d{4}")
_EPOCH = re.compile(r"\d{9,13}(?:\.\d+)?")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
# Epoch values above this are milliseconds: 1e11 seconds is the year 5138, 1e11 ms is 1973.
_MS_THRESHOLD = 100_000_000_000


def _in_range(day: dt.date) -> bool:
    return MIN_YEAR <= day.year <= dt.date.today().year + 1


def _from_epoch(value: float) -> dt.date | None:
    seconds = value / 1000 if value >= _MS_THRESHOLD else value
    try:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def _from_words(text: str) -> dt.date | None:
    match = _MONTH_DAY_YEAR.fullmatch(text)
    if match:
        month, day, year = _MONTHS.get(match[1].lower()), match[2], match[3]
    elif match := _DAY_MONTH_YEAR.fullmatch(text):
        month, day, year = _MONTHS.get(match[2].lower()), match[1], match[3]
    else:
        return None
    return _safe_date(int(year), month, int(day)) if month else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _parse_text(text: str) -> tuple[dt.date | None, str]:
    if _EPOCH.fullmatch(text):
        return _from_epoch(float(text)), "day"
    if match := _YEAR_MONTH.fullmatch(text):
        return _safe_date(int(match[1]), int(match[2]), 1), "month"
    if _YEAR.fullmatch(text):
        return _safe_date(int(text), 1, 1), "year"
    if match := _US_DATE.fullmatch(text):
        return _safe_date(int(match[3]), int(match[1]), int(match[2])), "day"
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date(), "day"
    except ValueError:
        return _from_words(text), "day"


def parse_posted_at(value: object) -> tuple[dt.date, str] | None:
    """Parse a posting date; return ``(date, precision)`` with precision ``day``, ``month`` or ``year``.

    A month-only date is the first of that month; a year-only date is 1 January. ``None`` when the
    value is empty, unreadable, or outside 1990..next year.

    Examples
    --------
    >>> parse_posted_at("2024-01")
    (datetime.date(2024, 1, 1), 'month')
    >>> parse_posted_at("1/14/2024")
    (datetime.date(2024, 1, 14), 'day')
    >>> parse_posted_at(1714000000000)
    (datetime.date(2024, 4, 24), 'day')
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        day, precision = value.date(), "day"
    elif isinstance(value, dt.date):
        day, precision = value, "day"
    elif isinstance(value, int | float):
        day, precision = _from_epoch(float(value)), "day"
    else:
        day, precision = _parse_text(str(value).strip())
    if day is None or not _in_range(day):
        return None
    return day, precision
