"""The China-exposure map of one multinational: how China-originated assets flow to it.

From ``graph.analysis.exposure`` (its definitions of group, Chinese and direct/indirect apply):

- each direct deal with a Chinese partner is drawn giver → asset → taker (``flows``) when it names
  assets, else giver → taker; so a licence reads originator → asset → multinational;
- each indirect chain (licence to a NewCo, then an acquisition…) is drawn hop by hop, its first
  hop through the asset it carries;
- an asset originated by an organization other than the giver gets a dotted line from its originator.

Nodes are laid out in layers from left (originators) to right (the multinational).
"""
from __future__ import annotations

from ...models.dataset import Dataset
from ...core.errors import DealgraphError
from . import cards, flows, metrics, style
from .filters import DealFilter, usd_text
from .network import ASSET, ORG, MapEdge, MapGraph, MapNode, MapOptions, org_node, place, resolve_org


RELATION_STYLE = {"subsidiary_of": "subsidiary", "formed_by": "formed-by", "stake": "stake"}


def exposure_map(ds: Dataset, name: str, flt: DealFilter = DealFilter(), opts: MapOptions = MapOptions()
                 ) -> MapGraph:
    """How China-headquartered organizations' deals and assets reach ``name`` (any alias); see the module
    docstring. Hovering a line lists its deals; the multinational's card gives the exposure figures."""
    opts.checked()
    flt = flt.checked()
    oid = resolve_org(ds, name)
    o = ds.organizations[oid]
    sub = flt.apply(ds)
    reuse = not flt.active and not opts.greater_china and opts.exposures and oid in opts.exposures
    exp = opts.exposures[oid] if reuse else metrics.china_exposure(
        sub, oid, index=None if flt.active else opts.exposure_index)
    if flt.active and not exp.direct["deals"] and not exp.indirect["chains"]:
        mine = sorted((d for d in ds.deals.values() if oid in d.party_ids()), key=lambda d: d.id)
        raise DealgraphError(f"no China deal or chain reaches {o.name} in this selection: "
                             + "; ".join(flt.explain(ds, mine)))
    lines: dict[tuple[str, str, bool], list[str]] = {}
    dotted: dict[tuple[str, str], list[str]] = {}
    assets: set[str] = set()

    def add(a: str, b: str, directed: bool, deal: str) -> None:
        ids = lines.setdefault((a, b, directed), [])
        if deal not in ids:
            ids.append(deal)

    def through(a: str, b: str, directed: bool, deal: str, asset_ids: list[str]) -> None:
        known = [x for x in asset_ids if x in sub.assets]
        if not known:
            add(ORG + a, ORG + b, directed, deal)
            return
        for x in known:
            assets.add(x)
            add(ORG + a, ASSET + x, directed, deal)
            add(ASSET + x, ORG + b, directed, deal)

    group = set(exp.group)
    for row in exp.direct["deal_list"]:
        d = sub.deals[row["deal"]]
        for a, b, directed in flows.links(d):
            if (a in row["partners"] and b in group) or (b in row["partners"] and a in group):
                through(a, b, directed, d.id, list(d.assets))
    corporate: dict[tuple[str, str, str], list[str]] = {}
    for ch in exp.indirect["chain_list"]:
        c = ch["chain"]
        for i in range(0, len(c) - 2, 2):
            if c[i + 1] not in sub.deals:          # a corporate hop: NewCo → founder, subsidiary → parent
                st = RELATION_STYLE.get(c[i + 1], "subsidiary")
                corporate.setdefault((ORG + c[i], ORG + c[i + 2], st), [
                    f"{ds.organizations[c[i]].name} → {ds.organizations[c[i + 2]].name}: "
                    f"{style.LINK_STYLES[st][0].replace(' (dotted)', '').lower()}"])
                continue
            asset = [ch["asset"]] if (i == 0 and ch["asset"]) else []
            through(c[i], c[i + 2], True, c[i + 1], asset)
    orgs = {oid} | {k[len(ORG):] for a, b, _ in [*lines, *corporate] for k in (a, b) if k.startswith(ORG)}
    drawn = {(a, b) for a, b, _ in lines}
    for x in sorted(assets):
        orig = sub.assets[x].originator
        if orig and orig in ds.organizations and (ORG + orig, ASSET + x) not in drawn:
            orgs.add(orig)
            dotted[(ORG + orig, ASSET + x)] = [f"{sub.assets[x].name} was originated by {ds.organizations[orig].name}"]
    cent = metrics.centrality(sub, None if flt.active else opts.centrality, opts.size_by)
    top = max((cent.size_of(n) for n in orgs), default=0.0)
    nodes: list[MapNode] = [org_node(ds, n, cent, top, opts.colour_by, focus=(n == oid)) for n in sorted(orgs)]
    focus = next(n for n in nodes if n.focus)
    dx, ix = exp.direct, exp.indirect
    focus.measures[:0] = [
        ["Sourcing from China (headline)", measure_text(exp.sourcing)],
        ["Sourcing value", usd_text(exp.sourcing["value_usd"]) or "none disclosed"],
        ["Market: selling into China", measure_text(exp.market)],
        ["Capital: stakes in China", measure_text(exp.capital)],
        ["Chinese partners (any direction)", str(len(dx["partners"]))],
        ["Indirect China-originated assets", str(ix["assets"])],
        ["Indirect chains", str(ix["chains"])]]
    for x in sorted(assets):
        nodes.append(asset_node(ds, x))
    edges = [MapEdge(a, b, "deal", directed, ids) for (a, b, directed), ids in sorted(lines.items())]
    edges += [MapEdge(a, b, "originated", True, [], words) for (a, b), words in sorted(dotted.items())]
    edges += [MapEdge(a, b, st, True, [], words) for (a, b, st), words in sorted(corporate.items())]
    records = {k: cards.deal_record(ds, sub.deals[k]) for k in sorted({d for e in edges for d in e.deals})}
    place(nodes, edges, "exposure", ORG + oid, opts.layouts)
    notes = ["Read left to right: the Chinese originator, the asset, then whoever took the rights "
             "(a NewCo, an acquirer), ending at the multinational."]
    if not dx["deals"] and not ix["chains"]:
        notes.append(f"No deal or chain links {o.name} to a China-headquartered organization in this selection.")
    summary = [("Sourcing deals", bounds_text(exp.sourcing)), ("Market deals", bounds_text(exp.market)),
               ("Capital deals", bounds_text(exp.capital)), ("Indirect chains", str(ix["chains"])),
               ("Assets", str(len(assets)))]
    return MapGraph(f"China exposure of {o.name}", flt.describe() or "all deals", "exposure", nodes, edges,
                    records, cards.documents(ds), ORG + oid, summary, notes, opts.schemes(),
                    f"Node size: {cent.method}.", opts.greater_china, opts.colour_by)


def bounds_text(measure: dict) -> str:
    """Deals of one exposure measure with its bounds: '5' or '5–6' (6 counting possibly Chinese partners)."""
    lo, hi = measure["deals"], measure["deals_high"]
    return str(lo) if lo == hi else f"{lo}–{hi}"


def measure_text(measure: dict) -> str:
    """'5–6 of 12 deals (42–50%)': an exposure measure's deals and share, lower–upper bound."""
    text = f"{bounds_text(measure)} of {measure['all_deals']} deals"
    lo, hi = measure["share"], measure["share_high"]
    if lo is not None:
        text += f" ({lo:.0%})" if lo == hi or hi is None else f" ({lo:.0%}–{hi:.0%})"
    return text


def asset_node(ds: Dataset, aid: str) -> MapNode:
    """A diamond for an asset, with its modality, stage, target, indication, originator, codes, sources."""
    from ...models.vocabulary import vocabulary
    v = vocabulary()
    rec = ds.assets[aid]
    rows = [["Modality", v.modalities[rec.modality].label if rec.modality in v.modalities else rec.modality],
            ["Stage", v.stages[rec.stage].label if rec.stage in v.stages else rec.stage]]
    if rec.target:
        rows.append(["Target", rec.target])
    if rec.indication:
        rows.append(["Indication", rec.indication])
    if rec.originator and rec.originator in ds.organizations:
        rows.append(["Originator", ds.organizations[rec.originator].name])
    if rec.codes:
        rows.append(["Codes", ", ".join(rec.codes)])
    rows.append(["Sources", ", ".join(sorted({str(c) for c in rec.sources}))])
    return MapNode(ASSET + aid, rec.name, "asset", {"side": "asset", "country": "asset"}, 9.0, rows,
                   names=rec.names(), importance=0.0)


__all__ = ["asset_node", "exposure_map"]
