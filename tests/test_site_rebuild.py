"""The site in a rebuild: ``dealgraph build`` hands the site the records changed since the last build, and the site
builds only the pages those records reach, links every other page from the previous ``out/``, and equals a clean
build byte for byte (graph.publish.site.depends)."""
from __future__ import annotations

import re

import pytest

from graph.core.errors import SeedError
from graph.pipeline.build import build

from .support import assert_equals_clean_build, copy_fixture, tree_digest

UMBRELLA = "- id: umbrella\n  name: Umbrella Labs\n  country: US\n  type: biotech\n  sources: [mini:6]\n"
DEAL = ("- id: 2025-06-globex-umbrella\n  type: licence\n  date: 2025-06\n  parties: {licensor: umbrella, licensee: "
        "globex}\n  status: announced\n  sources: [mini:2]\n")


def _ino(out, rel):
    return (out / rel).stat().st_ino


def test_a_rename_an_added_deal_and_a_bad_edit(tmp_path):
    seeds = copy_fixture(tmp_path / "p")
    out = tmp_path / "p" / "out"
    orgs, deals = seeds / "organizations.yaml", seeds / "deals.yaml"
    orgs.write_text(orgs.read_text() + UMBRELLA)          # an organization with no deal, tie or asset
    build(seeds, out, quiet=True)
    before = {p: _ino(out, p) for p in ("org/umbrella.html", "org/initech.html", "organizations.html",
                                        "assets/search-index.js")}

    # Acme renamed: its name shows on its deal (named after its parties), Globex's page, Initech's stake, the
    # lists and the search index; Umbrella's page shows none of it and is linked from the previous build
    orgs.write_text(orgs.read_text().replace("name: Acme Bio\n", "name: Acme Biologics\n"))
    r = build(seeds, out, quiet=True)
    assert "site" not in r.reused
    assert _ino(out, "org/umbrella.html") == before["org/umbrella.html"]
    for rel in ("org/initech.html", "organizations.html", "assets/search-index.js"):
        assert _ino(out, rel) != before[rel] and "Acme Biologics" in (out / rel).read_text(), rel
    assert "Acme Biologics" in (out / "deal/2025-03-acme-globex.html").read_text()
    assert_equals_clean_build(tmp_path, seeds, out, "clean1")

    # a deal added between Globex and Umbrella: both pages and the lists are built, Initech's is linked
    initech = _ino(out, "org/initech.html")
    deals.write_text(deals.read_text() + DEAL)
    build(seeds, out, quiet=True)
    assert _ino(out, "org/initech.html") == initech
    assert "2025-06-globex-umbrella" in (out / "org/umbrella.html").read_text()
    assert_equals_clean_build(tmp_path, seeds, out, "clean2")

    # a bad edit (a party that does not exist) fails naming file, line and field, and out/ is left as it was
    state = tree_digest(out)
    deals.write_text(deals.read_text().replace("licensor: umbrella,", "licensor: nobody-at-all,"))
    with pytest.raises(SeedError) as err:
        build(seeds, out, quiet=True)
    assert re.search(r"deals\.yaml:\d+: parties\.licensor\.0: .*'nobody-at-all'", str(err.value)), str(err.value)
    assert tree_digest(out) == state
