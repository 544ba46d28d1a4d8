"""A real Neo4j 5.26 Community server for the test suite.

The server is ``org.neo4j.test:neo4j-harness`` (from Maven Central) run in its own JVM by the small launcher in
``tests/neo4j_harness``; it listens for Bolt on a free 127.0.0.1 port with auth disabled.

* :func:`ensure_launcher` builds the launcher with Maven the first time (that resolves ~150 MB of jars into the
  local Maven repository, ``~/.m2`` by default) and caches the resulting classpath in
  ``$DEALGRAPH_CACHE/neo4j-harness`` (default ``~/.cache/dealgraph/neo4j-harness``).  Later runs reuse it without
  calling Maven at all, as long as ``pom.xml`` and the Java source are unchanged and the jars are still there.
* :class:`Neo4jServer` starts and stops one server process.
* ``neo4j_uri`` / ``neo4j_driver`` are session-scoped pytest fixtures.  With ``NEO4J_URI`` set (plus
  ``NEO4J_USER``/``NEO4J_PASSWORD``) they use that server instead of starting one.  Without Java 17+ or Maven
  the tests are skipped, except under ``CI=true``, where that (like any server that fails to start) fails them.

Command line (from the repo root):
    python -m tests.neo4j_server --prepare   # build launcher + resolve jars only (e.g. in .ci/run)
    python -m tests.neo4j_server             # run a server in the foreground (prints its URI) until Ctrl-C

Environment knobs: ``DEALGRAPH_CACHE``, ``DEALGRAPH_NEO4J_HEAP`` (default 768m), ``DEALGRAPH_NEO4J_PAGECACHE``
(default 64m), ``DEALGRAPH_NEO4J_JAVA_OPTS`` (extra JVM flags), ``DEALGRAPH_MVN_ARGS`` (extra Maven flags, e.g.
``-Dmaven.repo.local=...``).
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import hashlib
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest

HARNESS_DIR = Path(__file__).resolve().parent / "neo4j_harness"
MAIN_CLASS = "dealgraph.harness.Launcher"
# Bump when the build recipe below changes in a way that should invalidate existing caches.
_RECIPE_VERSION = "1"

DEFAULT_HEAP = "768m"
DEFAULT_PAGECACHE = "64m"
DEFAULT_STARTUP_TIMEOUT = 180.0
MAVEN_TIMEOUT = 1800.0

# JVM flags Neo4j's own start script uses on Java 17 (harmless if unneeded), plus a small single-threaded GC.
_BASE_JVM_FLAGS = [
    "-XX:+UseSerialGC",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]


class HarnessUnavailable(RuntimeError):
    """Java or Maven is not installed (or too old): the tests can be skipped outside CI."""


class HarnessError(RuntimeError):
    """The launcher could not be built or the server could not be started."""


def _log(msg: str) -> None:
    print(f"[neo4j-harness] {msg}", file=sys.stderr, flush=True)


def cache_dir() -> Path:
    root = os.environ.get("DEALGRAPH_CACHE")
    base = Path(root).expanduser() if root else Path.home() / ".cache" / "dealgraph"
    return base / "neo4j-harness"


def _is_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


# --------------------------------------------------------------------------------------------------------------
# tools


def find_java() -> str:
    """Path of a ``java`` that is version 17 or newer; raises HarnessUnavailable otherwise."""
    java_home = os.environ.get("JAVA_HOME")
    candidates = []
    if java_home:
        candidates.append(str(Path(java_home) / "bin" / "java"))
    which = shutil.which("java")
    if which:
        candidates.append(which)
    for java in candidates:
        if not (os.path.isfile(java) and os.access(java, os.X_OK)):
            continue
        major = _java_major(java)
        if major is not None and major >= 17:
            return java
        if major is not None:
            raise HarnessUnavailable(f"{java} is Java {major}; Neo4j 5.26 needs Java 17 or newer")
    raise HarnessUnavailable("`java` (Java 17+) was not found on PATH")


def _java_major(java: str) -> Optional[int]:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def find_mvn() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise HarnessUnavailable("`mvn` (Maven 3) was not found on PATH")
    return mvn


# --------------------------------------------------------------------------------------------------------------
# build + classpath cache


def _source_hash() -> str:
    h = hashlib.sha256()
    h.update(f"recipe={_RECIPE_VERSION}\n".encode())
    files = [HARNESS_DIR / "pom.xml"] + sorted(p for p in (HARNESS_DIR / "src").rglob("*") if p.is_file())
    for p in files:
        h.update(str(p.relative_to(HARNESS_DIR)).encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _read_cached_classpath(build_dir: Path) -> Optional[str]:
    stamp = build_dir / "stamp.json"
    try:
        info = json.loads(stamp.read_text())
        entries = [e for e in info["classpath"].split(os.pathsep) if e]
    except (OSError, ValueError, KeyError):
        return None
    if not entries or not all(os.path.exists(e) for e in entries):
        return None  # e.g. ~/.m2 was cleaned: rebuild
    return os.pathsep.join(entries)


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - non-POSIX
            pass
        yield


def ensure_launcher(*, quiet: bool = False) -> str:
    """Build the launcher if needed and return the Java classpath (launcher jar + all Neo4j jars).

    Maven runs only when pom.xml or the Java source changed since the last build (or the cached jars are gone);
    otherwise this is a few file reads and works offline.
    """
    digest = _source_hash()
    build_dir = cache_dir() / f"build-{digest}"
    cp = _read_cached_classpath(build_dir)
    if cp:
        return cp

    with _file_lock(cache_dir() / "build.lock"):
        cp = _read_cached_classpath(build_dir)  # another process may have built it meanwhile
        if cp:
            return cp
        mvn = find_mvn()
        find_java()
        if build_dir.exists():
            shutil.rmtree(build_dir, ignore_errors=True)
        build_dir.mkdir(parents=True)
        deps_file = build_dir / "dependencies.classpath"
        log_file = build_dir / "maven.log"
        cmd = [
            mvn, "-B", "-q", "--no-transfer-progress",
            "-f", str(HARNESS_DIR / "pom.xml"),
            f"-Dharness.build.dir={build_dir / 'target'}",
            "package", "dependency:build-classpath",
            f"-Dmdep.outputFile={deps_file}",
        ] + shlex.split(os.environ.get("DEALGRAPH_MVN_ARGS", ""))
        if not quiet:
            _log("resolving Neo4j harness jars from Maven Central (first run only)…")
        t0 = time.monotonic()
        try:
            with open(log_file, "w") as log:
                proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                      cwd=str(HARNESS_DIR), timeout=MAVEN_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise HarnessError(f"Maven did not finish within {MAVEN_TIMEOUT:.0f} s; see {log_file}") from None
        if proc.returncode != 0:
            tail = _tail(log_file.read_text(errors="replace"), 60)
            raise HarnessError(f"building the Neo4j harness failed (mvn exit {proc.returncode}); "
                               f"command: {' '.join(cmd)}\n{tail}")
        jars = sorted((build_dir / "target").glob("*.jar"))
        if not jars or not deps_file.exists():
            raise HarnessError(f"Maven succeeded but produced no launcher jar/classpath in {build_dir}")
        deps = deps_file.read_text().strip()
        classpath = os.pathsep.join([str(jars[0])] + [d for d in deps.split(os.pathsep) if d])
        tmp = build_dir / "stamp.json.tmp"
        tmp.write_text(json.dumps({"source_hash": digest, "classpath": classpath,
                                   "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")}, indent=1))
        tmp.replace(build_dir / "stamp.json")
        if not quiet:
            _log(f"Neo4j harness built in {time.monotonic() - t0:.1f} s (cached in {build_dir})")
        return classpath


def _tail(text: str, n: int) -> str:
    return "\n".join(text.splitlines()[-n:])


# --------------------------------------------------------------------------------------------------------------
# server process


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Neo4jServer:
    """One in-process-harness Neo4j server in a child JVM.

    >>> with Neo4jServer() as server:
    ...     driver = neo4j.GraphDatabase.driver(server.uri)   # auth disabled
    """

    def __init__(self, port: Optional[int] = None, *, http_port: Optional[int] = None,
                 heap: Optional[str] = None, pagecache: Optional[str] = None,
                 startup_timeout: float = DEFAULT_STARTUP_TIMEOUT, java_opts: Optional[list[str]] = None,
                 quiet: bool = False):
        self.requested_port = port
        self.http_port = http_port
        self.heap = heap or os.environ.get("DEALGRAPH_NEO4J_HEAP", DEFAULT_HEAP)
        self.pagecache = pagecache or os.environ.get("DEALGRAPH_NEO4J_PAGECACHE", DEFAULT_PAGECACHE)
        self.startup_timeout = startup_timeout
        self.java_opts = list(java_opts or []) + shlex.split(os.environ.get("DEALGRAPH_NEO4J_JAVA_OPTS", ""))
        self.quiet = quiet
        self.port: Optional[int] = None
        self.uri: Optional[str] = None
        self.startup_seconds: Optional[float] = None
        self.proc: Optional[subprocess.Popen] = None
        self._stderr_lines: collections.deque[str] = collections.deque(maxlen=400)
        self._threads: list[threading.Thread] = []

    # -- lifecycle --------------------------------------------------------------------------------------------

    def __enter__(self) -> "Neo4jServer":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> "Neo4jServer":
        if self.proc is not None:
            raise HarnessError("server already started")
        java = find_java()
        classpath = ensure_launcher(quiet=self.quiet)
        attempts = 1 if self.requested_port else 3  # a freshly picked free port can be taken by someone else
        for attempt in range(1, attempts + 1):
            port = self.requested_port or free_port()
            try:
                self._start_once(java, classpath, port)
                return self
            except HarnessError:
                address_in_use = any("Address already in use" in line or "BindException" in line
                                     for line in self._stderr_lines)
                if attempt < attempts and address_in_use:
                    _log(f"port {port} was taken, retrying with another port")
                    self._stderr_lines.clear()
                    continue
                raise
        raise AssertionError("unreachable")

    def _start_once(self, java: str, classpath: str, port: int) -> None:
        cmd = [java, f"-Xmx{self.heap}", *_BASE_JVM_FLAGS, *self.java_opts, "-cp", classpath, MAIN_CLASS,
               "--port", str(port), "--pagecache", self.pagecache]
        if self.http_port:
            cmd += ["--http-port", str(self.http_port)]
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,  # Ctrl-C goes to pytest, which then stops us in order
        )
        ready = threading.Event()
        ready_line: list[str] = []

        def read_stdout(stream) -> None:
            for raw in stream:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if line.startswith("READY ") and not ready.is_set():
                    ready_line.append(line)
                    ready.set()
                elif line:
                    self._stderr_lines.append(f"[stdout] {line}")
            ready.set()  # EOF: process gone (or closed stdout); the poll below tells which

        def read_stderr(stream) -> None:
            for raw in stream:
                self._stderr_lines.append(raw.decode("utf-8", "replace").rstrip("\r\n"))

        self._threads = [
            threading.Thread(target=read_stdout, args=(self.proc.stdout,), name="neo4j-stdout", daemon=True),
            threading.Thread(target=read_stderr, args=(self.proc.stderr,), name="neo4j-stderr", daemon=True),
        ]
        for t in self._threads:
            t.start()

        deadline = t0 + self.startup_timeout
        while not ready.wait(timeout=0.5):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                break
        if not ready_line:
            timed_out = time.monotonic() > deadline
            if not timed_out:  # stdout closed: the process is exiting, give it a moment to be reaped
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(timeout=10)
            self._kill()
            for t in self._threads:
                t.join(timeout=5)
            what = (f"did not report READY within {self.startup_timeout:.0f} s" if timed_out
                    else f"exited with code {self.proc.returncode} before it was ready")
            self.proc = None
            raise HarnessError(f"Neo4j harness {what}.\n--- last lines of its stderr ---\n"
                               + "\n".join(list(self._stderr_lines)[-40:]))
        self.port = port
        self.uri = ready_line[0].split(" ", 1)[1].strip()
        self.startup_seconds = time.monotonic() - t0
        atexit.register(self.stop)

    def stop(self, timeout: float = 60.0) -> None:
        """Close the launcher's stdin (orderly shutdown), then SIGTERM, then SIGKILL if it hangs."""
        proc = self.proc
        if proc is None:
            return
        self.proc = None
        try:
            if proc.poll() is None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
                try:
                    proc.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(OSError):
                        proc.send_signal(signal.SIGTERM)
                    try:
                        proc.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                        proc.wait()
        finally:
            for t in self._threads:
                t.join(timeout=5)
            with contextlib.suppress(Exception):
                atexit.unregister(self.stop)

    def _kill(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(OSError):
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def stderr_tail(self, n: int = 40) -> str:
        return "\n".join(list(self._stderr_lines)[-n:])


# --------------------------------------------------------------------------------------------------------------
# pytest fixtures


_HOW_TO = ("These tests need a Neo4j 5 server. Install Java 17+ and Maven 3 (the suite then starts a Neo4j 5.26 "
           "test server by itself; the first run downloads its jars from Maven Central), or point NEO4J_URI "
           "(with NEO4J_USER/NEO4J_PASSWORD if it needs auth) at any Neo4j 5 server.")


def neo4j_auth_from_env() -> Optional[tuple[str, str]]:
    """Basic auth for an external ``NEO4J_URI`` server, or None (the built-in server has auth disabled)."""
    user = os.environ.get("NEO4J_USER") or os.environ.get("NEO4J_USERNAME")
    password = os.environ.get("NEO4J_PASSWORD")
    if user or password:
        return (user or "neo4j", password or "")
    return None


def _redact(uri: str) -> str:
    return re.sub(r"//[^@/]*@", "//***@", uri)


@contextlib.contextmanager
def _to_terminal(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let progress messages through pytest's output capture."""
    capman = request.config.pluginmanager.getplugin("capturemanager")
    if capman is None:
        yield
        return
    with capman.global_and_fixture_disabled():
        yield


@pytest.fixture(scope="session")
def neo4j_uri(request: pytest.FixtureRequest) -> Iterator[str]:
    """Bolt URI of a Neo4j 5 server for the whole test session (``NEO4J_URI`` or a fresh 5.26 harness)."""
    external = os.environ.get("NEO4J_URI")
    if external:
        yield external
        return
    server = Neo4jServer()
    unavailable: Optional[HarnessUnavailable] = None
    failed: Optional[HarnessError] = None
    try:
        with _to_terminal(request):
            server.start()
            _log(f"Neo4j 5.26 test server ready at {server.uri} ({server.startup_seconds:.1f} s)")
    except HarnessUnavailable as e:
        unavailable = e
    except HarnessError as e:
        failed = e
    # (skip/fail outside the except blocks, so pytest shows one clean message, not a chained traceback)
    if unavailable is not None:
        if _is_ci():
            pytest.fail(f"CI=true but the Neo4j test server cannot run: {unavailable}. {_HOW_TO}", pytrace=False)
        pytest.skip(f"Neo4j test server unavailable: {unavailable}. {_HOW_TO}")
    if failed is not None:
        pytest.fail(f"the Neo4j test server failed to start: {failed}", pytrace=False)
    try:
        yield server.uri
    finally:
        server.stop()


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str):
    """A ``neo4j.Driver`` connected to :func:`neo4j_uri`, closed at the end of the session."""
    import neo4j

    auth = neo4j_auth_from_env() if os.environ.get("NEO4J_URI") else None
    driver = neo4j.GraphDatabase.driver(neo4j_uri, auth=auth)
    try:
        driver.verify_connectivity()
    except Exception as e:  # noqa: BLE001 - report any connection problem as a test failure
        driver.close()
        pytest.fail(f"cannot connect to Neo4j at {_redact(neo4j_uri)}: {type(e).__name__}: {e}", pytrace=False)
    try:
        yield driver
    finally:
        driver.close()


# --------------------------------------------------------------------------------------------------------------
# command line


def _main(argv: Optional[list[str]] = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m tests.neo4j_server", description=__doc__.split("\n\n")[0])
    ap.add_argument("--prepare", action="store_true", help="build the launcher and resolve jars, then exit")
    ap.add_argument("--port", type=int, default=None, help="Bolt port (default: a free one)")
    ap.add_argument("--http-port", type=int, default=None, help="also enable HTTP on this port")
    args = ap.parse_args(argv)
    try:
        if args.prepare:
            t0 = time.monotonic()
            cp = ensure_launcher()
            n = len(cp.split(os.pathsep))
            _log(f"launcher ready: {n} classpath entries ({time.monotonic() - t0:.1f} s)")
            return 0
        with Neo4jServer(args.port, http_port=args.http_port) as server:
            print(server.uri, flush=True)
            _log(f"ready in {server.startup_seconds:.1f} s; Ctrl-C to stop")
            with contextlib.suppress(KeyboardInterrupt):
                while server.proc is not None and server.proc.poll() is None:
                    time.sleep(1)
        return 0
    except (HarnessUnavailable, HarnessError) as e:
        _log(str(e))
        return 1


if __name__ == "__main__":
    sys.exit(_main())
