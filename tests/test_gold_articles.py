"""The gold set: launch posts and pricing pages (demo pages and tests/fixtures/gold/pages), each
labelled with what it states (tests/fixtures/demo_expected/vendors_*.json and
tests/fixtures/gold/labels_*.json). The scoring rules are in compare.evaluate_articles; the table
and every miss print with `pytest -s` or `compare eval-articles`."""

from __future__ import annotations

import pytest

from compare.config import PROJECT_ROOT
from compare.evaluate_articles import GOLD_LABELS, GOLD_PAGES, evaluate_gold, load_labels, report_lines

# Floors sit at the measured accuracy (session 3, 48 launch posts, 14 pricing pages). The issue's
# target is 0.95 for name, vendor, license, entry and price cells: pricing pages in card layouts
# (plans), transposed model columns and EUR tables are not read yet. Raise these as they improve.
FLOORS = {
    ("launch", "name"): 0.91,  # 44/48
    ("launch", "vendor"): 0.95,  # 46/48
    ("launch", "license"): 0.93,  # 45/48
    ("launch", "entry"): 0.75,  # 36/48
    ("pricing_row", "name"): 0.49,  # 44/89
    ("pricing_row", "vendor"): 0.49,
    ("pricing_row", "entry"): 0.35,  # 32/89
    ("not_launch", "no_launch"): 1.0,
}
PRICE_CELLS_FLOOR = 0.66  # 166/250


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
