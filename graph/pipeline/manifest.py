"""The build manifest (``out/manifest.json``): what a build was made from, so stale outputs are detected.

* **Inputs** are hashed with SHA-256: each seed file (``*.yaml`` in the seeds folder), the
  ontology files, and the *code version* (the package version and every file of the ``graph``
  package: a changed module or template makes every output stale).
* **Stage keys.** Each stage of the build has a key, the hash of exactly the inputs it reads
  (e.g. ``dataset`` = code + seed files; ``rdf`` = code + ontology + the validated dataset). A
  rebuild reuses a stage's cached result when its key equals the previous build's key.
* **Outputs** lists every file the build wrote with its hash, so a reader can check them.

The manifest holds no time stamps: the same inputs give a byte-identical manifest.

Example::

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "deals.yaml").write_text("[]\\n")
    >>> seed_hashes(d)
    {'deals.yaml': '37517e5f3dc66819f61f5a7bb8ace1921282415f10551d2defa5c3eb0985b570'}
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import pickle
from dataclasses import dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from pydantic import BaseModel

from ..core.errors import DealgraphError
from ..models.ontology import ONTOLOGY_DIR

MANIFEST = "manifest.json"
FORMAT_VERSION = 2
PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the graph package (this file is in graph/pipeline/)


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def digest(*parts: Any) -> str:
    """SHA-256 of JSON-serialised parts: a stage key from the keys and options it depends on."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def seed_hashes(seeds: Path | str) -> dict[str, str]:
    """``{file name: sha256}`` of every seed YAML file in ``seeds`` (missing folder: empty)."""
    seeds = Path(seeds)
    if not seeds.is_dir():
        return {}
    return {p.name: file_hash(p) for p in sorted(seeds.iterdir())
            if p.suffix in (".yaml", ".yml") and p.is_file()}


@cache
def code_version() -> str:
    """Hash of the package version and every file of the ``graph`` package (modules, templates; not the
    data a wheel carries under ``graph/_data``: the ontology has its own hash, seeds are hashed per build)."""
    try:
        version = importlib.metadata.version("dealgraph")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    h = hashlib.sha256(version.encode())
    for p in sorted(PACKAGE_DIR.rglob("*")):
        rel = p.relative_to(PACKAGE_DIR).parts
        if p.is_file() and "__pycache__" not in rel and rel[0] != "_data" and p.suffix != ".pyc":
            h.update(str(p.relative_to(PACKAGE_DIR)).encode() + b"\0" + file_hash(p).encode())
    return h.hexdigest()


@cache
def ontology_version() -> str:
    """Hash of every file in ``ontology/`` (the vocabulary, places and SHACL shapes)."""
    return digest({p.name: file_hash(p) for p in sorted(ONTOLOGY_DIR.glob("*.ttl"))})


@dataclass
class Manifest:
    """What one build read and wrote (see the module docstring)."""

    seeds_dir: str
    seeds: dict[str, str]
    code: str
    ontology: str
    options: dict[str, Any] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    dataset: str = ""  # content of the validated dataset (``content_digests``): the key of every later stage
    projection: str = ""  # the same without notes and seed lines (``projection_digest``): analyses, maps, report
    format: int = FORMAT_VERSION

    def to_json(self) -> str:
        """The manifest as ``json.dumps(asdict(self), indent=1, sort_keys=True)`` gives it, without that encoder's
        pure-Python pass over the 50,000 outputs of a 10k-deal build (they are written line by line here)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["outputs"] = {}
        text = json.dumps(data, indent=1, sort_keys=True, default=str)
        if self.outputs:
            esc = json.encoder.encode_basestring_ascii  # what ``ensure_ascii`` uses: the same bytes
            body = ",\n".join(f"  {esc(k)}: {esc(v)}" for k, v in sorted(self.outputs.items()))
            text = text.replace('\n "outputs": {}', '\n "outputs": {\n' + body + "\n }", 1)
        return text + "\n"

    def changed_seeds(self, now: dict[str, str]) -> list[str]:
        """Seed files added, removed or edited since this manifest was written, sorted."""
        return sorted(n for n in set(self.seeds) | set(now) if self.seeds.get(n) != now.get(n))

    def top_level(self) -> set[str]:
        """Top-level names under out/ that the build wrote (files and folders)."""
        return {p.split("/", 1)[0] for p in self.outputs} | {MANIFEST}


def read_manifest(out: Path | str) -> Manifest | None:
    """The manifest of the build in ``out`` or None (no build, an older format, or an unreadable file)."""
    path = Path(out) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT_VERSION:
            return None
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None


def seeds_id(seeds: Path | str, out: Path | str) -> str:
    """How the manifest in ``out`` names a seeds folder: its path relative to ``out`` (e.g. ``../seeds``),
    so that a project folder can move and two builds from the same layout write the same manifest."""
    return Path(os.path.relpath(Path(seeds).resolve(), Path(out).resolve())).as_posix()


def seeds_dir_of(manifest: "Manifest", out: Path | str) -> Path:
    """The seeds folder the build in ``out`` read."""
    return Path(os.path.normpath(Path(out).resolve() / manifest.seeds_dir))


def stale_reason(manifest: Manifest, seeds: Path | str) -> str | None:
    """Why the build described by ``manifest`` no longer matches ``seeds`` and the code, or None if it is current."""
    seeds = Path(seeds)
    changed = manifest.changed_seeds(seed_hashes(seeds))
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        return f"the seeds changed since the last build ({shown} in {seeds})"
    if manifest.code != code_version():
        return "dealgraph itself changed since the last build"
    return None


def require_current(out: Path | str, seeds: Path | str | None = None, what: str = "the last build") -> Manifest | None:
    """Raise ``DealgraphError`` when the build in ``out`` is stale; its manifest (None when there is no build).

    The message says what changed and the command that rebuilds.
    """
    manifest = read_manifest(out)
    if manifest is None:
        return None
    seeds = Path(seeds) if seeds is not None else seeds_dir_of(manifest, out)
    reason = stale_reason(manifest, seeds)
    if reason:
        raise DealgraphError(f"{reason}; {what} in {out}/ is out of date: run `dealgraph build --seeds {seeds} "
                             f"--out {out}` first")
    return manifest


# ---------------------------------------------------------------------------------------------- projections
#: Fields of a record that only its own page and its map card show: free text no analysis reads.
TEXT_ONLY_FIELDS = frozenset({"note"})


class _ProjectionPickler(pickle.Pickler):
    """Pickles records without their ``TEXT_ONLY_FIELDS`` and with their given fields sorted (the bytes then
    depend on the content only, not on the string hash seed of the process)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, BaseModel):
            fields = {k: v for k, v in obj.__dict__.items() if k not in TEXT_ONLY_FIELDS}
            return tuple, ((type(obj).__qualname__, fields, sorted(set(obj.model_fields_set) - TEXT_ONLY_FIELDS)),)
        return NotImplemented


class HashSink:
    """A file-like sink that only hashes what is written to it (a pickle's digest without its bytes in memory)."""

    def __init__(self) -> None:
        self.h = hashlib.sha256()

    def write(self, b: bytes) -> int:
        self.h.update(b)
        return len(b)


def projection_digest(ds: Any, records: dict[tuple[str, str], str] | None = None) -> str:
    """SHA-256 of what the analyses and the shape of the maps read from a dataset: every record without its
    ``TEXT_ONLY_FIELDS`` (notes), and not the seed lines the records came from (``Dataset.origins``): the
    digest of each record's kind, id and ``record_digests`` (given as ``records`` when already known).

    A note edited, or a comment that shifts lines, leaves it unchanged; a party, role, date, amount,
    country or asset changed changes it. Example (``graph.ingest.curation.example()``: Hengrui licenses to GSK):

    >>> from graph.ingest.curation import example
    >>> ds = example(); before = projection_digest(ds)
    >>> d = next(iter(ds.deals.values()))
    >>> ds.deals[d.id] = d.model_copy(update={"note": "edited"}); projection_digest(ds) == before
    True
    >>> ds.deals[d.id] = d.model_copy(update={"status": "terminated"}); projection_digest(ds) == before
    False
    """
    records = record_digests(ds) if records is None else records
    h = hashlib.sha256()
    for k in ds.KINDS:
        for i in sorted(ds.table(k)):
            h.update(f"{k}\0{i}\0{records[(k, i)]}\n".encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def record_digests(ds: Any, known: dict[tuple[str, str], str] | None = None) -> dict[tuple[str, str], str]:
    """``(kind, id)`` → SHA-256 of the record without its ``TEXT_ONLY_FIELDS``, given fields sorted (a pickle
    without memo: which equal strings are one object varies between runs and must not show).

    ``known`` digests are taken as they are for the records they name: the caller vouches that they were
    computed from these very record objects (a rebuild passes those of the records it reused).
    """
    known = known or {}
    sink = HashSink()
    p = _ProjectionPickler(sink, protocol=5)
    p.fast = True
    out: dict[tuple[str, str], str] = {}
    for k in ds.KINDS:
        for i, rec in ds.table(k).items():
            found = known.get((k, i))
            if found is None:
                sink.h = hashlib.sha256()
                p.dump(rec)
                found = sink.h.hexdigest()
            out[(k, i)] = found
    return out


def text_digest(ds: Any, ids: Iterable[str]) -> str:
    """SHA-256 of the ``TEXT_ONLY_FIELDS`` of the records named by ``ids`` (deals, organizations, assets,
    events; unknown ids count as absent): with ``projection_digest``, the key of one map's content."""
    tables = [ds.deals, ds.organizations, ds.assets, ds.events]
    rows = []
    for i in sorted(set(ids)):
        rec = next((t[i] for t in tables if i in t), None)
        rows.append([i, None if rec is None else [getattr(rec, f, None) for f in sorted(TEXT_ONLY_FIELDS)]])
    return digest(rows)


def content_digests(ds: Any, records: dict[tuple[str, str], str] | None = None) -> tuple[str, str]:
    """``(projection, content)`` of a dataset: ``projection_digest(ds, records)``, and the digest of everything
    in it — the projection, every record's ``TEXT_ONLY_FIELDS`` and the seed line of every record
    (``Dataset.origins``). Equal datasets give equal digests."""
    projection = projection_digest(ds, records)
    fields = sorted(TEXT_ONLY_FIELDS)
    h = hashlib.sha256(f"content\0{projection}\n".encode())
    origins, found = ds.origins, 0
    for k in ds.KINDS:
        table = ds.table(k)
        for i in sorted(table):
            o = origins.get((k, i))
            found += o is not None
            row = (k, i, [getattr(table[i], f, None) for f in fields], o and o.file, o and o.line)
            h.update(repr(row).encode("utf-8", "surrogatepass") + b"\n")
    if len(origins) != found:  # origins of no record: none in a validated dataset
        for key in sorted(origins.keys() - {(k, i) for k in ds.KINDS for i in ds.table(k)}):
            h.update(repr((key, origins[key].file, origins[key].line)).encode("utf-8", "surrogatepass") + b"\n")
    return projection, h.hexdigest()