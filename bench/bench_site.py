"""How long writing the static site takes at 10,000 synthetic deals (graph.site.write_site).

Prints the pages and files written, wall and CPU time, and one ratio measured in the same run:
the site's wall time over the time to write the very same bytes to the same number of files with
no rendering at all (the file-system floor). Target: the whole site in seconds, not minutes, and
rendering adding a small multiple of the bare write time.

    python bench/bench_site.py [--deals 10000] [--out /tmp/bench-site]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.site import write_site  # noqa: E402
from graph.synth import synthetic_dataset  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deals", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=Path("/tmp/bench-site"))
    args = ap.parse_args()
    ds = synthetic_dataset(args.deals)
    print(f"dataset: {', '.join(f'{n:,} {k}' for k, n in ds.counts().items())}")
    shutil.rmtree(args.out, ignore_errors=True)
    cpu = time.process_time()
    result = write_site(ds, args.out / "site", docs=None)
    cpu = time.process_time() - cpu
    files = [p for p in (args.out / "site").rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    blobs = [p.read_bytes() for p in files]
    floor_dir = args.out / "floor"
    started = time.perf_counter()
    for i, blob in enumerate(blobs):
        d = floor_dir / str(i % 64)
        d.mkdir(parents=True, exist_ok=True)
        (d / f"{i}.html").write_bytes(blob)
    floor = time.perf_counter() - started
    pages = sum(result.pages.values())
    print(f"site: {pages:,} pages, {result.files:,} files, {size / 2**20:,.0f} MiB")
    print(f"write_site: {result.seconds:.1f} s wall, {cpu:.1f} s CPU ({1000 * result.seconds / pages:.2f} ms a page)")
    print("CPU by step: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.cpu.items()))
    print(f"same bytes written with no rendering: {floor:.1f} s")
    print(f"ratio site / bare write: {result.seconds / floor:.1f}x")
    shutil.rmtree(args.out, ignore_errors=True)


if __name__ == "__main__":
    main()
