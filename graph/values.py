"""What a deal is worth, as the analyses count it: the headline value and single payments.

Every figure uses the *preferred* claim of a term (the first one listed in the
seeds); later claims from other sources are ignored here (``dealgraph
conflicts`` lists them).

Headline value of a deal (``headline(deal)``):

1. the ``total`` term, when its preferred claim is disclosed and has a USD value;
2. otherwise the sum of the disclosed USD parts of the deal: ``upfront``,
   ``upfront_equity``, ``near_term``, ``payment`` and the milestones
   (``milestones``, or when that is not given the sum of
   ``development_milestones``, ``regulatory_milestones`` and
   ``sales_milestones``);
3. otherwise, for a pure investment with no such parts, the ``equity`` term.

An ``equity`` investment that comes with a licence is *not* part of the
headline (it buys shares, not rights); it is reported separately as equity
invested. ``retained`` (what a licensor keeps after a termination) never is.

Qualifiers: a value written "up to", "over", "about" or "under" counts in full
as a headline value and keeps its qualifier as a label. A sum of parts is
``exact`` only when every part is; otherwise it takes the loosest qualifier
among its parts, in the order up-to > over > about > under (so USD 200 million
upfront plus up to USD 1.77 billion in milestones is "up to USD 1.97 billion").

Undisclosed: a term written ``undisclosed`` adds nothing to any value. A deal
without any disclosed USD headline still counts as a deal; its ``Headline``
has ``usd=None`` and a ``reason``: ``undisclosed`` (some value term says the
amount exists but is not given), ``no-usd`` (an amount is given in another
currency without a USD conversion in the seeds) or ``not-given`` (no value
terms at all).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from .models import Deal, Money

PART_KINDS = ("upfront", "upfront_equity", "near_term", "payment")
MILESTONE_PARTS = ("development_milestones", "regulatory_milestones", "sales_milestones")
VALUE_KINDS = ("total", *PART_KINDS, "milestones", *MILESTONE_PARTS, "equity")
QUALIFIER_ORDER = ("up-to", "over", "about", "under")   # loosest first


@dataclass(frozen=True)
class Headline:
    """A deal's headline value in USD (None when nothing disclosed) and how it was found.

    ``basis`` is 'total', 'parts', 'equity' or 'contribution' (None without a value); ``kinds``
    the term kinds added up; ``reason`` why there is no value (None when there is one).
    """

    usd: float | None
    qualifier: str | None
    basis: str | None
    kinds: tuple[str, ...] = ()
    reason: str | None = None

    @property
    def disclosed(self) -> bool:
        return self.usd is not None


def preferred(deal_terms: dict[str, list[Money]], kind: str) -> Money | None:
    """The preferred (first) claim of a term kind, or None if the deal has no such term."""
    claims = deal_terms.get(kind)
    return claims[0] if claims else None


def usd_of(claim: Money | None) -> float | None:
    """USD value of a claim when disclosed and converted; else None."""
    if claim is None or not claim.disclosed or claim.usd is None:
        return None
    return float(claim.usd)


def term_usd(deal: Deal, kind: str) -> float | None:
    """Disclosed USD value of one term of a deal (preferred claim), e.g. ``term_usd(d, 'upfront')``."""
    return usd_of(preferred(deal.terms, kind))


def combine_qualifiers(qualifiers: Iterable[str]) -> str:
    """The qualifier of a sum: 'exact' if all parts are exact, else the loosest one present.

    >>> combine_qualifiers(['exact', 'up-to'])
    'up-to'
    >>> combine_qualifiers(['exact', 'exact'])
    'exact'
    """
    present = set(qualifiers)
    for q in QUALIFIER_ORDER:
        if q in present:
            return q
    return "exact"


def headline(deal: Deal) -> Headline:
    """The headline value of ``deal`` (see the module docstring for the rule).

    Example: ``total: about USD 12 billion`` → ``Headline(12e9, 'about', 'total', ('total',))``;
    ``upfront: USD 200 million, milestones: up to USD 1.77 billion`` →
    ``Headline(1.97e9, 'up-to', 'parts', ('upfront', 'milestones'))``.
    """
    t = deal.terms
    total = preferred(t, "total")
    if usd_of(total) is not None:
        return Headline(usd_of(total), total.qualifier, "total", ("total",))
    kinds = list(PART_KINDS) + (["milestones"] if "milestones" in t else list(MILESTONE_PARTS))
    parts = [(k, preferred(t, k)) for k in kinds if k in t]
    used = [(k, c) for k, c in parts if usd_of(c) is not None]
    if used:
        return Headline(sum(usd_of(c) for _, c in used), combine_qualifiers(c.qualifier for _, c in used), "parts",
                        tuple(k for k, _ in used))
    eq = preferred(t, "equity")
    if not parts and usd_of(eq) is not None:
        return Headline(usd_of(eq), eq.qualifier, "equity", ("equity",))
    claims = [c for k in VALUE_KINDS if (c := preferred(t, k)) is not None]
    if any(c.disclosure == "undisclosed" for c in claims):
        reason = "undisclosed"
    elif any(c.disclosed and c.usd is None for c in claims):
        reason = "no-usd"
    else:
        reason = "not-given"
    return Headline(None, None, None, (), reason)


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
