"""Price tables' rows: one record per model row, each price with the row it came from, in
three shapes:
- models as rows, price columns named by what they price ("Input / 1M tokens");
- one table per model under its heading: items as rows, plans or tiers as columns (Gemini);
- models as columns, items as rows (DeepSeek).
What the page says outside tables and cards (a free tier, "contact sales", a batch discount)
applies to its model rows (`PageTerms`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from compare.extract.grids import Grid, sentences_outside
from compare.extract.hub import params_from_name
from compare.extract.pricing import (
    CONTACT,
    FREE,
    OTHER_UNIT,
    TOKEN_UNIT,
    PriceFacts,
    dedupe,
    item_of,
    items_in_order,
    make_price,
    money,
    one_currency,
    scale_to_million,
    tier_of,
)
from compare.records import SNAPSHOT_DATE, RecordBuilder, clip

# "1M TOKENS INPUT" in a price table's row label sizes the price, as "per 1M tokens" does.
_TABLE_MILLION = re.compile(r"(?i)\b1\s?M\s+tokens?\b|\bM\s+tokens?\b")
# Rows of discounted hours or promotions are not list prices.
_DISCOUNTED = re.compile(r"(?i)\bdiscount(?:ed)?\s+price|off-peak|\bpromo")
# Header cells that name plans or prompt tiers, not models: a table per model (Gemini).
_PLAN_COLUMN = re.compile(r"(?i)\b(?:tier|plan|free|paid|standard|batch|price|prompts?|usd|eur|per)\b|[<>≤$€£]")
_BATCH = re.compile(r"(?i)\bbatch\b")
_INPUT_ONLY = re.compile(r"(?i)\bembed|\brerank")
_EMBEDDINGS = re.compile(r"(?i)\bembeddings?\b")
_BATCH_DISCOUNT = re.compile(
    r"(?i)(?P<pct>\d{1,2})\s*(?:%|percent|prozent|pour\s*cent)\s*(?:discount|off|lower|less|cheaper|moins\s+cher|günstiger|rabatt|de\s+réduction)"
    r"|(?:discount|rabatt|réduction)\s+(?:of\s+|von\s+|de\s+)?(?P<pct2>\d{1,2})\s*(?:%|percent|prozent)"
    r"|(?P<pct3>\d{1,2})\s*%\s+with\s+(?:the\s+)?[\w ]{0,30}?batch"  # "save 50% with the Message Batches API"
)
_BATCH_WORDS = re.compile(r"(?i)\bbatch|\bpar\s+lots\b|\bstapel")


@dataclass
class PageTerms:
    """What a pricing page says about all its models, each with its sentence."""

    free: str | None = None
    contact: str | None = None
    batch_discount: float | None = None
    batch_snippet: str | None = None


@dataclass
class Column:
    """What a price column prices: one item, two in order ("Input / Output"), or two at one
    price ("input + output"); with the tier its header names ("Batch", "<= 200K")."""

    header: str
    items: list[str] = field(default_factory=list)
    both: bool = False
    tier: str | None = None

    @classmethod
    def from_header(cls, header: str, context: str = "") -> Column:
        """The column under `header`; a token price naming no item is input where the
        `context` (heading) is about embedding or rerank models, which bill input tokens only."""
        items = list(dict.fromkeys(items_in_order(header))) or (
            ["input"] if _INPUT_ONLY.search(context) and scale_to_million(header) else []
        )
        both = len(items) > 1 and bool(re.search(r"\+|\band\b|\bet\b|\bund\b", header))
        tier = "batch" if _BATCH.search(header) else tier_of(header)
        return cls(header, items, both, tier)


@dataclass
class PricingPage:
    url: str
    vendor: str | None
    extractor: str
    terms: PageTerms

    def record(self, name: str, name_snippet: str, facts: PriceFacts, kind: str = "api") -> dict[str, Any]:
        rec = RecordBuilder(self.url, self.extractor)
        rec.set("name", name, name_snippet)
        rec.set("vendor", self.vendor, None)
        rec.set("kind", kind, None)
        rec.set("params_b", params_from_name(name) if kind != "product" else None, name)
        facts.apply(rec, None)
        rec.extra["page_kind"] = "pricing_row"
        if any(p["unit"] == TOKEN_UNIT for p in facts.prices):
            rec.set("batch_discount", self.terms.batch_discount, self.terms.batch_snippet)
        return rec.build()


def page_terms(doc: Any, skip: list[Any]) -> PageTerms:
    """Free tier, contact sales and batch discount, from the page's text outside tables, plan
    cards and site chrome."""
    terms = PageTerms()
    for sentence in sentences_outside(doc, set(skip)):
        if terms.free is None and FREE.search(sentence):
            terms.free = sentence
        if terms.contact is None and CONTACT.search(sentence):
            terms.contact = sentence
        if terms.batch_discount is None:
            terms.batch_discount = batch_discount(sentence)
            terms.batch_snippet = sentence if terms.batch_discount is not None else None
    return terms


def batch_discount(sentence: str) -> float | None:
    """0.5 for "Batch processing costs 50% less" (also "Batch-Rabatt von 50 %")."""
    if not _BATCH_WORDS.search(sentence):
        return None
    match = _BATCH_DISCOUNT.search(sentence)
    return int(match.group("pct") or match.group("pct2") or match.group("pct3")) / 100 if match else None


def grid_records(grid: Grid, page: PricingPage) -> list[dict[str, Any]]:
    """The grid's records, with the modality its heading names."""
    return [under_heading(record, grid.heading, page) for record in _grid_rows(grid, page)]


def under_heading(record: dict[str, Any], heading: str, page: PricingPage) -> dict[str, Any]:
    """A model priced under a heading about embedding models ("Text embeddings") is one."""
    if _EMBEDDINGS.search(heading) and "modality" not in record:
        record["modality"] = "embedding"
        record["evidence"]["modality"] = {"url": page.url, "snippet": clip(heading), "extractor": page.extractor}
    return record


def _grid_rows(grid: Grid, page: PricingPage) -> list[dict[str, Any]]:
    label_width = _label_width(grid)
    columns = [Column.from_header(header, grid.context) for header in grid.header]
    row_items = sum(item_of(" ".join(row[:label_width])) is not None for row in grid.body)
    items_as_rows = row_items >= 2 or (row_items and not any(column.items for column in columns[label_width:]))
    if not items_as_rows:
        return [
            record
            for row, line in zip(grid.body, grid.lines, strict=True)
            if (record := _model_row(row, line, columns, grid, page))
        ]
    if any(_PLAN_COLUMN.search(header) for header in grid.header[label_width:]):
        return _model_table(grid, label_width, page)
    return _model_columns(grid, label_width, page)


def _label_width(grid: Grid) -> int:
    """How many leading columns label the rows: the first, and those its header spans."""
    width = 1
    while width < len(grid.header) and grid.header[width] == grid.header[0] and grid.header[0]:
        width += 1
    return width


def row_name(cell: str, heading: str) -> str:
    name = re.sub(r"[*†‡]+|\s*\((?i:new|preview|beta)\)|\s(?i:new|nouveau|neu)$", "", cell).strip()
    if re.search(r"(?i)fine[- ]?tun", heading) and not re.search(r"(?i)fine[- ]?tun", name):
        name = f"{SNAPSHOT_DATE.sub('', name)} fine-tuning"  # the service, not the snapshot: "gpt-4.1 fine-tuning"
    return name


def cell_prices(cell: str, column: Column, context: str, row_label: str = "") -> list[dict[str, Any]]:
    """Token prices in one cell, per 1M tokens; amounts of other units are not token prices."""
    if not column.items or OTHER_UNIT.search(cell):
        return []
    scale = next((s for text in (cell, row_label, column.header, context) if (s := scale_to_million(text))), None) or (
        1.0 if _TABLE_MILLION.search(f"{row_label} {column.header}") else None
    )
    amounts = money(cell)
    if scale is None or not amounts:
        return []
    header_currency = money(f"{column.header} 1")
    if column.both:
        pairs = [(item, amounts[0]) for item in column.items]
    elif len(column.items) > 1:
        pairs = list(zip(column.items, amounts, strict=False))
    else:
        pairs = [(column.items[0], amount) for amount in amounts]
    prices = []
    for item, (amount, currency, match) in pairs:
        if header_currency and not match.group("cur") and not match.group("cur2"):
            currency = header_currency[0][1]
        tier = column.tier or tier_of(cell[match.end() :].split("$")[0])
        prices.append(make_price(item, amount * scale, currency, TOKEN_UNIT, tier))
    return prices


def _model_row(
    row: list[str], snippet: str, columns: list[Column], grid: Grid, page: PricingPage
) -> dict[str, Any] | None:
    """A model per row: token prices from its item columns; a row priced per image, hour or
    search has no token prices but is still a priced offer."""
    name = row_name(row[0], grid.heading)
    if not name or money(name):
        return None
    facts = PriceFacts()
    other_unit = any(money(cell) for cell in row[1:]) and OTHER_UNIT.search(f"{snippet} {' '.join(grid.header)}")
    for cell, column in zip(row[1:], columns[1:], strict=False):
        if not other_unit:  # a row priced per image or hour has no token prices, whatever its columns
            facts.prices.extend(cell_prices(cell, column, grid.context))
        if CONTACT.search(cell):
            facts.contact = snippet
        if re.search(r"(?i)^free", cell) and column.items:
            facts.free = snippet
    facts.prices = one_currency(dedupe(facts.prices))
    if not facts.prices and not facts.contact and not other_unit:
        return None
    return page.record(name, row[0], with_terms(facts, snippet, page.terms))


def with_terms(facts: PriceFacts, snippet: str, terms: PageTerms) -> PriceFacts:
    """A row with the page's terms: priced on a page with a free tier, it is freemium. A row
    without token prices or "contact sales" is priced in other units."""
    facts.price_snippets = facts.price_snippets or [snippet]
    if not facts.prices and not facts.contact:
        facts.paid = snippet
    facts.free = facts.free or terms.free
    facts.contact = facts.contact or terms.contact
    return facts


def _model_table(grid: Grid, label_width: int, page: PricingPage) -> list[dict[str, Any]]:
    """A table per model (Gemini style): rows are items, columns are plans or prompt tiers."""
    facts = PriceFacts()
    snippets = []
    for row, line in zip(grid.body, grid.lines, strict=True):
        label = " ".join(row[:label_width])
        item = item_of(label)
        if item is None or _DISCOUNTED.search(label):
            continue
        for cell, header in zip(row[label_width:], grid.header[label_width:], strict=False):
            if re.search(r"(?i)^free", cell) or (re.search(r"(?i)free", header) and not money(cell)):
                if re.search(r"(?i)free", cell):
                    facts.free = line  # evidence quotes whole rows
                continue
            column = Column(header, [item], tier=Column.from_header(header).tier)
            found = cell_prices(cell, column, grid.context, label)
            if found:
                facts.prices.extend(found)
                snippets.append(line)
    facts.prices = one_currency(dedupe(facts.prices))
    if not facts.prices:
        return []
    facts.price_snippets = snippets
    return [page.record(row_name(grid.heading, ""), grid.heading, facts)]


def _model_columns(grid: Grid, label_width: int, page: PricingPage) -> list[dict[str, Any]]:
    """Models as columns (DeepSeek style): each header cell names a model, rows are items."""
    records = []
    for index in range(label_width, len(grid.header)):
        name = row_name(grid.header[index], "")
        facts = PriceFacts()
        snippets = []
        for row, line in zip(grid.body, grid.lines, strict=True):
            label = " ".join(dict.fromkeys(row[:label_width]))
            item = item_of(label)
            if item is None or _DISCOUNTED.search(label):
                continue
            found = cell_prices(row[index], Column(label, [item]), grid.context, label)
            if found:
                facts.prices.extend(found)
                snippets.append(line)
        facts.prices = one_currency(dedupe(facts.prices))
        if name and facts.prices:
            facts.price_snippets = snippets
            records.append(page.record(name, grid.header[index], with_terms(facts, snippets[0], page.terms)))
    return records
