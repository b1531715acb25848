"""Prices: token prices per 1M tokens, subscriptions, free tiers and "contact sales".

Amounts are parsed by price-parser (which also reads "0,40 €"); this module decides what an
amount is a price *of* (input, output, cached input, training, subscription) and *per what*, and
refuses amounts it cannot place: an unplaced number is unknown, never a price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
    r"|(?:(?P<num2>\d[\d,.]*\d|\d)\s?(?P<cur2>€|\$|USD|EUR|£))"
)
# "per 1M", "/ M tokens", "par million de tokens", "pro 1 Mio. Token"
_PER_MILLION = re.compile(
    r"(?i)(?:\bper|/|\bevery|\bpar|\bpro)\s*(?:1\s*)?(?:m\b|mtok|million|1m\b|mil\b|mio\b)|\bmtok\b|per\s+1,000,000"
)
_PER_THOUSAND = re.compile(r"(?i)(?:\bper|/|\bpar|\bpro)\s*(?:1\s*)?(?:k\b|thousand|1k\b|1,000\b|1\.000\b|mille\b)")
_PER_TOKEN = re.compile(r"(?i)per\s+(?:input\s+|output\s+)?token\b|/\s*token\b")
_PER_MONTH = re.compile(
    r"(?i)(?:\bper|/|\ba|\bpar|\bpro|\bim)\s*(?:user\s*/\s*|seat\s*/\s*)?(?:mo(?:nth|is)?|monat)\b|\bmonthly\b|\bmonatlich\b"
)
_TOKENS = re.compile(r"(?i)tokens?\b|mtok")
# Amounts that are not what a plan costs: "$5 monthly credit for the API", "save $20 a month".
_NOT_A_CHARGE = re.compile(r"(?i)^\W*(?:monthly\s+|per\s+month\s+)?(?:in\s+)?(?:credits?|off|discount|savings?)\b")
_SEAT = re.compile(r"(?i)\bper\s+(?:seat|user)\b|/\s*(?:seat|user)\b")
_ANNUAL = re.compile(r"(?i)billed\s+annually|annual(?:ly)?\b|per\s+year|/\s*year")
# "for prompts longer than 200k tokens" sizes the prompt; it does not name the input price.
_PROMPT_SIZE = re.compile(r"(?i)\bprompts?(?=\s+(?:of\s+)?(?:up\s+to|longer|shorter|over|above|under|more|<|>|≤))")
# Where the words about one amount end: "$2 per token and output at $8" names output for $8.
_CLAUSE_END = r",(?=\s)|;"  # not the comma in "1,000"
_CLAUSE_BREAK = re.compile(rf"(?i)\s+(?:and|or|while|but)\s+|{_CLAUSE_END}")
# "$0.0002 per 1,000 tokens, for input and output alike": one amount for both.
_BOTH_ITEMS = re.compile(r"(?i)\binput\s+and\s+output(?:\s+tokens)?\s+alike\b|\bboth\s+input\s+and\s+output\b")
_TIER = re.compile(r"(?i)(?P<op><=|≤|>|above|over|up to|longer than|more than)\s*(?P<n>\d+)\s*k\b(?:\s*tokens)?")
# A charge stated without a token or monthly price: "billed for the tokens", "$0.04 per image".
PAID = re.compile(
    r"(?i)\bbilled\s+(?:for|per|by|at)\b|\bpaid\s+(?:tiers?|plans?|usage)\b|\bpay[- ]as[- ]you[- ]go\b"
    r"|\bhalf\s+the\s+(?:cost|price)\b|\bcosts?\s+\d+\s*%\s+less\b|\bkostenpflichtig|\bpayant"
)
OTHER_UNIT = re.compile(
    r"(?i)(?:\bper|/)\s*(?:1k\s+|1,000\s+|\d+\s+)?(?:image|hour|minute|second|search|request|page|character|step)e?s?\b(?!\s*/)"
    r"|\b(?:image|audio|video)\s+(?:input\s+)?tokens?\b"
)
CONTACT = re.compile(
    r"(?i)contact\s+(?:\w+\s+)?sales|talk\s+to\s+(?:our\s+)?sales|\bsales\s+team\b|custom\s+pricing"
    r"|contact\s+(?:us|our\s+team)|\breach\s+(?:us|out)\b|sur\s+devis|contactez\s+(?:notre|l'équipe)"
    r"|équipe\s+commerciale|vertrieb"
)
FREE = re.compile(
    r"(?i)free\s+(?:\w+\s+)?(?:tier|plan)|free\s+(?:of\s+charge|preview|trial|quota|credits?|usage|tokens|allowance)"
    r"|free\s+to\s+use(?!\s+(?:the\s+)?(?:outputs?|weights|code|models?)\b)"
    r"|\bno\s+cost\b|for\s+free\b|\bincluding\s+(?:the\s+)?free\b|\btokens\s+are\s+free\b"
    r"|\bgratuit(?:e|ement)?\b|\bkostenlos\w*|\bgratis\b|\bunentgeltlich\b"
)
_ITEMS = (
    (
        "cached_input",
        re.compile(r"(?i)cached\s+input|cache[ds]?\s+(?:read|hit)s?|cached|context\s+caching(?!\s*\(?stor)"),
    ),
    ("training", re.compile(r"(?i)training")),
    ("input", re.compile(r"(?i)\binput|\bprompts?\b|\bentrée|\beingabe")),
    ("output", re.compile(r"(?i)\boutput|\bcompletions?\b|\bsortie|\bausgabe")),
)


@dataclass
class PriceFacts:
    """What a piece of text says about price, each fact with its snippet."""

    prices: list[dict[str, Any]] = field(default_factory=list)
    price_snippets: list[str] = field(default_factory=list)
    contact: str | None = None
    free: str | None = None
    paid: str | None = None  # priced, but not per token or month ("$0.04 per image")

    def entry(self, open_weights: bool | None, license_id: str | None = None) -> tuple[str | None, str | None]:
        """(entry class, snippet) by rule: free weights for commercial use make a tool free;
        otherwise a charge wins (freemium beside a free tier or open weights), then contact, then free."""
        if open_weights and license_id and is_non_commercial(license_id) is False:
            return "free", None
        charged = any(price["amount"] > 0 for price in self.prices)
        if charged or self.paid:
            snippet = self.price_snippets[0] if charged and self.price_snippets else self.paid
            if open_weights:
                return "freemium", snippet
            if self.free:
                return "freemium", self.free
            return "paid", snippet
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
        # Free because the weights are open under a commercial license: that statement is the evidence.
        said = next(
            (rec.evidence[name]["snippet"] for name in ("license", "open_weights") if name in rec.evidence), None
        )
        rec.set("entry", entry, snippet or said)
        rec.set("contact_sales", True if self.contact else None, self.contact)
        rec.set("free_tier", True if self.free else None, self.free)


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
    if "," in number:  # "0,036" cannot be thousands
        return "," if len(number.rsplit(",", 1)[1]) != 3 or number.startswith("0,") else "."
    return None


def _unsized(text: str) -> str:
    """`text` with prompt-size words blanked out (same length, so positions hold)."""
    return _PROMPT_SIZE.sub(lambda match: " " * len(match.group()), text)


_CACHE_HIT = re.compile(r"(?i)\bcache[ds]?\s+(?:hits?|reads?)\b|\bcached\b")
_CACHE_MISS = re.compile(r"(?i)\bcache\s+miss(?:es)?\b")
# Prices of other tools, quoted for comparison in a launch post, are not the tool's prices.
COMPARISON = re.compile(
    r"(?i)\bfor comparison\b|\bfor instance\b|\bfor example\b|\bcomparable\b|\bcompared (?:to|with)\b"
    r"|\bversus\b|\bvs\.?\s"
    r"|\bfraction of\b|\b(?:cheaper|less|more expensive) than\b|\bcompetitors?\b|\bwas \$|\bpreviously\b"
)


def item_of(text: str) -> str | None:
    text = _unsized(text)
    if _CACHE_HIT.search(text) and not _CACHE_MISS.search(text):
        return "cached_input"  # "$0.15 per million input tokens (cache hit)"
    best: tuple[int, str] | None = None
    for item, pattern in _ITEMS:
        match = pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), item)
    return best[1] if best else None


def items_in_order(text: str) -> list[str]:
    text = _unsized(text)
    hits = []
    for item, pattern in _ITEMS:
        for match in pattern.finditer(text):
            if not any(start <= match.start() < end for start, end, _ in hits):
                hits.append((match.start(), match.end(), item))
    return [item for _, _, item in sorted(hits)]


def _item_before(text: str) -> str | None:
    """The item named just before an amount, within its clause: 'with cached input billed at'."""
    items = items_in_order(re.split(_CLAUSE_END, text)[-1])
    return items[-1] if items else None


def _clause_tier(sentence: str, position: int) -> str | None:
    """The prompt-size tier of the clause (between semicolons) around `position`:
    '$1.25 per 1M input tokens and $10 per 1M output tokens for prompts of up to 200K tokens'."""
    start = sentence.rfind(";", 0, position) + 1
    end = sentence.find(";", position)
    clause = sentence[start : end if end >= 0 else len(sentence)]
    return tier_of(clause) if re.search(r"(?i)\bprompts?\b", clause) else None


def tier_of(text: str) -> str | None:
    match = _TIER.search(text)
    if not match:
        return None
    op = match.group("op").lower()
    bound = f"{match.group('n')}k"
    return f"<={bound}" if op in ("<=", "≤", "up to") else f">{bound}"


def scale_to_million(text: str) -> float | None:
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


def prices_in_sentence(
    sentence: str, unnamed_item: str | None = None, amounts: list[tuple[float, str, re.Match]] | None = None
) -> list[dict[str, Any]]:
    """Token prices and subscriptions stated in one sentence (whose `money` the caller may have
    read already); unplaceable amounts are dropped."""
    amounts = money(sentence) if amounts is None else amounts
    if not amounts:
        return []
    prices: list[dict[str, Any]] = []
    token_scale = scale_to_million(sentence) if _TOKENS.search(sentence) else None
    pending: list[tuple[float, str]] = []
    for index, (amount, currency, match) in enumerate(amounts):
        end = amounts[index + 1][2].start() if index + 1 < len(amounts) else len(sentence)
        after = sentence[match.end() : end]
        local = after[:60].split(";")[0]
        clause_tier = _clause_tier(sentence, match.start())
        if _PER_MONTH.search(local) and not _TOKENS.search(local) and not _NOT_A_CHARGE.search(local):
            tier = "per seat" if _SEAT.search(local) else ("billed annually" if _ANNUAL.search(after[:80]) else None)
            prices.append(make_price("subscription", amount, currency, MONTH_UNIT, tier))
            continue
        if token_scale is None:
            continue
        joined = re.match(r"\s*(?:/|and|or|,)\s*[$€£\d]", after)
        if not joined and not pending and _BOTH_ITEMS.search(local):
            tier = tier_of(local) or clause_tier
            prices += [make_price(i, amount * token_scale, currency, TOKEN_UNIT, tier) for i in ("input", "output")]
            continue
        item = None if joined else item_of(_CLAUSE_BREAK.split(local, maxsplit=1)[0])
        if item is None and not joined and not pending:
            previous_end = amounts[index - 1][2].end() if index else 0
            item = _item_before(sentence[previous_end : match.start()])  # "cached input at $0.50 per 1M"
        if item is None and not joined:
            item = item_of(local)
        if item is None:
            pending.append((amount, currency))
            if index + 1 == len(amounts) or not re.match(r"\s*(?:/|and|or|,)\s*", after):
                items = items_in_order(after) or ([unnamed_item] * len(pending) if unnamed_item else [])
                tier = tier_of(after) or clause_tier
                for (p_amount, p_currency), p_item in zip(pending, items, strict=False):
                    prices.append(make_price(p_item, p_amount * token_scale, p_currency, TOKEN_UNIT, tier))
                pending = []
            continue
        tier = tier_of(local) or clause_tier
        group = [*pending, (amount, currency)]
        items = items_in_order(local) if pending else []  # "$1.25 / $10 per 1M input/output tokens"
        if len(items) < len(group):  # "$3 or $5 per 1M input tokens": one item for all
            items = [item] * len(group)
        for (g_amount, g_currency), g_item in zip(group, items, strict=False):
            prices.append(make_price(g_item, g_amount * token_scale, g_currency, TOKEN_UNIT, tier))
        pending = []
    return dedupe(prices)


def make_price(item: str, amount: float, currency: str, unit: str, tier: str | None) -> dict[str, Any]:
    return {
        "item": item,
        "amount": _round(amount),
        "currency": currency,
        "unit": unit,
        "tier": tier,
    }


def dedupe(prices: list[dict[str, Any]]) -> list[dict[str, Any]]:
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


def price_facts_in_text(sentences: list[str], unnamed_item: str | None = None) -> PriceFacts:
    """Prices, contact and free-tier sentences in order; `unnamed_item` prices a token amount
    that names no item ("input" for an embedding model, which bills input tokens only)."""
    facts = PriceFacts()
    for sentence in sentences:
        amounts = money(sentence)
        compared = bool(amounts) and bool(COMPARISON.search(sentence))
        found = prices_in_sentence(sentence, unnamed_item, amounts) if amounts and not compared else []
        if found:
            facts.prices.extend(found)
            facts.price_snippets.append(sentence)
        if facts.contact is None and CONTACT.search(sentence):
            facts.contact = sentence
        if facts.free is None and FREE.search(sentence):
            facts.free = sentence
        priced_per_unit = amounts and not compared and OTHER_UNIT.search(sentence)
        if facts.paid is None and (PAID.search(sentence) or priced_per_unit):
            facts.paid = sentence
    facts.prices = one_currency(dedupe(facts.prices))
    return facts


def one_currency(prices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A tool's prices in the currency its page states first: "1,80 € ($2)" on a French page
    is a euro price with a dollar conversion for reference."""
    return [p for p in prices if p["currency"] == prices[0]["currency"]] if prices else prices


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
    subs = [p for p in prices if p["unit"] == MONTH_UNIT and p["amount"] > 0]  # "$0" is the free plan
    if subs:
        cheapest = min(subs, key=lambda p: p["amount"])
        plan = f"{money_text(cheapest['amount'], cheapest['currency'])}/month"
        parts.append(("Free plan / " if card.get("free_tier") else "") + f"From {plan}")
    elif card.get("free_tier") and tokens:
        parts.insert(0, "Free tier")
    elif card.get("entry") == "free" and not parts:
        parts.append("Free")
    if card.get("contact_sales") or card.get("entry") == "contact":
        parts.append("Enterprise tiers (contact sales)" if parts else "Contact sales")
    if not parts:
        return None
    return ("; " if any(" / " in part for part in parts) else " / ").join(parts)
