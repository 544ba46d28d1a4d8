"""The Dataset as RDF under the ontology: triples, Turtle and JSON-LD, SHACL."""
