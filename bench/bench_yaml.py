"""YAML parse benchmark: the seed reader (``graph.ingest.yamlio.load_with_lines``, which also records the line of
every value and checks every bound) against a plain ``yaml.load`` of the same files with libyaml.

Run from the repository root:

    .venv/bin/python bench/bench_yaml.py                 # 10,000 synthetic deals
    .venv/bin/python bench/bench_yaml.py --deals 2000

It writes a synthetic seed set (``graph.ingest.synth``), then times, in the same run, each file read both ways
(best of three). Target: ours / plain libyaml ≤ 1.0 (the line map and the checks cost less than what
pausing the garbage collector while parsing saves). Only ratios are compared with targets.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.ingest.synth import synthetic_seeds, write_seeds  # noqa: E402
from graph.ingest.yamlio import load_with_lines  # noqa: E402


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=10_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = write_seeds(synthetic_seeds(args.deals, seed=1), tmp)
        ours_total = plain_total = 0.0
        for f in sorted(files):
            if f.suffix != ".yaml":
                continue
            text = f.read_text(encoding="utf-8")
            ours = best(lambda: load_with_lines(f))
            plain = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader))
            ours_total, plain_total = ours_total + ours, plain_total + plain
            print(f"{f.name:20} {f.stat().st_size / 1e6:6.2f} MB  ours {ours:6.2f} s  plain libyaml {plain:6.2f} s")
        ratio = ours_total / plain_total
        print(f"all files: ours {ours_total:.2f} s, plain libyaml {plain_total:.2f} s; ratio {ratio:.2f} "
              f"({'met' if ratio <= 1.0 else 'NOT met'}: target ≤ 1.0)")


if __name__ == "__main__":
    main()
