"""Facts beyond a plain field: disputed facts (each source's version) and curated or unknown facts (with a basis)."""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from .common import Sources, rdf


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

