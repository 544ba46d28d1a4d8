"""PNG figures of the analyses, drawn with matplotlib's Agg backend (no display, no pyplot state)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .centrality import sort_rows
from .chains import GREATER_CHINA
from .direction import DIRECTIONS
from .exposure import Exposure

PNG_META = {"Software": None}   # no matplotlib version stamp: same input, same bytes
CHINA_COLOR, MNC_COLOR, OTHER_COLOR = "#c0392b", "#2c7fb8", "#95a5a6"
DIRECTION_COLORS = {"sourcing": "#c0392b", "market": "#2c7fb8", "capital": "#8e44ad"}

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


def plot_exposure(results: Iterable[Exposure], path: Path | str, top: int = 30) -> Path:
    """China deals of the ``top`` multinationals by direction: sourcing, market and capital side by side.

    Solid: deals with a party headquartered in China (lower bound); pale, on top: deals whose party has no
    recorded country (possibly China, up to the upper bound). Sourcing includes chain-ending deals; the
    count of China-originated assets reached through chains is written beside the sourcing bar.
    """
    ranked = sorted((e for e in results if any(e.measure(m)["deals_high"] for m in DIRECTIONS)
                     or e.indirect["assets"]),
                    key=lambda e: (-e.sourcing["deals_high"], -e.market["deals_high"], -e.capital["deals_high"],
                                   e.org))[:top][::-1]
    fig = Figure(figsize=(10, 0.42 * max(len(ranked), 3) + 1.8))
    ax = fig.add_subplot()
    height = 0.26
    for k, m in enumerate(DIRECTIONS):
        ys = [i + (1 - k) * height for i in range(len(ranked))]
        low = [e.measure(m)["deals"] for e in ranked]
        poss = [e.measure(m)["possible_deals"] for e in ranked]
        ax.barh(ys, low, height=height, color=DIRECTION_COLORS[m], label=f"{m}")
        ax.barh(ys, poss, left=low, height=height, color=DIRECTION_COLORS[m], alpha=0.35,
                label=f"{m}: possibly China" if any(poss) else None)
        if m == "sourcing":
            for y, e, a, b in zip(ys, ranked, low, poss):
                if e.indirect["assets"]:
                    ax.text(a + b + 0.1, y, f"{e.indirect['assets']} via chains", va="center", fontsize=7)
    top_x = max((e.measure(m)["deals_high"] for e in ranked for m in DIRECTIONS), default=0)
    ax.set_xlim(0, top_x * 1.15 + 1)
    ax.set_yticks(range(len(ranked)), [_short(e.name, 28) for e in ranked], fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("deals (solid: China; pale: party's country not recorded)")
    if ranked:
        ax.legend(fontsize=8, loc="lower right")
    else:
        ax.text(0.5, 0.5, "no China exposure found", ha="center", va="center", transform=ax.transAxes)
    ax.set_title("China exposure of multinationals by direction", fontsize=11)
    fig.tight_layout()
    return _save(fig, Path(path))
