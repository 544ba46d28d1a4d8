"""Partial dates of records: a day, a month, a year, a span of years, or only a named period."""
from __future__ import annotations

import re
from datetime import date as _date
from typing import Annotated, Any

from pydantic import BeforeValidator

DATE_RE = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
RANGE_RE = re.compile(r"^(?P<a>\d{4})/(?P<b>\d{4})$")
PRECISIONS = ("day", "month", "year", "years", "period")
"""Precision of a record's date: a day, a month, a year, a span of years (``2022/2025``), or only a named
period (``period: CIIE 2025`` with no date)."""


def parse_partial_date(v: Any) -> str:
    """Accept YYYY, YYYY-MM, YYYY-MM-DD or a span of years YYYY/YYYY; reject impossible dates."""
    if isinstance(v, int) and 1900 <= v <= 2100:
        v = str(v)
    if not isinstance(v, str):
        raise ValueError("expected a date written YYYY, YYYY-MM, YYYY-MM-DD or a span of years YYYY/YYYY")
    r = RANGE_RE.match(v.strip())
    if r:
        if int(r["a"]) >= int(r["b"]):
            raise ValueError(f"'{v}' is not a span of years: the first year must come before the second")
        return v.strip()
    m = DATE_RE.match(v.strip())
    if not m:
        raise ValueError(f"'{v}' is not a date: write YYYY, YYYY-MM, YYYY-MM-DD or a span of years YYYY/YYYY")
    y, mo, d = int(m["y"]), m["m"], m["d"]
    try:
        _date(y, int(mo) if mo else 1, int(d) if d else 1)
    except ValueError as exc:
        raise ValueError(f"'{v}' is an impossible date ({exc})") from None
    return v.strip()


PartialDate = Annotated[str, BeforeValidator(parse_partial_date)]


def year_of(d: str | None) -> int | None:
    """The year of a date when it lies in one year: ``year_of('2025-05') == 2025``; None for a span or no date."""
    if not d or RANGE_RE.match(d):
        return None
    return int(d[:4])


def year_span(d: str | None) -> tuple[int | None, int | None]:
    """First and last year a date can fall in: ``year_span('2022/2025') == (2022, 2025)``, ``(2025, 2025)`` for
    any date in 2025, ``(None, None)`` without a date."""
    if not d:
        return None, None
    r = RANGE_RE.match(d)
    return (int(r["a"]), int(r["b"])) if r else (int(d[:4]), int(d[:4]))


def date_precision(d: str | None, period: str | None = None) -> str | None:
    """How precise a record's date is: 'day', 'month', 'year', 'years' (a span), 'period' (a named period only)
    or None (undated).

    >>> [date_precision(x) for x in ("2025-05-20", "2025-05", "2025", "2022/2025", None)]
    ['day', 'month', 'year', 'years', None]
    >>> date_precision(None, "CIIE 2025")
    'period'
    """
    if not d:
        return "period" if period else None
    if RANGE_RE.match(d):
        return "years"
    return {4: "year", 7: "month"}.get(len(d), "day")

