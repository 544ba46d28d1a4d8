"""Node positions computed in Python, so every map opens already laid out (no simulation in the browser).

``layered_layout`` places exposure maps in columns from originators to the multinational.
``force_layout`` places every other map. It is ForceAtlas2-like (Jacomy et al. 2014): every node repels
every other with a force ``m_i·m_j/d`` (mass ``m = degree + 1``, so hubs keep room around them), linked
nodes attract linearly with their edge weight, and a weak gravity keeps separate components together.
Repulsion between all pairs is summed exactly for maps of up to ``DIRECT_UP_TO`` nodes (O(n²) per step
with numpy: faster than any grid at the sizes ego maps have), and above on a grid in O(n + G² log G) per
step (particle-mesh: masses spread onto a G×G grid, convolved with the force kernel by FFT, read back at
each node), so 5,000 nodes take seconds with numpy alone. Steps are capped by a temperature that cools
linearly, as in Fruchterman–Reingold, so the number of iterations fixes the cost and the result. Same
graph and seed, same positions. ``separate`` then pushes overlapping nodes apart, looking only at pairs
a spatial hash (``close_pairs``) finds near each other.
"""
from __future__ import annotations

import math
from typing import Callable, Hashable, Iterable

import numpy as np

SPRING_UP_TO = 300        # nodes; components up to this size are laid out by ``spring_layout``
SEPARATE_UP_TO = 1500     # nodes; up to this size overlapping nodes are pushed apart after the layout
DIRECT_UP_TO = 160        # nodes; up to this size repulsion is summed over all pairs, above on the FFT mesh
STEPS_SMALL = 100         # layout steps up to ``DIRECT_UP_TO`` nodes: small maps settle sooner (bench_maps_build.py)
STEPS_LARGE = 300         # layout steps above
SOFTENING = 0.05          # squared distance added in the direct repulsion, so coincident nodes stay finite


def _kernel_fft(grid: int) -> tuple[np.ndarray, np.ndarray]:
    """FFTs of the x and y force kernels (d⃗/|d|², zero at the origin) on a 2·grid periodic mesh."""
    p = 2 * grid
    off = np.arange(p)
    off = np.where(off < grid, off, off - p).astype(float)
    off[grid] = 0.0                                    # offset ±grid never occurs between mesh points
    dx, dy = np.meshgrid(off, off, indexing="ij")
    r2 = dx * dx + dy * dy + 0.25                      # softened at sub-cell distances
    kx, ky = dx / r2, dy / r2
    kx[0, 0] = ky[0, 0] = 0.0
    return np.fft.rfft2(kx), np.fft.rfft2(ky)


def _nearest_distances(pos: np.ndarray, chunk: int = 512, rows: int = 4096) -> np.ndarray:
    """Distance from each point (above ``rows`` points: from every k-th, a fixed sample) to its nearest other.

    Exact per point, in row chunks to bound memory. The layout takes only the median, which the sample
    gives closely in linear time (all pairs of the 38,000-node overview at 100k deals took about 20 s).
    """
    step = -(-len(pos) // rows) if len(pos) > rows else 1
    out = np.empty(len(pos[::step]))
    for start in range(0, len(out), chunk):
        idx = np.arange(start, min(start + chunk, len(out))) * step
        d2 = ((pos[idx][:, None, :] - pos[None, :, :]) ** 2).sum(axis=2)
        d2[np.arange(len(idx)), idx] = np.inf
        out[start:start + chunk] = np.sqrt(d2.min(axis=1))
    return out


def component_layout(nodes: list[Hashable], edges: Iterable[tuple[Hashable, Hashable, float]], *,
                     sizes: dict[Hashable, float] | None = None, seed: int = 7) -> dict[Hashable, tuple[int, int]]:
    """``force_layout`` of each connected component on its own, the components then packed in rows.

    Components are placed largest first, left to right in rows about as wide as the square root of
    their total area, with a margin between them, so that a map of many small deal pairs reads as a
    tidy grid beside its main cluster instead of a scatter. Same input, same positions.
    """
    edges = list(edges)
    parent = {k: k for k in nodes}

    def root(k: Hashable) -> Hashable:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b, _ in edges:
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    comps: dict[Hashable, list[Hashable]] = {}
    for k in nodes:
        comps.setdefault(root(k), []).append(k)
    if len(comps) == 1:
        return force_layout(nodes, edges, sizes=sizes, seed=seed)
    blocks = []
    for members in sorted(comps.values(), key=lambda m: (-len(m), str(m[0]))):
        inside = set(members)
        mine = [e for e in edges if e[0] in inside and e[1] in inside]
        if 3 <= len(members) <= SPRING_UP_TO:
            sub = spring_layout(members, mine, sizes=sizes, seed=seed)
        else:
            sub = force_layout(members, mine, sizes=sizes, seed=seed, iterations=150 if len(members) > 3 else 60)
        r = {k: (sizes or {}).get(k, 5.0) for k in members}
        xs = [sub[k][0] - r[k] for k in members] + [sub[k][0] + r[k] + 150 for k in members]   # room for a label
        ys = [sub[k][1] - r[k] for k in members] + [sub[k][1] + r[k] for k in members]
        blocks.append((members, sub, min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    margin = 30.0
    row_width = max(max(b[4] for b in blocks), math.sqrt(sum((b[4] + margin) * (b[5] + margin) for b in blocks)) * 1.4)
    out: dict[Hashable, tuple[int, int]] = {}
    x = y = row_h = 0.0
    for members, sub, x0, y0, w, h in blocks:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + margin, 0.0
        for k in members:
            out[k] = (int(round(sub[k][0] - x0 + x)), int(round(sub[k][1] - y0 + y)))
        x += w + margin
        row_h = max(row_h, h)
    cx = (min(p[0] for p in out.values()) + max(p[0] for p in out.values())) / 2
    cy = (min(p[1] for p in out.values()) + max(p[1] for p in out.values())) / 2
    return {k: (int(round(px - cx)), int(round(py - cy))) for k, (px, py) in out.items()}


def spring_layout(nodes: list[Hashable], edges: list[tuple[Hashable, Hashable, float]], *,
                  sizes: dict[Hashable, float] | None = None, seed: int = 7,
                  edge_px: float = 110.0) -> dict[Hashable, tuple[int, int]]:
    """Fruchterman–Reingold (``networkx.spring_layout``, fixed seed) for one small component, scaled so
    that the median line is ``edge_px`` long, then ``separate``-d so that no two nodes overlap.

    Fruchterman–Reingold keeps line lengths even, which reads better than ``force_layout`` on the small
    trees and stars that deal networks are made of.
    """
    import networkx as nx

    G = nx.Graph()
    G.add_nodes_from(nodes)
    G.add_edges_from((a, b) for a, b, _ in edges)
    raw = nx.spring_layout(G, seed=seed, iterations=200)
    pos = np.array([raw[k] for k in nodes], dtype=float)
    lengths = [float(np.linalg.norm(raw[a] - raw[b])) for a, b in G.edges if a != b]
    median = float(np.median(lengths)) if lengths else 1.0
    pos *= edge_px / (median or 1.0)
    radii = np.array([float((sizes or {}).get(k, 5.0)) for k in nodes])
    pos = separate(pos - pos.mean(axis=0), radii, gap=14.0)
    return {k: (int(round(float(x))), int(round(float(y)))) for k, (x, y) in zip(nodes, pos)}


def _mesh_repulsion(grid: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """Repulsion ``Σ_j m_i·m_j·(p_i − p_j)/|p_i − p_j|²`` for every node, on a ``grid``×``grid`` mesh.

    Masses are spread bilinearly onto the mesh, convolved with the force kernel by FFT on a periodic
    mesh twice as wide (so nothing wraps around), and read back at each node: O(n + G² log G).
    """
    kx_f, ky_f = _kernel_fft(grid)
    p = 2 * grid

    def repel(pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
        lo = pos.min(axis=0)
        span = float((pos.max(axis=0) - lo).max()) or 1.0
        h = span / (grid - 2)                          # cell size; one spare cell at the far edge
        g = (pos - lo) / h
        i0 = np.clip(np.floor(g).astype(np.int64), 0, grid - 2)
        f = g - i0
        wts = ((1 - f[:, 0]) * (1 - f[:, 1]), f[:, 0] * (1 - f[:, 1]), (1 - f[:, 0]) * f[:, 1], f[:, 0] * f[:, 1])
        cells = (i0[:, 0] * p + i0[:, 1], (i0[:, 0] + 1) * p + i0[:, 1], i0[:, 0] * p + i0[:, 1] + 1,
                 (i0[:, 0] + 1) * p + i0[:, 1] + 1)
        rho = np.zeros(p * p)
        for c, wt in zip(cells, wts):
            rho += np.bincount(c, weights=mass * wt, minlength=p * p)
        rho_f = np.fft.rfft2(rho.reshape(p, p))
        fx = np.fft.irfft2(rho_f * kx_f, s=(p, p)).ravel()
        fy = np.fft.irfft2(rho_f * ky_f, s=(p, p)).ravel()
        rep = np.zeros((len(pos), 2))
        for c, wt in zip(cells, wts):
            rep[:, 0] += fx[c] * wt
            rep[:, 1] += fy[c] * wt
        return rep * (mass / h)[:, None]

    return repel


def _direct_repulsion(pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """The same repulsion summed over all pairs exactly: O(n²), faster than the mesh below ``DIRECT_UP_TO``."""
    dx, dy = pos[:, None, 0] - pos[None, :, 0], pos[:, None, 1] - pos[None, :, 1]
    w = dx * dx + dy * dy + SOFTENING
    np.divide(mass[None, :], w, out=w)
    np.fill_diagonal(w, 0.0)
    return np.column_stack(((w * dx).sum(axis=1), (w * dy).sum(axis=1))) * mass[:, None]


def force_layout(nodes: list[Hashable], edges: Iterable[tuple[Hashable, Hashable, float]], *,
                 iterations: int | None = None, seed: int = 7, spacing_px: float = 30.0,
                 sizes: dict[Hashable, float] | None = None) -> dict[Hashable, tuple[int, int]]:
    """Positions (x, y) for ``nodes`` given weighted ``edges`` (see the module docstring).

    The result is scaled so that the median distance from a node to its nearest neighbour is
    ``spacing_px`` pixels (so the smallest nodes do not overlap), rounded to whole pixels and
    centred on (0, 0). With ``sizes`` (node radius in pixels), small maps are spread further so that
    their labels fit: spacing grows to 3× the median radius plus room for a label, for maps of
    fewer than 400 nodes. ``iterations``: the number of steps, by default ``STEPS_SMALL`` for maps
    of up to ``DIRECT_UP_TO`` nodes and ``STEPS_LARGE`` above.

    >>> force_layout(["a", "b", "c"], [("a", "b", 1.0), ("b", "c", 1.0)]) == force_layout(
    ...     ["a", "b", "c"], [("a", "b", 1.0), ("b", "c", 1.0)])
    True
    """
    if sizes and len(nodes) < 400:
        radii = sorted(sizes.get(k, 5.0) for k in nodes)
        spacing_px = max(spacing_px, 3 * radii[len(radii) // 2] + 60 - len(nodes) / 10)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0, 0)}
    if n == 2:
        r = sizes or {}
        half = (r.get(nodes[0], 5.0) + r.get(nodes[1], 5.0)) / 2 + 60
        return {nodes[0]: (-int(half), 0), nodes[1]: (int(half), 0)}
    index = {k: i for i, k in enumerate(nodes)}
    src, dst, w = [], [], []
    for a, b, weight in edges:
        if a in index and b in index and a != b:
            src.append(index[a])
            dst.append(index[b])
            w.append(float(weight))
    src_a, dst_a, w_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64), np.array(w, dtype=float)
    deg = np.bincount(src_a, minlength=n) + np.bincount(dst_a, minlength=n)
    mass = deg.astype(float) + 1.0

    rng = np.random.default_rng(seed)
    radius = math.sqrt(n) * 2.0
    angle = rng.uniform(0, 2 * math.pi, n)
    rad = radius * np.sqrt(rng.uniform(0, 1, n))
    pos = np.column_stack((rad * np.cos(angle), rad * np.sin(angle)))

    if n <= DIRECT_UP_TO:
        repel = _direct_repulsion
    else:
        repel = _mesh_repulsion(int(min(256, max(64, 2 ** math.ceil(math.log2(2 * math.sqrt(n)))))))
    kr, kg = 1.0, 0.02   # repulsion and gravity strengths (attraction strength is the edge weight)

    if iterations is None:
        iterations = STEPS_SMALL if n <= DIRECT_UP_TO else STEPS_LARGE
    t0 = radius * 0.25
    for it in range(iterations):
        force = kr * repel(pos, mass)
        # --- attraction along edges (linear in distance, times the edge weight)
        if len(src_a):
            d = pos[dst_a] - pos[src_a]
            pull = d * w_a[:, None]
            for k in (0, 1):
                force[:, k] += np.bincount(src_a, weights=pull[:, k], minlength=n)
                force[:, k] -= np.bincount(dst_a, weights=pull[:, k], minlength=n)
        # --- gravity towards the centre of mass
        centred = pos - (pos * mass[:, None]).sum(axis=0) / mass.sum()
        dist = np.linalg.norm(centred, axis=1) + 1e-9
        force -= (kg * mass / dist)[:, None] * centred
        # --- move, at most the current temperature
        step = force / mass[:, None]
        length = np.linalg.norm(step, axis=1) + 1e-12
        temp = t0 * (1.0 - it / iterations) + 0.01
        pos += step * (np.minimum(length, temp) / length)[:, None]

    pos -= pos.mean(axis=0)
    nearest = _nearest_distances(pos)
    median = float(np.median(nearest)) if len(nearest) else 0.0
    pos *= spacing_px / median if median > 0 else 1.0
    if sizes and n <= SEPARATE_UP_TO:
        pos = separate(pos, np.array([float(sizes.get(k, 5.0)) for k in nodes]))
    return {k: (int(round(float(x))), int(round(float(y)))) for k, (x, y) in zip(nodes, pos)}


def layered_layout(nodes: list[Hashable], edges: list[tuple[Hashable, Hashable]], last: Hashable | None = None,
                   sizes: dict[Hashable, float] | None = None, *, gap_x: float = 300.0,
                   gap_y: float = 64.0) -> dict[Hashable, tuple[int, int]]:
    """Columns for a flow read left to right: each node one column right of its furthest predecessor.

    The column of a node is the length of the longest directed path reaching it (an edge that closes a
    cycle is ignored: ``_topological``); ``last`` (the multinational) takes the rightmost column alone. Within a
    column nodes are ordered by the mean row of their predecessors (two sweeps, as in Sugiyama's
    method), then spaced ``gap_y`` apart (more between two nodes whose radii in ``sizes`` need it, so
circles never overlap) and centred on y = 0. Isolated nodes go in column 0.

    >>> layered_layout(["a", "x", "m"], [("a", "x"), ("x", "m")], "m")
    {'a': (-300, 0), 'x': (0, 0), 'm': (300, 0)}
    """
    col = {n: 0 for n in nodes}
    succ: dict[Hashable, list[Hashable]] = {n: [] for n in nodes}
    pred: dict[Hashable, list[Hashable]] = {n: [] for n in nodes}
    for a, b in edges:
        if a in col and b in col and a != b:
            succ[a].append(b)
            pred[b].append(a)
    order = _topological(nodes, {a: [b for b in succ[a] if b != last] for a in nodes})
    rank = {n: i for i, n in enumerate(order)}
    for a in order:
        for b in succ[a]:
            if b != last and rank[b] > rank[a] and col[b] < col[a] + 1:
                col[b] = col[a] + 1
    if last in col:
        col[last] = max([c for n, c in col.items() if n != last], default=-1) + 1
    columns: dict[int, list[Hashable]] = {}
    for n in nodes:
        columns.setdefault(col[n], []).append(n)
    row: dict[Hashable, float] = {}
    for c in sorted(columns):
        for i, n in enumerate(columns[c]):
            row[n] = float(i)
    for _ in range(2):
        for c in sorted(columns):
            def key(n: Hashable) -> tuple[float, str]:
                ps = [row[p] for p in pred[n] if p in row and col[p] < c] or [row[s] for s in succ[n] if s in row]
                return (sum(ps) / len(ps) if ps else row[n], str(n))
            columns[c].sort(key=key)
            for i, n in enumerate(columns[c]):
                row[n] = float(i)
    out: dict[Hashable, tuple[int, int]] = {}
    width = max(columns) if columns else 0
    radius = sizes or {}
    for c, members in columns.items():
        ys = [0.0]
        for a, b in zip(members, members[1:]):          # large nodes take the room they need
            ys.append(ys[-1] + max(gap_y, radius.get(a, 0.0) + radius.get(b, 0.0) + 8.0))
        mid = ys[-1] / 2
        for n, y in zip(members, ys):
            out[n] = (int(round((c - width / 2) * gap_x)), int(round(y - mid)))
    return out


def close_pairs(pos: np.ndarray, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j), i ≠ j, each pair once, that may lie within ``reach`` of each other.

    A spatial hash: points fall into square cells of side ``reach``, and only points in the same
    or in adjacent cells are paired, so the work grows with the points and their close pairs, not
    with all n² pairs. Every pair closer than ``reach`` is returned (some further ones too).

    >>> i, j = close_pairs(np.array([[0.0, 0.0], [1.0, 0.0], [50.0, 0.0]]), 2.0)
    >>> sorted(zip(i.tolist(), j.tolist()))
    [(0, 1)]
    """
    n = len(pos)
    if n < 2 or not reach > 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    cell = np.floor(pos / reach).astype(np.int64)
    cell -= cell.min(axis=0)
    rows = int(cell[:, 1].max()) + 2                    # one spare row: a neighbour key never wraps
    key = cell[:, 0] * rows + cell[:, 1]
    order = np.argsort(key, kind="stable")
    sk = key[order]
    first, second = [], []
    for off in (0, 1, rows - 1, rows, rows + 1):        # this cell, then (0,+1), (+1,-1), (+1,0), (+1,+1)
        lo = np.searchsorted(sk, sk + off, "left")
        hi = np.searchsorted(sk, sk + off, "right")
        if off == 0:
            lo = np.maximum(lo, np.arange(n) + 1)       # in its own cell, a point pairs with later ones
        count = np.maximum(hi - lo, 0)
        total = int(count.sum())
        if not total:
            continue
        a = np.repeat(np.arange(n), count)
        b = np.repeat(lo - np.cumsum(count) + count, count) + np.arange(total)
        first.append(order[a])
        second.append(order[b])
    return (np.concatenate(first), np.concatenate(second)) if first else close_pairs(pos[:0], 0.0)


def _topological(nodes: list[Hashable], succ: dict[Hashable, list[Hashable]]) -> list[Hashable]:
    """``nodes`` in an order where every edge runs forward, except edges that close a cycle.

    Depth-first search from each node in turn (in ``nodes`` order, successors in list order); an edge
    to a node still on the search path closes a cycle and is the one left pointing backward. O(n + e).

    >>> _topological(["c", "b", "a"], {"a": ["b"], "b": ["c"], "c": ["a"]})
    ['c', 'a', 'b']
    """
    done: list[Hashable] = []
    state: dict[Hashable, int] = {}                      # 1: on the search path, 2: finished
    for start in nodes:
        if start in state:
            continue
        state[start] = 1
        path = [(start, iter(succ.get(start, ())))]
        while path:
            node, rest = path[-1]
            for b in rest:
                if b not in state:
                    state[b] = 1
                    path.append((b, iter(succ.get(b, ()))))
                    break
            else:
                state[node] = 2
                done.append(node)
                path.pop()
    return done[::-1]


def separate(pos: np.ndarray, radii: np.ndarray, gap: float = 8.0, iterations: int = 60) -> np.ndarray:
    """Positions moved apart until no two circles overlap: centres at least ``ra + rb + gap`` apart.

    Each round, every overlapping pair is pushed apart along the line between them by half the
    overlap each (all pairs at once, with numpy; candidate pairs from ``close_pairs``, so large maps
    cost little); stops early when nothing overlaps.

    >>> p = separate(np.zeros((2, 2)), np.array([10.0, 10.0]), gap=4)
    >>> bool(np.linalg.norm(p[0] - p[1]) >= 24 - 0.5)
    True
    """
    pos = pos.astype(float).copy()
    n = len(pos)
    if n < 2:
        return pos
    pos += np.random.default_rng(1).uniform(-0.5, 0.5, pos.shape)    # no two centres coincide
    radii = np.asarray(radii, dtype=float)
    reach = 2 * float(radii.max()) + gap
    for _ in range(iterations):
        i, j = close_pairs(pos, reach)
        d = pos[i] - pos[j]
        dist = np.sqrt((d ** 2).sum(axis=1))
        need = radii[i] + radii[j] + gap
        hit = dist < need
        if not hit.any():
            break
        i, j, d, dist, need = i[hit], j[hit], d[hit], dist[hit], need[hit]
        push = d / np.where(dist > 1e-9, dist, 1.0)[:, None] * ((need - dist) / 2)[:, None]
        step = np.empty((n, 2))
        for k in (0, 1):
            step[:, k] = np.bincount(i, weights=push[:, k], minlength=n) - np.bincount(j, weights=push[:, k],
                                                                                       minlength=n)
        step *= 0.5
        length = np.linalg.norm(step, axis=1, keepdims=True)
        pos += step * np.minimum(1.0, 20.0 / np.maximum(length, 1e-9))
    return pos
