"""Read commands and rebuilds after the first build: `python bench/bench_rebuild.py [--sizes 1000 10000]`.

For each size: synthetic seeds (`dealgraph synth`), one full build, then in the same run
- each read command (`exposure`, `exposure MNC`, `centrality`, `conflicts`, `coverage`, `map --focus`,
  `query`) as a user runs it: a fresh `python -m graph …` process, wall time including start-up;
- a rebuild with nothing changed, and a rebuild after one deal's note changed, each beside the
  full build time (ratio), and whether the rebuilt out/ equals a clean build of the same seeds
  (every file byte for byte, the LadybugDB database by its nodes and relationships).

Targets (issue #13): read commands at most 2 s at 10,000 deals; a one-record rebuild at most 10 s.
The functions are separate so that bench/bench_build.py can print the same rows.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import tree_digest  # noqa: E402  (the same comparison the tests use)


#: CPU seconds (user + system) of the last command run, beside its wall time: on a machine shared with
#: other jobs the wall time mostly measures waiting for a core.
LAST_CPU = [0.0]


def _run(args: list[str], env: dict[str, str] | None = None) -> float:
    """Wall seconds of ``python -m graph ARGS`` (its CPU seconds go to ``LAST_CPU``)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "graph", *args], cwd=ROOT, env={**os.environ, **(env or {})},
                       capture_output=True, text=True)
    dt = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if r.returncode != 0:
        raise SystemExit(f"`dealgraph {' '.join(args)}` failed: {r.stderr.strip()}")
    return dt


def full_build(seeds: Path, out: Path) -> float:
    """Seconds for `dealgraph build --full` of ``seeds`` into ``out``."""
    return _run(["build", "--seeds", str(seeds), "--out", str(out), "--full", "-q"])


def read_command_times(seeds: Path, out: Path, mnc: str) -> list[tuple[str, float, float]]:
    """(command, wall seconds, CPU seconds) of each read command answering from the build in ``out``."""
    env = {"DEALGRAPH_OUT": str(out)}
    s = ["--seeds", str(seeds)]
    cmds = [["exposure", *s], ["exposure", mnc, *s], ["centrality", *s], ["conflicts", *s], ["coverage", *s],
            ["map", "--focus", mnc, *s, "--out", str(out.parent / "bench-map.html")],
            ["query", "deals_above_upfront", "-p", "min_upfront_usd=100000000", "--db", str(out / "graph.lbdb")]]
    rows = []
    for c in cmds:
        wall = _run(c, env)
        rows.append((" ".join(c[:2] if c[0] in ("exposure", "map") and c[1] != "--seeds" else c[:1]), wall,
                     LAST_CPU[0]))
    return rows


def rebuild_times(seeds: Path, out: Path) -> dict[str, object]:
    """Rebuild with nothing changed, then after one deal's note changed; compare with a clean build."""
    unchanged = _run(["build", "--seeds", str(seeds), "--out", str(out), "-q"])
    unchanged_cpu = LAST_CPU[0]
    deals = seeds / "deals.yaml"
    text = deals.read_text(encoding="utf-8")
    i = text.index("\n  note: ")
    deals.write_text(text[:i] + "\n  note: Changed for the rebuild benchmark." + text[text.index("\n", i + 1):],
                     encoding="utf-8")
    one = _run(["build", "--seeds", str(seeds), "--out", str(out), "-q"])
    one_cpu = LAST_CPU[0]
    clean_seeds = out.parent / "clean" / "seeds"
    shutil.copytree(seeds, clean_seeds)
    full_build(clean_seeds, clean_seeds.parent / "out")
    same = tree_digest(out) == tree_digest(clean_seeds.parent / "out")
    return {"unchanged": unchanged, "unchanged_cpu": unchanged_cpu, "one_record": one, "one_record_cpu": one_cpu,
            "identical": same}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    args = ap.parse_args()
    for n in args.sizes:
        top = Path(tempfile.mkdtemp(prefix=f"bench-rebuild-{n}-"))
        seeds, out = top / "seeds", top / "out"
        _run(["synth", "--deals", str(n), "--out", str(seeds)])
        first = full_build(seeds, out)
        from graph.current import load_current

        ds = load_current(seeds, out)
        mnc = next(o.name for o in sorted(ds.organizations.values(), key=lambda o: o.id) if o.multinational)
        first_cpu = LAST_CPU[0]
        print(f"\n{n:,} deals: full build {first:.1f} s wall, {first_cpu:.1f} s CPU")
        print(f"{'read command':<40} {'wall s':>7} {'CPU s':>7}  target ≤ 2 s")
        for cmd, wall, cpu in read_command_times(seeds, out, mnc):
            print(f"{cmd[:40]:<40} {wall:>7.2f} {cpu:>7.2f}  wall {'met' if wall <= 2 else 'NOT met'}, "
                  f"CPU {'met' if cpu <= 2 else 'NOT met'}")
        r = rebuild_times(seeds, out)
        print(f"rebuild, nothing changed   {r['unchanged']:>7.1f} s wall {r['unchanged_cpu']:>7.1f} s CPU  "
              f"({r['unchanged_cpu'] / first_cpu:.2f} of the full build's CPU)")
        print(f"rebuild, one deal changed  {r['one_record']:>7.1f} s wall {r['one_record_cpu']:>7.1f} s CPU  "
              f"({r['one_record_cpu'] / first_cpu:.2f} of the full build's CPU; target ≤ 10 s: "
              f"{'met' if r['one_record'] <= 10 else 'NOT met'})")
        print(f"rebuilt out/ equals a clean build: {r['identical']}")
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
