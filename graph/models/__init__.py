"""Pydantic models of seed records, mirroring the ontology (see tests/test_model_ontology.py)."""
from .common import Alternative, Citation, Money, Share, Stake, parse_money, year_of
from .common import Record
from .records import RECORD_TYPES, Asset, Deal, Event, Organization, Source, Statistic

__all__ = ["Alternative", "Asset", "Citation", "Deal", "Event", "Money", "Organization", "RECORD_TYPES", "Record", "Share",
           "Source", "Stake", "Statistic", "parse_money", "year_of"]
