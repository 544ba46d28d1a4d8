"""A synthetic deal dataset of any size, shaped like the real one, for load tests and benchmarks.

``synthetic_seeds(deals, seed)`` writes the records as seed YAML would hold them
(plain dicts, money as phrases, citations as ``doc:line``); ``synthetic_dataset``
validates them into a ``Dataset`` through the same pydantic models as real seeds;
``write_seeds`` saves them as ``<dir>/<kind>.yaml`` for ``dealgraph build --seeds``.

Shape: a few hundred multinationals take most licences; many small licensors,
mostly Chinese; partner counts follow a power law (a few companies in
thousands of deals, most in one or two); assets carry modalities from the
ontology; money terms are phrases with qualifiers (``up to USD 1.2 billion``),
some undisclosed, some in RMB; some deals are terminated (with a termination
event); some licensees are NewCos formed by funds, later bought by a
multinational. The same ``seed`` gives the same records.
"""
from __future__ import annotations

import bisect
import itertools
import random
from pathlib import Path
from typing import Any

import yaml

from ..models.dataset import Dataset, Origin
from ..models import RECORD_TYPES, Citation, Money
from ..core.gcpause import paused_gc

KINDS = ("sources", "organizations", "assets", "deals", "events", "statistics")
N_SOURCES = 12
SOURCE_LINES = 900

_SYLLABLES = ("an", "bai", "chen", "da", "fang", "gao", "hai", "heng", "hua", "jia", "jin", "kang", "lan", "li",
              "long", "mei", "ming", "nuo", "pu", "qi", "rui", "sheng", "tai", "tian", "wei", "xin", "ya", "yi",
              "yuan", "ze", "zhi", "zhong")
_WEST = ("al", "bri", "cor", "dex", "el", "fen", "gal", "hal", "ix", "jor", "kel", "lum", "mar", "nov", "or",
         "pax", "quin", "ros", "sel", "ter", "ul", "ver", "wyn", "xan", "zel")
_MNC_SUFFIX = ("Pharma", "Pharmaceuticals", "Therapeutics Group", "Life Sciences", "Healthcare")
_SMALL_SUFFIX = ("Biotech", "Biologics", "Pharmaceutical", "Therapeutics", "Biosciences", "Medical")
_NON_CN = (("US", 30), ("KR", 12), ("JP", 8), ("GB", 5), ("DE", 4), ("CH", 3), ("FR", 3), ("AU", 3),
           ("SG", 2), ("IL", 2), ("CA", 2), ("TW", 2), ("HK", 3), ("IN", 2), ("SE", 1), ("DK", 1), ("BE", 1))
_MNC_HOME = (("US", 40), ("CH", 8), ("GB", 8), ("DE", 8), ("FR", 6), ("JP", 12), ("DK", 3), ("BE", 2),
             ("IE", 3), ("IL", 2), ("NL", 2), ("IT", 2), ("KR", 2), ("SE", 2))
_DEAL_TYPES = (("licence", 58), ("co-development", 8), ("option", 5), ("newco", 5), ("acquisition", 4),
               ("equity-investment", 5), ("strategic-collaboration", 5), ("research-collaboration", 6),
               ("distribution", 2), ("localisation", 1), ("procurement", 1))
_ROLES = {"licence": ("licensor", "licensee"), "option": ("licensor", "licensee"),
          "co-development": ("licensor", "co-developer"), "newco": ("licensor", "licensee"),
          "acquisition": ("target", "acquirer"), "equity-investment": ("investee", "investor"),
          "strategic-collaboration": ("partner", "partner"), "research-collaboration": ("partner", "partner"),
          "distribution": ("seller", "buyer"), "localisation": ("partner", "host"), "procurement": ("seller", "buyer")}
_MODALITIES = (("small-molecule", 22), ("monoclonal-antibody", 12), ("bispecific-antibody", 10), ("adc", 12),
               ("bispecific-adc", 3), ("multispecific-antibody", 2), ("fusion-protein", 3), ("peptide", 4),
               ("protein", 2), ("protac", 2), ("car-t", 4), ("in-vivo-car-t", 1), ("cell-therapy", 2),
               ("gene-therapy", 2), ("gene-editing", 1), ("rnai", 2), ("mrna", 1), ("oligonucleotide", 1),
               ("vaccine", 2), ("radiopharmaceutical", 2), ("traditional-chinese-medicine", 1),
               ("surgical-robot", 1), ("imaging-device", 1), ("implant", 1), ("diagnostic", 1),
               ("ai-discovery", 1), ("conjugation-platform", 1), ("unspecified", 1))
_STAGES = (("preclinical", 25), ("ind", 8), ("phase-1", 20), ("phase-1-2", 8), ("phase-2", 15), ("phase-3", 8),
           ("clinical", 6), ("discovery", 5), ("filed", 2), ("approved", 2), ("unknown", 1))
_TARGETS = ("PD-1", "PD-L1", "VEGF", "HER2", "TROP2", "CLDN18.2", "GLP-1", "GIP", "B7-H3", "B7-H4", "CD3", "CD19",
            "BCMA", "KRAS G12D", "EGFR", "c-Met", "IL-4Ra", "TSLP", "Lp(a)", "PCSK9", "FXIa", "DLL3", "CDH17",
            "Nectin-4", "TIGIT", "IL-23", "TL1A", "FcRn", "Amylin", "PSMA")
_INDICATIONS = ("non-small cell lung cancer", "gastric cancer", "breast cancer", "obesity", "type 2 diabetes",
                "atopic dermatitis", "asthma", "COPD", "ulcerative colitis", "multiple myeloma", "lymphoma",
                "hypertension", "dyslipidemia", "thrombosis", "small cell lung cancer", "prostate cancer",
                "myasthenia gravis", "lupus", "hepatocellular carcinoma", "colorectal cancer")
_TERRITORIES = ((("WORLD",), ("GREATER-CHINA",), 30), (("WORLD",), ("CN",), 12), (("WORLD",), (), 25),
                (("US",), (), 4), (("NORTH-AMERICA", "EUROPE"), (), 4), (("CN",), (), 8),
                (("GREATER-CHINA",), (), 6), ((), (), 11))


def _pick(rng: random.Random, table: tuple) -> Any:
    """A weighted choice from ((value, weight), …) or ((…, weight) triples → the leading values)."""
    values = [row[:-1] if len(row) > 2 else row[0] for row in table]
    return rng.choices(values, weights=[row[-1] for row in table])[0]


class _Zipf:
    """Draws indexes 0..n-1 with probability ∝ 1/(rank+1)^s: a few heavy hitters, a long tail."""

    def __init__(self, n: int, s: float):
        self.cum = list(itertools.accumulate(1.0 / (i + 1) ** s for i in range(n)))

    def draw(self, rng: random.Random) -> int:
        return min(bisect.bisect_left(self.cum, rng.random() * self.cum[-1]), len(self.cum) - 1)


def _name(i: int, parts: tuple[str, ...], count: int = 3) -> str:
    """The i-th name made of ``count`` syllables (distinct for distinct i < len(parts)**count)."""
    out = []
    for _ in range(count):
        i, r = divmod(i, len(parts))
        out.append(parts[r])
    if i:
        out.append(str(i))
    return "".join(out).capitalize()


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _usd_phrase(usd_millions: float, qualifier: str = "") -> str:
    q = f"{qualifier} " if qualifier else ""
    if usd_millions >= 1000:
        return f"{q}USD {usd_millions / 1000:.2f} billion".replace(".00 billion", " billion")
    return f"{q}USD {int(round(usd_millions))} million"


def synthetic_seeds(deals: int, seed: int = 0, orgs: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Seed records (as YAML holds them) for ``deals`` deals among about ``orgs`` organizations.

    ``orgs`` defaults to a third of the deals (at least 40). Deterministic for ``seed``.
    """
    if deals < 1:
        raise ValueError("deals must be at least 1")
    rng = random.Random(seed)
    n_orgs = max(40, orgs if orgs is not None else deals // 3)
    n_mnc = min(400, max(8, n_orgs // 25))
    n_funds = max(3, n_orgs // 60)
    n_small = max(10, n_orgs - n_mnc - n_funds - 1)
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in KINDS}

    docs = [f"synth-doc-{i:02d}" for i in range(N_SOURCES)]
    for i, d in enumerate(docs):
        out["sources"].append({"id": d, "title": f"Synthetic deal report {i + 1}", "publisher": "dealgraph synth",
                               "date": f"{2016 + i % 10}", "type": "report", "file": f"{d}.txt"})

    def cite(k: int = 1) -> list[str]:
        return sorted({f"{rng.choice(docs)}:{rng.randint(1, SOURCE_LINES)}" for _ in range(k)})

    by_id: dict[str, dict[str, Any]] = {}
    names: set[str] = set()

    def org(name: str, kind: str, country: str | None, **extra: Any) -> str:
        base, k = name, 1
        while name.casefold() in names or _slug(name) in by_id:
            k += 1
            name = f"{base} {k}"
        names.add(name.casefold())
        for a in extra.get("aliases", []):
            names.add(a.casefold())
        rec = {"id": _slug(name), "name": name, "type": kind, **({"country": country} if country else {}),
               **extra, "sources": cite(rng.choice((1, 1, 2)))}
        out["organizations"].append(rec)
        by_id[rec["id"]] = rec
        return rec["id"]

    provider = org("Synthetic Deal Data", "data-provider", "CN")
    mncs = [org(f"{_name(i, _WEST, 2)} {rng.choice(_MNC_SUFFIX) if i % 9 else 'Medical Technologies'}",
                "pharma" if i % 9 else "medtech", _pick(rng, _MNC_HOME), multinational=True) for i in range(n_mnc)]
    funds = [org(f"{_name(i, _WEST, 2)} Capital", "fund" if i % 2 else "investor", _pick(rng, (("US", 3), ("CN", 2))))
             for i in range(n_funds)]
    smalls = []
    for i in range(n_small):
        country = "CN" if rng.random() < 0.78 else _pick(rng, _NON_CN)
        parts = _SYLLABLES if country in ("CN", "HK", "TW") else _WEST
        kind = "medtech" if rng.random() < 0.07 else ("pharma" if rng.random() < 0.12 else "biotech")
        alias = f"{_name(i, parts, 3)} {rng.choice(_SMALL_SUFFIX)} Co. Ltd."
        extra = {"aliases": [alias]} if i % 5 == 0 and alias.casefold() not in names else {}
        smalls.append(org(f"{_name(i, parts, 3)} {_SMALL_SUFFIX[i % len(_SMALL_SUFFIX)]}", kind, country, **extra))
    # a few subsidiaries: small companies owned by multinationals
    for i in range(0, n_small, 97):
        by_id[smalls[i]]["subsidiary_of"] = mncs[i % n_mnc]

    mnc_z, small_z, fund_z = _Zipf(n_mnc, 1.1), _Zipf(n_small, 0.9), _Zipf(n_funds, 1.0)
    asset_no = itertools.count(1)
    assets_of: dict[str, list[str]] = {}
    newcos: list[str] = []
    deal_ids: set[str] = set()
    years: dict[str, int] = {}

    def new_asset(originator: str) -> str:
        n = next(asset_no)
        modality = _pick(rng, _MODALITIES)
        kind = "device" if modality in ("surgical-robot", "imaging-device", "implant", "diagnostic") else \
            ("platform" if modality in ("ai-discovery", "conjugation-platform") else "drug")
        rec = {"id": f"syn-{n:06d}", "name": f"SYN-{n:06d}", "type": kind, "modality": modality,
               "stage": _pick(rng, _STAGES), "originator": originator, "sources": cite()}
        if kind == "drug":
            rec["target"] = rng.choice(_TARGETS)
            rec["indication"] = rng.choice(_INDICATIONS)
        out["assets"].append(rec)
        assets_of.setdefault(originator, []).append(rec["id"])
        return rec["id"]

    def terms(dtype: str) -> dict[str, Any]:
        t: dict[str, Any] = {}
        scale = 3.0 if dtype in ("licence", "option", "co-development", "newco") else 1.0
        up = rng.lognormvariate(3.3, 1.1) * scale            # USD millions, median ~80
        r = rng.random()
        if r < 0.12:
            t["upfront"] = "undisclosed"
        elif r < 0.17:
            t["upfront"] = f"RMB {int(up * 7)} million"
        elif r < 0.95:
            t["upfront"] = _usd_phrase(up)
        if dtype in ("licence", "option", "co-development", "newco") and rng.random() < 0.8:
            t["milestones"] = _usd_phrase(up * rng.uniform(4, 25), "up to")
            if rng.random() < 0.1:
                t["near_term"] = _usd_phrase(up * rng.uniform(0.2, 1.0))
        if rng.random() < 0.35:
            total = up * rng.uniform(5, 30)
            claim = _usd_phrase(total, rng.choice(("up to", "up to", "about", "over", "")))
            if rng.random() < 0.08:   # two sources disagree
                t["total"] = [{"value": claim, "sources": cite()},
                              {"value": _usd_phrase(total * rng.uniform(0.9, 1.1), "about"), "sources": cite()}]
            else:
                t["total"] = claim
        if dtype in ("equity-investment", "newco") or rng.random() < 0.05:
            t["equity"] = _usd_phrase(rng.lognormvariate(3, 1))
        if dtype == "acquisition":
            t = {"total": _usd_phrase(rng.lognormvariate(6, 1.2), rng.choice(("", "up to", "about")))}
        return t

    def add_deal(dtype: str, a: str, b: str, date: str, assets: list[str], **extra: Any) -> dict[str, Any]:
        base = f"{date[:7]}-{a}-{b}"
        did, k = base, 1
        while did in deal_ids:
            k += 1
            did = f"{base}-{k}"
        deal_ids.add(did)
        ra, rb = _ROLES[dtype]
        parties = {ra: [a, b]} if ra == rb else {ra: a, rb: b}
        rec: dict[str, Any] = {"id": did, "type": dtype, "date": date, "parties": parties}
        if assets:
            rec["assets"] = assets
        rec.update(extra)
        rec["sources"] = cite(rng.choice((1, 1, 2, 3)))
        out["deals"].append(rec)
        years[date[:4]] = years.get(date[:4], 0) + 1
        return rec

    def date() -> str:
        y, m = rng.randint(2015, 2025), rng.randint(1, 12)
        return f"{y}-{m:02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.4 else f"{y}-{m:02d}"

    while len(out["deals"]) < deals:
        dtype = _pick(rng, _DEAL_TYPES)
        licensor = smalls[small_z.draw(rng)]
        partner = mncs[mnc_z.draw(rng)]
        d = date()
        status = "terminated" if rng.random() < 0.06 else _pick(rng, (("active", 6), ("announced", 3),
                                                                       ("completed", 1), ("pending", 1)))
        extra: dict[str, Any] = {"status": status}
        assets: list[str] = []
        if dtype in ("licence", "option", "co-development", "newco", "distribution", "localisation"):
            owned = assets_of.get(licensor, [])
            if owned and rng.random() < 0.15:
                assets = [rng.choice(owned)]
            else:
                assets = [new_asset(licensor) for _ in range(rng.choice((1, 1, 1, 1, 2, 3)))]
            extra["stage_at_signing"] = _pick(rng, _STAGES)
            inc, exc = _pick(rng, _TERRITORIES)
            if inc:
                extra["territory_include"] = list(inc)
            if exc:
                extra["territory_exclude"] = list(exc)
        if dtype == "newco":
            founders = sorted({funds[fund_z.draw(rng)] for _ in range(rng.choice((1, 2, 2, 3)))})
            name = f"{_name(len(newcos), _WEST, 3)} Bio NewCo"
            newco = org(name, "newco", rng.choice(("US", "US", "GB", "CH")), formed_by=founders,
                        note="Synthetic NewCo formed to in-license Chinese assets.")
            by_id[licensor].setdefault("stakes", []).append({"org": newco, "percent": rng.choice((10, 15, 19.9, 25))})
            newcos.append(newco)
            partner = newco
            extra["note"] = "Rights licensed into a new company in exchange for cash and equity."
        elif dtype == "acquisition":
            if newcos and rng.random() < 0.3:   # a NewCo bought by a multinational
                licensor = newcos[rng.randrange(len(newcos))]
        elif dtype == "equity-investment":
            partner = funds[fund_z.draw(rng)] if rng.random() < 0.7 else partner
        if dtype in ("co-development", "strategic-collaboration") and rng.random() < 0.2:
            share = rng.choice((50, 60, 70))
            extra["cost_split"] = [{"org": partner, "percent": share}, {"org": licensor, "percent": 100 - share}]
        t = terms(dtype)
        if t:
            extra["terms"] = t
        if rng.random() < 0.1:
            extra["royalties"] = rng.choice(("tiered royalties on net sales", "low double-digit royalties",
                                             "undisclosed royalties"))
        deal = add_deal(dtype, licensor, partner, d, assets, **extra)
        if status == "terminated":
            ev: dict[str, Any] = {"id": f"{deal['id']}-termination", "type": "termination", "deal": deal["id"],
                                  "orgs": [licensor, partner]}
            if rng.random() < 0.5:
                ev["date"] = f"{min(2025, int(d[:4]) + rng.randint(1, 3))}"
            if rng.random() < 0.6:
                ev["terms"] = {"retained": _usd_phrase(rng.lognormvariate(2.5, 1))}
            ev["returned"] = "Rights returned to the licensor."
            ev["sources"] = cite()
            out["events"].append(ev)
        elif assets and rng.random() < 0.05:
            ev = {"id": f"{deal['id']}-milestone", "type": "milestone-payment", "deal": deal["id"],
                  "assets": assets[:1], "orgs": [partner],
                  "terms": {"payment": _usd_phrase(rng.lognormvariate(3, 0.8))}, "sources": cite()}
            out["events"].append(ev)
    for y, n in sorted(years.items()):
        out["statistics"].append({"id": f"synth-{y}-deal-count", "measure": "synthetic-deal-count", "period": y,
                                  "value": n, "unit": "count", "provider": provider, "sources": cite()})
    return out


class _Parsed:
    """Citations and money phrases parsed once each: a synthetic dataset repeats them many times.

    The parsed objects come from the same models as any seed value; pydantic accepts
    them inside a record as they are, so a record validates to the same result.
    """

    def __init__(self) -> None:
        self.cites: dict[str, Citation] = {}
        self.money: dict[str, Money] = {}

    def cite(self, text: Any) -> Any:
        if not isinstance(text, str):
            return text
        c = self.cites.get(text)
        if c is None:
            c = self.cites[text] = Citation.model_validate(text)
        return c

    def claim(self, v: Any) -> Any:
        if isinstance(v, list):
            return [self.claim(x) for x in v]
        if not isinstance(v, str):
            return v
        m = self.money.get(v)
        if m is None:
            m = self.money[v] = Money.model_validate(v)
        return m

    def record(self, raw: dict[str, Any]) -> dict[str, Any]:
        out = dict(raw)
        if "sources" in out:
            out["sources"] = [self.cite(c) for c in out["sources"]]
        if "terms" in out:
            out["terms"] = {k: self.claim(v) for k, v in out["terms"].items()}
        if "money" in out:
            out["money"] = self.claim(out["money"])
        return out


def dataset_from_seeds(seeds: dict[str, list[dict[str, Any]]], where: str = "synthetic") -> Dataset:
    """Validate seed dicts (ids only, no aliases as references) into a Dataset with the seed models."""
    ds = Dataset()
    parsed = _Parsed()
    for kind in KINDS:
        model = RECORD_TYPES[kind]
        table = ds.table(kind)
        for i, raw in enumerate(seeds.get(kind, [])):
            rec = model.model_validate(parsed.record(raw))
            table[rec.id] = rec
            ds.origins[(kind, rec.id)] = Origin(f"{where}/{kind}.yaml", i + 1)
    return ds


def synthetic_dataset(deals: int, seed: int = 0, orgs: int | None = None) -> Dataset:
    """A validated synthetic Dataset with ``deals`` deals (see ``synthetic_seeds``)."""
    with paused_gc():
        return dataset_from_seeds(synthetic_seeds(deals, seed, orgs))


_HEADERS = {
    "sources": "Synthetic source documents (no files behind them).",
    "organizations": "Synthetic organizations: multinationals, small licensors (mostly CN), funds, NewCos.",
    "assets": "Synthetic assets.",
    "deals": "Synthetic deals.",
    "events": "Synthetic events: terminations and milestone payments.",
    "statistics": "Synthetic statistics: deals per year.",
}


def write_seeds(seeds: dict[str, list[dict[str, Any]]], out_dir: Path | str) -> list[Path]:
    """Write ``<out_dir>/<kind>.yaml`` for each kind; returns the files written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    files = []
    for kind in KINDS:
        path = out / f"{kind}.yaml"
        records = [{**{k: v for k, v in r.items() if k != "sources"}, "sources": r["sources"]} if "sources" in r else r
                   for r in seeds.get(kind, [])]
        text = yaml.dump(records, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120,
                         default_flow_style=None)
        path.write_text(f"# {_HEADERS[kind]} Made by `dealgraph synth`.\n" + text, encoding="utf-8")
        files.append(path)
    return files
