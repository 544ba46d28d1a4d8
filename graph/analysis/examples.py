"""A tiny seed set whose every analysis figure is worked out by hand: the examples of the docstrings and tests.

``tiny_dataset()`` loads it through the real loader (aliases resolve, every rule is checked);
``write_tiny_seeds(folder)`` writes it as YAML. The doctests of ``graph.analysis`` run with it as ``tiny``.

organizations: mnc "Big Pharma" (US, multinational, aliases "BigPharma Inc." and "BP Group"),
mnc2 "Other Pharma" (CH, multinational), med "Med Devices" (DE, multinational medtech, holds 5% of cn2)
with its subsidiary medsub "Med Devices Shanghai" (no country of its own), cn1 "Alpha Bio", cn2 "Beta Bio",
cnbuy "Epsilon Distribution", cninv "Eta Therapeutics" (all CN), hk1 "Gamma Bio" (HK), us1 "Delta Bio" (US),
newco "NewCo One" (US, formed by fund), fund "Fund Capital" (US), vc1 "Theta Ventures" (US),
unk "Zeta Bio" (headquarters not recorded).

assets: a1 bispecific-antibody (cn1), a2 small-molecule (cn2), a3 adc (cn1), a4 small-molecule (cn2),
a5 peptide (cn2).

deals:
  d1 2023-05 licence cn1 → "BigPharma Inc." [a1]  upfront USD 100 million, milestones up to USD 900 million,
                                                    equity USD 50 million        headline 1.0e9 'up-to' (parts)
  d2 2024-02 licence cn2 → "BP Group" [a2]         upfront undisclosed, terminated   no headline (undisclosed)
  d3 2024-07 co-development cn1 → mnc, mnc2 [a3]   total about USD 2 billion      headline 2.0e9 'about'
  d4 2022-06 licence us1 → mnc [a5]  (sublicence)  total USD 300 million          headline 3.0e8 'exact'
  d5 2021-03 newco cn2 → newco [a4]                upfront USD 20 million         headline 2.0e7
  d6 2025-01 acquisition newco by mnc2             total USD 1 billion            headline 1.0e9
  d7 2023-09 licence hk1 → mnc, terminated         total USD 400 million          headline 4.0e8
  d8 2020-01 licence cn2 → us1 [a5]                upfront USD 5 million          headline 5.0e6
  d9 (no date) licence cn1 → mnc2                  no terms                       no headline (not-given)
  d10 2025-03 procurement med sells to cnbuy       total USD 50 million           headline 5.0e7
  d11 2025-04 equity-investment med, vc1 → cninv   equity USD 30 million          no headline (equity only)
  d12 2025-05 licence unk → med                    upfront USD 10 million         headline 1.0e7
  d13 2025-06 licence cn1 → us1, unk (co-licensees) no terms
  d14 2025-07 strategic-collaboration medsub ↔ cn2, territory CN, no terms
events: d2 terminated (retained USD 10 million), d7 terminated (retained USD 40 million).
"""
from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from ..models.dataset import Dataset

SOURCES = """
- {id: doc, title: Test document, publisher: tests, date: 2025, type: note, file: doc.txt}
"""
ORGS = """
- {id: mnc, name: Big Pharma, aliases: [BigPharma Inc., BP Group], country: US, type: pharma, multinational: true,
   sources: ["doc:1"]}
- {id: mnc2, name: Other Pharma, country: CH, type: pharma, multinational: true, sources: ["doc:1"]}
- {id: cn1, name: Alpha Bio, country: CN, type: biotech, sources: ["doc:1"]}
- {id: cn2, name: Beta Bio, country: CN, type: biotech, sources: ["doc:1"]}
- {id: hk1, name: Gamma Bio, country: HK, type: biotech, sources: ["doc:1"]}
- {id: us1, name: Delta Bio, country: US, type: biotech, sources: ["doc:1"]}
- {id: fund, name: Fund Capital, country: US, type: investor, sources: ["doc:1"]}
- {id: newco, name: NewCo One, country: US, type: newco, formed_by: [fund], sources: ["doc:1"]}
- {id: med, name: Med Devices, country: DE, type: medtech, multinational: true, stakes: [{org: cn2, percent: 5}],
   sources: ["doc:1"]}
- {id: medsub, name: Med Devices Shanghai, type: other, subsidiary_of: med, sources: ["doc:1"]}
- {id: cnbuy, name: Epsilon Distribution, country: CN, type: distributor, sources: ["doc:1"]}
- {id: cninv, name: Eta Therapeutics, country: CN, type: biotech, sources: ["doc:1"]}
- {id: unk, name: Zeta Bio, type: biotech, sources: ["doc:1"]}
- {id: vc1, name: Theta Ventures, country: US, type: investor, sources: ["doc:1"]}
"""
ASSETS = """
- {id: a1, name: A-1, modality: bispecific-antibody, originator: cn1, sources: ["doc:1"]}
- {id: a2, name: A-2, modality: small-molecule, originator: cn2, sources: ["doc:1"]}
- {id: a3, name: A-3, modality: adc, originator: cn1, sources: ["doc:1"]}
- {id: a4, name: A-4, modality: small-molecule, originator: cn2, sources: ["doc:1"]}
- {id: a5, name: A-5, modality: peptide, originator: cn2, sources: ["doc:1"]}
"""
DEALS = """
- id: d1
  type: licence
  date: 2023-05
  parties: {licensor: cn1, licensee: BigPharma Inc.}
  assets: [a1]
  terms: {upfront: USD 100 million, milestones: up to USD 900 million, equity: USD 50 million}
  sources: ["doc:1"]
- id: d2
  type: licence
  date: 2024-02
  parties: {licensor: cn2, licensee: BP Group}
  assets: [a2]
  status: terminated
  terms: {upfront: undisclosed}
  sources: ["doc:1"]
- id: d3
  type: co-development
  date: 2024-07
  parties: {licensor: cn1, co-developer: [mnc, mnc2]}
  assets: [a3]
  terms: {total: about USD 2 billion}
  sources: ["doc:1"]
- id: d4
  type: licence
  date: 2022-06
  parties: {licensor: us1, licensee: mnc}
  assets: [a5]
  terms: {total: USD 300 million}
  sources: ["doc:1"]
- id: d5
  type: newco
  date: 2021-03
  parties: {licensor: cn2, licensee: newco}
  assets: [a4]
  terms: {upfront: USD 20 million}
  sources: ["doc:1"]
- id: d6
  type: acquisition
  date: 2025-01
  parties: {target: newco, acquirer: mnc2}
  terms: {total: USD 1 billion}
  sources: ["doc:1"]
- id: d7
  type: licence
  date: 2023-09
  parties: {licensor: hk1, licensee: mnc}
  status: terminated
  terms: {total: USD 400 million}
  sources: ["doc:1"]
- id: d8
  type: licence
  date: 2020-01
  parties: {licensor: cn2, licensee: us1}
  assets: [a5]
  terms: {upfront: USD 5 million}
  sources: ["doc:1"]
- id: d9
  type: licence
  parties: {licensor: cn1, licensee: mnc2}
  sources: ["doc:1"]
- id: d10
  type: procurement
  date: 2025-03
  parties: {buyer: cnbuy, seller: med}
  terms: {total: USD 50 million}
  sources: ["doc:1"]
- id: d11
  type: equity-investment
  date: 2025-04
  parties: {investor: [med, vc1], investee: cninv}
  terms: {equity: USD 30 million}
  sources: ["doc:1"]
- id: d12
  type: licence
  date: 2025-05
  parties: {licensor: unk, licensee: med}
  terms: {upfront: USD 10 million}
  sources: ["doc:1"]
- id: d13
  type: licence
  date: 2025-06
  parties: {licensor: cn1, licensee: [us1, unk]}
  sources: ["doc:1"]
- id: d14
  type: strategic-collaboration
  date: 2025-07
  parties: {partner: [medsub, cn2]}
  territory_include: [CN]
  sources: ["doc:1"]
"""
EVENTS = """
- {id: d2-end, type: termination, date: 2025-03, deal: d2, orgs: [cn2, mnc], terms: {retained: USD 10 million},
   returned: All rights to A-2., sources: ["doc:1"]}
- {id: d7-end, type: termination, deal: d7, orgs: [hk1, mnc], terms: {retained: USD 40 million},
   returned: Global rights., sources: ["doc:1"]}
"""


def write_tiny_seeds(folder: Path) -> Path:
    """The seed set described in the module docstring, as YAML files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in (("sources", SOURCES), ("organizations", ORGS), ("assets", ASSETS), ("deals", DEALS),
                       ("events", EVENTS)):
        (folder / f"{name}.yaml").write_text(text.lstrip(), encoding="utf-8")
    return folder


@cache
def tiny_dataset() -> Dataset:
    """The tiny seed set, loaded (once per process)."""
    from ..ingest.loading import load_seeds

    with tempfile.TemporaryDirectory(prefix="dealgraph-tiny-") as tmp:
        return load_seeds(write_tiny_seeds(Path(tmp) / "seeds"))
