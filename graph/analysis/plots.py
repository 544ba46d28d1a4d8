"""PNG figures of the analyses, drawn with matplotlib's Agg backend (no display, no pyplot state)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .centrality import sort_rows
from .exposure import GREATER_CHINA, Exposure

PNG_META = {"Software": None}   # no matplotlib version stamp: same input, same bytes
CHINA_COLOR, MNC_COLOR, OTHER_COLOR = "#c0392b", "#2c7fb8", "#95a5a6"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5")


def _save(fig: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    FigureCanvasAgg(fig)
    fig.savefig(path, dpi=110, metadata=PNG_META)
    return path


def _short(text: str, n: int = 34) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def plot_centrality_top(rows: Iterable[dict[str, Any]], path: Path | str, by: str = "weighted_degree",
                        top: int = 20) -> Path:
    """Horizontal bars of the ``top`` organizations by ``by``, coloured Chinese / multinational / other."""
    best = [r for r in sort_rows(rows, by)[:top] if r.get(by)]
    fig = Figure(figsize=(8, 0.32 * max(len(best), 3) + 1.4))
    ax = fig.add_subplot()
    labels = [_short(r["name"] or r["id"]) + (f" ({r['country']})" if r.get("country") else "") for r in best][::-1]
    values = [r[by] for r in best][::-1]
    colors = [CHINA_COLOR if r.get("country") in GREATER_CHINA else MNC_COLOR if r.get("multinational")
              else OTHER_COLOR for r in best][::-1]
    ax.barh(range(len(best)), values, color=colors)
    ax.set_yticks(range(len(best)), labels, fontsize=8)
    ax.set_xlabel(by.replace("_", " "))
    ax.set_title(f"Top {len(best)} organizations by {by.replace('_', ' ')}")
    ax.legend(handles=[Patch(color=CHINA_COLOR, label="Greater China"), Patch(color=MNC_COLOR, label="multinational"),
                       Patch(color=OTHER_COLOR, label="other")], fontsize=8, loc="lower right")
    if not best:
        ax.text(0.5, 0.5, "no organization has any deal", ha="center", va="center", transform=ax.transAxes)
    fig.tight_layout()
    return _save(fig, Path(path))


def plot_exposure(results: Iterable[Exposure], path: Path | str, top: int = 20) -> Path:
    """Direct China deals (left) and indirectly reached China-originated assets (right) of the ``top``
    multinationals, each bar split by modality family."""
    ranked = sorted((e for e in results if e.direct["deals"] or e.indirect["assets"] or e.indirect["unnamed"]),
                    key=lambda e: (-(e.direct["deals"] + e.indirect["assets"] + e.indirect["unnamed"]), e.org))[:top]
    ranked = ranked[::-1]
    families = sorted({f for e in ranked for f in (*e.direct["by_family"], *e.indirect["by_family"])})
    color = {f: PALETTE[i % len(PALETTE)] for i, f in enumerate(families)}
    fig = Figure(figsize=(11, 0.34 * max(len(ranked), 3) + 2.4))
    left, right = fig.subplots(1, 2, sharey=True)
    ys = range(len(ranked))
    for ax, part, title in ((left, "direct", "Direct: deals with Chinese counterparties"),
                            (right, "indirect", "Indirect: China-originated assets reached via a chain")):
        base = [0.0] * len(ranked)
        for f in families:
            vals = []
            for e in ranked:
                b = getattr(e, part)["by_family"].get(f)
                vals.append((b["deals"] if isinstance(b, dict) else b) or 0)
            if any(vals):
                ax.barh(ys, vals, left=base, color=color[f], label=f)
                base = [a + b for a, b in zip(base, vals)]
        ax.set_title(title, fontsize=10)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("deals (a deal counts once per modality family)" if part == "direct"
                      else "assets (unnamed rights: one per deal)")
    left.set_yticks(list(ys), [f"{_short(e.name, 28)}" for e in ranked], fontsize=8)
    rows = -(-len(families) // 6) if families else 0
    if families:
        fig.legend(handles=[Patch(color=color[f], label=f) for f in families], loc="lower center",
                   ncol=min(len(families), 6), fontsize=8, title="modality family", title_fontsize=8, frameon=False)
    if not ranked:
        left.text(0.5, 0.5, "no China exposure found", ha="center", va="center", transform=left.transAxes)
    fig.suptitle("China exposure of multinationals, by modality family", fontsize=11)
    fig.tight_layout(rect=(0, 0.03 + 0.035 * (rows + 1) if families else 0, 1, 1))
    return _save(fig, Path(path))
