"""The six kinds of seed record. Each field names the ontology property it carries."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import BeforeValidator, Field, field_validator, model_validator

from .vocabulary import vocabulary
from .common import Citation, Country, Place, Record, RecordId, Ref, Sources, clean_list, in_vocab, no_dupes, rdf
from .dates import PartialDate, date_precision, year_of, year_span
from .facts import Alternative, BasisMap, check_curation, check_disputes
from .headline import headline as deal_headline
from .money import Claims, Money, Share, Stake, Terms, plain_number

Names = Annotated[list[Annotated[str, Field(min_length=1)]], BeforeValidator(clean_list)]
Refs = Annotated[list[Ref], BeforeValidator(clean_list)]
Places = Annotated[list[Place], BeforeValidator(clean_list)]


class Source(Record):
    """A source document the seeds cite."""

    rdf_class = "dg:SourceDocument"
    kind = "sources"
    id: RecordId = rdf("dg:key")
    title: str = rdf("dg:title", min_length=1)
    publisher: str = rdf("dg:publisher", min_length=1)
    date: PartialDate = rdf("dg:date")
    type: str = rdf("dg:sourceKind", min_length=1)
    file: str = rdf("dg:fileName", min_length=1)
    note: str | None = rdf("dg:note", default=None)


class Organization(Record):
    rdf_class = "dg:Organization"
    kind = "organizations"
    id: RecordId = rdf("dg:key")
    name: str = rdf("dg:name", min_length=1)
    aliases: Names = rdf("dg:alias", default_factory=list)
    former_names: Names = rdf("dg:formerName", default_factory=list)
    country: Country | None = rdf("dg:headquarters", default=None)
    type: Annotated[str, in_vocab("org_kinds")] = rdf("dg:organizationKind")
    multinational: bool = rdf("dg:isMultinational", default=False)
    subsidiary_of: Ref | None = rdf("dg:subsidiaryOf", default=None)
    formed_by: Refs = rdf("dg:formedBy", default_factory=list)
    stakes: list[Stake] = rdf("dg:stakes", default_factory=list)
    note: str | None = rdf("dg:note", default=None)
    curated: BasisMap = rdf("dg:curated", default_factory=dict)
    unknown: BasisMap = rdf("dg:unknownValue", default_factory=dict)
    sources: Sources = rdf("prov:wasDerivedFrom")

    CURATABLE: ClassVar[tuple[str, ...]] = ("country", "type", "multinational", "subsidiary_of", "former_names")

    @field_validator("aliases", "former_names")
    @classmethod
    def _unique(cls, v: list[str]) -> list[str]:
        return no_dupes(v, "name")

    @model_validator(mode="after")
    def _curation(self) -> "Organization":
        check_curation(self, self.CURATABLE)
        return self

    def provenance_of(self, field: str) -> str:
        """Where a fact comes from: 'document', 'curated' or 'unknown' (``provenance_of('country')``).

        'unknown' also when the field is simply not given.
        """
        return fact_provenance(self, field)

    def names(self) -> list[str]:
        """Every name the organization goes by: canonical, aliases, former names."""
        return [self.name, *self.aliases, *self.former_names]


class Asset(Record):
    rdf_class = "dg:Asset"
    kind = "assets"
    id: RecordId = rdf("dg:key")
    name: str = rdf("dg:name", min_length=1)
    type: Annotated[str, in_vocab("asset_kinds")] = rdf("dg:assetKind", default="drug")
    codes: Names = rdf("dg:codeName", default_factory=list)
    aliases: Names = rdf("dg:alias", default_factory=list)
    modality: Annotated[str, in_vocab("modalities")] = rdf("dg:modality")
    target: str | None = rdf("dg:targetOrMechanism", default=None)
    indication: str | None = rdf("dg:indication", default=None)
    stage: Annotated[str, in_vocab("stages")] = rdf("dg:stage", default="unknown")
    originator: Ref | None = rdf("dg:originator", default=None)
    note: str | None = rdf("dg:note", default=None)
    curated: BasisMap = rdf("dg:curated", default_factory=dict)
    unknown: BasisMap = rdf("dg:unknownValue", default_factory=dict)
    sources: Sources = rdf("prov:wasDerivedFrom")

    CURATABLE: ClassVar[tuple[str, ...]] = ("modality", "target", "originator", "type")

    @model_validator(mode="after")
    def _curation(self) -> "Asset":
        check_curation(self, self.CURATABLE)
        return self

    def names(self) -> list[str]:
        return [self.name, *self.codes, *self.aliases]

    def provenance_of(self, field: str) -> str:
        """Where a fact comes from: 'document', 'curated' or 'unknown'."""
        return fact_provenance(self, field)


def fact_provenance(rec: Any, field: str) -> str:
    """'curated' when the field is a curated fact, 'unknown' when marked unknown or not given, else 'document'.

    >>> from graph.models import Organization
    >>> gsk = Organization(id="gsk", name="GSK", type="pharma", country="GB",
    ...                    curated={"country": "London-based, common knowledge"}, sources=["caixin-2026:51"])
    >>> fact_provenance(gsk, "country"), fact_provenance(gsk, "type"), fact_provenance(gsk, "subsidiary_of")
    ('curated', 'document', 'unknown')
    """
    if field in rec.curated:
        return "curated"
    if field in rec.unknown or getattr(rec, field) in (None, [], ""):
        return "unknown"
    return "document"


def _parties(v: Any) -> Any:
    """``{licensor: hengrui, licensee: [gsk]}`` → ``{'licensor': ['hengrui'], 'licensee': ['gsk']}``."""
    if not isinstance(v, dict):
        raise ValueError("expected a mapping of roles to organizations, e.g. {licensor: hengrui, licensee: gsk}")
    roles = vocabulary().roles
    for role in v:
        if role not in roles:
            raise ValueError(f"unknown role '{role}': expected one of {', '.join(roles)}")
    return {k: clean_list(x) for k, x in v.items()}


Parties = Annotated[dict[str, list[Ref]], BeforeValidator(_parties)]


class Dated:
    """Date helpers of records with a ``date`` (day, month, year or span of years) and a named ``period``."""

    @property
    def year(self) -> int | None:
        """The year when known (None when undated or dated only by a span of years)."""
        return year_of(self.date)

    @property
    def date_precision(self) -> str | None:
        """'day', 'month', 'year', 'years', 'period' or None: see ``models.dates.date_precision``."""
        return date_precision(self.date, self.period)

    @property
    def year_span(self) -> tuple[int | None, int | None]:
        """First and last year the record can fall in, (None, None) when nothing is known."""
        return year_span(self.date)


class Deal(Dated, Record):
    rdf_class = "dg:Deal"
    kind = "deals"
    id: RecordId = rdf("dg:key")
    type: Annotated[str, in_vocab("deal_types")] = rdf("dg:dealType")
    title: str | None = rdf("dg:title", default=None)
    date: PartialDate | None = rdf("dg:date", default=None)
    period: str | None = rdf("dg:period", default=None)
    parties: Parties = rdf("dg:hasParticipation")
    assets: Refs = rdf("dg:coversAsset", default_factory=list)
    stage_at_signing: Annotated[str, in_vocab("stages")] | None = rdf("dg:stageAtSigning", default=None)
    territory_include: Places = rdf("dg:territoryIncluded", default_factory=list)
    territory_exclude: Places = rdf("dg:territoryExcluded", default_factory=list)
    status: Annotated[str, in_vocab("statuses")] = rdf("dg:status", default="announced")
    terms: Terms = rdf("dg:hasTerm", default_factory=dict)
    royalties: str | None = rdf("dg:royalties", default=None)
    cost_split: list[Share] = rdf("dg:costShare", default_factory=list)
    contributions: dict[Ref, Claims] = rdf("dg:contribution", default_factory=dict)
    disputes: dict[str, list[Alternative]] = rdf("dg:disputes", default_factory=dict)
    note: str | None = rdf("dg:note", default=None)
    curated: BasisMap = rdf("dg:curated", default_factory=dict)
    unknown: BasisMap = rdf("dg:unknownValue", default_factory=dict)
    sources: Sources = rdf("prov:wasDerivedFrom")

    DISPUTABLE: ClassVar[tuple[str, ...]] = ("type", "date", "status", "territory_include", "territory_exclude")
    CURATABLE: ClassVar[tuple[str, ...]] = ("date",)

    @field_validator("parties")
    @classmethod
    def _some_party(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        if not any(v.values()):
            raise ValueError("a deal needs at least one party")
        return v

    @model_validator(mode="after")
    def _contributors_are_parties(self) -> "Deal":
        names = {o.casefold() for orgs in self.parties.values() for o in orgs}
        for org in self.contributions:
            if org.casefold() not in names:
                raise ValueError(f"contributions: '{org}' is not a party to the deal; list it under parties first")
        check_disputes(self, self.DISPUTABLE)
        check_curation(self, self.CURATABLE)
        return self

    def provenance_of(self, field: str) -> str:
        """Where a fact comes from: 'document', 'curated' or 'unknown' (``provenance_of('date')``)."""
        return fact_provenance(self, field)

    def contribution(self, org: str) -> "Money | None":
        """What one party put into the deal when the sources say (its preferred claim), else None.

        A financing round's total is the deal's value; one investor's share of it is its contribution:
        in the Ji Xing round of USD 162 million, Bayer's contribution is USD 35 million.
        """
        claims = self.contributions.get(org)
        return claims[0] if claims else None

    def included_terms(self) -> dict[str, str]:
        """Term kinds counted inside another term's figure: ``{'equity': 'upfront'}`` when the upfront
        includes the equity investment. Never add an included term on top of the one that holds it."""
        return {inc: kind for kind, claims in self.terms.items() for inc in claims[0].includes}

    @field_validator("cost_split")
    @classmethod
    def _split_total(cls, v: list[Share]) -> list[Share]:
        total = sum((s.percent for s in v), Decimal(0))
        if v and total > 100:
            raise ValueError(f"cost split adds up to {total}%, more than 100%")
        return v

    def headline(self) -> tuple[float | None, str | None]:
        """Headline value in USD and its qualifier: ``graph.models.headline``, the one definition.

        (None, None) when nothing is disclosed in USD: the deal counts as a deal but adds no value.
        """
        h = deal_headline(self)
        return h.usd, h.qualifier

    def party_ids(self) -> list[str]:
        seen: list[str] = []
        for orgs in self.parties.values():
            for o in orgs:
                if o not in seen:
                    seen.append(o)
        return seen


class Event(Dated, Record):
    rdf_class = "dg:Event"
    kind = "events"
    id: RecordId = rdf("dg:key")
    type: Annotated[str, in_vocab("event_types")] = rdf("dg:eventType")
    title: str | None = rdf("dg:title", default=None)
    date: PartialDate | None = rdf("dg:date", default=None)
    period: str | None = rdf("dg:period", default=None)
    deal: Ref | None = rdf("dg:concernsDeal", default=None)
    assets: Refs = rdf("dg:concernsAsset", default_factory=list)
    orgs: Refs = rdf("dg:involves", default_factory=list)
    agency: Ref | None = rdf("dg:agency", default=None)
    country: Place | None = rdf("dg:eventCountry", default=None)
    indication: str | None = rdf("dg:indication", default=None)
    terms: Terms = rdf("dg:hasTerm", default_factory=dict)
    returned: str | None = rdf("dg:rightsReturned", default=None)
    disputes: dict[str, list[Alternative]] = rdf("dg:disputes", default_factory=dict)
    note: str | None = rdf("dg:note", default=None)
    sources: Sources = rdf("prov:wasDerivedFrom")

    DISPUTABLE: ClassVar[tuple[str, ...]] = ("type", "date", "country")

    @model_validator(mode="after")
    def _about_something(self) -> "Event":
        if not (self.deal or self.assets or self.orgs or self.agency):
            raise ValueError("deal: an event must concern a deal, an asset or an organization "
                             "(give deal, assets, orgs or agency)")
        check_disputes(self, self.DISPUTABLE)
        return self


class Statistic(Record):
    """An aggregate market figure as one source reports it."""

    rdf_class = "dg:MarketStatistic"
    kind = "statistics"
    id: RecordId = rdf("dg:key")
    measure: str = rdf("dg:measure", min_length=1)
    period: str = rdf("dg:period", min_length=4)
    unit: Annotated[str, in_vocab("units")] = rdf("dg:unit")
    value: Decimal | None = rdf("dg:statValue", default=None)
    money: Claims | None = rdf("dg:statValue", default=None)
    qualifier: Annotated[str, in_vocab("qualifiers")] = rdf("dg:qualifier", default="exact")
    written: str | None = rdf("dg:valueAsWritten", default=None)
    provider: Ref | None = rdf("dg:publishedBy", default=None)
    note: str | None = rdf("dg:note", default=None)
    sources: Sources = rdf("prov:wasDerivedFrom")

    @field_validator("value")
    @classmethod
    def _value_in_range(cls, v: Decimal | None, info: Any) -> Decimal | None:
        if v is not None:
            if v < 0:
                raise ValueError(f"a statistic cannot be negative (got {v})")
            if info.data.get("unit") == "percent" and v > 100:
                raise ValueError(f"a percentage cannot exceed 100 (got {v})")
        return v

    @model_validator(mode="after")
    def _value_matches_unit(self) -> "Statistic":
        if self.unit == "money":
            if self.money is None or self.value is not None:
                raise ValueError("money: a money statistic gives 'money' (e.g. 'USD 135.7 billion'), not 'value'")
        elif self.value is None or self.money is not None:
            raise ValueError(f"value: a {self.unit} statistic gives a numeric 'value', not 'money'")
        return self

    @property
    def shown(self) -> str:
        """The figure as the source writes it: ``written`` ('one-third') when the source uses words, else the
        money phrase or the value."""
        if self.written:
            return self.written
        return self.money[0].text if self.money else plain_number(self.value)

    @property
    def number(self) -> Decimal | None:
        """The figure: value, or the amount of the first money claim."""
        return self.value if self.money is None else self.money[0].amount


RECORD_TYPES: dict[str, type[Record]] = {
    c.kind: c for c in (Source, Organization, Asset, Deal, Event, Statistic)
}
