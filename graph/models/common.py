"""Building blocks shared by every record: ids, citations, partial dates, money."""
from __future__ import annotations

import re
from datetime import date as _date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..vocabulary import vocabulary

ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


def rdf(prop: str, **kw: Any) -> Any:
    """A model field mapped to ontology property ``prop`` (a CURIE such as ``dg:name``)."""
    extra = {"rdf": prop}
    return Field(json_schema_extra=extra, **kw)


class Record(BaseModel):
    """Base of every seed record: strict about unknown fields, immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    rdf_class: ClassVar[str]  # the ontology class this record kind maps to
    kind: ClassVar[str]       # the seed file it lives in (organizations, deals…)


def _check_id(v: Any) -> Any:
    if isinstance(v, str) and not ID_RE.match(v):
        raise ValueError(f"'{v}' is not a valid id: use lower-case letters, digits, '.', '_' and '-'")
    return v


RecordId = Annotated[str, BeforeValidator(_check_id)]
Ref = Annotated[str, Field(min_length=1)]  # an id or any alias; resolved by the loader


# --------------------------------------------------------------------------- citations
CITE_RE = re.compile(r"^(?P<doc>[a-z0-9][a-z0-9._-]*):(?P<line>[0-9]+)$")


class Citation(BaseModel):
    """A line of a source document, written ``doc-id:line`` (line is 1-based)."""

    model_config = ConfigDict(frozen=True)
    doc: str = rdf("dg:document")
    line: int = rdf("dg:line", gt=0)

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, v: Any) -> Any:
        if isinstance(v, str):
            m = CITE_RE.match(v.strip())
            if not m:
                raise ValueError(f"'{v}' is not a citation: write document-id:line, e.g. caixin-2026:14")
            return {"doc": m["doc"], "line": int(m["line"])}
        return v

    def __str__(self) -> str:
        return f"{self.doc}:{self.line}"


Sources = Annotated[list[Citation], Field(min_length=1)]


# --------------------------------------------------------------------------- dates
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


# --------------------------------------------------------------------------- vocab checks
NOUNS = {"modalities": "modality", "org_kinds": "organization kind", "asset_kinds": "asset kind",
         "deal_types": "deal type", "event_types": "event type", "stages": "stage", "statuses": "status",
         "qualifiers": "qualifier", "units": "unit", "places": "place"}


def in_vocab(kind: str) -> BeforeValidator:
    """Validator: the value must be a key of ``vocabulary().<kind>``."""

    def check(v: Any) -> Any:
        keys = getattr(vocabulary(), kind)
        if not isinstance(v, str) or v not in keys:
            shown = ", ".join(list(keys)[:40])
            more = "" if len(keys) <= 40 else f" … ({len(keys)} in all, see the ontology)"
            raise ValueError(f"unknown {NOUNS.get(kind, kind)} '{v}': expected one of {shown}{more}")
        return v

    return BeforeValidator(check)


def _country(v: Any) -> Any:
    if not isinstance(v, str) or v not in vocabulary().countries:
        raise ValueError(f"unknown country '{v}': expected an ISO 3166-1 alpha-2 code such as CN, US, GB")
    return v


Country = Annotated[str, BeforeValidator(_country)]
Place = Annotated[str, in_vocab("places")]
Percent = Annotated[Decimal, Field(ge=0, le=100)]


# --------------------------------------------------------------------------- money
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


# --------------------------------------------------------------------------- disputed facts
class Alternative(BaseModel):
    """One source's version of a non-numeric fact the sources disagree on (a territory, a deal type, a date).

    Written under a record's ``disputes``: ``{field: [{value: …, sources: […]}, …]}``. The record's own field
    holds the version the seeds prefer; it must be one of the listed values.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: Any = rdf("dg:claimedValue")
    sources: Sources = rdf("prov:wasDerivedFrom")

    def text(self) -> str:
        """The value as shown: lists joined with ', ', an empty list as '(none)'."""
        if isinstance(self.value, list):
            return ", ".join(map(str, self.value)) or "(none)"
        return str(self.value)


def check_disputes(rec: BaseModel, allowed: tuple[str, ...]) -> None:
    """Each disputed field is allowed, has at least two different values each valid for the field, and the
    record's own value is one of them."""
    from pydantic import TypeAdapter

    disputes: dict[str, list[Alternative]] = getattr(rec, "disputes")
    for field, alts in disputes.items():
        if field not in allowed:
            raise ValueError(f"disputes: '{field}' cannot be disputed; fields that can: {', '.join(allowed)}")
        info = type(rec).model_fields[field]
        adapter = TypeAdapter(Annotated[(info.annotation, *info.metadata)])
        values = []
        for alt in alts:
            try:
                values.append(adapter.validate_python(alt.value))
            except ValidationError as exc:  # the field's own message, e.g. an unknown deal type
                msg = exc.errors()[0]["msg"].removeprefix("Value error, ")
                raise ValueError(f"disputes: '{alt.value}' is not a valid {field}: {msg}") from None
        if len({repr(v) for v in values}) < 2:
            raise ValueError(f"disputes: '{field}' lists fewer than two different values")
        if repr(getattr(rec, field)) not in {repr(v) for v in values}:
            raise ValueError(f"disputes: the record's {field} ({getattr(rec, field)}) is not one of the disputed values")


# --------------------------------------------------------------------------- curated facts
def _basis_map(v: Any) -> Any:
    """``{country: 'one-line basis'}``: field name to a one-line reason, in our words."""
    if v is None:
        return {}
    if not isinstance(v, dict):
        raise ValueError("expected a mapping of field to a one-line basis, e.g. {country: 'HQ in London; common knowledge'}")
    for k, text in v.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"'{k}' needs a one-line basis in words")
        if "\n" in text.strip():
            raise ValueError(f"the basis for '{k}' must be one line")
        if ";" in text or "|" in text:
            raise ValueError(f"the basis for '{k}' cannot contain ';' or '|' (they separate list items in "
                             "exports): use a comma or a dash")
    return {k: " ".join(t.split()) for k, t in v.items()}


BasisMap = Annotated[dict[str, str], BeforeValidator(_basis_map)]
"""Field name -> one-line basis: the ``curated`` and ``unknown`` fields of a record."""


def check_curation(rec: BaseModel, allowed: tuple[str, ...]) -> None:
    """Rules shared by records that carry ``curated`` and ``unknown`` facts.

    A curated field names a fact the documents do not state (its basis is common knowledge) and must
    be set; an unknown field names a fact that cannot be known (the basis is the reason) and must be
    unset; a field cannot be both; only ``allowed`` fields can be curated or unknown.
    """
    curated: dict[str, str] = getattr(rec, "curated")
    unknown: dict[str, str] = getattr(rec, "unknown")
    for what, table in (("curated", curated), ("unknown", unknown)):
        for k in table:
            if k not in allowed:
                raise ValueError(f"{what}: '{k}' cannot be {what}; fields that can: {', '.join(allowed)}")
    for k in curated:
        if k in unknown:
            raise ValueError(f"unknown: '{k}' is both curated and unknown")
        if getattr(rec, k) in (None, False, [], ""):
            raise ValueError(f"curated: '{k}' is curated but has no value; give {k}, or move it to 'unknown' with a reason")
    for k in unknown:
        if getattr(rec, k) not in (None, False, [], ""):
            raise ValueError(f"unknown: '{k}' has a value ({getattr(rec, k)}) and is marked unknown; drop one")


CURATED_DOC = "curated"
"""The citation form of curated facts in ``sources`` lists: ``curated:country``."""


def curated_cites(rec: Any) -> list[str]:
    """``['curated:country', …]`` for a record's curated fields (sorted)."""
    return [f"{CURATED_DOC}:{k}" for k in sorted(getattr(rec, "curated", {}) or {})]


def plain_number(n: Decimal | None) -> str:
    """A decimal as written, without trailing zeros or exponent: 157 -> '157', 13.50 -> '13.5'."""
    if n is None:
        return ""
    t = format(n.normalize(), "f")
    return t.rstrip("0").rstrip(".") if "." in t else t


def clean_list(v: Any) -> Any:
    """Let a single value stand for a one-item list."""
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


def no_dupes(values: list[str], what: str) -> list[str]:
    seen: set[str] = set()
    for x in values:
        if x.casefold() in seen:
            raise ValueError(f"{what} '{x}' is listed twice")
        seen.add(x.casefold())
    return values
