"""Analysts' own deal lists in (``importer``), the graph out in standard formats (``export``).

``mapping`` reads the YAML file that says which column of a deal list holds
what; ``tables`` reads CSV, XLSX and JSON deal lists row by row; ``matching``
finds organizations and assets by id, name or alias and suggests near misses;
``seedtext`` appends (or replaces) records in the seed YAML as text blocks.
"""
