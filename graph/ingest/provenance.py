"""Check that every citation points at a line that really states the record.

A record's cited lines must mention it: an organization or asset by one of its
names or code names; a deal or event by one of its parties, assets or
organizations; a statistic by its figure. Lines cited for one version of a
disputed fact must mention the record too. Every figure (money claims, a party's
contribution, stake and cost-split percentages, statistic values) must appear,
as the text writes the number, on one of the lines that back it.
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Iterable

from ..models.dataset import Dataset
from ..models import Citation, Money, Record

NUM_RE = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")


@dataclass(frozen=True)
class ProvenanceProblem:
    kind: str
    record: str
    citation: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.record} @ {self.citation}: {self.message}"


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2011", "-").replace("\u2013", "-").replace("\u2014", "-").replace("\\$", "$")
    return " ".join(text.casefold().split())


class Documents:
    """The source documents' lines, read once."""

    def __init__(self, docs_dir: Path, dataset: Dataset):
        self.docs_dir = Path(docs_dir)
        self.files = {s.id: self.docs_dir / s.file for s in dataset.sources.values()}

    @cache
    def lines(self, doc: str) -> list[str]:
        """The document's lines. In a CSV document (an imported deal list) a line's cells are joined
        with ' | ', so that figures in neighbouring cells stay apart ('80,1200' is 80 and 1200)."""
        lines = self.files[doc].read_text(encoding="utf-8").splitlines()
        if self.files[doc].suffix.lower() == ".csv":
            lines = [" | ".join(next(csv.reader([line]), [])) for line in lines]
        return lines

    def line(self, cite: Citation) -> str | None:
        lines = self.lines(cite.doc)
        return normalise(lines[cite.line - 1]) if 0 < cite.line <= len(lines) else None


def number_as_written(text: str) -> str | None:
    """The number in a figure phrase as written: 'up to USD 1.77 billion' -> '1.77'."""
    m = NUM_RE.search(text)
    return m.group(0).replace(",", "") if m else None


def plain(n: Decimal) -> str:
    """157 -> '157', 60.0 -> '60', 13.5 -> '13.5'."""
    s = format(n.normalize(), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def _has_number(line: str, num: str) -> bool:
    digits = line.replace(",", "")
    return re.search(rf"(?<![0-9.]){re.escape(num)}(?![0-9])", digits) is not None


def mentions(kind: str, rec: Record, ds: Dataset) -> list[str]:
    """Names one of which a line citing ``rec`` must contain."""
    def org_names(ids: Iterable[str | None]) -> list[str]:
        return [n for i in ids if i and i in ds.organizations for n in ds.organizations[i].names()]

    def asset_names(ids: Iterable[str]) -> list[str]:
        return [n for i in ids if i in ds.assets for n in ds.assets[i].names()]

    if kind == "organizations":
        return rec.names()
    if kind == "assets":
        return rec.names() + org_names([rec.originator])
    if kind == "deals":
        return org_names(rec.party_ids()) + asset_names(rec.assets) + ([rec.title] if rec.title else [])
    if kind == "events":
        deal = ds.deals.get(rec.deal) if rec.deal else None
        return (org_names([*rec.orgs, rec.agency, *(deal.party_ids() if deal else [])])
                + asset_names(rec.assets + (deal.assets if deal else [])))
    return []


def figures(kind: str, rec: Record) -> list[tuple[str, str, list[Citation]]]:
    """(what, number as written, citations that must show it) for every figure in a record."""
    out: list[tuple[str, str, list[Citation]]] = []

    def money(what: str, claims: list[Money]) -> None:
        for c in claims:
            num = number_as_written(c.text) if c.disclosed else None
            if num:
                out.append((what, num, c.sources or rec.sources))

    for term, claims in (getattr(rec, "terms", None) or {}).items():
        money(f"terms.{term}", claims)
    for org, claims in (getattr(rec, "contributions", None) or {}).items():
        money(f"contributions.{org}", claims)
    if kind == "statistics":
        if rec.written:
            out.append(("written", rec.written, rec.sources))
        elif rec.money:
            money("money", rec.money)
        else:
            out.append(("value", plain(rec.value), rec.sources))
    for s in getattr(rec, "cost_split", []):
        out.append(("cost_split", plain(s.percent), rec.sources))
    for s in getattr(rec, "stakes", []):
        out.append(("stakes", plain(s.percent), s.sources or rec.sources))
    return out


def check_provenance(ds: Dataset, docs_dir: Path) -> list[ProvenanceProblem]:
    """Every problem with citations: missing document or line, a line that does not state the record."""
    docs = Documents(docs_dir, ds)
    problems: list[ProvenanceProblem] = []
    missing = [d for d, f in docs.files.items() if not f.exists()]
    if missing:
        return [ProvenanceProblem("sources", d, "-", f"document file not found: {docs.files[d]}") for d in missing]
    for kind, rec in ds.records():
        if kind == "sources":
            continue
        names = [normalise(n) for n in mentions(kind, rec, ds)]
        disputed = [c for alts in (getattr(rec, "disputes", None) or {}).values() for a in alts for c in a.sources]
        for cite in [*rec.sources, *(c for c in disputed if c not in rec.sources)]:
            line = docs.line(cite)
            if line is None:
                problems.append(ProvenanceProblem(kind, rec.id, str(cite), "no such line in the document"))
            elif names and not any(n in line for n in names):
                problems.append(ProvenanceProblem(kind, rec.id, str(cite),
                                                  "cited line names none of: " + ", ".join(sorted(set(names))[:8])))
        for what, num, cites in figures(kind, rec):
            lines = [docs.line(c) for c in cites]
            if what == "written":  # a figure written in words must appear in those words
                if not any(line and normalise(num) in line for line in lines):
                    problems.append(ProvenanceProblem(kind, rec.id, ", ".join(map(str, cites)),
                                                      f"written: '{num}' is on none of the cited lines"))
            elif not any(line and _has_number(line, num) for line in lines):
                problems.append(ProvenanceProblem(kind, rec.id, ", ".join(map(str, cites)),
                                                  f"{what}: the figure {num} is on none of the cited lines"))
    return problems
