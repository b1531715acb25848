"""Server-drawn SVG charts: drawn only when they say something, every label escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from compare import charts

SVG = "{http://www.w3.org/2000/svg}"


def _price(item, amount, unit="1M tokens", currency="USD"):
    return {"item": item, "amount": amount, "unit": unit, "currency": currency, "tier": None}


def test_price_history_is_drawn_once_a_price_changed_with_one_line_per_price():
    flat = [{"observed_at": f"2026-11-0{d}T00:00:00", "prices": [_price("input", 3.0)]} for d in (1, 2)]
    assert charts.price_history(flat) is None  # nothing changed: the table says it all
    changed = [
        {"observed_at": "2026-11-01T00:00:00", "prices": [_price("input", 3.0), _price("output", 15.0)]},
        {"observed_at": "2026-11-09T00:00:00", "prices": [_price("input", 2.5), _price("output", 15.0)]},
    ]
    svg = ET.fromstring(charts.price_history(changed))
    paths = svg.findall(f"{SVG}path")
    assert len(paths) == 1  # only the input price moved
    labels = [t.text for t in svg.findall(f"{SVG}text")]
    assert "input per 1M tokens $2.5" in labels and "2026-11-01" in labels and "2026-11-09" in labels


def test_prices_side_by_side_draws_the_prices_both_state_and_escapes_names():
    a = {"name": "Tool <A>", "prices": [_price("input", 1.0), _price("output", 4.0)]}
    b = {"name": "Tool & B", "prices": [_price("input", 3.0), _price("output", 15.0), _price("cached", 0.3)]}
    markup = charts.prices_side_by_side(a, b)
    assert "Tool &lt;A&gt;" in markup and "<A>" not in markup
    svg = ET.fromstring(markup)
    assert len(svg.findall(f"{SVG}rect")) == 2 + 4  # two legend keys, two bars for input and output
    widths = [float(r.get("width")) for r in svg.findall(f"{SVG}rect")[2:]]
    assert widths[1] < widths[3] and widths[2] < widths[3]  # to scale: $15 is the longest bar
    assert charts.prices_side_by_side(a, {"name": "Free", "prices": []}) is None


def test_new_cards_per_day_counts_the_last_thirty_days():
    today = date(2026, 12, 4)
    seen = ["2026-12-04T10:00:00", "2026-12-04T11:00:00", "2026-12-01T09:00:00", "2026-10-01T00:00:00"]
    svg = ET.fromstring(charts.new_cards_per_day(seen, today=today))
    bars = svg.findall(f"{SVG}rect")
    assert sorted(r.find(f"{SVG}title").text for r in bars) == ["2026-12-01: 1", "2026-12-04: 2"]
    assert charts.new_cards_per_day(["2026-01-01T00:00:00"], today=today) is None
