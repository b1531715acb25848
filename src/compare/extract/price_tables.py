"""Pricing pages: one record per model row (`price_rows`, over the grids `grids` reads) or plan
card (`plan_cards`), each price with the row or card it came from; and a launch post's pricing
section as lines."""

from __future__ import annotations

import re
from typing import Any

from compare.extract.grids import Grid, chrome_elements, grids, is_leaf_block, text_of
from compare.extract.plan_cards import card_records, plan_cards
from compare.extract.price_rows import PageTerms, PricingPage, grid_records, page_terms
from compare.extract.pricing import money


def page_records(
    doc: Any,
    url: str,
    vendor: str | None,
    extractor: str,
    launch: bool = False,
    product: str | None = None,
    page_grids: list[tuple[Any, Grid]] | None = None,
) -> list[dict]:
    """Records for the model rows and plan cards of a page. A launch post's tables give rows
    with token prices only; plan cards and page terms are read on other pages. Plans are named
    after the `product` they belong to (the site's name): "Cursor Pro". `page_grids` are the
    page's `grids(doc, set())` where the caller has them already."""
    if launch and not money(doc.text_content() or ""):
        return []  # a launch post keeps priced rows only, and it names no price
    cards = [] if launch else plan_cards(doc)
    in_cards = {card for card, _ in cards}
    page_grids = list(grids(doc, set())) if page_grids is None else page_grids
    # a plan card is never a <div> grid too; a table stays a table (as grids(doc, skip) has it)
    tables = [(element, grid) for element, grid in page_grids if element.tag == "table" or element not in in_cards]
    terms = PageTerms() if launch else page_terms(doc, [table for table, _ in tables] + [card for card, _ in cards])
    page = PricingPage(url, vendor, extractor, terms)
    records = [record for _, grid in tables for record in grid_records(grid, page)]
    if launch:
        return [record for record in records if record.get("prices")]
    return records + card_records(cards, page, doc, product or vendor)


_PRICING_HEADING = re.compile(r"(?i)\bpric(?:e|es|ing)\b|\btarifs?\b|\bpreise?\b|\bkosten\b")


def pricing_section_lines(doc: Any) -> list[str]:
    """Lines of a post's pricing section (under a "Pricing" heading, or after a paragraph that
    ends "Pricing:"): list items, "Input $0.20 / M tokens" rows, "Input: $0.0000006 per token"
    pairs of a <dl>. Prose around them is read as sentences elsewhere."""
    lines: list[str] = []
    in_section = False
    chrome = chrome_elements(doc)
    for element in doc.iter("h1", "h2", "h3", "h4", "h5", "h6", "p", "dd", "li", "div"):
        tag = element.tag
        if element in chrome:
            continue
        if tag.startswith("h"):
            in_section = bool(_PRICING_HEADING.search(text_of(element)))
        elif tag == "p":
            text = text_of(element)
            in_section = in_section or (text.endswith(":") and bool(_PRICING_HEADING.search(text.rsplit(".", 1)[-1])))
        elif in_section and tag == "dd":
            term = element.getprevious()
            text = text_of(element)
            lines.append(f"{text_of(term)} {text}" if term is not None and term.tag == "dt" else text)
        elif in_section and is_leaf_block(element):
            lines.append(text_of(element))
    return [line for line in lines if money(line)]
