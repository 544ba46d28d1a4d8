"""Find an organization by any of its names, or say which names come close."""
from __future__ import annotations

import difflib

from ..models.dataset import Dataset
from ..core.errors import DealgraphError
from ..models import Organization


def find_org(ds: Dataset, name: str) -> Organization:
    """The organization with id, name, alias or former name ``name`` (case-insensitive).

    Raises ``DealgraphError`` with a one-line message listing up to five close names when none matches.
    """
    try:
        return ds.org(name)
    except KeyError:
        pass
    owner: dict[str, Organization] = {}
    for o in sorted(ds.organizations.values(), key=lambda o: o.id):
        for n in (o.id, *o.names()):
            owner.setdefault(n.casefold(), o)
    key = name.casefold()
    keys = difflib.get_close_matches(key, sorted(owner), n=10, cutoff=0.6)
    keys += [k for k in sorted(owner) if key in k and k not in keys]
    shown = list(dict.fromkeys(owner[k].name for k in keys))[:5]
    hint = f"; did you mean {', '.join(repr(s) for s in shown)}?" if shown else ""
    raise DealgraphError(f"no organization called '{name}'{hint}")
