"""Money as the sources write it: one claim per phrase (``up to USD 1.77 billion``), deal terms, shares."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from .vocabulary import vocabulary
from .common import Citation, Percent, Ref, rdf

SCALES = {"": 1, "thousand": 10**3, "k": 10**3, "million": 10**6, "m": 10**6, "mn": 10**6,
          "billion": 10**9, "b": 10**9, "bn": 10**9, "trillion": 10**12}
QUALIFIER_WORDS = {"up to": "up-to", "over": "over", "more than": "over", "at least": "over",
                   "about": "about", "approximately": "about", "around": "about", "nearly": "about",
                   "under": "under", "less than": "under", "exact": "exact"}
CURRENCY_ALIASES = {"RMB": "CNY", "US$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
MONEY_RE = re.compile(
    r"^(?:(?P<q>up to|over|more than|at least|about|approximately|around|nearly|under|less than|exact)\s+)?"
    r"(?:(?P<q2>about|approximately|around|nearly)\s+)?"  # 'up to approximately': the bound is itself approximate
    r"(?P<cur>[A-Z]{3}|US\$|\$|€|£|¥)\s*(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<scale>[A-Za-z]*)$"
)
UNDISCLOSED = {"undisclosed", "not disclosed"}
ABSENT = {"none", "absent", "no"}


class Money(BaseModel):
    """One claim about an amount of money.

    Written in seeds as a phrase: ``USD 500 million``, ``up to USD 1.77 billion``,
    ``about RMB 3 billion``, ``over USD 13 billion``; ``undisclosed`` when the
    source says the payment exists but not how much; ``none`` when it says there
    is none. Or as a mapping ``{value: <phrase>, sources: [...], usd: ..., fx_rate: ..., fx_source: ...}``
    to give the claim its own source or a USD conversion.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    text: str = rdf("dg:asWritten")
    amount: Decimal | None = rdf("dg:amount", default=None)
    currency: str | None = rdf("dg:currency", default=None)
    qualifier: str = rdf("dg:qualifier", default="exact")
    disclosure: str = rdf("dg:disclosure", default="disclosed")
    usd: Decimal | None = rdf("dg:usdValue", default=None)
    fx_rate: Decimal | None = rdf("dg:fxRate", default=None)
    fx_source: str | None = rdf("dg:fxSource", default=None)
    includes: list[str] = rdf("dg:includesTerm", default_factory=list)
    sources: list[Citation] = rdf("prov:wasDerivedFrom", default_factory=list)

    @field_validator("includes", mode="before")
    @classmethod
    def _included_kinds(cls, v: Any) -> Any:
        """``includes``: the term kinds this one figure also covers ('upfront and near-term' is an upfront
        that includes near_term; an upfront 'including the equity investment' includes equity)."""
        v = [v] if isinstance(v, str) else v
        kinds = vocabulary().term_kinds
        for k in v or []:
            if k not in kinds:
                raise ValueError(f"unknown term kind '{k}' in includes: expected one of {', '.join(kinds)}")
        return v

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, v: Any) -> Any:
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            raise ValueError(f"write money as a phrase with its currency, e.g. 'USD 50 million', not a bare number ({v})")
        if isinstance(v, str):
            v = {"value": v}
        if not isinstance(v, dict):
            raise ValueError("expected money: a phrase such as 'up to USD 1.2 billion', or a mapping with 'value'")
        if "text" in v and "value" not in v:
            return v
        v = dict(v)
        phrase = v.pop("value", None)
        if not isinstance(phrase, str):
            raise ValueError("money needs 'value': a phrase such as 'USD 500 million'")
        return {**v, **parse_money(phrase)}

    @model_validator(mode="after")
    def _usd(self) -> "Money":
        if self.amount is not None and self.currency == "USD" and self.usd is None:
            object.__setattr__(self, "usd", self.amount)
            object.__setattr__(self, "fx_rate", Decimal(1))
        if self.usd is None and self.fx_rate is not None and self.amount is not None:
            object.__setattr__(self, "usd", self.amount * self.fx_rate)
        if self.usd is not None and self.currency not in (None, "USD") and self.fx_source is None:
            raise ValueError("a USD value for a non-USD amount needs fx_rate and fx_source (where the rate came from)")
        return self

    @property
    def disclosed(self) -> bool:
        return self.disclosure == "disclosed"


def parse_money(phrase: str) -> dict[str, Any]:
    p = " ".join(phrase.split())
    low = p.lower()
    if low in UNDISCLOSED:
        return {"text": p, "disclosure": "undisclosed"}
    if low in ABSENT:
        return {"text": p, "disclosure": "absent"}
    if re.search(r"(^|\s)-\s*[0-9]", p):
        raise ValueError(f"'{phrase}' is negative: amounts cannot be negative")
    m = MONEY_RE.match(p)
    if not m:
        raise ValueError(f"'{phrase}' is not an amount: write e.g. 'USD 500 million', 'up to USD 1.2 billion', "
                         "'undisclosed' or 'none'")
    if m["q2"] and QUALIFIER_WORDS[m["q"]] not in ("up-to", "over", "under"):
        raise ValueError(f"'{phrase}' has two qualifiers: write one, or a bound and 'about' ('up to about USD 70 million')")
    cur = CURRENCY_ALIASES.get(m["cur"], m["cur"])
    if cur not in vocabulary().currencies:
        raise ValueError(f"unknown currency '{m['cur']}': expected an ISO 4217 code such as USD, CNY, EUR")
    scale = m["scale"].lower()
    if scale not in SCALES:
        raise ValueError(f"unknown scale '{m['scale']}' in '{phrase}': use thousand, million or billion")
    try:
        num = Decimal(m["num"].replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"'{m['num']}' is not a number") from None
    q = QUALIFIER_WORDS[m["q"]] if m["q"] else "exact"
    return {"text": p, "amount": num * SCALES[scale], "currency": cur, "qualifier": q}


def _claims(v: Any) -> Any:
    return v if isinstance(v, list) else [v]


Claims = Annotated[list[Money], BeforeValidator(_claims), Field(min_length=1)]


def _terms_check(v: Any) -> Any:
    if not isinstance(v, dict):
        raise ValueError("expected a mapping of term kinds to amounts, e.g. {upfront: USD 500 million}")
    kinds = vocabulary().term_kinds
    for k in v:
        if k not in kinds:
            raise ValueError(f"unknown term kind '{k}': expected one of {', '.join(kinds)}")
    return v


Terms = Annotated[dict[str, Claims], BeforeValidator(_terms_check)]


class Share(BaseModel):
    """A party's share of something, in percent (cost split, equity stake)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    org: Ref = rdf("dg:shareOf")
    percent: Percent = rdf("dg:percent")


class Stake(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    org: Ref = rdf("dg:stakeIn")
    percent: Percent = rdf("dg:percent")
    sources: list[Citation] = rdf("prov:wasDerivedFrom", default_factory=list)



def plain_number(n: Decimal | None) -> str:
    """A decimal as written, without trailing zeros or exponent: 157 -> '157', 13.50 -> '13.5'."""
    if n is None:
        return ""
    t = format(n.normalize(), "f")
    return t.rstrip("0").rstrip(".") if "." in t else t

