"""Seeds in: YAML with lines, validation, graph rules, citations, curation."""
