"""Run one part of a job in a forked child process while the parent goes on with another.

``dealgraph build`` uses the machine's second core this way: after the seeds are validated, a child
builds the RDF, checks the SHACL shapes and writes Turtle and JSON-LD while the parent loads the
store and runs the analyses; later a child writes the site while the parent draws the maps. Both
sides write into the same staging folder (``graph.pipeline.outputs.Staging``), different files.

* **Result or failure.** ``Forked(fn)`` runs ``fn()`` in the child; ``join()`` returns its result
  (pickled through a pipe) or raises its exception in the parent, so a failed child fails the
  build exactly as the same failure in the parent would (invalid seeds stay a ``SeedError``; an
  exception that cannot be pickled becomes a one-line ``DealgraphError``; a child killed by a
  signal is named as such).
* **No zombie, no orphan.** ``stop()`` (called by ``join`` on the way out, and by the ``with``
  block on any exception, Ctrl-C included) kills and reaps the child. The child ignores SIGINT (the
  parent decides) and is killed by the kernel when the parent dies (``PR_SET_PDEATHSIG``), so a
  build killed with SIGKILL leaves no process writing into its staging folder.
* **Nothing of the parent runs in the child** after ``fn``: it leaves with ``os._exit``, never
  through the parent's ``finally`` blocks (which would discard the staging folder).

``parallel_ok(records)`` says whether forking is worth it and affordable: two or more CPUs, not
switched off (``DEALGRAPH_JOBS=1``), and a dataset small enough that a second copy of the pages
the child touches stays well inside memory (``MAX_PARALLEL_RECORDS``).

Example::

    >>> with Forked(lambda: sum(range(10))) as child:
    ...     mine = 1 + 1
    ...     theirs = child.join()
    >>> mine, theirs
    (2, 45)
"""
from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
from typing import Any, Callable

from ..core.errors import DealgraphError, SeedError

#: Above this many records (about 30,000 deals), a child would copy too much of the dataset
#: (Python touches every object it reads): the build then runs its parts one after another.
MAX_PARALLEL_RECORDS = 80_000
_PR_SET_PDEATHSIG = 1


def parallel_ok(records: int) -> bool:
    """True when a build of ``records`` records should fork: two CPUs or more, ``DEALGRAPH_JOBS`` not 1,
    and at most ``MAX_PARALLEL_RECORDS`` records (peak memory: a child copies what it touches).

    Example: ``parallel_ok(10**6)`` is False.
    """
    if os.environ.get("DEALGRAPH_JOBS", "").strip() == "1" or not hasattr(os, "fork"):
        return False
    return (os.cpu_count() or 1) >= 2 and records <= MAX_PARALLEL_RECORDS


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _payload(exc: BaseException, where: str) -> bytes:
    if isinstance(exc, SeedError):
        return pickle.dumps(("seed", exc.problems, where))
    try:
        data = pickle.dumps(("error", exc, where))
        pickle.loads(data)
        return data
    except Exception:
        first = (str(exc).strip().splitlines() or [""])[0][:300]
        return pickle.dumps(("error", DealgraphError(f"{type(exc).__name__}: {first}"), where))


class Forked:
    """``fn()`` running in a forked child; ``join()`` gives its result or raises its failure.

    ``where``: a callable naming what the child is doing when it fails (e.g. the current progress
    step), passed back with the failure as ``self.where``.
    """

    def __init__(self, fn: Callable[[], Any], where: Callable[[], str] = lambda: "a parallel part"):
        self.where = ""
        r, w = os.pipe()
        gc.freeze()  # the parent's objects leave the collector's lists: the child copies fewer pages
        pid = os.fork()
        if pid == 0:  # ---- child
            os.close(r)
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                _die_with_parent()
                try:
                    data = pickle.dumps(("ok", fn(), ""))
                    code = 0
                except BaseException as exc:  # everything goes back to the parent
                    data = _payload(exc, where())
                with os.fdopen(w, "wb") as f:
                    f.write(data)
            finally:
                os._exit(code)
        gc.unfreeze()
        os.close(w)
        self.pid: int | None = pid
        self._r: int | None = r

    def join(self) -> Any:
        """Wait for the child; its result, or raise its exception (``where`` says what it was doing)."""
        try:
            with os.fdopen(self._r, "rb") as f:  # read before waiting: a large result fills the pipe
                self._r = None
                data = f.read()
            _, status = os.waitpid(self.pid, 0)
            self.pid = None
        finally:
            self.stop()
        if not data:
            what = f"signal {signal.Signals(-os.waitstatus_to_exitcode(status)).name}" \
                if os.WIFSIGNALED(status) else f"exit status {os.waitstatus_to_exitcode(status)}"
            raise DealgraphError(f"a parallel process of the build ended without a result ({what})")
        kind, value, self.where = pickle.loads(data)
        if kind == "ok":
            return value
        if kind == "seed":
            raise SeedError(value)
        raise value

    def stop(self) -> None:
        """Kill and reap the child if it still runs (idempotent)."""
        if self._r is not None:
            os.close(self._r)
            self._r = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = None

    def __enter__(self) -> "Forked":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


class Inline:
    """The same interface as ``Forked``, running ``fn`` at once in this process (no parallelism): a failure
    raises here, before the parent goes on, as in a sequential job."""

    def __init__(self, fn: Callable[[], Any], where: Callable[[], str] = lambda: ""):
        self.where = ""
        self.result = fn()

    def join(self) -> Any:
        return self.result

    def stop(self) -> None:
        pass

    def __enter__(self) -> "Inline":
        return self

    def __exit__(self, *exc: Any) -> None:
        pass
