"""How values are shown, and what a deal is worth to one of its parties.

The headline value of a deal (``headline``, ``Headline``, ``preferred``, ``usd_of``, ``term_usd``) is defined
in ``graph.models.headline``, with the rule; it is imported here so that ``graph.models.values`` stays the place
the analyses, maps and pages get values from.
"""
from __future__ import annotations

from decimal import Decimal

from . import Deal
from .headline import (MILESTONE_PARTS, PART_KINDS, QUALIFIER_ORDER, VALUE_KINDS, Headline, combine_qualifiers,
                       headline, preferred, term_usd, usd_of)

__all__ = ["MILESTONE_PARTS", "PART_KINDS", "QUALIFIER_ORDER", "VALUE_KINDS", "Headline", "combine_qualifiers",
           "headline", "preferred", "term_usd", "usd_of", "QUALIFIER_WORDS", "SCALES", "exact_decimal",
           "plain_number", "format_money", "format_percent", "display_cell", "display_rows", "party_headline"]


# --------------------------------------------------------------------------- display
#: How each qualifier reads in front of an amount ('exact' reads as nothing).
QUALIFIER_WORDS = {"exact": "", "up-to": "up to", "over": "over", "about": "about", "under": "under"}
SCALES = ((Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))


def exact_decimal(v: Decimal | float | int | str) -> Decimal:
    """``v`` as a Decimal with the digits it was written with (a float goes through its shortest repr).

    >>> exact_decimal(1825000000.0)
    Decimal('1825000000.0')
    >>> exact_decimal(0.1 + 0.2) == Decimal('0.30000000000000004')
    True
    """
    if isinstance(v, Decimal):
        return v
    if isinstance(v, float):          # numpy floats too: their repr is not a plain number
        return Decimal(repr(float(v)))
    return Decimal(v)


def _missing(v: object) -> bool:
    """None or NaN (pandas' marker for a missing number)."""
    return v is None or (isinstance(v, float) and v != v)


def plain_number(v: Decimal | float | int | str | None, grouping: bool = True) -> str:
    """A number in plain positional notation, every significant digit kept, no trailing zeros.

    Never scientific notation, never binary rounding; ``None`` gives ''.

    >>> plain_number(1.397e10)
    '13,970,000,000'
    >>> plain_number(Decimal('2.1750'))
    '2.175'
    >>> plain_number(12.5, grouping=False)
    '12.5'
    """
    if _missing(v):
        return ""
    d = exact_decimal(v)
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    else:
        d = d.normalize()
    return format(d, ",f" if grouping else "f")


def format_money(amount: Decimal | float | int | None, currency: str | None = "USD",
                 qualifier: str | None = None) -> str:
    """An amount as a reader writes it: qualifier, currency, digits as given, then million or billion.

    Amounts of a million or more are scaled to millions or billions with all
    their digits; smaller ones are written out. ``None`` gives ''.

    >>> format_money(1825000000.0)
    'USD 1.825 billion'
    >>> format_money(Decimal('12000000000'), 'USD', 'about')
    'about USD 12 billion'
    >>> format_money(2175e6, qualifier='up-to')
    'up to USD 2.175 billion'
    >>> format_money(6000000, 'RMB')
    'RMB 6 million'
    >>> format_money(950000)
    'USD 950,000'
    >>> format_money(float("nan"))
    ''
    """
    if _missing(amount):
        return ""
    d = exact_decimal(amount)
    word = QUALIFIER_WORDS.get(qualifier or "exact", qualifier or "")
    cur = currency or ""
    for scale, name in SCALES:
        if abs(d) >= scale:
            text = f"{cur} {plain_number(d / scale)} {name}"
            break
    else:
        text = f"{cur} {plain_number(d)}"
    return " ".join(f"{word} {text}".split())


def format_percent(share: float | Decimal | None, places: int = 1) -> str:
    """A share (0–1) as a percentage; '' for None.

    >>> format_percent(0.4567)
    '45.7%'
    >>> format_percent(None)
    ''
    """
    if share is None:
        return ""
    d = exact_decimal(share) * 100
    return f"{d.quantize(Decimal(1).scaleb(-places)):f}%"


def display_cell(v: object) -> str:
    """One value as text output shows it: '' for None, lists joined with '; ', numbers exact and plain.

    >>> display_cell(None), display_cell(['Pfizer (licensee)', 'Hengrui (licensor)']), display_cell(1.825e9)
    ('', 'Pfizer (licensee); Hengrui (licensor)', '1,825,000,000')
    >>> display_cell(True)
    'true'
    """
    if _missing(v):
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (float, Decimal)):
        return plain_number(v)
    if isinstance(v, (list, tuple)):
        return "; ".join(display_cell(x) for x in v)
    if isinstance(v, dict):
        return "; ".join(f"{k}: {display_cell(x)}" for k, x in v.items())
    return str(v)


def display_rows(rows: list[dict[str, object]]) -> list[dict[str, str]]:
    """Rows ready to show as a table (notebooks, text reports): every value as exact text.

    Columns ending in ``_usd`` read as money (``format_money``), other numbers in plain digits,
    lists joined with '; ', None as ''. Nothing is rounded and nothing is written in scientific
    notation, so a DataFrame of these rows shows what the sources wrote.

    >>> display_rows([{"deal": "d1", "upfront_usd": 1.825e9, "parties": ["A (licensor)", "B (licensee)"],
    ...                "total_usd": None, "deals": 3}])
    [{'deal': 'd1', 'upfront_usd': 'USD 1.825 billion', 'parties': 'A (licensor); B (licensee)', 'total_usd': '', 'deals': '3'}]
    """
    def cell(key: str, v: object) -> str:
        if key.endswith("_usd") and isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            return format_money(v, "USD")
        return display_cell(v)

    return [{k: cell(k, v) for k, v in r.items()} for r in rows]


def party_headline(deal: Deal, org: str) -> Headline:
    """The headline value of ``deal`` as credited to one party: its contribution when the sources give one,
    else the deal's own headline.

    A financing round's total is the deal's value; an investor is credited with its own part when stated:
    the Ji Xing round is USD 162 million, Bayer's contribution USD 35 million, so
    ``party_headline(ji_xing_round, 'bayer').usd == 35e6`` while RTW (part not stated) gets the round's 162e6.
    """
    c = deal.contribution(org)
    if c is None or usd_of(c) is None:
        return headline(deal)
    return Headline(usd_of(c), c.qualifier, "contribution", ("contribution",))
