"""The project's one vocabulary, read from the ontology.

Seed keys (deal types, roles, modalities, stages…), property-graph node labels
and relationship types all come from ``ontology/dealgraph.ttl``; no other
module spells them on its own. ``label("Deal")`` gives the node label of the
class ``dg:Deal``; ``rel("coversAsset")`` the relationship type of
``dg:coversAsset``.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import OWL

from .ontology import DG, ONTOLOGY_DIR, ONTOLOGY_FILES, SKOS, ontology_graph


@dataclass(frozen=True)
class Concept:
    key: str            # skos:notation, the word analysts write in seeds
    iri: URIRef
    label: str
    broader: tuple[str, ...] = ()


@dataclass
class Vocabulary:
    deal_types: dict[str, Concept] = field(default_factory=dict)
    event_types: dict[str, Concept] = field(default_factory=dict)
    term_kinds: dict[str, Concept] = field(default_factory=dict)
    asset_kinds: dict[str, Concept] = field(default_factory=dict)
    roles: dict[str, Concept] = field(default_factory=dict)
    org_kinds: dict[str, Concept] = field(default_factory=dict)
    modalities: dict[str, Concept] = field(default_factory=dict)
    stages: dict[str, Concept] = field(default_factory=dict)
    statuses: dict[str, Concept] = field(default_factory=dict)
    qualifiers: dict[str, Concept] = field(default_factory=dict)
    disclosures: dict[str, Concept] = field(default_factory=dict)
    units: dict[str, Concept] = field(default_factory=dict)
    places: dict[str, Concept] = field(default_factory=dict)
    countries: frozenset[str] = frozenset()
    currencies: dict[str, Concept] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)   # class local name -> node label
    rels: dict[str, str] = field(default_factory=dict)     # property/class local name -> rel type
    fields: dict[URIRef, str] = field(default_factory=dict)  # property IRI -> seed field
    derived: frozenset[URIRef] = frozenset()
    role_classes: dict[str, URIRef] = field(default_factory=dict)  # role key -> class of orgs playing it
    role_sides: dict[str, str] = field(default_factory=dict)  # role key -> 'gives' | 'takes' | 'peer'

    def role_side(self, role: str) -> str:
        """Side of a deal a role is on (``dg:flowSide``): 'gives', 'takes' or 'peer'.

        A deal is drawn from the party that gives (rights, an asset, money or goods) to the party
        that takes: ``role_side('licensor') == 'gives'``, ``role_side('acquirer') == 'takes'``.
        """
        return self.role_sides[role]

    def modality_family(self, key: str) -> str:
        """Top concept of a modality: ``family('bispecific-adc') == 'biologic'``."""
        seen = key
        while self.modalities[seen].broader:
            seen = self.modalities[seen].broader[0]
        return seen

    def modality_ancestors(self, key: str) -> list[str]:
        """The modality and every broader one, nearest first."""
        return _ancestors(self.modalities, key)

    def deal_type_ancestors(self, key: str) -> list[str]:
        """The deal type and every broader one, nearest first (research-collaboration, strategic-collaboration)."""
        return _ancestors(self.deal_types, key)

    def place_ancestors(self, key: str) -> list[str]:
        """The place and every region it is part of, nearest first."""
        return _ancestors(self.places, key)

    def place_members(self, key: str) -> set[str]:
        """Every place inside ``key`` (itself included)."""
        return {p for p in self.places if key in self.place_ancestors(p)}


def _ancestors(table: dict[str, Concept], key: str) -> list[str]:
    out, todo = [], [key]
    while todo:
        k = todo.pop(0)
        if k not in out:
            out.append(k)
            todo.extend(table[k].broader)
    return out


def _local(iri: URIRef) -> str:
    s = str(iri)
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _label(g, s) -> str:
    for p in (SKOS.prefLabel, RDFS.label):
        v = g.value(s, p)
        if v is not None:
            return str(v)
    return _local(s)


def _subclasses_with_notation(g, root: URIRef) -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    for cls in g.transitive_subjects(RDFS.subClassOf, root):
        note = g.value(cls, SKOS.notation)
        if cls != root and note is not None:
            parents = tuple(str(g.value(p, SKOS.notation)) for p in g.objects(cls, RDFS.subClassOf)
                            if g.value(p, SKOS.notation) is not None and p != root)
            out[str(note)] = Concept(str(note), cls, _label(g, cls), parents)
    return dict(sorted(out.items()))


def _instances(g, cls: URIRef, scheme: URIRef | None = None, broader=SKOS.broader) -> dict[str, Concept]:
    out: dict[str, Concept] = {}
    subjects = g.subjects(SKOS.inScheme, scheme) if scheme is not None else g.subjects(RDF.type, cls)
    for s in subjects:
        note = g.value(s, SKOS.notation)
        if note is None:
            continue
        ups = tuple(sorted(str(g.value(b, SKOS.notation)) for b in g.objects(s, broader)))
        out[str(note)] = Concept(str(note), s, _label(g, s), ups)
    return dict(sorted(out.items()))


@cache
def vocabulary() -> Vocabulary:
    """The vocabulary, read once per process from the ontology.

    Reading the ontology with rdflib takes about 0.25 s; the vocabulary read is kept in the user's cache folder
    (``$XDG_CACHE_HOME/dealgraph``, else ``~/.cache/dealgraph``), under the hash of the ontology files, of
    the modules that read them and of rdflib's version, and read from there by later processes. A cache that cannot be read or written is passed by.
    """
    path = _cache_path()
    try:
        with open(path, "rb") as f:
            found = pickle.load(f)
        if isinstance(found, Vocabulary):
            return found
    except Exception:  # missing, truncated, unreadable: read the ontology
        pass
    v = _read_vocabulary()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(v, protocol=5))
        os.replace(tmp, path)  # whole or not at all, for a process reading it meanwhile
    except OSError:
        pass
    return v


def _cache_path() -> Path:
    import rdflib

    h = hashlib.sha256(f"rdflib {rdflib.__version__}\0".encode())
    for module in (Path(__file__), Path(__file__).with_name("ontology.py")):  # how the vocabulary is read
        h.update(module.read_bytes())
    for name in ONTOLOGY_FILES:
        h.update(name.encode() + b"\0" + (ONTOLOGY_DIR / name).read_bytes())
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "dealgraph" / f"vocabulary-{h.hexdigest()[:32]}.pickle"


def _read_vocabulary() -> Vocabulary:
    g = ontology_graph()
    base = "https://w3id.org/dealgraph/"
    v = Vocabulary()
    v.deal_types = _subclasses_with_notation(g, DG.Deal)
    v.event_types = _subclasses_with_notation(g, DG.Event)
    v.term_kinds = _subclasses_with_notation(g, DG.FinancialTerm)
    v.asset_kinds = _subclasses_with_notation(g, DG.Asset)
    v.roles = _instances(g, DG.Role)
    v.org_kinds = _instances(g, None, URIRef(base + "kind/scheme"))
    v.modalities = _instances(g, None, URIRef(base + "modality/scheme"))
    v.stages = _instances(g, None, URIRef(base + "stage/scheme"))
    v.statuses = _instances(g, None, URIRef(base + "status/scheme"))
    v.qualifiers = _instances(g, None, URIRef(base + "qualifier/scheme"))
    v.disclosures = _instances(g, None, URIRef(base + "disclosure/scheme"))
    v.units = _instances(g, None, URIRef(base + "unit/scheme"))
    places = _instances(g, DG.Country, broader=DG.partOf)
    places.update(_instances(g, DG.Region, broader=DG.partOf))
    v.places = dict(sorted(places.items()))
    v.countries = frozenset(_instances(g, DG.Country))
    v.currencies = _instances(g, DG.Currency)
    v.labels = {_local(s): str(o) for s, o in g.subject_objects(DG.pgLabel)}
    v.rels = {_local(s): str(o) for s, o in g.subject_objects(DG.pgType)}
    v.fields = {s: str(o) for s, o in g.subject_objects(DG.field)}
    v.derived = frozenset(s for s in g.subjects(DG.derived, Literal(True)))
    v.role_classes = {str(g.value(r, SKOS.notation)): c for r, c in g.subject_objects(DG.roleClass)}
    v.role_sides = {str(g.value(r, SKOS.notation)): str(s) for r, s in g.subject_objects(DG.flowSide)}
    return v


def label(cls: str) -> str:
    """Node label of ontology class ``dg:<cls>`` in the property graph."""
    try:
        return vocabulary().labels[cls]
    except KeyError:
        raise KeyError(f"the ontology gives no dg:pgLabel for dg:{cls}") from None


def rel(name: str) -> str:
    """Relationship type of ontology property or reified class ``dg:<name>`` (or skos:broader, prov:wasDerivedFrom)."""
    try:
        return vocabulary().rels[name]
    except KeyError:
        raise KeyError(f"the ontology gives no dg:pgType for {name}") from None


def node_labels() -> list[str]:
    return sorted(set(vocabulary().labels.values()))


def relationship_types() -> list[str]:
    return sorted(set(vocabulary().rels.values()))


def is_owl_class(iri: URIRef) -> bool:
    return (iri, RDF.type, OWL.Class) in ontology_graph()
