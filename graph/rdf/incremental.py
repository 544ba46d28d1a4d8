"""The RDF stage of a build, redone for the changed records only: triples, SHACL check, graph.ttl and graph.jsonld.

Terms:

- **Own nodes** of a record: its IRI and the IRIs under it (``dgid:deal/X``, ``dgid:deal/X/party/…``).
  **Outside subjects**: the other subjects a record gives triples to (citation nodes it cites; for a
  deal its parties' role classes and an acquired target), kept per record in ``.cache/rdf-records.txt``;
  so an organization's node gets triples from its record and from its deals, the nodes under a record
  from that record only. The graph is the union of what each record gives (``triples.record_triples``).
- **Affected subjects**: the own nodes of each changed record, before (from the previous files) and
  after, and its outside subjects before and after when what it gives them changed (the cache keeps a
  digest of it: a note edit leaves a hub partner's block alone). Each gets its new triples from every
  record that gives it any (its owner and, through the cache, the records naming it as an outside
  subject); nothing else changes.
- **Check**: the affected subjects are checked against the shapes with ``shacl_near.violations_near``;
  when a node that others may point to lost a class (a record removed, a deal's type changed), or the
  shapes look further than that check covers, the whole graph is checked instead (:class:`Full`, its
  ``why`` says why). A changed record's sub-nodes may come and go: only that record's nodes point to them.
- **Files**: the previous graph.ttl and graph.jsonld (whose hashes the manifest checked) are spliced
  (``splice``): same bytes as a clean build, tests/test_rdf_incremental.py.

Example (what ``build._rdf_chain`` does)::

    work = prepare_rdf(ds, (Path("out"), changes, stages.usable))   # Spliced, or Full and why
    work.check(ds)                                                  # SeedError at file, line, field
    write_rdf(work, Path(".out-staging-1"))
"""
from __future__ import annotations

from hashlib import blake2b
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..core.errors import SeedError
from ..core.gcpause import paused_gc
from ..models.ontology import ID
from .shacl import check_shapes, locate
from .shacl_near import RDF_TYPE, shapes_are_local, violations_near
from .splice import OldFiles, RdfIndex, splice, write_indexed
from .triples import rdf_triples_by_record, record_triples

if TYPE_CHECKING:
    from ..models.dataset import Dataset
    from ..pipeline.changes import Changes

INDEX = ".cache/rdf-index.bin"
RECORDS = ".cache/rdf-records.txt"
#: Files of the RDF stage.
FILES = ("graph.ttl", "graph.jsonld", INDEX, RECORDS)
_KIND = {"sources": "source", "organizations": "org", "assets": "asset", "deals": "deal", "events": "event",
         "statistics": "stat"}
_KIND_OF = {v: k for k, v in _KIND.items()}
Key = tuple[str, str]
Outside = tuple[str, tuple[str, ...]]  # (digest of what a record gives outside its own nodes, those subjects)


class Full:
    """Every record's triples, checked against the shapes as a whole graph and written in full."""

    def __init__(self, ds: "Dataset", why: str = "no previous RDF to go by"):
        self.triples, given = rdf_triples_by_record(ds)
        with paused_gc():  # a million live strings: collections would walk them again and again
            self.outside = {key: _summary(pairs) for key, pairs in given.items()}
        self.why = why

    def __str__(self) -> str:
        return f"{len(self.triples)} triples ({self.why})"

    def check(self, ds: "Dataset") -> None:
        check_shapes(self.triples, ds)

    def write(self, to: Path) -> None:
        _save(to, write_indexed(self.triples.groups, to / "graph.ttl", to / "graph.jsonld"), self.outside)


class Spliced:
    """The changed records' triples over the previous build's files (see the module doc)."""

    def __init__(self, old: OldFiles, new: dict[str, tuple], outside: dict[Key, Outside], changes: Any):
        self.old, self.new, self.outside, self.changes = old, new, outside, changes

    def __str__(self) -> str:
        return f"{len(self.new)} subjects redone for {self.changes}; the others' blocks kept"

    def check(self, ds: "Dataset") -> None:
        """The SHACL check of the affected subjects (``shacl_near``); ``SeedError`` as the whole check raises it."""
        new, old = self.new, self.old
        present = {s: pairs for s, pairs in new.items() if pairs}
        violations = violations_near(present, lambda o: _types(new[o]) if o in new else old.types(o))
        if violations:
            raise SeedError([locate(v, ds) for v in violations])

    def write(self, to: Path) -> None:
        _save(to, splice(self.old, self.new, to / "graph.ttl", to / "graph.jsonld"), self.outside)


def write_rdf(work: "Full | Spliced", to: Path) -> None:
    """Write graph.ttl, graph.jsonld and the RDF cache of ``work`` (made by :func:`prepare_rdf`) into folder ``to``."""
    work.write(to)


def prepare_rdf(ds: "Dataset", since: tuple[Path, "Changes", Callable[[str], bool]] | None = None) -> "Full | Spliced":
    """The RDF of ``ds`` to check and write: :class:`Spliced` when ``since`` = (previous out/, changes since it,
    ``usable``) allows redoing only the changed records, else :class:`Full` (its ``why`` says why).

    ``usable(rel)`` says whether a previous file is the one its manifest recorded (hash-checked); the
    previous RDF must come from the same code and ontology (the caller's business).

    >>> import tempfile
    >>> from graph.ingest.curation import example
    >>> from graph.pipeline.changes import diff
    >>> old, new = example(), example()
    >>> d = next(iter(new.deals.values()))
    >>> new.deals[d.id] = d.model_copy(update={"note": "edited"})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_rdf(prepare_rdf(old), Path(tmp))
    ...     work = prepare_rdf(new, (Path(tmp), diff(old, new), lambda rel: True))
    ...     work.check(new)
    >>> type(work).__name__, sorted({s.split("/")[5] for s in work.new})
    ('Spliced', ['deal'])
    """
    if since is None:
        return Full(ds)
    got = _update(ds, *since)
    return Full(ds, got) if isinstance(got, str) else got


def _update(ds: "Dataset", previous: Path, changes: "Changes", usable: Callable[[str], bool]) -> "Spliced | str":
    if not shapes_are_local():
        return "the shapes look further than the changed nodes"
    if not all(usable(rel) for rel in FILES):
        return "the previous RDF files are missing or changed"
    try:
        old = OldFiles(previous / "graph.ttl", previous / "graph.jsonld",
                       RdfIndex.from_bytes((previous / INDEX).read_bytes()))
        outside = _read_records(previous / RECORDS)
    except (OSError, ValueError) as exc:
        return f"the previous RDF cache cannot be read ({exc})"
    keys = changes.added | changes.removed | changes.modified  # a moved record gives the same triples
    made: dict[Key, dict[str, Any]] = {}  # what each record gives now, each made once

    def gives(key: Key) -> dict[str, Any]:
        got = made.get(key)
        if got is None:
            rec = ds.table(key[0]).get(key[1])
            got = made[key] = {} if rec is None else record_triples(ds, key[0], rec)[0]
        return got

    affected: set[str] = set()
    for key in sorted(keys):
        own = f"<{ID}{_KIND[key[0]]}/{key[1]}"
        affected.update(old.under(own + "/"))
        if old.find(own + ">") is not None:
            affected.add(own + ">")
        before = outside.pop(key, None)
        rec = ds.table(key[0]).get(key[1])
        after = None
        if rec is not None:
            groups, given = record_triples(ds, key[0], rec)
            made[key] = groups
            affected.update(s for s in groups if s.startswith(own + "/") or s == own + ">")
            if given:
                after = outside[key] = _summary(given)
        if before != after:  # what it gives outside its own nodes changed: those subjects are redone
            affected.update(before[1] if before else ())
            affected.update(after[1] if after else ())
    named: dict[str, set[Key]] = {}
    for key, (_, subjects) in outside.items():
        for s in subjects:
            if s in affected:
                named.setdefault(s, set()).add(key)
    new: dict[str, tuple] = {}
    for s in sorted(affected):
        pairs: set[tuple[str, str]] = set()
        for key in sorted(named.get(s, set()) | _owner(s, ds)):
            pairs.update(gives(key).get(s, ()))
        new[s] = tuple(sorted(pairs))
        lost = (old.types(s) or set()) - _types(new[s])
        if lost and not _sub_node_of(s, keys):
            return f"{s} lost a class ({', '.join(sorted(lost))}): the whole graph is checked"
    return Spliced(old, new, outside, changes)


def _types(pairs: tuple) -> set[str]:
    return {o[1:-1] for p, o in pairs if p == RDF_TYPE}


def _sub_node_of(subject: str, keys: Any) -> bool:
    """True when ``subject`` is a sub-node (``dgid:deal/X/…``) of one of the records ``keys``: only that
    record's own nodes point to it (tests/test_rdf_incremental.py), and they are all checked again."""
    parts = subject[len(str(ID)) + 1:-1].split("/")
    return len(parts) > 2 and "#" not in subject and (_KIND_OF.get(parts[0], ""), parts[1]) in keys


def _owner(subject: str, ds: "Dataset") -> set[Key]:
    """The record whose own node ``subject`` is, if it exists now (citation nodes ``…#L12`` have none)."""
    local = subject[len(str(ID)) + 1:-1]
    if "#" in local or not subject.startswith(f"<{ID}"):
        return set()
    kind, _, rest = local.partition("/")
    kind = _KIND_OF.get(kind, "")
    rec_id = rest.split("/", 1)[0]
    return {(kind, rec_id)} if kind and rec_id in ds.table(kind) else set()


def _summary(given: tuple[tuple[str, str], ...]) -> Outside:
    """(digest of what a record gives outside its own nodes, the subjects it gives it to)."""
    text = "\n".join(f"{s} {what}" for s, what in given)
    return blake2b(text.encode(), digest_size=10).hexdigest(), tuple(sorted({s for s, _ in given}))


def _save(to: Path, index: RdfIndex, outside: dict[Key, Outside]) -> None:
    (to / INDEX).parent.mkdir(parents=True, exist_ok=True)
    for rel in (INDEX, RECORDS):
        (to / rel).unlink(missing_ok=True)  # never write through a file linked from the previous build
    (to / INDEX).write_bytes(index.to_bytes())
    with open(to / RECORDS, "w", encoding="utf-8", newline="\n") as f:
        f.writelines(f"{k}\t{i}\t{d}\t{' '.join(s)}\n" for (k, i), (d, s) in sorted(outside.items()))


def _read_records(path: Path) -> dict[Key, Outside]:
    out: dict[Key, Outside] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            kind, rec_id, digest, subjects = line.rstrip("\n").split("\t")
            if kind not in _KIND:
                raise ValueError(f"{path.name} line {n}: unknown kind {kind!r}")
            out[(kind, rec_id)] = digest, tuple(subjects.split(" "))
    return out
