"""The analysts' Cypher library, run read-only on a store."""
