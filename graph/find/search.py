"""Search every record by its names and its text, tolerant of case, accents, punctuation and typos.

Terms used here and by the name resolver (``graph/find/resolve.py``):

Entry
    One searchable record: its ``kind`` (organization, asset, deal, event,
    statistic, source, modality, place, measure), ``id``, *names* (what the
    record is called: name, aliases, former names, code names, a deal's title,
    a measure key) and *text* (everything else said about it: notes, targets,
    indications, titles, event types, a statistic's measure, period and
    publisher).
Normal form
    Accents dropped (NFKD), case folded, ``&`` read as "and", every run of
    punctuation a single space: ``"Merck & Co., Inc."`` → ``"merck and co inc"``. The *compact* form also
    drops the spaces, so ``SSGJ-707``, ``ssgj 707`` and ``SSGJ707`` are one name.
Score (0–100) of a query against an entry, the best of:
    100 the query equals one of its names (normal or compact form);
    90  the query's words appear in that order in one of its names ("Hengrui");
    75–89.7  one of its names is within a small typo of the query: with
        ``r = rapidfuzz.fuzz.ratio`` of the normal forms, 60 + 0.3·r when r ≥ 85,
        r − 5 when 80 ≤ r < 85 (so the closer spelling ranks higher);
    up to 80  every query word matches a word of its names, exactly or within
        a typo (``fuzz.ratio`` ≥ 80, ≥ 85 for four-letter words; shorter words exactly);
    up to 70  every query word matches a word of its text (same rule): 50, plus up
        to 15 for exact rather than near words, plus up to 5 for words found in its
        leading text (a statistic's measure, an asset's target, a deal's or event's type);
    below 50  only some of the query words match the text (at least half).
Hits are ranked by score, then by kind (in the order above), then by id.
"""
from __future__ import annotations

import json
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from rapidfuzz import fuzz, process

from ..core.errors import DealgraphError

if TYPE_CHECKING:
    from ..models.dataset import Dataset

#: Kinds of record search covers, in ranking order for equal scores.
KINDS = ("organization", "asset", "deal", "event", "statistic", "source", "modality", "place", "measure")
EXACT, PHRASE, MIN_SCORE = 100.0, 90.0, 35.0
_PUNCT = re.compile(r"[\W_]+")


@lru_cache(maxsize=65536)
def normal(text: str) -> str:
    """The normal form: no accents, case folded, punctuation as single spaces.

    >>> normal("Merck & Co., Inc."), normal("Île-de-France"), normal("SSGJ-707")
    ('merck and co inc', 'ile de france', 'ssgj 707')
    """
    if text.isascii():  # most names: no accents to drop, and casefold is lower (the same result, 2× faster)
        t = text.lower()
    else:
        t = unicodedata.normalize("NFKD", text)
        t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    return " ".join(_PUNCT.sub(" ", t.replace("&", " and ")).split())


def compact(text: str) -> str:
    """The normal form without spaces: ``compact("SSGJ 707") == compact("ssgj-707") == 'ssgj707'``."""
    return normal(text).replace(" ", "")


@dataclass(frozen=True)
class Entry:
    """A searchable record: kind, id, names, text, a one-line summary and its sources."""

    kind: str
    id: str
    names: tuple[str, ...]
    text: tuple[str, ...] = ()
    summary: str = ""
    sources: tuple[str, ...] = ()
    _name_words: tuple[str, ...] = field(default=(), compare=False, repr=False)   # sorted, distinct
    _text_words: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_name_words", tuple(sorted({w for n in self.names for w in normal(n).split()})))
        object.__setattr__(self, "_text_words", tuple(sorted({w for t in self.text if t
                                                               for w in normal(t).split()})))


@dataclass(frozen=True)
class Hit:
    """One search result: the entry, its score and which of its strings matched best."""

    kind: str
    id: str
    score: float
    matched: str
    summary: str
    sources: tuple[str, ...]

    def row(self) -> dict[str, object]:
        """The hit as an output row (kind, id, score, matched, summary, sources)."""
        return {"kind": self.kind, "id": self.id, "score": round(self.score, 1), "matched": self.matched,
                "summary": self.summary, "sources": list(self.sources)}


def _word_match(q: str, words: tuple[str, ...]) -> float:
    """1 for an exact word, 0.75–0.95 for a near word (ratio ≥ 80, or ≥ 85 for four letters), 0.85 for a
    word it begins (four letters or more), else 0. ``words`` is sorted."""
    i = bisect_left(words, q)
    if i < len(words) and words[i] == q:
        return 1.0
    if len(q) >= 4:
        found = process.extractOne(q, words, scorer=fuzz.ratio, score_cutoff=80 if len(q) >= 5 else 85)
        if found is not None:
            return found[1] / 100 - 0.05
        if i < len(words) and words[i].startswith(q):
            return 0.85
    return 0.0


def name_score(query: str, entry: Entry) -> tuple[float, str]:
    """How well ``query`` names ``entry`` (see the module docstring), with the name that matched best.

    >>> e = Entry("organization", "msd", ("Merck & Co., Inc.", "MSD"))
    >>> name_score("msd", e)[0], name_score("Merck", e)[0], name_score("Merk", e)[0] >= 75
    (100.0, 90.0, True)
    """
    qn, qc = normal(query), compact(query)
    if not qn:
        return 0.0, ""
    best, which = 0.0, ""
    for n in entry.names:
        nn = normal(n)
        if not nn:
            continue
        if nn == qn or nn.replace(" ", "") == qc:
            return EXACT, n
        if f" {qn} " in f" {nn} ":
            s = PHRASE
        else:
            r = fuzz.ratio(qn, nn)
            s = 60 + 0.3 * r if r >= 85 else (r - 5 if r >= 80 else 0.0)
        if s > best:
            best, which = s, n
    words = qn.split()
    parts = [_word_match(w, entry._name_words) for w in words]
    if all(parts):
        s = 60 + 20 * sum(parts) / len(parts)
        if s > best:
            best, which = s, next((n for n in entry.names if any(w in normal(n).split() for w in words)),
                                  entry.names[0] if entry.names else "")
    return best, which


def text_score(query: str, entry: Entry) -> tuple[float, str]:
    """How well ``query``'s words match ``entry``'s text (see the module docstring), with the text that matched."""
    words = [w for w in normal(query).split() if len(w) >= 2] or normal(query).split()
    if not words or not entry._text_words:
        return 0.0, ""
    parts = [_word_match(w, entry._text_words) for w in words]
    found = sum(1 for p in parts if p)
    if not found:
        return 0.0, ""
    which = next((t for t in entry.text if t and any(w in normal(t).split() for w in words)),
                 next((t for t in entry.text if t), ""))
    if found == len(words):
        lead = set(normal(entry.text[0]).split()) if entry.text and entry.text[0] else set()
        return 50 + 15 * sum(parts) / len(parts) + 5 * sum(w in lead for w in words) / len(words), which
    if found * 2 >= len(words):
        return 20 + 25 * sum(parts) / len(parts), which
    return 0.0, ""


def score(query: str, entry: Entry) -> tuple[float, str]:
    """The better of ``name_score`` and ``text_score``."""
    n = name_score(query, entry)
    if n[0] >= PHRASE:
        return n
    t = text_score(query, entry)
    return n if n[0] >= t[0] else t


def rank(query: str, entries: Iterable[Entry], kinds: Iterable[str] | None = None, limit: int | None = 20,
         min_score: float = MIN_SCORE, names_only: bool = False) -> list[Hit]:
    """Entries matching ``query``, best first (score, then kind order, then id)."""
    wanted = set(kinds) if kinds else None
    hits = []
    for e in entries:
        if wanted is not None and e.kind not in wanted:
            continue
        s, matched = name_score(query, e) if names_only else score(query, e)
        if s >= min_score:
            hits.append(Hit(e.kind, e.id, s, matched, e.summary, e.sources))
    order = {k: i for i, k in enumerate(KINDS)}
    hits.sort(key=lambda h: (-h.score, order.get(h.kind, 99), h.id))
    return hits[:limit] if limit else hits


# --------------------------------------------------------------------------- entries of a dataset
def _cites(rec: object, n: int = 3) -> tuple[str, ...]:
    return tuple(str(c) for c in getattr(rec, "sources", ())[:n])


def dataset_entries(ds: Dataset, only: set[tuple[str, str]] | None = None) -> list[Entry]:
    """Every record of ``ds`` as a search entry, plus the measures its statistics use; with ``only``, of the
    records whose ``(kind, id)`` it holds (and every modality, place and measure entry)."""
    from ..models.values import format_money, plain_number
    from ..models.vocabulary import vocabulary

    v = vocabulary()
    orgs = ds.organizations
    out: list[Entry] = []

    def pick(kind: str) -> Iterable[Any]:
        table = ds.table(kind)
        return table.values() if only is None else [r for i, r in table.items() if (kind, i) in only]

    def oname(oid: str | None) -> str:
        return orgs[oid].name if oid in orgs else (oid or "")

    for o in pick("organizations"):
        where = ", ".join(x for x in (o.country, o.type, "multinational" if o.multinational else "") if x)
        out.append(Entry("organization", o.id, (o.id, *o.names()), (o.note or "",),
                         f"{o.name} ({where})", _cites(o)))
    for a in pick("assets"):
        facts = ", ".join(x for x in (a.modality, a.target, a.indication, a.stage if a.stage != "unknown" else "")
                          if x)
        origin = f"; from {oname(a.originator)}" if a.originator else ""
        out.append(Entry("asset", a.id, (a.id, a.name, *a.codes, *a.aliases),
                         (a.target or "", a.indication or "", a.note or "", a.modality, oname(a.originator)),
                         f"{a.name} ({facts}){origin}", _cites(a)))
    for d in pick("deals"):
        parties = ", ".join(f"{oname(o)} ({role})" for role, os_ in d.parties.items() for o in os_)
        assets = ", ".join(ds.assets[x].name for x in d.assets if x in ds.assets)
        terms = "; ".join(f"{k} {c[0].text}" for k, c in d.terms.items() if c)
        line = f"{d.date or 'undated'} {d.type}: {parties}" + (f"; {assets}" if assets else "") + (
            f"; {terms}" if terms else "")
        out.append(Entry("deal", d.id, (d.id, *([d.title] if d.title else [])),
                         (d.type, d.note or "", d.royalties or "", parties, assets, d.title or ""),
                         line, _cites(d)))
    for e in pick("events"):
        about = ", ".join([oname(o) for o in e.orgs] + [ds.assets[x].name for x in e.assets if x in ds.assets])
        terms = "; ".join(f"{k} {c[0].text}" for k, c in e.terms.items() if c)
        line = f"{e.date or 'undated'} {e.type}: {e.title or about}" + (f"; {terms}" if terms else "")
        out.append(Entry("event", e.id, (e.id, *([e.title] if e.title else [])),
                         (e.type, e.title or "", e.note or "", e.indication or "", about, e.deal or ""),
                         line, _cites(e)))
    for s in pick("statistics"):
        if s.money:
            value = format_money(s.money[0].amount, s.money[0].currency, s.money[0].qualifier)
        else:
            value = f"{plain_number(s.value)}%" if s.unit == "percent" else f"{plain_number(s.value)} {s.unit}"
        pub = oname(s.provider)
        line = f"{s.measure} {s.period}: {value}" + (f" ({pub})" if pub else "")
        out.append(Entry("statistic", s.id, (s.id,),
                         (s.measure.replace("-", " "), s.period, s.note or "", pub, s.unit),
                         line, _cites(s)))
    for src in pick("sources"):
        out.append(Entry("source", src.id, (src.id, src.title, src.file), (src.publisher, src.date),
                         f"{src.title} ({src.publisher}, {src.date})"))
    for key, m in v.modalities.items():
        out.append(Entry("modality", key, (key, m.label), (v.modality_family(key),), f"{m.label} ({key})"))
    for p in sorted({x for d in ds.deals.values() for x in (*d.territory_include, *d.territory_exclude)}
                    | {o.country for o in orgs.values() if o.country}):
        c = v.places.get(p)
        out.append(Entry("place", p, (p, c.label if c else p), (), c.label if c else p))
    for m in sorted({s.measure for s in ds.statistics.values()}):
        n = sum(1 for s in ds.statistics.values() if s.measure == m)
        out.append(Entry("measure", m, (m, m.replace("-", " ")), (), f"{m} ({n} statistics)"))
    return out


def search(ds: Dataset, text: str, kind: str | Iterable[str] | None = None, limit: int | None = 20) -> list[Hit]:
    """Records of ``ds`` that match ``text``, best first: ``search_entries(dataset_entries(ds), …)``.

    ``kind`` narrows to one kind or several (see ``KINDS``). Matching and ranking
    are defined in the module docstring; a hit's ``summary`` is one line, its
    ``sources`` the first citations (``doc:line``).

    Example: ``search(ds, "pembrolizumab")[0].kind == 'asset'``;
    ``search(ds, "Hengrui", kind="organization")[0].id == 'hengrui'``.
    """
    return search_entries(dataset_entries(ds), text, kind, limit)


def search_entries(entries: Iterable[Entry], text: str, kind: str | Iterable[str] | None = None,
                   limit: int | None = 20) -> list[Hit]:
    """The entries that match ``text``, best first; the function behind ``dealgraph search``, which takes the
    entries from the last build's index (``read_index``) or, without one, from ``dataset_entries``.

    >>> es = [Entry("organization", "hengrui", ("hengrui", "Jiangsu Hengrui")), Entry("asset", "x", ("X-1",))]
    >>> [(h.id, h.score) for h in search_entries(es, "hengrui")]
    [('hengrui', 100.0)]
    """
    if not text or not normal(text):
        raise DealgraphError("give some text to search for, e.g. dealgraph search Hengrui")
    kinds = [kind] if isinstance(kind, str) else list(kind) if kind else None
    for k in kinds or ():
        if k not in KINDS:
            raise DealgraphError(f"unknown kind '{k}'; choose from {', '.join(KINDS)}")
    return rank(text, entries, kinds, limit)


# --------------------------------------------------------------------------- the index a build saves
#: Version of the index file's layout; a file of another version is not read.
INDEX_FORMAT = 1
_FIELDS = ("kind", "id", "names", "text", "summary", "sources", "_name_words", "_text_words")


def index_text(entries: Iterable[Entry], key: dict[str, str]) -> str:
    """The search index as JSON text: ``key`` (what the entries were made from, e.g. the dataset digest and
    the ontology's hash) and every entry with its normalised words, so reading it normalises nothing.

    The same entries and key always give the same text (one entry per line)."""
    rows = (json.dumps([getattr(e, f) for f in _FIELDS], ensure_ascii=False, separators=(",", ":"))
            for e in entries)
    head = json.dumps({"format": INDEX_FORMAT, **key}, ensure_ascii=False, sort_keys=True)
    return head + "\n" + "\n".join(rows) + "\n"


def read_index(path: Path, key: dict[str, str], kinds: Iterable[str] | None = None) -> list[Entry] | None:
    """The entries of the index at ``path`` (of ``kinds`` only, when given), or None when the file is
    missing, unreadable, of another format or made from something else than ``key``.

    >>> import tempfile
    >>> p = Path(tempfile.mkdtemp()) / "search.json"
    >>> es = [Entry("organization", "msd", ("msd", "MSD"), ("note",)), Entry("asset", "x", ("X-1",))]
    >>> _ = p.write_text(index_text(es, {"dataset": "d1"}), encoding="utf-8")
    >>> read_index(p, {"dataset": "d1"}) == es, read_index(p, {"dataset": "d2"})
    (True, None)
    >>> [e.id for e in read_index(p, {"dataset": "d1"}, ["asset"])], read_index(p, {"dataset": "d1"})[0]._name_words
    (['x'], ('msd',))
    """
    try:
        with open(path, encoding="utf-8") as f:
            if json.loads(f.readline()) != {"format": INDEX_FORMAT, **key}:
                return None
            wanted = None if kinds is None else {json.dumps(k) for k in kinds}
            out = []
            for line in f:
                if wanted is not None and line[1:line.index(",")] not in wanted:  # the kind, still as JSON
                    continue
                row = json.loads(line)
                e = object.__new__(Entry)  # the words are stored: no __post_init__
                e.__dict__.update(zip(_FIELDS, (row[0], row[1], *map(tuple, (row[2], row[3])), row[4],
                                                *map(tuple, row[5:]))))
                out.append(e)
            return out
    except (OSError, ValueError, IndexError, TypeError):
        return None
