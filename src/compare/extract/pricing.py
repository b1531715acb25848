"""Prices: token prices per 1M tokens, subscriptions, free tiers and "contact sales".

Amounts are parsed by price-parser (which also reads "0,40 €"); this module decides what an
amount is a price *of* (input, output, cached input, training, subscription) and *per what*, and
refuses amounts it cannot place: an unplaced number is unknown, never a price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml import html as lxml_html
from price_parser import Price

from compare.extract.license import is_non_commercial
from compare.records import RecordBuilder

TOKEN_UNIT = "1M tokens"
MONTH_UNIT = "month"
CURRENCIES = {
    "$": "USD",
    "US$": "USD",
    "USD": "USD",
    "€": "EUR",
    "EUR": "EUR",
    "£": "GBP",
    "GBP": "GBP",
}

_MONEY = re.compile(
    r"(?:(?P<cur>US\$|\$|€|£)\s?(?P<num>\d[\d,.]*\d|\d))"
    r"|(?:(?P<num2>\d[\d,.]*\d|\d)\s?(?P<cur2>€|USD|EUR|£))"
)
_PER_MILLION = re.compile(r"(?i)(?:per|/|every)\s*(?:1\s*)?(?:m\b|mtok|million|1m\b|mil\b)|\bmtok\b|per\s+1,000,000")
_PER_THOUSAND = re.compile(r"(?i)(?:per|/)\s*(?:1\s*)?(?:k\b|thousand|1k\b|1,000\b)")
_PER_TOKEN = re.compile(r"(?i)per\s+(?:input\s+|output\s+)?token\b|/\s*token\b")
_PER_MONTH = re.compile(r"(?i)(?:per|/|a)\s*(?:user\s*/\s*|seat\s*/\s*)?mo(?:nth)?\b|\bmonthly\b")
_TOKENS = re.compile(r"(?i)tokens?\b|mtok")
_SEAT = re.compile(r"(?i)\bper\s+(?:seat|user)\b|/\s*(?:seat|user)\b")
_ANNUAL = re.compile(r"(?i)billed\s+annually|annual(?:ly)?\b|per\s+year|/\s*year")
# "for prompts longer than 200k tokens" sizes the prompt; it does not name the input price.
_PROMPT_SIZE = re.compile(r"(?i)\bprompts?(?=\s+(?:of\s+)?(?:up\s+to|longer|shorter|over|above|under|more|<|>|≤))")
# Where the words about one amount end: "$2 per token and output at $8" names output for $8.
_CLAUSE_BREAK = re.compile(r"(?i)\s+(?:and|or|while|but)\s+|[,;]")
_TIER = re.compile(r"(?i)(?P<op><=|≤|>|above|over|up to|longer than|more than)\s*(?P<n>\d+)\s*k\b(?:\s*tokens)?")
_CONTACT = re.compile(r"(?i)contact\s+(?:our\s+)?sales|talk\s+to\s+sales|custom\s+pricing|contact\s+us")
_FREE = re.compile(r"(?i)free\s+(?:tier|plan|of\s+charge|to\s+use|preview|trial)|\bno\s+cost\b|for\s+free\b")
_ITEMS = (
    (
        "cached_input",
        re.compile(r"(?i)cached\s+input|cache[ds]?\s+(?:read|hit)s?|cached|context\s+caching(?!\s*\(?stor)"),
    ),
    ("training", re.compile(r"(?i)training")),
    ("input", re.compile(r"(?i)\binput|\bprompts?\b")),
    ("output", re.compile(r"(?i)\boutput|\bcompletions?\b")),
)


@dataclass
class PriceFacts:
    """What a piece of text says about price, each fact with its snippet."""

    prices: list[dict[str, Any]] = field(default_factory=list)
    price_snippets: list[str] = field(default_factory=list)
    contact: str | None = None
    free: str | None = None

    def entry(self, open_weights: bool | None, license_id: str | None = None) -> tuple[str | None, str | None]:
        """(entry class, snippet) by rule: free weights for commercial use make a tool free;
        otherwise prices win, then contact, then free."""
        if open_weights and license_id and is_non_commercial(license_id) is False:
            return "free", None
        if self.prices:
            if open_weights:
                return "freemium", self.price_snippets[0]
            if self.free:
                return "freemium", self.free
            return "paid", self.price_snippets[0]
        if self.contact:
            return "contact", self.contact
        if self.free:
            return "free", self.free
        if open_weights:
            return "free", None
        return None, None

    def apply(self, rec: RecordBuilder, open_weights: bool | None, license_id: str | None = None) -> None:
        if self.prices:
            rec.set("prices", self.prices, " … ".join(dict.fromkeys(self.price_snippets)))
        entry, snippet = self.entry(open_weights, license_id)
        rec.set("entry", entry, snippet)
        if self.contact:
            rec.extra["contact_sales"] = True
        if self.free:
            rec.extra["free_tier"] = True


def money(text: str) -> list[tuple[float, str, re.Match]]:
    """(amount, currency, match) for each amount of money written in `text`."""
    found = []
    for match in _MONEY.finditer(text):
        number = match.group("num") or match.group("num2")
        parsed = Price.fromstring(match.group(0), decimal_separator=_decimal_separator(number))
        if parsed.amount is None:
            continue
        currency = CURRENCIES.get((parsed.currency or "").strip().upper()) or CURRENCIES.get(
            (match.group("cur") or match.group("cur2") or "").strip()
        )
        if currency:
            found.append((float(parsed.amount), currency, match))
    return found


def _decimal_separator(number: str) -> str | None:
    """'0.125' is a decimal, '0,40' too, '1,250' is a thousand: price-parser alone guesses
    three digits after one separator as thousands."""
    if "." in number and "," in number:
        return None
    if "." in number:
        return "."
    if "," in number:
        return "," if len(number.rsplit(",", 1)[1]) != 3 else "."
    return None


def _unsized(text: str) -> str:
    """`text` with prompt-size words blanked out (same length, so positions hold)."""
    return _PROMPT_SIZE.sub(lambda match: " " * len(match.group()), text)


_CACHE_HIT = re.compile(r"(?i)\bcache[ds]?\s+hits?\b|\bcached\b")
_CACHE_MISS = re.compile(r"(?i)\bcache\s+miss(?:es)?\b")
# Prices of other tools, quoted for comparison in a launch post, are not the tool's prices.
COMPARISON = re.compile(
    r"(?i)\bfor comparison\b|\bcomparable\b|\bcompared (?:to|with)\b|\bversus\b|\bvs\.?\s|\bfor example\b"
    r"|\bfraction of\b|\b(?:cheaper|less|more expensive) than\b|\bcompetitors?\b|\bwas \$|\bpreviously\b"
)


def _item(text: str) -> str | None:
    text = _unsized(text)
    if _CACHE_HIT.search(text) and not _CACHE_MISS.search(text):
        return "cached_input"  # "$0.15 per million input tokens (cache hit)"
    best: tuple[int, str] | None = None
    for item, pattern in _ITEMS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), item)
    return best[1] if best else None


def _items_in_order(text: str) -> list[str]:
    text = _unsized(text)
    hits = []
    for item, pattern in _ITEMS:
        for match in pattern.finditer(text):
            if not any(start <= match.start() < end for start, end, _ in hits):
                hits.append((match.start(), match.end(), item))
    return [item for _, _, item in sorted(hits)]


def _item_before(text: str) -> str | None:
    """The item named just before an amount, within its clause: 'with cached input billed at'."""
    items = _items_in_order(re.split(r"[,;]", text)[-1])
    return items[-1] if items else None


def _clause_tier(sentence: str, position: int) -> str | None:
    """The prompt-size tier of the clause (between semicolons) around `position`:
    '$1.25 per 1M input tokens and $10 per 1M output tokens for prompts of up to 200K tokens'."""
    start = sentence.rfind(";", 0, position) + 1
    end = sentence.find(";", position)
    clause = sentence[start : end if end >= 0 else len(sentence)]
    return _tier(clause) if re.search(r"(?i)\bprompts?\b", clause) else None


def _tier(text: str) -> str | None:
    match = _TIER.search(text)
    if not match:
        return None
    op = match.group("op").lower()
    bound = f"{match.group('n')}k"
    return f"<={bound}" if op in ("<=", "≤", "up to") else f">{bound}"


def _scale(text: str) -> float | None:
    """Multiplier to per-1M-tokens, or None when the text gives no token unit."""
    if _PER_MILLION.search(text):
        return 1.0
    if _PER_THOUSAND.search(text):
        return 1000.0
    if _PER_TOKEN.search(text):
        return 1_000_000.0
    return None


def _round(amount: float) -> float:
    return round(amount, 6)


def prices_in_sentence(sentence: str) -> list[dict[str, Any]]:
    """Token prices and subscriptions stated in one sentence; unplaceable amounts are dropped."""
    amounts = money(sentence)
    if not amounts:
        return []
    prices: list[dict[str, Any]] = []
    token_scale = _scale(sentence) if _TOKENS.search(sentence) else None
    pending: list[tuple[float, str]] = []
    for index, (amount, currency, match) in enumerate(amounts):
        end = amounts[index + 1][2].start() if index + 1 < len(amounts) else len(sentence)
        after = sentence[match.end() : end]
        local = after[:60].split(";")[0]
        clause_tier = _clause_tier(sentence, match.start())
        if _PER_MONTH.search(local) and not _TOKENS.search(local):
            tier = "per seat" if _SEAT.search(local) else ("billed annually" if _ANNUAL.search(after[:80]) else None)
            prices.append(_price("subscription", amount, currency, MONTH_UNIT, tier))
            continue
        if token_scale is None:
            continue
        joined = re.match(r"\s*(?:/|and|or|,)\s*[$€£\d]", after)
        item = None if joined else _item(_CLAUSE_BREAK.split(local, maxsplit=1)[0])
        if item is None and not joined and not pending:
            previous_end = amounts[index - 1][2].end() if index else 0
            item = _item_before(sentence[previous_end : match.start()])  # "cached input at $0.50 per 1M"
        if item is None and not joined:
            item = _item(local)
        if item is None:
            pending.append((amount, currency))
            if index + 1 == len(amounts) or not re.match(r"\s*(?:/|and|or|,)\s*", after):
                items = _items_in_order(after)
                tier = _tier(after) or clause_tier
                for (p_amount, p_currency), p_item in zip(pending, items, strict=False):
                    prices.append(_price(p_item, p_amount * token_scale, p_currency, TOKEN_UNIT, tier))
                pending = []
            continue
        tier = _tier(local) or clause_tier
        group = [*pending, (amount, currency)]
        items = _items_in_order(local) if pending else []  # "$1.25 / $10 per 1M input/output tokens"
        if len(items) < len(group):  # "$3 or $5 per 1M input tokens": one item for all
            items = [item] * len(group)
        for (g_amount, g_currency), g_item in zip(group, items, strict=False):
            prices.append(_price(g_item, g_amount * token_scale, g_currency, TOKEN_UNIT, tier))
        pending = []
    return _dedupe(prices)


def _price(item: str, amount: float, currency: str, unit: str, tier: str | None) -> dict[str, Any]:
    return {
        "item": item,
        "amount": _round(amount),
        "currency": currency,
        "unit": unit,
        "tier": tier,
    }


def _dedupe(prices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The first price per item, unit, tier and currency; plans of a subscription differ by amount."""
    seen, unique = set(), []
    for price in prices:
        key = (price["item"], price["unit"], price["tier"], price["currency"])
        if price["unit"] == MONTH_UNIT:
            key += (price["amount"],)
        if key not in seen:
            seen.add(key)
            unique.append(price)
    return unique


def price_facts_in_text(sentences: list[str]) -> PriceFacts:
    facts = PriceFacts()
    for sentence in sentences:
        found = [] if COMPARISON.search(sentence) else prices_in_sentence(sentence)
        if found:
            facts.prices.extend(found)
            facts.price_snippets.append(sentence)
        if facts.contact is None and _CONTACT.search(sentence):
            facts.contact = sentence
        if facts.free is None and _FREE.search(sentence):
            facts.free = sentence
    facts.prices = _prefer_usd(_dedupe(facts.prices))
    return facts


def _prefer_usd(prices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    usd = {(p["item"], p["unit"], p["tier"]) for p in prices if p["currency"] == "USD"}
    return [p for p in prices if p["currency"] == "USD" or (p["item"], p["unit"], p["tier"]) not in usd]


# -- pricing tables ------------------------------------------------------------------------------


def _cell_text(cell: Any) -> str:
    return " ".join(cell.text_content().split())


def table_records(doc: Any, url: str, vendor: str | None, extractor: str) -> list[dict[str, Any]]:
    """One record per model row of each price table in an lxml document."""
    records: list[dict[str, Any]] = []
    heading, notes = "", []
    for element in doc.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("h1", "h2", "h3", "h4"):
            heading, notes = _cell_text(element), []
        elif tag == "p" and len(notes) < 3:
            notes.append(_cell_text(element))
        elif tag == "table":
            records.extend(_table(element, heading, " ".join(notes), url, vendor, extractor))
    return records


def _rows(table: Any) -> list[list[str]]:
    rows = []
    for tr in table.iter("tr"):
        cells = [_cell_text(c) for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if cells:
            rows.append(cells)
    return rows


def _table(table: Any, heading: str, notes: str, url: str, vendor: str | None, extractor: str) -> list[dict]:
    rows = _rows(table)
    if len(rows) < 2:
        return []
    caption = " ".join(_cell_text(c) for c in table.iter("caption"))
    context = f"{heading} {caption} {notes}"
    header = rows[0]
    column_items = [_item(cell) if i else None for i, cell in enumerate(header)]
    row_items = [_item(row[0]) for row in rows[1:]]
    if heading and sum(item is not None for item in row_items) >= 2:  # rows are items: a table per model
        return _transposed(rows, heading, context, url, vendor, extractor)
    if any(column_items):
        return [
            rec
            for row in rows[1:]
            if (rec := _model_row(row, header, column_items, context, heading, url, vendor, extractor))
        ]
    if heading and sum(item is not None for item in row_items) >= 1:
        return _transposed(rows, heading, context, url, vendor, extractor)
    return []


def _row_name(cell: str, heading: str) -> str:
    name = re.sub(r"[*†‡]+|\s*\((?i:new|preview|beta)\)|\bNew\b$", "", cell).strip()
    if re.search(r"(?i)fine[- ]?tun", heading) and not re.search(r"(?i)fine[- ]?tun", name):
        name = f"{name} fine-tuning"
    return name


def _cell_prices(cell: str, item: str, header: str, context: str) -> list[dict[str, Any]]:
    scale = _scale(cell) or _scale(header) or _scale(context)
    if scale is None:
        return []
    amounts = money(cell)
    prices = []
    for index, (amount, currency, match) in enumerate(amounts):
        end = amounts[index + 1][2].start() if index + 1 < len(amounts) else len(cell)
        header_currency = money(f"{header} 1")
        if header_currency and not match.group("cur") and not match.group("cur2"):
            currency = header_currency[0][1]
        prices.append(_price(item, amount * scale, currency, TOKEN_UNIT, _tier(cell[match.end() : end])))
    return prices


def _model_row(
    row: list[str],
    header: list[str],
    column_items: list[str | None],
    context: str,
    heading: str,
    url: str,
    vendor: str | None,
    extractor: str,
) -> dict[str, Any] | None:
    name = _row_name(row[0], heading)
    if not name or money(name):
        return None
    facts = PriceFacts()
    snippet = " ".join(row)
    for cell, item, head in zip(row, column_items, header, strict=False):
        if item is None:
            continue
        facts.prices.extend(_cell_prices(cell, item, head, context))
        if _CONTACT.search(cell):
            facts.contact = snippet
        if re.search(r"(?i)^free", cell):
            facts.free = snippet
    facts.prices = _prefer_usd(_dedupe(facts.prices))
    if not facts.prices and not facts.contact:
        return None
    facts.price_snippets = [snippet]
    rec = RecordBuilder(url, extractor)
    rec.set("name", name, row[0])
    rec.set("vendor", vendor, None)
    rec.set("kind", "api", None)
    facts.apply(rec, None)
    rec.extra["page_kind"] = "pricing_row"
    return rec.build()


def _transposed(
    rows: list[list[str]], heading: str, context: str, url: str, vendor: str | None, extractor: str
) -> list[dict[str, Any]]:
    """A table per model (Gemini style): rows are items, columns are plans."""
    header = rows[0]
    facts = PriceFacts()
    snippets = []
    for row in rows[1:]:
        item = _item(row[0])
        if item is None:
            continue
        for cell, head in zip(row[1:], header[1:], strict=False):
            if re.search(r"(?i)^free", cell) or (re.search(r"(?i)free", head) and not money(cell)):
                if re.search(r"(?i)free", cell):
                    facts.free = " ".join(row)  # evidence quotes whole rows, as in _model_row
                continue
            found = [
                {**price, "tier": price["tier"] or _tier(head)} for price in _cell_prices(cell, item, head, context)
            ]
            if found:
                facts.prices.extend(found)
                snippets.append(" ".join(row))
    facts.prices = _prefer_usd(_dedupe(facts.prices))
    if not facts.prices:
        return []
    facts.price_snippets = snippets
    rec = RecordBuilder(url, extractor)
    rec.set("name", _row_name(heading, ""), heading)
    rec.set("vendor", vendor, None)
    rec.set("kind", "api", None)
    facts.apply(rec, None)
    rec.extra["page_kind"] = "pricing_row"
    return [rec.build()]


def parse_html(body: str) -> Any:
    return lxml_html.fromstring(body)


# -- the site's pricing line ---------------------------------------------------------------------

LICENSE_DISPLAY = {
    "other": "custom license",
    "Apache-2.0": "Apache 2.0",
    "CC-BY-NC-4.0": "CC BY-NC 4.0",
    "CC-BY-4.0": "CC BY 4.0",
}


def money_text(amount: float, currency: str = "USD") -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, currency + " ")
    if amount == int(amount):
        return f"{symbol}{int(amount)}"
    text = f"{amount:.6f}".rstrip("0")
    if len(text.split(".")[1]) < 2:
        text += "0"
    return f"{symbol}{text}"


def pricing_line(card: dict[str, Any]) -> str | None:
    """The panel's pricing line, derived by rule from structured fields only."""
    parts: list[str] = []
    license_id = card.get("license")
    if card.get("open_weights") and license_id and license_id != "proprietary":
        label = LICENSE_DISPLAY.get(license_id, license_id)
        kind = "Open weights, non-commercial" if is_non_commercial(license_id) else "Open Source"
        if not license_id[0].isupper() and not is_non_commercial(license_id):
            kind = "Open weights"
        parts.append(f"Free / {kind} ({label})")
    prices = card.get("prices") or []
    tokens = {p["item"]: p for p in prices if p["unit"] == TOKEN_UNIT and p.get("tier") in (None, "<=200k", "<=128k")}
    if "input" in tokens and "output" in tokens:
        i, o = tokens["input"], tokens["output"]
        pair = f"{money_text(i['amount'], i['currency'])} / {money_text(o['amount'], o['currency'])}"
        line = f"{pair} per million input / output tokens"
        if i.get("tier"):
            line += f" (prompts {i['tier']})"
        parts.append(line)
    elif tokens:
        parts.append("Pay-per-token")
    subs = [p for p in prices if p["unit"] == MONTH_UNIT]
    if subs:
        cheapest = min(subs, key=lambda p: p["amount"])
        plan = f"{money_text(cheapest['amount'], cheapest['currency'])}/month"
        parts.append(("Free plan / " if card.get("free_tier") else "") + f"From {plan}")
    elif card.get("free_tier") and tokens:
        parts.insert(0, "Free tier")
    if card.get("contact_sales") or card.get("entry") == "contact":
        parts.append("Enterprise tiers (contact sales)" if parts else "Contact sales")
    if not parts:
        return None
    return ("; " if any(" / " in part for part in parts) else " / ").join(parts)
