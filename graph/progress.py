"""Progress lines on stderr for steps of a long job: "[2/6] building RDF … 0.4 s"."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator, TextIO


class Steps:
    """Numbered steps with their duration; silent when ``quiet``."""

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False):
        self.total, self.n, self.quiet = total, 0, quiet
        self.stream = stream or sys.stderr
        self.timings: dict[str, float] = {}

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.n += 1
        t = time.perf_counter()
        self.say(f"[{self.n}/{self.total}] {name} …")
        yield
        dt = time.perf_counter() - t
        self.timings[name] = round(dt, 3)
        self.say(f"      done in {dt:.1f} s")

    def detail(self, text: str) -> None:
        self.say(f"      {text}")
