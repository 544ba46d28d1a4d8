"""Pydantic models of seed records, mirroring the ontology (see tests/test_model_ontology.py).

``common`` holds what every record shares (ids, citations, vocabulary checks); ``dates``, ``money`` and ``facts``
(disputed, curated and unknown facts) the value types; ``headline`` the one definition of a deal's value;
``records`` the six kinds of record.
"""
from .common import Citation, Record
from .dates import year_of
from .facts import Alternative
from .money import Money, Share, Stake, parse_money
from .records import RECORD_TYPES, Asset, Deal, Event, Organization, Source, Statistic

__all__ = ["Alternative", "Asset", "Citation", "Deal", "Event", "Money", "Organization", "RECORD_TYPES", "Record", "Share",
           "Source", "Stake", "Statistic", "parse_money", "year_of"]
