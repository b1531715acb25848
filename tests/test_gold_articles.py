"""The gold set: launch posts and pricing pages (demo pages and tests/fixtures/gold/pages), each
labelled with what it states (tests/fixtures/demo_expected/vendors_*.json and
tests/fixtures/gold/labels_*.json). The scoring rules are in evals.articles; the table
and every miss print with `pytest -s` or `make eval`."""

from __future__ import annotations

import pytest

from compare.config import PROJECT_ROOT
from evals.articles import GOLD_LABELS, GOLD_PAGES, evaluate_gold, load_labels, report_lines

# The targets: 0.95 for name, vendor, license, entry and price cells, no invented price.
# Floors sit at the measured accuracy (session 4: 56 launch posts, 17 other posts, 18 pricing pages
# with 114 rows and 300 price cells; labels_holdout_c.json was written blind to the extractor and
# scored before any change for it: price cells 0.69, row entry 0.56, launch name 0.75).
FLOORS = {
    ("launch", "name"): 0.94,  # 53/56: "gpt-oss", "SmolVLM2" name families, "OpenAI o3-mini" keeps the vendor
    ("launch", "vendor"): 1.0,
    ("launch", "license"): 1.0,
    ("launch", "entry"): 1.0,
    ("launch", "open_weights"): 1.0,
    ("launch", "hub_links"): 1.0,
    ("launch", "published"): 0.95,  # 54/56
    ("launch", "docs_link"): 1.0,
    ("launch", "pricing_link"): 1.0,
    ("launch", "description"): 0.93,  # 30/32
    ("launch", "free_tier"): 1.0,
    ("launch", "contact_sales"): 1.0,
    ("launch", "batch_discount"): 1.0,
    ("pricing_row", "name"): 1.0,
    ("pricing_row", "vendor"): 1.0,
    ("pricing_row", "entry"): 1.0,
    ("not_launch", "no_launch"): 1.0,
}
PRICE_CELLS_FLOOR = 1.0  # 300/300


def gold_labels() -> list[dict]:
    return load_labels([path for pattern in GOLD_LABELS for path in sorted(PROJECT_ROOT.glob(pattern))])


@pytest.fixture(scope="module")
def report():
    result = evaluate_gold(gold_labels(), [PROJECT_ROOT / root for root in GOLD_PAGES])
    print("\n" + "\n".join(report_lines(result)))
    return result


def test_the_gold_set_is_big_enough(report):
    assert report.pages["launch"] >= 40 and report.pages["pricing_row"] >= 10
    assert report.prices_expected >= 200


def test_every_page_is_found_and_read(report):
    assert report.failed == {}


def test_fields_meet_their_floors(report):
    below = {cell: round(report.accuracy(*cell), 3) for cell, floor in FLOORS.items() if report.accuracy(*cell) < floor}
    assert not below, below


def test_price_cells_are_extracted_exactly(report):
    assert report.price_recall >= PRICE_CELLS_FLOOR, "\n".join(report.price_misses)


def test_no_price_is_invented(report):
    assert report.invented == []


def test_every_evidence_snippet_occurs_in_its_page(report):
    assert report.evidence_checked > 500
    assert report.evidence_problems == []
