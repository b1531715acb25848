"""Plan and model cards: repeated blocks with a title and a price ("Pro $20/month", "Free",
"Custom"), one record per plan, named after the product the page sells ("Cursor Pro"); a card
whose prices stand in a <dl> is a model with token prices."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import Any

from lxml import etree

from compare.extract.grids import BLOCK, PAGE_CHROME, is_leaf_block, longer_than, sentences_outside, text_of
from compare.extract.price_rows import Column, PricingPage, cell_prices, row_name, under_heading, with_terms
from compare.extract.pricing import (
    CONTACT,
    MONTH_UNIT,
    PriceFacts,
    dedupe,
    make_price,
    money,
    one_currency,
    prices_in_sentence,
)
from compare.records import clip

_PLAN_PRICE = re.compile(
    r"(?i)^(?:from\s+|ab\s+|à\s+partir\s+de\s+)?(?:[$€£]\s?\d|\d[\d,.]*\s?(?:€|\$|usd|eur))"
    r"|^(?:free|gratuit|kostenlos|custom|sur\s+devis|contact\s+sales|pay\s+as\s+you\s+go)\b"
)
_FREE_PLAN = re.compile(r"(?i)^(?:free|gratuit|kostenlos|\$\s?0(?:\.00)?\b|0\s?€)")
_PAY_AS_YOU_GO = re.compile(r"(?i)^pay\s+as\s+you\s+go\b|^pay[- ]per[- ]use\b")
_TITLE_CLASS = re.compile(r"(?i)(?:^|[-_\s])(?:name|title)(?:$|[-_\s])")


def plan_cards(doc: Any) -> list[tuple[Any, str]]:
    """(element, title) of plan and model cards: two or more sibling blocks, each with a short
    title and a short price line ("$20/month", "Free", "Custom pricing"), no table inside."""
    found: list[tuple[Any, str]] = []
    inside: set[Any] = set()
    for parent in doc.iter():
        if not isinstance(parent.tag, str) or parent in inside:
            continue
        cards = [
            (child, title)
            for child in parent
            if isinstance(child.tag, str) and (title := _card_title(child)) and _price_line(child, title)
        ]
        if len(cards) >= 2:
            found.extend(cards)
            inside.update(element for card, _ in cards for element in card.iter())
    return found


_HEADINGS_INSIDE = etree.XPath("boolean(descendant::h2|descendant::h3|descendant::h4|descendant::h5)")
_CLASSES_INSIDE = etree.XPath("descendant::*/@class")


def _may_have_title(card: Any) -> bool:
    """Whether an element inside the card is a heading or has a class naming a name or title:
    asked of the whole subtree at once, before anything walks it."""
    if not len(card):
        return False
    return _HEADINGS_INSIDE(card) or any(_TITLE_CLASS.search(str(names)) for names in _CLASSES_INSIDE(card))


def _card_title(card: Any) -> str | None:
    if not _may_have_title(card):
        return None
    if card.tag in PAGE_CHROME or longer_than(card, 900) or next(card.iter("table"), None) is not None:
        return None
    if sum(1 for _ in itertools.islice(card.iter("h2", "h3", "h4", "h5"), 2)) > 1:
        return None  # a section of cards, not a card
    for element in card.iter():
        if not isinstance(element.tag, str) or element is card:
            continue
        if element.tag in ("h2", "h3", "h4", "h5") or _TITLE_CLASS.search(str(element.get("class", ""))):
            title = text_of(element)
            return title if 0 < len(title) <= 40 and len(title.split()) <= 5 and not money(title) else None
    return None


def _price_line(card: Any, title: str) -> str | None:
    """The card's short price text ("$20 /month", "Free", "Custom pricing"), not its title."""
    for element in card.iter():
        if isinstance(element.tag, str) and element.tag not in ("li", "ul", "a", "button"):
            text = text_of(element)
            if len(text) <= 40 and text != title and _PLAN_PRICE.search(text):
                return text
    return None


def _leaf_blocks(card: Any) -> list[str]:
    """The card's text, one entry per block that holds no other block."""
    return [text_of(e) for e in card.iter() if isinstance(e.tag, str) and e.tag in BLOCK and is_leaf_block(e)]


def card_records(
    cards: list[tuple[Any, str]], page: PricingPage, doc: Any, product: str | None
) -> list[dict[str, Any]]:
    trial_sentences = [s for s in sentences_outside(doc, set()) if re.search(r"(?i)\btrial\b", s)]
    monthly_plans = any(
        price["unit"] == MONTH_UNIT
        for card, _ in cards
        for block in _leaf_blocks(card)
        for price in prices_in_sentence(block)
    )
    records = []
    if product is None or product == page.vendor:
        product = _product_in_cards(cards, page.vendor) or product
    titles = {title.lower() for _, title in cards}
    if product and " " in product and product.rsplit(" ", 1)[1].lower() in titles:
        product = product.rsplit(" ", 1)[0]  # the page of the "Perplexity Pro" plan sells Perplexity plans
    headings = _headings(doc, [card for card, _ in cards])
    for card, title in cards:
        price_line = _price_line(card, title) or title
        facts = _card_facts(card, price_line, page, monthly_plans, headings[card])
        if not facts.prices and not facts.contact and not facts.free and not facts.paid:
            continue
        if any(price["unit"] == MONTH_UNIT and price["amount"] > 0 for price in facts.prices):
            facts.free = facts.free or _trial_of(title, trial_sentences)
        facts.price_snippets = facts.price_snippets or [price_line]
        name = row_name(title, "")
        if next(card.iter("dd"), None) is not None:  # a model card: "Embed 4" with its token prices
            records.append(under_heading(page.record(name, title, facts), headings[card], page))
            continue
        free_plan = facts.free and not facts.paid and not facts.contact and not any(p["amount"] for p in facts.prices)
        plan_name = _free_plan_name(name, product) if free_plan else _plan_name(name, product)
        record = page.record(plan_name, title, facts, "product")
        _describe_plan(record, card, title, page.url)
        record["plan"] = name
        if product:
            record["product"] = product
        records.append(record)
    return records


_PRICE_BLOCK = re.compile(r"(?i)^\W*(?:[$€£]\s?0\b|free\b\W*$|contact sales|custom\W*$)")


def _describe_plan(record: dict[str, Any], card: Any, title: str, url: str) -> None:
    """A plan's blurb is its tagline ("For everyday productivity"); blurb and features are its
    description (its evidence: the last of them, as the page writes it). Price lines are not
    description."""
    blocks = [
        b for b in _leaf_blocks(card) if b and b != title and not _PRICE_BLOCK.search(b) and not prices_in_sentence(b)
    ]
    if not blocks:
        return
    evidence = {"url": url, "extractor": record["extractor"]}
    record["tagline"] = blocks[0]
    record["description"] = clip("; ".join(blocks), 600)
    record["evidence"]["tagline"] = {**evidence, "snippet": clip(blocks[0])}
    record["evidence"]["description"] = {**evidence, "snippet": clip(blocks[-1])}


_NAMED_MID_SENTENCE = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+[A-Za-z0-9]*\b")


def _product_in_cards(cards: list[tuple[Any, str]], vendor: str | None) -> str | None:
    """The product plan cards sell when the site is named after the vendor: the capitalised
    word that most cards name mid-sentence ("Meet Claude", "Access to Claude Code") and that is
    not a plan's own title."""
    titles = {word for _, title in cards for word in title.split()} | set((vendor or "").split())
    seen: Counter = Counter()
    for card, _ in cards:
        seen.update({word for block in _leaf_blocks(card) for word in _NAMED_MID_SENTENCE.findall(block)} - titles)
    if not seen:
        return None
    word, count = seen.most_common(1)[0]
    return word if count >= max(2, len(cards) / 2) else None


_FREE_PLAN_TITLE = re.compile(r"(?i)^(?:free|hobby|basic|starter|personal|gratuit|kostenlos|gratis)$")


def _free_plan_name(plan: str, product: str | None) -> str:
    """The free plan of a product is the product itself: "Free" on Claude's page is Claude,
    "Le Chat Free" is Le Chat, and a free plan called "Copilot" is Copilot."""
    words = plan.split()
    if not _FREE_PLAN_TITLE.match(words[-1]):
        return plan
    if len(words) > 1:
        return " ".join(words[:-1])
    return product or plan


def _plan_name(plan: str, product: str | None) -> str:
    """'Pro' on Cursor's page is 'Cursor Pro'; 'Le Chat Pro' and model cards keep their names."""
    if not product or product.lower() in plan.lower() or len(plan.split()) >= 3:
        return plan
    return f"{product} {plan}"


def _headings(doc: Any, elements: list[Any]) -> dict[Any, str]:
    """The heading each of `elements` stands under."""
    wanted, heading, found = set(elements), "", {}
    titles = {h for element in elements for h in element.iter("h1", "h2", "h3", "h4")}  # the cards' own
    for element in doc.iter():
        if element.tag in ("h1", "h2", "h3", "h4") and element not in titles:
            heading = text_of(element)
        elif element in wanted:
            found[element] = heading
    return found


def _card_facts(card: Any, price_line: str, page: PricingPage, monthly_plans: bool, heading: str) -> PriceFacts:
    """A plan card: its monthly prices, or Free, Custom / contact sales, pay as you go. A model
    card (prices in a <dl>): its token prices, with the page's terms."""
    facts = PriceFacts()
    for term, value in zip(card.iter("dt"), card.iter("dd"), strict=False):
        found = cell_prices(text_of(value), Column.from_header(text_of(term), heading), f"{heading} {text_of(card)}")
        facts.prices.extend(found)
        if found or money(text_of(value)):
            facts.price_snippets.append(f"{text_of(term)} {text_of(value)}")
    if facts.price_snippets:  # a model card
        facts.prices = one_currency(dedupe(facts.prices))
        return with_terms(facts, facts.price_snippets[0], page.terms)
    for block in _leaf_blocks(card):
        found = [price for price in prices_in_sentence(block) if price["unit"] == MONTH_UNIT]
        if found:
            facts.prices.extend(found)
            facts.price_snippets.append(block)
    bare = money(price_line)
    if not facts.prices and bare and monthly_plans and re.fullmatch(r"[$€£]?\s?[\d.,]+\s?[€$]?", price_line.strip()):
        amount, currency, _ = bare[0]  # "$0" beside plans priced per month
        facts.prices.append(make_price("subscription", amount, currency, MONTH_UNIT, None))
        facts.price_snippets.append(price_line)
    facts.prices = one_currency(dedupe(facts.prices))
    if any(price["amount"] > 0 for price in facts.prices):
        return facts
    if _FREE_PLAN.search(price_line):
        facts.free = price_line
        facts.prices = [price for price in facts.prices if price["amount"] == 0]
    elif CONTACT.search(price_line) or re.match(r"(?i)custom", price_line):
        facts.contact = price_line
    elif _PAY_AS_YOU_GO.search(price_line):
        facts.paid = price_line
    return facts


def _trial_of(plan: str, trial_sentences: list[str]) -> str | None:
    """The sentence offering a trial of `plan` ("a two-week trial of Pro", "Pro two-week trial")."""
    if not trial_sentences:
        return None
    name = re.escape(plan)
    pattern = re.compile(rf"(?i)\btrial\s+of\s+{name}\b|\b{name}\s+(?:[\w-]+\s+){{0,2}}trial\b")
    return next((sentence for sentence in trial_sentences if pattern.search(sentence)), None)
