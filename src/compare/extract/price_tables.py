"""Pricing pages: one record per model row or plan card, each price with the row or card it
came from.

Tables are read after row and column spans are expanded and stacked header rows are joined
("Batch" over "Price per 1,000 input tokens"), in three shapes:
- models as rows, price columns named by what they price ("Input / 1M tokens");
- one table per model under its heading: items as rows, plans or tiers as columns (Gemini);
- models as columns, items as rows (DeepSeek).
Grids built from <div> rows read like tables. Plan cards (repeated blocks with a title and a
price: "Pro $20/month", "Free", "Custom") give one record per plan. What the page says outside
tables and cards (a free tier, "contact sales", a batch discount) applies to its model rows.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html

from compare.extract.hub import params_from_name
from compare.extract.pricing import (
    CONTACT,
    FREE,
    MONTH_UNIT,
    OTHER_UNIT,
    TOKEN_UNIT,
    PriceFacts,
    dedupe,
    item_of,
    items_in_order,
    make_price,
    money,
    one_currency,
    prices_in_sentence,
    scale_to_million,
    tier_of,
)
from compare.extract.text import sentences
from compare.records import RecordBuilder, clip

# Site chrome and invisible parts: no offer or link of the page's own is read from them.
PAGE_CHROME = {"script", "style", "noscript", "template", "head", "nav", "header", "footer", "form"}
_BLOCK = {"p", "div", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "br"}
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
_PLAN_PRICE = re.compile(
    r"(?i)^(?:from\s+|ab\s+|à\s+partir\s+de\s+)?(?:[$€£]\s?\d|\d[\d,.]*\s?(?:€|\$|usd|eur))"
    r"|^(?:free|gratuit|kostenlos|custom|sur\s+devis|contact\s+sales|pay\s+as\s+you\s+go)\b"
)
_FREE_PLAN = re.compile(r"(?i)^(?:free|gratuit|kostenlos|\$\s?0(?:\.00)?\b|0\s?€)")
_PAY_AS_YOU_GO = re.compile(r"(?i)^pay\s+as\s+you\s+go\b|^pay[- ]per[- ]use\b")
_TITLE_CLASS = re.compile(r"(?i)(?:^|[-_\s])(?:name|title)(?:$|[-_\s])")


def parse_html(body: str) -> Any:
    return lxml_html.fromstring(body)


def _longer_than(element: Any, limit: int) -> bool:
    """Whether the element's text is longer than `limit`, reading no more of it than needed."""
    total = 0
    for piece in element.itertext():
        total += len(piece.strip())
        if total > limit:
            return True
    return False


def _text(element: Any) -> str:
    return " ".join(" ".join(element.itertext()).split())


@dataclass
class Grid:
    """A price table as text: one header per column, body rows of equal width."""

    header: list[str]
    body: list[list[str]]
    lines: list[str]  # each body row's text as the page writes it (spanned cells once)
    heading: str = ""
    context: str = ""


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
    cards = [] if launch else _cards(doc)
    in_cards = {card for card, _ in cards}
    page_grids = list(grids(doc, set())) if page_grids is None else page_grids
    # a plan card is never a <div> grid too; a table stays a table (as grids(doc, skip) has it)
    tables = [(element, grid) for element, grid in page_grids if element.tag == "table" or element not in in_cards]
    terms = PageTerms() if launch else page_terms(doc, [table for table, _ in tables] + [card for card, _ in cards])
    page = _Page(url, vendor, extractor, terms)
    records = [record for _, grid in tables for record in _grid_records(grid, page)]
    if launch:
        return [record for record in records if record.get("prices")]
    return records + _card_records(cards, page, doc, product or vendor)


@dataclass
class _Page:
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


# -- page terms ----------------------------------------------------------------------------------


def page_terms(doc: Any, skip: list[Any]) -> PageTerms:
    """Free tier, contact sales and batch discount, from the page's text outside tables, plan
    cards and site chrome."""
    terms = PageTerms()
    for sentence in _sentences_outside(doc, set(skip)):
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


def _sentences_outside(doc: Any, skip: set[Any]) -> list[str]:
    blocks: list[str] = []
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element in skip or tag in PAGE_CHROME or not tag:
            return
        if tag in _BLOCK:
            blocks.append(" ".join(parts))
            parts.clear()
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")
        if tag in _BLOCK:
            blocks.append(" ".join(parts))
            parts.clear()

    walk(doc)
    blocks.append(" ".join(parts))
    return [sentence for block in blocks for sentence in sentences(block)]


_PRICING_HEADING = re.compile(r"(?i)\bpric(?:e|es|ing)\b|\btarifs?\b|\bpreise?\b|\bkosten\b")


def pricing_section_lines(doc: Any) -> list[str]:
    """Lines of a post's pricing section (under a "Pricing" heading, or after a paragraph that
    ends "Pricing:"): list items, "Input $0.20 / M tokens" rows, "Input: $0.0000006 per token"
    pairs of a <dl>. Prose around them is read as sentences elsewhere."""
    lines: list[str] = []
    in_section = False
    for element in doc.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag not in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "dd", "li", "div"):
            continue
        if any(a.tag in PAGE_CHROME for a in element.iterancestors()):
            continue
        if tag.startswith("h"):
            in_section = bool(_PRICING_HEADING.search(_text(element)))
        elif tag == "p":
            text = _text(element)
            in_section = in_section or (text.endswith(":") and bool(_PRICING_HEADING.search(text.rsplit(".", 1)[-1])))
        elif in_section and tag == "dd":
            term = element.getprevious()
            text = _text(element)
            lines.append(f"{_text(term)} {text}" if term is not None and term.tag == "dt" else text)
        elif in_section and _is_leaf_block(element):
            lines.append(_text(element))
    return [line for line in lines if money(line)]


# -- grids ---------------------------------------------------------------------------------------


def grids(doc: Any, skip: set[Any]) -> Iterator[tuple[Any, Grid]]:
    """(element, grid) for each price table and <div> grid, with the heading and notes above it."""
    heading, notes = "", []
    for element in doc.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("h1", "h2", "h3", "h4"):
            heading, notes = _text(element), []
        elif tag == "p" and len(notes) < 3:
            notes.append(_text(element))
        elif tag == "table" or (tag in ("div", "section", "ul") and element not in skip):
            grid = _html_grid(element) if tag == "table" else _div_grid(element)
            if grid:
                caption = " ".join(_text(c) for c in element.iter("caption"))
                grid.heading, grid.context = heading, f"{heading} {caption} {' '.join(notes)}"
                yield element, grid


def _html_grid(table: Any) -> Grid | None:
    """Rows with row and column spans expanded; leading header rows joined per column."""
    rows: list[list[str]] = []
    lines: list[str] = []
    header_rows = 0
    carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for tr in table.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if not cells:
            continue
        in_head = tr.getparent() is not None and tr.getparent().tag == "thead"
        if (in_head or all(c.tag == "th" for c in cells)) and header_rows == len(rows):
            header_rows += 1
        row: list[str] = []
        queue = list(cells)
        while queue or len(row) in carried:
            column = len(row)
            if column in carried:
                text, left = carried.pop(column)
                row.append(text)
                if left > 1:
                    carried[column] = (text, left - 1)
                continue
            cell = queue.pop(0)
            text = _text(cell)
            for _ in range(_span(cell, "colspan")):
                if _span(cell, "rowspan") > 1:
                    carried[len(row)] = (text, _span(cell, "rowspan") - 1)
                row.append(text)
        rows.append(row)
        lines.append(_text(tr))
    header_rows = max(header_rows, 1)
    if len(rows) <= header_rows:
        return None
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    header = [" ".join(dict.fromkeys(rows[r][c] for r in range(header_rows) if rows[r][c])) for c in range(width)]
    return Grid(header, rows[header_rows:], lines[header_rows:])


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, 1)), 50))
    except ValueError:
        return 1


def _div_grid(element: Any) -> Grid | None:
    """A table built from <div>s: a header row, then rows whose cells carry the header cells'
    classes; rows of another shape (group titles) are skipped."""
    children = [child for child in element if isinstance(child.tag, str)]
    if len(children) < 3:
        return None
    shape = [_cell_classes(child) for child in children]
    head = shape[0]
    if len(head) < 2 or not any(head):
        return None
    header = [_text(cell) for cell in children[0] if isinstance(cell.tag, str)]
    if any(money(cell) for cell in header) or not any(
        item_of(cell) or scale_to_million(cell) or re.search(r"(?i)price|prix|preis", cell) for cell in header
    ):
        return None
    rows = [child for child, classes in zip(children[1:], shape[1:], strict=True) if classes == head]
    body = [[_text(cell) for cell in row if isinstance(cell.tag, str)] for row in rows]
    if len(body) < 2 or not any(money(cell) for row in body for cell in row):
        return None
    return Grid(header, body, [_text(row) for row in rows])


def _cell_classes(element: Any) -> list[str]:
    return [str(cell.get("class", "")) for cell in element if isinstance(cell.tag, str)]


def _grid_records(grid: Grid, page: _Page) -> list[dict[str, Any]]:
    """The grid's records, with the modality its heading names."""
    return [_under_heading(record, grid.heading, page) for record in _grid_rows(grid, page)]


def _under_heading(record: dict[str, Any], heading: str, page: _Page) -> dict[str, Any]:
    """A model priced under a heading about embedding models ("Text embeddings") is one."""
    if _EMBEDDINGS.search(heading) and "modality" not in record:
        record["modality"] = "embedding"
        record["evidence"]["modality"] = {"url": page.url, "snippet": clip(heading), "extractor": page.extractor}
    return record


def _grid_rows(grid: Grid, page: _Page) -> list[dict[str, Any]]:
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


def _row_name(cell: str, heading: str) -> str:
    name = re.sub(r"[*†‡]+|\s*\((?i:new|preview|beta)\)|\s(?i:new|nouveau|neu)$", "", cell).strip()
    if re.search(r"(?i)fine[- ]?tun", heading) and not re.search(r"(?i)fine[- ]?tun", name):
        name = f"{name} fine-tuning"
    return name


def _cell_prices(cell: str, column: Column, context: str, row_label: str = "") -> list[dict[str, Any]]:
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


def _model_row(row: list[str], snippet: str, columns: list[Column], grid: Grid, page: _Page) -> dict[str, Any] | None:
    """A model per row: token prices from its item columns; a row priced per image, hour or
    search has no token prices but is still a priced offer."""
    name = _row_name(row[0], grid.heading)
    if not name or money(name):
        return None
    facts = PriceFacts()
    other_unit = any(money(cell) for cell in row[1:]) and OTHER_UNIT.search(f"{snippet} {' '.join(grid.header)}")
    for cell, column in zip(row[1:], columns[1:], strict=False):
        if not other_unit:  # a row priced per image or hour has no token prices, whatever its columns
            facts.prices.extend(_cell_prices(cell, column, grid.context))
        if CONTACT.search(cell):
            facts.contact = snippet
        if re.search(r"(?i)^free", cell) and column.items:
            facts.free = snippet
    facts.prices = one_currency(dedupe(facts.prices))
    if not facts.prices and not facts.contact and not other_unit:
        return None
    return page.record(name, row[0], _with_terms(facts, snippet, page.terms))


def _with_terms(facts: PriceFacts, snippet: str, terms: PageTerms) -> PriceFacts:
    """A row with the page's terms: priced on a page with a free tier, it is freemium. A row
    without token prices or "contact sales" is priced in other units."""
    facts.price_snippets = facts.price_snippets or [snippet]
    if not facts.prices and not facts.contact:
        facts.paid = snippet
    facts.free = facts.free or terms.free
    facts.contact = facts.contact or terms.contact
    return facts


def _model_table(grid: Grid, label_width: int, page: _Page) -> list[dict[str, Any]]:
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
            found = _cell_prices(cell, column, grid.context, label)
            if found:
                facts.prices.extend(found)
                snippets.append(line)
    facts.prices = one_currency(dedupe(facts.prices))
    if not facts.prices:
        return []
    facts.price_snippets = snippets
    return [page.record(_row_name(grid.heading, ""), grid.heading, facts)]


def _model_columns(grid: Grid, label_width: int, page: _Page) -> list[dict[str, Any]]:
    """Models as columns (DeepSeek style): each header cell names a model, rows are items."""
    records = []
    for index in range(label_width, len(grid.header)):
        name = _row_name(grid.header[index], "")
        facts = PriceFacts()
        snippets = []
        for row, line in zip(grid.body, grid.lines, strict=True):
            label = " ".join(dict.fromkeys(row[:label_width]))
            item = item_of(label)
            if item is None or _DISCOUNTED.search(label):
                continue
            found = _cell_prices(row[index], Column(label, [item]), grid.context, label)
            if found:
                facts.prices.extend(found)
                snippets.append(line)
        facts.prices = one_currency(dedupe(facts.prices))
        if name and facts.prices:
            facts.price_snippets = snippets
            records.append(page.record(name, grid.header[index], _with_terms(facts, snippets[0], page.terms)))
    return records


# -- plan cards ----------------------------------------------------------------------------------


def _cards(doc: Any) -> list[tuple[Any, str]]:
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


def _card_title(card: Any) -> str | None:
    if card.tag in PAGE_CHROME or _longer_than(card, 900) or next(card.iter("table"), None) is not None:
        return None
    if sum(1 for _ in itertools.islice(card.iter("h2", "h3", "h4", "h5"), 2)) > 1:
        return None  # a section of cards, not a card
    for element in card.iter():
        if not isinstance(element.tag, str) or element is card:
            continue
        if element.tag in ("h2", "h3", "h4", "h5") or _TITLE_CLASS.search(str(element.get("class", ""))):
            title = _text(element)
            return title if 0 < len(title) <= 40 and len(title.split()) <= 5 and not money(title) else None
    return None


def _price_line(card: Any, title: str) -> str | None:
    """The card's short price text ("$20 /month", "Free", "Custom pricing"), not its title."""
    for element in card.iter():
        if isinstance(element.tag, str) and element.tag not in ("li", "ul", "a", "button"):
            text = _text(element)
            if len(text) <= 40 and text != title and _PLAN_PRICE.search(text):
                return text
    return None


def _is_leaf_block(element: Any) -> bool:
    """A block that holds no other block: a list item, a paragraph, a "label  value" row."""
    return not any(isinstance(child.tag, str) and child.tag in _BLOCK for child in element.iterdescendants())


def _leaf_blocks(card: Any) -> list[str]:
    """The card's text, one entry per block that holds no other block."""
    return [_text(e) for e in card.iter() if isinstance(e.tag, str) and e.tag in _BLOCK and _is_leaf_block(e)]


def _card_records(cards: list[tuple[Any, str]], page: _Page, doc: Any, product: str | None) -> list[dict[str, Any]]:
    trial_sentences = [s for s in _sentences_outside(doc, set()) if re.search(r"(?i)\btrial\b", s)]
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
        name = _row_name(title, "")
        if next(card.iter("dd"), None) is not None:  # a model card: "Embed 4" with its token prices
            records.append(_under_heading(page.record(name, title, facts), headings[card], page))
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
            heading = _text(element)
        elif element in wanted:
            found[element] = heading
    return found


def _card_facts(card: Any, price_line: str, page: _Page, monthly_plans: bool, heading: str) -> PriceFacts:
    """A plan card: its monthly prices, or Free, Custom / contact sales, pay as you go. A model
    card (prices in a <dl>): its token prices, with the page's terms."""
    facts = PriceFacts()
    for term, value in zip(card.iter("dt"), card.iter("dd"), strict=False):
        found = _cell_prices(_text(value), Column.from_header(_text(term), heading), f"{heading} {_text(card)}")
        facts.prices.extend(found)
        if found or money(_text(value)):
            facts.price_snippets.append(f"{_text(term)} {_text(value)}")
    if facts.price_snippets:  # a model card
        facts.prices = one_currency(dedupe(facts.prices))
        return _with_terms(facts, facts.price_snippets[0], page.terms)
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
