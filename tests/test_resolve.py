"""The name resolver's first rule (graph/find/resolve.py): a text that is one of a record's names, found without
scoring every record, and two records sharing that name are ambiguous, listed by id."""
from __future__ import annotations

import pytest

from graph.find.resolve import AmbiguousName, resolve
from graph.find.search import Entry

ENTRIES = [Entry("organization", "acme-us", ("acme-us", "Acme", "Acme Inc.")),
           Entry("organization", "acme-cn", ("acme-cn", "Acme", "Acme Shanghai")),
           Entry("organization", "bolt", ("bolt", "Bolt Bio", "BB-1")),
           Entry("asset", "bb-1", ("bb-1", "BB 1"))]


def test_a_name_of_one_record_is_that_record():
    r = resolve(ENTRIES, "ACME inc", "organization")  # case and punctuation: the normal form
    assert (r.id, r.name, r.exact) == ("acme-us", "Acme", True)
    r = resolve(ENTRIES, "bb1", "organization")  # the compact form: a code name without its hyphen
    assert (r.id, r.exact) == ("bolt", False)  # found by rule 1, but not written as any of its names
    assert resolve(ENTRIES, "BB-1", "asset").id == "bb-1"  # only records of the kind asked for


def test_a_name_shared_by_two_records_is_ambiguous_and_lists_them_by_id():
    with pytest.raises(AmbiguousName) as err:
        resolve(ENTRIES, "acme", "organization")
    assert str(err.value) == ("'acme' matches several organizations: Acme (acme-cn), Acme (acme-us); give one "
                              "of their ids or full names")
