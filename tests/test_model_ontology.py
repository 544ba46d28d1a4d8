"""The pydantic models and the ontology agree both ways, and the property graph uses only ontology names."""
from __future__ import annotations

import typing

from pydantic import BaseModel
from rdflib import RDF, URIRef
from rdflib.namespace import OWL

from graph.models import RECORD_TYPES, Alternative, Citation, Money, Share, Stake
from graph.models.ontology import DG, PROV, ontology_graph
from graph.stores.property_graph import schema
from graph.models.vocabulary import node_labels, relationship_types, vocabulary

PREFIXES = {"dg": str(DG), "prov": str(PROV)}


def _expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def _models() -> list[type[BaseModel]]:
    return [*RECORD_TYPES.values(), Alternative, Citation, Money, Share, Stake]


def _field_iris() -> dict[tuple[str, str], URIRef]:
    out = {}
    for model in _models():
        for name, f in model.model_fields.items():
            extra = f.json_schema_extra or {}
            assert "rdf" in extra, f"{model.__name__}.{name} does not name its ontology property"
            out[(model.__name__, name)] = _expand(extra["rdf"])
    return out


def test_every_model_field_maps_to_an_ontology_property():
    g = ontology_graph()
    declared = set(g.subjects(RDF.type, OWL.DatatypeProperty)) | set(g.subjects(RDF.type, OWL.ObjectProperty))
    declared |= {PROV.wasDerivedFrom}
    missing = {k: str(v) for k, v in _field_iris().items() if v not in declared}
    assert missing == {}


def test_every_data_carrying_property_has_a_field():
    """Properties with dg:field and not dg:derived are written in seeds: some model field must carry each."""
    v = vocabulary()
    carried = set(_field_iris().values())
    # The parties mapping carries role (its keys) and playedBy (its values); terms carry termKind (keys).
    carried |= {DG.role, DG.playedBy, DG.termKind}
    expected = {p for p in v.fields if p not in v.derived}
    assert sorted(map(str, expected - carried)) == []


def test_field_names_match_the_ontology_annotation():
    v = vocabulary()
    for (model, name), iri in _field_iris().items():
        if iri in v.fields and iri != PROV.wasDerivedFrom and iri not in (DG.statValue, DG.hasTerm):
            # the field is named as the ontology says, or the model documents a different local name
            assert name == v.fields[iri] or iri in {DG.key, DG.dealType, DG.eventType, DG.assetKind,
                                                    DG.organizationKind, DG.sourceKind, DG.termKind}, (model, name)


def test_every_record_class_is_an_ontology_class():
    g = ontology_graph()
    for model in RECORD_TYPES.values():
        assert (_expand(model.rdf_class), RDF.type, OWL.Class) in g, model.rdf_class


def test_property_graph_names_come_from_the_ontology():
    sch = schema()
    assert sorted(sch.nodes) == node_labels()
    assert sorted(sch.rels) == relationship_types()
    for r in sch.rels.values():
        for a, b in r.ends:
            assert a in sch.nodes and b in sch.nodes


def test_vocabularies_are_read_from_the_ontology():
    v = vocabulary()
    assert {"licence", "co-development", "newco", "option", "acquisition", "equity-investment",
            "strategic-collaboration", "procurement", "fund-formation"} <= set(v.deal_types)
    assert {"licensor", "licensee", "co-developer", "acquirer", "target", "investor", "buyer", "seller"} <= set(v.roles)
    # SKOS hierarchy: ADC and bispecifics under antibody
    assert v.modality_ancestors("bispecific-adc")[:3] == ["bispecific-adc", "adc", "antibody"]
    assert v.modality_family("bispecific-antibody") == "biologic"
    assert v.place_members("GREATER-CHINA") == {"GREATER-CHINA", "CN", "HK", "MO", "TW"}
    assert "CN" in v.countries and len(v.countries) == 249
