"""The mapping file of ``dealgraph import``: which column of a deal list holds what.

A mapping is YAML (``examples/import/example-mapping.yaml`` documents every key).
``load_mapping`` reads it and checks every key against the ontology's words (roles,
term kinds), so a typo is an error naming the key, never a silently ignored column.
"""
from __future__ import annotations

from difflib import get_close_matches
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..core.errors import DealgraphError
from ..models.vocabulary import vocabulary

# Deal fields that a column can fill, as named in the mapping (the deal record's field in brackets
# where it differs): id, title, date, deal_type [type], status, stage_at_signing, territory_include,
# territory_exclude, royalties, note; currency applies to bare numbers in the money columns.
DEAL_KEYS = ("id", "title", "date", "deal_type", "status", "stage_at_signing", "territory_include",
             "territory_exclude", "royalties", "note", "currency")
# Asset columns: the asset name(s), and fields used only when a new asset is created.
ASSET_KEYS = ("asset", "asset_modality", "asset_type", "asset_target", "asset_indication", "asset_stage")
# Keys a default can be given for (besides <role>_type and <role>_country).
DEFAULTABLE = ("deal_type", "status", "stage_at_signing", "territory_include", "territory_exclude", "currency",
               "asset_modality", "asset_type", "asset_stage", "org_type")
# Translation tables: which kind of value each translates, and the vocabulary it must end in.
VALUE_KINDS = {"deal_type": "deal_types", "status": "statuses", "stage": "stages", "modality": "modalities",
               "asset_type": "asset_kinds", "org_type": "org_kinds", "country": "countries",
               "territory": "places", "currency": "currencies"}
# Which translation table each column uses.
TRANSLATED_BY = {"deal_type": "deal_type", "status": "status", "stage_at_signing": "stage", "asset_stage": "stage",
                 "asset_modality": "modality", "asset_type": "asset_type", "territory_include": "territory",
                 "territory_exclude": "territory", "currency": "currency"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceSpec(_Strict):
    """The source record registered for the imported file (sources.yaml, type ``import``)."""

    id: str | None = None
    title: str | None = None
    publisher: str = "analyst deal list"
    date: str | None = None
    note: str | None = None


class MoneySpec(_Strict):
    """How bare numbers in money columns are read: ``1250`` with scale million is 1.25 billion."""

    scale: Literal["thousand", "million", "billion"] | None = None
    qualifiers: dict[str, str] = Field(default_factory=dict)  # term kind -> 'up to', 'about', 'over'…

    @field_validator("qualifiers")
    @classmethod
    def _known(cls, v: dict[str, str]) -> dict[str, str]:
        from ..models.money import QUALIFIER_WORDS
        for kind, word in v.items():
            _check_term_kind(kind)
            if word not in QUALIFIER_WORDS:
                raise ValueError(f"unknown qualifier '{word}' for {kind}: expected one of {', '.join(QUALIFIER_WORDS)}")
        return v


class CreateSpec(_Strict):
    """Whether names that match nothing may become new records."""

    organizations: bool = False
    assets: bool = False


class MatchingSpec(_Strict):
    """Near misses: names that match nothing exactly but resemble an existing record."""

    suggest_above: float = Field(0.75, gt=0, le=1)   # similarity (0..1) from which a name is suggested
    near_miss: Literal["error", "create"] = "error"  # error: stop; create: create anyway (if allowed), and report


class NamesSpec(_Strict):
    """Explicit resolutions: a name as written in the file -> an existing id or name, or ``new``."""

    organizations: dict[str, str] = Field(default_factory=dict)
    assets: dict[str, str] = Field(default_factory=dict)


class Mapping(_Strict):
    """A validated mapping file."""

    source: SourceSpec = Field(default_factory=SourceSpec)
    sheet: str | None = None
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)
    money: MoneySpec = Field(default_factory=MoneySpec)
    list_separator: str = Field(";", min_length=1)
    names: NamesSpec = Field(default_factory=NamesSpec)
    create: CreateSpec = Field(default_factory=CreateSpec)
    matching: MatchingSpec = Field(default_factory=MatchingSpec)
    asset_originator: str | None = "licensor"

    @field_validator("columns")
    @classmethod
    def _columns(cls, v: dict[str, str]) -> dict[str, str]:
        for key, col in v.items():
            if key not in column_keys():
                close = get_close_matches(key, column_keys(), 1)
                raise ValueError(f"unknown column key '{key}': " + (f"did you mean '{close[0]}'?" if close else
                                 f"expected one of {', '.join(column_keys())}"))
            if not isinstance(col, str) or not col.strip():
                raise ValueError(f"columns.{key} must name a column of the file")
        if not any(k in vocabulary().roles for k in v):
            raise ValueError("columns must map at least one party role (e.g. licensor: Licensor)")
        return v

    @field_validator("values")
    @classmethod
    def _values(cls, v: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        for kind in v:
            if kind not in VALUE_KINDS:
                raise ValueError(f"unknown value table '{kind}': expected one of {', '.join(VALUE_KINDS)}")
        return v

    @field_validator("defaults")
    @classmethod
    def _defaults(cls, v: dict[str, Any]) -> dict[str, Any]:
        roles = vocabulary().roles
        allowed = list(DEFAULTABLE) + [f"{r}_{s}" for r in roles for s in ("type", "country")]
        for key in v:
            if key not in allowed:
                raise ValueError(f"unknown default '{key}': expected one of {', '.join(allowed)}")
        return v

    @field_validator("asset_originator")
    @classmethod
    def _role(cls, v: str | None) -> str | None:
        if v is not None and v not in vocabulary().roles:
            raise ValueError(f"unknown role '{v}': expected one of {', '.join(vocabulary().roles)}")
        return v

    # -- views -----------------------------------------------------------------------------------
    def roles(self) -> list[str]:
        """Party roles with a column, in the order the mapping gives them."""
        return [k for k in self.columns if k in vocabulary().roles]

    def term_columns(self) -> dict[str, str]:
        """Term kind -> column."""
        return {k: c for k, c in self.columns.items() if k in vocabulary().term_kinds}

    def default(self, key: str) -> Any:
        return self.defaults.get(key)


def _check_term_kind(kind: str) -> None:
    kinds = vocabulary().term_kinds
    if kind not in kinds:
        raise ValueError(f"unknown term kind '{kind}': expected one of {', '.join(kinds)}")


def column_keys() -> list[str]:
    """Every key ``columns`` accepts: deal fields, asset fields, roles, <role>_country/_type, term kinds."""
    v = vocabulary()
    return ([*DEAL_KEYS, *ASSET_KEYS, *v.roles] + [f"{r}_{s}" for r in v.roles for s in ("country", "type")]
            + list(v.term_kinds))


def load_mapping(path: Path | str) -> Mapping:
    """Read and check a mapping file; DealgraphError naming the key on any problem."""
    path = Path(path)
    if not path.is_file():
        raise DealgraphError(f"mapping file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DealgraphError(f"{path}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise DealgraphError(f"{path}: expected a mapping with at least 'columns:'")
    if isinstance(data.get("source"), dict) and data["source"].get("date") is not None:
        data["source"]["date"] = str(data["source"]["date"])
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(x) for x in err["loc"]) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown key"
            lines.append(f"{where}: {msg}")
        raise DealgraphError(f"{path}: " + "; ".join(lines)) from None
