"""Money phrases, qualifiers, disclosure and the one definition of headline value."""
from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from graph.models import Deal, Money, parse_money


@pytest.mark.parametrize("phrase, amount, currency, qualifier", [
    ("USD 500 million", Decimal("500e6"), "USD", "exact"),
    ("up to USD 1.77 billion", Decimal("1.77e9"), "USD", "up-to"),
    ("over USD 13 billion", Decimal("13e9"), "USD", "over"),
    ("about RMB 3.7 billion", Decimal("3.7e9"), "CNY", "about"),
    ("USD 12.5b", Decimal("12.5e9"), "USD", "exact"),
    ("USD 800m", Decimal("800e6"), "USD", "exact"),
    ("EUR 1,200 million", Decimal("1.2e9"), "EUR", "exact"),
])
def test_parse_money(phrase, amount, currency, qualifier):
    m = parse_money(phrase)
    assert (m["amount"], m["currency"], m["qualifier"]) == (amount, currency, qualifier)


def test_disclosure_states():
    assert Money.model_validate("undisclosed").disclosure == "undisclosed"
    assert Money.model_validate("none").disclosure == "absent"
    m = Money.model_validate("USD 5 million")
    assert m.disclosed and m.usd == Decimal("5e6") and m.fx_rate == 1


def test_non_usd_needs_the_rate_source():
    with pytest.raises(ValidationError, match="fx_source"):
        Money.model_validate({"value": "RMB 7 billion", "fx_rate": "0.14"})
    m = Money.model_validate({"value": "RMB 7 billion", "fx_rate": "0.14", "fx_source": "doc:3"})
    assert m.usd == Decimal("0.98e9")
    assert Money.model_validate("RMB 7 billion").usd is None  # no rate given: no USD value invented


def _deal(**terms):
    return Deal(id="d", type="licence", parties={"licensor": "a", "licensee": "b"}, terms=terms, sources=["x:1"])


def test_headline_prefers_the_total():
    assert _deal(upfront="USD 1 billion", total="about USD 12 billion").headline() == (Decimal("12e9"), "about")


def test_headline_adds_disclosed_parts_when_there_is_no_total():
    usd, q = _deal(upfront="USD 1.25 billion", milestones="up to USD 4.8 billion").headline()
    assert usd == Decimal("6.05e9") and q == "up-to"


def test_headline_of_undisclosed_deal_is_none():
    assert _deal(upfront="undisclosed").headline() == (None, None)
    assert _deal().headline() == (None, None)
