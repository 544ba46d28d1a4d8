"""Write an output folder all at once or not at all.

A job that writes ``out/`` (``dealgraph build``, ``dealgraph export``) goes through ``Staging``:

* **Lock.** ``.<out>.lock`` beside ``out/`` is held (``fcntl.flock``) from the start of the job to
  its end, so a second job on the same folder fails at once, before doing any work.
* **Leftovers.** Holding the lock, the job deletes what a killed job left beside ``out/``
  (``.<out>-staging-*``, ``.<out>-old-*``, ``.<out>-trash-*``) and, if a kill came in the middle of a two-step swap,
  puts the previous ``out/`` back first.
* **Staging.** Every file, the database included, is written into ``.<out>-staging-<pid>/``
  beside ``out/``; nothing inside ``out/`` is touched while the job runs.
* **Swap.** ``commit()`` exchanges the staging folder and ``out/`` in one
  ``renameat2(RENAME_EXCHANGE)`` call, so at every instant ``out/`` is entirely the old tree or
  entirely the new one. Where the kernel or file system cannot exchange, two renames are used
  (``out`` → ``.<out>-old-<pid>``, staging → ``out``) and the next job restores a half-done swap.
  Files in ``out/`` that no job wrote (``out/export/`` beside a build, notes of an analyst) are
  carried into the new tree as hard links before the swap.
* **Old tree.** After the swap the previous tree is renamed ``.<out>-trash-<pid>-<n>`` (a name no job
  writes into) and deleted: at once when small, by a detached ``rm -rf`` when it holds more than
  ``DELETE_APART_FILES`` files, so the job ends without waiting for 50,000 unlinks. A trash folder
  is never read; the next job deletes any that is still there.
* **Failures** (read-only folder, disk full, a kill) leave ``out/`` as it was; file-system errors
  become a one-line ``DealgraphError`` naming the path.

Example::

    >>> import tempfile, pathlib
    >>> top = pathlib.Path(tempfile.mkdtemp())
    >>> with Staging(top / "out") as stage:
    ...     _ = stage.write_text("a.txt", "new")
    ...     files = stage.commit()
    >>> sorted(p.name for p in (top / "out").iterdir()), [p.name for p in files]
    (['a.txt'], ['a.txt'])
"""
from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import shutil
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..core.errors import DealgraphError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
#: Old trees with more files than this are deleted by a detached process after the swap (see the module doc).
DELETE_APART_FILES = 5000


def os_reason(exc: OSError, what: str = "write") -> str:
    """A one-line reason for a file-system error, e.g. ``cannot write out/a.html: No space left on device``."""
    where = exc.filename or "the output folder"
    hint = {errno.ENOSPC: " (the disk is full)", errno.EDQUOT: " (disk quota exceeded)",
            errno.EROFS: " (read-only file system)", errno.EACCES: " (no write permission)",
            errno.EPERM: " (not permitted)", errno.EFBIG: " (file size limit reached)"}.get(exc.errno or 0, "")
    return f"cannot {what} {where}: {exc.strerror or exc}{hint}"


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2``); False when the platform cannot."""
    if os.environ.get("DEALGRAPH_TEST_NO_EXCHANGE"):  # tests of the two-rename fallback
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def link_tree(src: Path, dst: Path) -> None:
    """Hard-link every file of ``src`` into ``dst`` (copy where links are impossible)."""
    if src.is_dir() and not src.is_symlink():
        dst.mkdir(parents=True, exist_ok=True)
        for child in src.iterdir():
            link_tree(child, dst / child.name)
        return
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        shutil.copy2(src, dst, follow_symlinks=False)


def pause_point(point: str) -> None:
    """Test hook: with ``DEALGRAPH_TEST_PAUSE=point``, stop here (``SIGSTOP`` to itself) so a test can kill."""
    if os.environ.get("DEALGRAPH_TEST_PAUSE") == point:
        import signal

        os.kill(os.getpid(), signal.SIGSTOP)


class Staging:
    """A locked staging folder beside ``out_dir``; ``commit()`` makes it ``out_dir`` in one step.

    ``keep``: names of top-level entries of the current ``out_dir`` that belong to this job (the
    previous job's outputs); every other entry is carried over into the new tree on commit.
    """

    def __init__(self, out_dir: Path | str, keep: Iterable[str] | None = None):
        self.out_dir = Path(out_dir)
        if self.out_dir.is_symlink():  # swap the folder it points at, not the link
            self.out_dir = self.out_dir.resolve()
        self.keep = set(keep) if keep is not None else None
        name = self.out_dir.name
        parent = self.out_dir.parent
        self._lock_fd: int | None = None
        try:
            parent.mkdir(parents=True, exist_ok=True)
            if self.out_dir.exists() and not self.out_dir.is_dir():
                raise DealgraphError(f"{self.out_dir} is a file, not a folder: remove it or choose another --out")
            for folder in (parent, self.out_dir):
                if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
                    raise DealgraphError(f"cannot write {folder}: the folder is read-only; make it writable or "
                                         "choose another --out")
            self._lock(parent / f".{name}.lock")
            self._recover(parent, name)
            self.dir = parent / f".{name}-staging-{os.getpid()}"
            self.dir.mkdir()
        except OSError as exc:
            self._unlock()
            raise DealgraphError(os_reason(exc)) from None
        except BaseException:
            self._unlock()
            raise

    # ------------------------------------------------------------------ lock and recovery
    def _lock(self, path: Path) -> None:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            raise DealgraphError(f"{self.out_dir} is being written by {holder} (lock {path} is held); wait for "
                                 "that job to finish") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        self._lock_fd = fd

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            os.ftruncate(self._lock_fd, 0)
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _recover(self, parent: Path, name: str) -> None:
        """Undo a half-done two-rename swap and delete what killed jobs left (we hold the lock)."""
        olds = sorted(parent.glob(f".{name}-old-*"))
        if olds and not self.out_dir.exists():
            os.rename(olds.pop(), self.out_dir)  # killed between the two renames: the old tree comes back
        for left in [*olds, *parent.glob(f".{name}-staging-*"), *parent.glob(f".{name}-trash-*")]:
            shutil.rmtree(left, ignore_errors=True)

    # ------------------------------------------------------------------ writing
    def path(self, name: str) -> Path:
        p = self.dir / name
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def write_text(self, name: str, text: str) -> Path:
        """Write a new file (a fresh inode: a file linked from the previous tree is never written through)."""
        p = self.path(name)
        p.unlink(missing_ok=True)
        p.write_text(text, encoding="utf-8")
        return p

    def write_json(self, name: str, data: Any) -> Path:
        return self.write_text(name, json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n")

    def files(self) -> list[Path]:
        """Every staged file, relative to the staging folder, sorted."""
        return [Path(p) for p in self.file_names()]

    def file_names(self) -> list[str]:
        """Every staged file as a relative POSIX path, sorted (``os.scandir``: a build stages 50,000 files at 10k
        deals, where ``Path.rglob`` with ``is_file`` takes seconds)."""
        return [rel for rel, _ in self.scan(with_stat=False)]

    def scan(self, with_stat: bool = True) -> list[tuple[str, os.stat_result | None]]:
        """``(relative POSIX path, stat)`` of every staged file, sorted as ``file_names`` (one ``stat`` call per
        file, or none without ``with_stat``: the stat is then None)."""
        found: list[tuple[str, os.stat_result | None]] = []

        def walk(folder: str, prefix: str) -> None:
            with os.scandir(folder) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        walk(e.path, f"{prefix}{e.name}/")
                    elif e.is_file():
                        found.append((prefix + e.name, e.stat() if with_stat else None))

        walk(str(self.dir), "")
        found.sort(key=lambda f: f[0].replace("/", "\0"))  # the order of split("/"): no name holds a NUL
        return found

    # ------------------------------------------------------------------ commit
    def commit(self, names: list[str] | None = None) -> "OutFiles":
        """Make the staging folder ``out_dir`` in one step. Returns the final paths of the job's files.

        ``names``: the staged files (``file_names()``) when the caller has just listed them; listed here otherwise.
        """
        mine = self.file_names() if names is None else names
        try:
            self._carry_over()
            pause_point("before-swap")
            if not self.out_dir.exists():
                os.rename(self.dir, self.out_dir)
            elif _exchange(self.dir, self.out_dir):
                pause_point("after-swap")
                self._dispose(self.dir, len(mine))  # now the old tree
            else:
                old = self.out_dir.with_name(f".{self.out_dir.name}-old-{os.getpid()}")
                os.rename(self.out_dir, old)
                pause_point("between-renames")
                os.rename(self.dir, self.out_dir)
                self._dispose(old, len(mine))
        except OSError as exc:
            self.discard()
            raise DealgraphError(os_reason(exc)) from None
        finally:
            self._unlock()
        return OutFiles(self.out_dir, mine)

    def _dispose(self, old: Path, files: int) -> None:
        """Delete the previous tree: rename it out of the way (trash names are never written into, so a later job
        of this pid cannot meet it), then delete it here when small, else in a detached ``rm -rf``."""
        trash = old.with_name(f".{self.out_dir.name}-trash-{os.getpid()}-{time.monotonic_ns()}")
        try:
            os.rename(old, trash)
        except OSError:
            trash = old
        if files <= DELETE_APART_FILES or not shutil.which("rm"):
            shutil.rmtree(trash, ignore_errors=True)
            return
        try:  # ``sh`` exits at once and its ``rm`` child is left to init: no zombie in a long-running caller
            subprocess.run(["sh", "-c", 'rm -rf -- "$1" >/dev/null 2>&1 &', "sh", str(trash)], check=True,
                           stdin=subprocess.DEVNULL, start_new_session=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            shutil.rmtree(trash, ignore_errors=True)

    def _carry_over(self) -> None:
        """Hard-link entries of the current ``out_dir`` that no job of ours wrote into the new tree."""
        if not self.out_dir.is_dir():
            return
        for entry in sorted(self.out_dir.iterdir()):
            if (self.dir / entry.name).exists() or lexists(self.dir / entry.name):
                continue
            if self.keep is not None and entry.name in self.keep:
                continue
            link_tree(entry, self.dir / entry.name)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        self._unlock()

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, exc_type: Any, *rest: Any) -> None:
        if exc_type is not None:
            self.discard()
        else:
            self._unlock()


def lexists(p: Path) -> bool:
    return os.path.lexists(p)


class OutFiles(Sequence):
    """The paths of a job's files in ``out_dir``, made on access (50,000 ``Path`` objects cost 0.2 s at 10k deals).

    >>> files = OutFiles(Path("out"), ["a.txt", "maps/b.html"])
    >>> len(files), files[1].as_posix(), [p.name for p in files]
    (2, 'out/maps/b.html', ['a.txt', 'b.html'])
    """

    def __init__(self, root: Path, names: list[str]):
        self.root, self.names = root, names

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self.root / n for n in self.names[i]]
        return self.root / self.names[i]

    def __iter__(self) -> Iterator[Path]:
        return (self.root / n for n in self.names)

    def __eq__(self, other: Any) -> bool:
        return list(self) == list(other) if isinstance(other, (list, OutFiles)) else NotImplemented

    def __repr__(self) -> str:
        return f"OutFiles({self.root!s}, {len(self.names)} files)"
