"""Graph rules: what a set of seeds must satisfy as a whole, checked before anything is written.

``load_seeds`` runs ``graph_rules`` on every load, so ``validate``, ``build`` and every other command
see the same problems, each as ``file:line: field: message``. The rules:

Sides
    No organization is a party to a deal twice, and none is on both sides of it (a role's side comes from
    ``vocabulary().role_side``: a licensor that is also its own licensee).
Cycles
    ``subsidiary_of``, ``formed_by`` and ``stakes`` never lead from an organization back to itself,
    directly (its own subsidiary, a NewCo formed by itself, a stake in itself) or through others.
Dates
    Every date lies between 1900 and five years after today.
Amounts
    Every amount, USD value and exchange rate, in the phrase and in the mapping form of a term, is
    non-negative, and a number with thousands separators is grouped by threes (``USD 1,,,200 million``
    is refused).
Names
    Names, aliases, former names, codes and titles hold no control or formatting characters; two records'
    names may not be equal after Unicode NFKC normalisation and case folding (a full-width ``ＡＣＭＥ``
    duplicates ``Acme``).
Documents
    A source document's ``file`` is a relative path inside the documents folder.

``citation_problems`` checks citations against the documents, reported against each record's seed line;
``validate`` and ``build`` both call ``check_documents``, which says plainly when no documents were found.
"""
from __future__ import annotations

import os
import re
import unicodedata
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Callable, Iterable, Iterator, Optional

from ..models.dataset import Dataset
from ..core.errors import SeedError, SeedProblem
from ..models.dates import year_span
from ..models.vocabulary import vocabulary
from .yamlio import name_key

Where = Callable[..., tuple[str, int]]
Keys = Optional[set[tuple[str, str]]]  # record keys (kind, id), or None for every record

FIRST_YEAR = 1900
YEARS_AHEAD = 5
_NUMBER_RE = re.compile(r"[0-9][0-9,.]*")
_GROUPED_RE = re.compile(r"^(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$")
NAME_FIELDS = ("name", "aliases", "former_names", "codes", "title")


def _bad_character(text: str) -> str | None:
    """Formatting characters and line breaks or tabs (other control characters the YAML reader refuses)."""
    if text.isascii() and text.isprintable():
        return None
    for ch in text:
        if ch in "\t\n\r" or unicodedata.category(ch) == "Cf":
            return f"U+{ord(ch):04X}"
    return None


def _model_fields(ds: Dataset, kind: str) -> set[str]:
    from ..models import RECORD_TYPES

    return set(RECORD_TYPES[kind].model_fields)


def _money(rec: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    fields = type(rec).model_fields
    for kind, claims in ((rec.terms if "terms" in fields else None) or {}).items():
        for j, c in enumerate(claims):
            yield ("terms", kind, j), c
    for j, c in enumerate((rec.money if "money" in fields else None) or []):
        yield ("money", j), c


def _sides(ds: Dataset, where: Where, only: Keys) -> Iterator[SeedProblem]:
    side_of = vocabulary().role_side
    for deal_id, deal in _of(ds, "deals", only):
        seen: dict[str, tuple[str, str]] = {}  # org -> (role, side)
        for role, orgs in deal.parties.items():
            side = side_of(role) if role in vocabulary().role_sides else "peer"
            for j, org in enumerate(orgs):
                path = ("parties", role, j)
                field = f"parties.{role}.{j}"
                if org in seen:
                    first_role, first_side = seen[org]
                    if {first_side, side} == {"gives", "takes"}:
                        msg = f"'{org}' is on both sides of the deal ({first_role} and {role})"
                    elif first_role == role:
                        msg = f"'{org}' is listed twice as {role}"
                    else:
                        msg = f"'{org}' is listed twice among the parties ({first_role} and {role})"
                    yield SeedProblem(*where("deals", deal_id, *path), field, msg)
                else:
                    seen[org] = (role, side)


def _cycles(ds: Dataset, where: Where) -> Iterator[SeedProblem]:
    edges: dict[str, dict[str, list[tuple[str, tuple[Any, ...]]]]] = {"subsidiary_of": {}, "formed_by": {},
                                                                      "stakes": {}}
    for org_id, org in ds.organizations.items():
        if org.subsidiary_of:
            edges["subsidiary_of"].setdefault(org_id, []).append((org.subsidiary_of, ("subsidiary_of",)))
        for j, o in enumerate(org.formed_by):
            edges["formed_by"].setdefault(org_id, []).append((o, ("formed_by", j)))
        for j, s in enumerate(org.stakes):
            edges["stakes"].setdefault(org_id, []).append((s.org, ("stakes", j, "org")))
    selfish = {"subsidiary_of": "an organization cannot be its own subsidiary",
               "formed_by": "an organization cannot be formed by itself",
               "stakes": "an organization cannot hold a stake in itself"}
    for rel, graph in edges.items():
        reported: set[str] = set()
        for start in sorted(graph):
            for target, path in graph[start]:
                if target == start:
                    yield SeedProblem(*where("organizations", start, *path), ".".join(map(str, path)), selfish[rel])
                    reported.add(start)
        for start in sorted(_on_or_before_cycles(graph)):
            if start in reported:
                continue
            cycle = _find_cycle(graph, start)
            if cycle:
                reported.update(cycle)
                path = next(p for t, p in graph[start] if t == cycle[1])
                chain = " → ".join(cycle)
                yield SeedProblem(*where("organizations", start, *path), ".".join(map(str, path)),
                                  f"{rel} goes round in a cycle: {chain}")


def _find_cycle(graph: dict[str, list[tuple[str, Any]]], start: str) -> list[str] | None:
    """The shortest path start → … → start through ``graph`` (self-loops aside), or None."""
    parents: dict[str, str] = {}
    frontier = [start]
    while frontier:
        nxt = []
        for node in frontier:
            for target, _ in graph.get(node, []):
                if target == start:
                    if node == start:
                        continue
                    chain = [node]
                    while chain[-1] != start:
                        chain.append(parents[chain[-1]])
                    return [*reversed(chain), start]
                if target not in parents:
                    parents[target] = node
                    nxt.append(target)
        frontier = nxt
    return None


def _on_or_before_cycles(graph: dict[str, list[tuple[str, Any]]]) -> set[str]:
    """Nodes left after repeatedly dropping those with no way onwards: the only ones a cycle can start from."""
    out_degree = {n: len({t for t, _ in ts if t != n}) for n, ts in graph.items()}
    into: dict[str, list[str]] = {}
    for n, ts in graph.items():
        for t in {t for t, _ in ts if t != n}:
            into.setdefault(t, []).append(n)
    for targets in into:
        out_degree.setdefault(targets, 0)
    done = [n for n, d in out_degree.items() if d == 0]
    left = set(graph)
    while done:
        n = done.pop()
        left.discard(n)
        for m in into.get(n, []):
            out_degree[m] -= 1
            if out_degree[m] == 0:
                done.append(m)
    return left


def _dates(ds: Dataset, where: Where, only: Keys) -> Iterator[SeedProblem]:
    last = date.today().year + YEARS_AHEAD
    for kind in ("sources", "deals", "events"):
        for rec_id, rec in _of(ds, kind, only):
            d = getattr(rec, "date", None)
            if d and not all(FIRST_YEAR <= y <= last for y in year_span(d) if y is not None):
                yield SeedProblem(*where(kind, rec_id, "date"), "date",
                                  f"'{d}' is out of range: dates lie between {FIRST_YEAR} and {last}")


def _amounts(ds: Dataset, where: Where, only: Keys) -> Iterator[SeedProblem]:
    for kind in ("deals", "events", "statistics"):
        for rec_id, rec in _of(ds, kind, only):
            for path, claim in _money(rec):
                field = ".".join(map(str, path))
                for num in _NUMBER_RE.findall(claim.text):
                    if not _GROUPED_RE.match(num.rstrip(".,")) or num.rstrip(".,") != num.rstrip("."):
                        yield SeedProblem(*where(kind, rec_id, *path), field,
                                          f"'{claim.text}' is not an amount: '{num}' is not a well-formed number "
                                          "(group thousands by three: 1,200)")
                        break
                for name, value in (("usd", claim.usd), ("fx_rate", claim.fx_rate)):
                    if value is not None and value < 0:
                        what = "an exchange rate" if name == "fx_rate" else "amounts"
                        verb = "cannot be negative"
                        yield SeedProblem(*where(kind, rec_id, *path), field,
                                          f"{name} {value} is negative: {what} {verb}")


def _names(ds: Dataset, where: Where, only: Keys) -> Iterator[SeedProblem]:
    for kind in ("organizations", "assets", "deals", "events", "sources"):
        for rec_id, field, path, v in _name_values(ds, kind, NAME_FIELDS, only):
            bad = _bad_character(v)
            if bad:
                yield SeedProblem(*where(kind, rec_id, *path), field,
                                  f"a name cannot hold control or formatting characters ({bad})")
    for kind in ("organizations", "assets"):
        owners: dict[str, tuple[str, str]] = {}
        what = "organization" if kind == "organizations" else "asset"
        for rec_id, field, path, v in _name_values(ds, kind, ("name", "aliases", "former_names", "codes")):
            key = name_key(v)
            owner = owners.get(key)
            if owner and owner[0] != rec_id and owner[1].casefold() != v.casefold():
                yield SeedProblem(*where(kind, rec_id, *path), field,
                                  f"'{v}' is the same name as '{owner[1]}' of {what} '{owner[0]}' "
                                  "once Unicode look-alikes are folded")
            owners.setdefault(key, (rec_id, v))


def _name_values(ds: Dataset, kind: str, names: Iterable[str], only: Keys = None) \
        -> Iterator[tuple[str, str, tuple, str]]:
    """(record id, field, path of the value, value) for every name-like value of the records of ``kind``
    (of those ``only`` names, when given)."""
    fields = [f for f in names if f in _model_fields(ds, kind)]
    for rec_id, rec in _of(ds, kind, only):
        for field in fields:
            values = getattr(rec, field)
            if values is None:
                continue
            if isinstance(values, str):
                yield rec_id, field, (field,), values
            else:
                for j, v in enumerate(values):
                    yield rec_id, field, (field, j), v


def _documents(ds: Dataset, where: Where) -> Iterator[SeedProblem]:
    for src_id, src in ds.sources.items():
        posix, win = PurePosixPath(src.file), PureWindowsPath(src.file)
        if posix.is_absolute() or win.is_absolute() or win.drive or ".." in posix.parts or ".." in win.parts:
            yield SeedProblem(*where("sources", src_id, "file"), "file",
                              f"'{src.file}' must be a file name inside the documents folder, not an absolute "
                              "path or one that climbs out with '..'")


def graph_rules(ds: Dataset, where: Where, only: Keys = None) -> list[SeedProblem]:
    """Every problem the rules of the module docstring find in ``ds``.

    ``where(kind, record_id, *path)`` gives the (file, line) of a field, as ``loading`` knows it. With ``only``
    (record keys ``(kind, id)``), the rules about one record at a time (sides, dates, amounts, characters in
    names) check those records only: the others passed them in a previous validation, as the same objects (a
    date's upper bound only grows); the rules over several records (cycles, equal names, documents) check all.
    """
    out: list[SeedProblem] = []
    for rule in (_sides, _cycles, _dates, _amounts, _names, _documents):  # in this order: problems are listed so
        out.extend(rule(ds, where, only) if rule in (_sides, _dates, _amounts, _names) else rule(ds, where))
    return out


def _of(ds: Dataset, kind: str, only: Keys) -> Iterable[tuple[str, Any]]:
    """The ``(id, record)`` of ``kind`` that ``only`` names (every one when None)."""
    table = ds.table(kind)
    return table.items() if only is None else [(i, r) for i, r in table.items() if (kind, i) in only]


def documents_folder(docs: Path | str | None = None) -> Path | None:
    """The source documents: ``docs`` if given, else ``$DEALGRAPH_DOCS``, else ``./documents`` (a
    ``dealgraph init`` folder), else ``../shared/seeds`` beside the project when it exists; None when none."""
    if docs is not None:
        return Path(docs)
    env = os.environ.get("DEALGRAPH_DOCS")
    if env:
        return Path(env)
    if Path("documents").is_dir():  # a `dealgraph init` working folder
        return Path("documents")
    cand = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    return cand if cand.is_dir() else None


def citation_problems(ds: Dataset, docs: Path) -> list[SeedProblem]:
    """Citations that do not check out against the documents in ``docs``, at each record's seed line."""
    from .provenance import check_provenance

    out = []
    for p in check_provenance(ds, docs):
        origin = ds.origins.get((p.kind, p.record))
        file, line = (origin.file, origin.line) if origin else (f"seeds/{p.kind}.yaml", 0)
        out.append(SeedProblem(file, line, "sources", f"{p.citation}: {p.message}"))
    return out


def check_documents(ds: Dataset, docs: Path | str | None = None) -> str:
    """Check every citation when the documents are found; the sentence to print either way.

    Raises ``SeedError`` when a citation does not check out.

    >>> check_documents(Dataset(), "/nonexistent-folder")
    'seeds are valid (citations not checked: no documents found at /nonexistent-folder)'
    """
    folder = documents_folder(docs)
    if folder is None or not folder.is_dir():
        where = f" at {folder}" if folder is not None else ""
        return f"seeds are valid (citations not checked: no documents found{where})"
    missing = [s.file for s in ds.sources.values() if not (folder / s.file).is_file()]
    if ds.sources and len(missing) == len(ds.sources):  # another seed set's documents (e.g. a test fixture's)
        return f"seeds are valid (citations not checked: none of their documents is in {folder})"
    problems = citation_problems(ds, folder)
    if problems:
        raise SeedError(problems)
    return f"provenance: every citation checked against {folder}\nseeds are valid"
