"""Building blocks shared by every record: ids, citations and the vocabulary checks.

Dates are in ``dates.py``, money in ``money.py``, disputed and curated facts in ``facts.py``.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .vocabulary import vocabulary

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
