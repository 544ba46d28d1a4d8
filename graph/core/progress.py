"""Progress lines on stderr for steps of a long job: "[2/6] building RDF … 0.4 s"."""
from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import Iterator, TextIO


class Steps:
    """Numbered steps with their duration; silent when ``quiet``.

    ``current`` names the step running (for failure messages); ``timings`` maps each finished
    step to its seconds; ``skip`` reports steps that were not needed (e.g. reused from the last build).

    Example::

        >>> import io
        >>> s = Steps(total=2, stream=io.StringIO())
        >>> with s.step("reading"):
        ...     pass
        >>> s.skip("drawing: reused")
        >>> s.stream.getvalue().splitlines()[0], s.n, s.current
        ('[1/2] reading …', 2, 'drawing: reused')
    """

    def __init__(self, total: int, stream: TextIO | None = None, quiet: bool = False):
        self.total, self.n, self.quiet = total, 0, quiet
        self.stream = stream or sys.stderr
        self.timings: dict[str, float] = {}
        self.current = "starting"

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.stream, flush=True)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.n += 1
        self.current = name
        t = time.perf_counter()
        self.say(f"[{self.n}/{max(self.total, self.n)}] {name} …")
        yield
        dt = time.perf_counter() - t
        self.timings[name] = round(dt, 3)
        self.say(f"      done in {dt:.1f} s")

    def skip(self, name: str, count: int = 1) -> None:
        """Count ``count`` steps as done without running them, with one line saying why."""
        self.n += count
        self.current = name
        self.say(f"[{self.n}/{max(self.total, self.n)}] {name}")

    def detail(self, text: str) -> None:
        self.say(f"      {text}")
