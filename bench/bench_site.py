"""How long writing the static site takes at 10,000 synthetic deals (graph.publish.site.write_site), whole and incremental.

Prints, all measured in one run:

- the pages and files written, and the wall and CPU time of a clean ``write_site``;
- the time to write the very same bytes to the same number of files with no rendering at all (the
  file-system floor), and the ratios site / floor in wall time and in CPU time (target: at most 3x);
- an incremental write after one deal's note changed (``write_site(ds, new, previous=old, changes=…)``, as the
  build calls it): wall and CPU time, pages rendered and reused (target: at most 1 s at 10k), and with
  ``--check`` whether it equals a clean write of the changed dataset file for file.

    python bench/bench_site.py [--deals 10000] [--out /tmp/bench-site] [--check]
"""
from __future__ import annotations

import argparse
from dataclasses import replace
import filecmp
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.pipeline.changes import diff  # noqa: E402
from graph.publish.site import write_site  # noqa: E402
from graph.ingest.synth import synthetic_dataset  # noqa: E402
from graph.models.vocabulary import vocabulary  # noqa: E402


def _timed(fn):
    """(result, wall seconds, CPU seconds) of ``fn()``; the CPU's user and system parts go to ``SPLIT``."""
    wall, cpu, t0 = time.perf_counter(), time.process_time(), os.times()
    result = fn()
    t1 = os.times()
    SPLIT[:] = [t1.user - t0.user, t1.system - t0.system]
    return result, time.perf_counter() - wall, time.process_time() - cpu


SPLIT: list[float] = [0.0, 0.0]   # user and system CPU seconds of the last _timed call


def _same_trees(a: Path, b: Path) -> list[str]:
    """Paths that differ (or exist on one side only) between two folders, compared byte for byte."""
    fa = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(str(p) for p in fa ^ fb) + \
        sorted(str(p) for p in fa & fb if not filecmp.cmp(a / p, b / p, shallow=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench-site"))
    ap.add_argument("--check", action="store_true", help="compare the incremental write with a clean one")
    args = ap.parse_args()
    ds = synthetic_dataset(args.deals)
    vocabulary()                  # read once per process (a build has it before the site): not site work
    print(f"dataset: {', '.join(f'{n:,} {k}' for k, n in ds.counts().items())}")
    shutil.rmtree(args.out, ignore_errors=True)
    site = args.out / "site"
    result, wall, cpu = _timed(lambda: write_site(ds, site, docs=None))
    split = list(SPLIT)
    files = [p for p in site.rglob("*") if p.is_file()]      # pages, twins, assets and the sidecar
    size = sum(p.stat().st_size for p in files)
    blobs = [p.read_bytes() for p in files]
    floor_dir = args.out / "floor"

    def bare() -> None:
        for i, blob in enumerate(blobs):
            d = floor_dir / str(i % 64)
            d.mkdir(parents=True, exist_ok=True)
            (d / f"{i}.html").write_bytes(blob)

    _, floor, floor_cpu = _timed(bare)
    floor_split = list(SPLIT)
    pages = sum(result.pages.values())
    print(f"site: {pages:,} pages, {result.files:,} files, {size / 2**20:,.0f} MiB; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"write_site: {wall:.1f} s wall, {cpu:.1f} s CPU (user {split[0]:.1f} s, system {split[1]:.1f} s; "
          f"{1000 * wall / pages:.2f} ms a page)")
    print("CPU by step: " + ", ".join(f"{k} {v:.2f} s" for k, v in result.cpu.items()))
    print(f"same bytes written with no rendering: {floor:.1f} s wall, {floor_cpu:.1f} s CPU (user "
          f"{floor_split[0]:.1f} s, system {floor_split[1]:.1f} s)")
    print(f"ratio site / bare write: {wall / floor:.1f}x wall, {cpu / floor_cpu:.1f}x CPU (target <= 3x)")

    did = next(iter(ds.deals))
    d = ds.deals[did]
    old = replace(ds, deals=dict(ds.deals))
    ds.deals[did] = d.model_copy(update={"note": (d.note or "") + " (changed for the benchmark)"})
    changes = diff(old, ds)            # what the build gives the site: the records changed since its last write
    new = args.out / "new"
    inc, wall, cpu = _timed(lambda: write_site(ds, new, docs=None, previous=site, changes=changes))
    print(f"incremental, one deal's note changed: {wall:.2f} s wall, {cpu:.2f} s CPU (user {SPLIT[0]:.2f} s, "
          f"system {SPLIT[1]:.2f} s); {inc.rendered} page(s) "
          f"rendered, {inc.reused:,} reused (target: at most 1 s)")
    print("  CPU by step: " + ", ".join(f"{k} {v:.2f} s" for k, v in inc.cpu.items()))
    if args.check:
        clean = args.out / "clean"
        write_site(ds, clean, docs=None)
        differ = _same_trees(new, clean)
        print(f"incremental equals a clean write: {'yes, every file' if not differ else 'NO: ' + ', '.join(differ[:5])}")
    shutil.rmtree(args.out, ignore_errors=True)


if __name__ == "__main__":
    main()
