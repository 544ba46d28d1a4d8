"""What a deal is worth, as the analyses count it: the headline value and single payments.

This is the one definition; ``Deal.headline()`` and ``graph.models.values`` (which adds how values are
shown) use it. It sits with the models so that the models need nothing from later stages.

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
from typing import TYPE_CHECKING, Iterable

from .money import Money

if TYPE_CHECKING:  # for annotations only: records imports this module
    from .records import Deal

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
