"""Import benchmark: matching stays fast as a deal list grows (an index, not a scan per row).

Run from the repository root:

    .venv/bin/python bench/bench_import.py                  # 2,000 and 20,000 rows
    .venv/bin/python bench/bench_import.py --sizes 500 5000

For each size it writes a CSV of deals between organizations whose names are all unknown to the shipped
seeds (made-up two-word names, some of them near misses of real names), and times ``import_deals`` with
``--dry-run`` in two modes: ``create.organizations: false`` (every row is an error: the path the issue
measured, 54 s for 2,000 rows before the index) and ``create: true`` (every name becomes a new record).
It prints seconds per 1,000 rows for each size and the ratio between the largest and smallest size; with an
index the cost per row stays flat (target: ratio ≤ 2), a scan per row makes it grow with the size.
Only ratios are compared with targets: absolute times depend on the machine and its load.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.core.errors import DealgraphError  # noqa: E402
from graph.interchange.importer import ImportFailed, import_deals  # noqa: E402
from graph.interchange.mapping import load_mapping  # noqa: E402

SYLLABLES = ["zor", "vex", "lum", "tra", "quin", "mor", "dax", "pel", "ryn", "sol", "kai", "nov", "bel", "ter"]
MAPPING = """
columns: {{licensor: Licensor, licensee: Licensee, date: Announced, upfront: Upfront}}
defaults: {{deal_type: licence, licensor_type: biotech, licensee_type: pharma, currency: USD}}
money: {{scale: million}}
create: {{organizations: {create}, assets: true}}
matching: {{suggest_above: 0.75, near_miss: create}}
"""


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(3)).title() + " " + rng.choice(["Bio", "Pharma", "Therapeutics"])


def _write(folder: Path, rows: int) -> Path:
    rng = random.Random(rows)
    path = folder / f"deals-{rows}.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Licensor", "Licensee", "Announced", "Upfront"])
        for i in range(rows):
            w.writerow([_name(rng), _name(rng), f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}", rng.randint(1, 900)])
    return path


def measure(rows: int, create: bool, folder: Path) -> float:
    path = _write(folder, rows)
    mp = folder / f"mapping-{create}.yaml"
    mp.write_text(MAPPING.format(create=str(create).lower()))
    t = time.perf_counter()
    try:
        import_deals(path, load_mapping(mp), ROOT / "seeds", dry_run=True, today="2026-01-01")
    except ImportFailed as exc:
        lines = len(str(exc).splitlines())
        if lines > 60:
            print(f"  (the error runs to {lines} lines, more than a screenful)")
    except DealgraphError as exc:
        raise SystemExit(f"the benchmark's own input is wrong: {exc}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for create in (False, True):
            per = {}
            for n in args.sizes:
                secs = measure(n, create, Path(tmp))
                per[n] = secs / n * 1000
                print(f"create={str(create).lower():5}  {n:>6} rows  {secs:7.2f} s  {per[n]:6.3f} s per 1,000 rows")
            lo, hi = min(args.sizes), max(args.sizes)
            ratio = per[hi] / per[lo]
            print(f"create={str(create).lower():5}  cost per row at {hi} / at {lo}: {ratio:.2f} "
                  f"({'met' if ratio <= 2 else 'NOT met'}: target ≤ 2)")


if __name__ == "__main__":
    main()
