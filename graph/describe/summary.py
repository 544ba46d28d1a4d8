"""The graph summary printed after every build: counts by class, deal type, year, modality, country, source."""
from __future__ import annotations

from collections import Counter
from typing import Any

from ..core.gcpause import without_gc
from ..models.dataset import Dataset
from ..ingest.curation import country_sources, curated_facts
from ..ingest.loading import citations


@without_gc  # it makes no cycles; with the collector on, its small sets set off full walks of the dataset
def summarize(ds: Dataset) -> dict[str, Any]:
    """Counts that describe a dataset. Plain dicts, sorted, ready for JSON.

    Example: ``summarize(ds)["records"]["deals"]`` is the number of deals, ``["deals_by_year"]["2024"]`` those of 2024.
    """
    deal_modalities: Counter[str] = Counter()
    for d in ds.deals.values():
        for m in sorted({ds.assets[a].modality for a in d.assets}):
            deal_modalities[m] += 1
    per_source: dict[str, Counter[str]] = {s: Counter() for s in ds.sources}
    for kind, rec in ds.records():
        if kind == "sources":
            continue
        for doc in sorted({c.doc for _, c in citations(rec)}):
            per_source[doc][kind] += 1

    def srt(c: Counter[Any]) -> dict[str, int]:
        return {str(k): v for k, v in sorted(c.items(), key=lambda kv: (str(kv[0])))}

    return {
        "records": ds.counts(),
        "deals_by_type": srt(Counter(d.type for d in ds.deals.values())),
        "deals_by_year": srt(Counter(d.year if d.year else "undated" for d in ds.deals.values())),
        "deals_by_date_precision": srt(Counter(d.date_precision or "undated" for d in ds.deals.values())),
        "deals_by_status": srt(Counter(d.status for d in ds.deals.values())),
        "deals_by_modality": srt(deal_modalities),
        "assets_by_modality": srt(Counter(a.modality for a in ds.assets.values())),
        "organizations_by_country": srt(Counter(o.country or "unknown" for o in ds.organizations.values())),
        "organizations_by_country_source": country_sources(ds),
        "curated_facts_by_field": srt(Counter(f"{f.kind}.{f.field}" for f in curated_facts(ds) if f.status == "curated")),
        "organizations_by_kind": srt(Counter(o.type for o in ds.organizations.values())),
        "multinationals": sum(o.multinational for o in ds.organizations.values()),
        "events_by_type": srt(Counter(e.type for e in ds.events.values())),
        "records_by_source": {doc: srt(c) for doc, c in sorted(per_source.items())},
    }


#: The sections of ``summarize`` in its order (``summary.json`` holds them sorted).
SECTIONS = ("records", "deals_by_type", "deals_by_year", "deals_by_date_precision", "deals_by_status",
            "deals_by_modality", "assets_by_modality", "organizations_by_country", "organizations_by_country_source",
            "curated_facts_by_field", "organizations_by_kind", "multinationals", "events_by_type", "records_by_source")


def summary_from_json(data: dict[str, Any], ds: Dataset) -> dict[str, Any] | None:
    """``summarize(ds)`` from ``summary.json`` as a build wrote it for a dataset equal to ``ds`` but for notes and
    seed lines, in the same order (the file has its keys sorted); None when ``data`` has not the expected shape.

    Example: ``summary_from_json(json.loads(text), ds) == summarize(ds)`` when ``text`` was written for ``ds``.
    """
    if not isinstance(data, dict) or set(data) != set(SECTIONS) or data["records"] != ds.counts():
        return None
    out = {k: data[k] for k in SECTIONS}
    out["records"] = ds.counts()  # in the dataset's order of kinds, not sorted
    sources = data["organizations_by_country_source"]
    out["organizations_by_country_source"] = {k: sources[k] for k in ("document", "curated", "unknown") if k in sources}
    return out if len(out["organizations_by_country_source"]) == len(sources) else None


def render_summary(summary: dict[str, Any], width: int = 28) -> str:
    """The summary as aligned plain text."""
    lines: list[str] = []
    for section, values in summary.items():
        title = section.replace("_", " ")
        if isinstance(values, dict):
            lines.append(f"{title}:")
            for k, v in values.items():
                if isinstance(v, dict):
                    inner = ", ".join(f"{a} {b}" for a, b in v.items()) or "-"
                    lines.append(f"  {k:<{width}} {inner}")
                else:
                    lines.append(f"  {k:<{width}} {v:>6}")
        else:
            lines.append(f"{title}: {values}")
    return "\n".join(lines)
