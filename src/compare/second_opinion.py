"""Second opinions on token prices: public pricing databases (LiteLLM, models.dev, genai-prices,
llm-prices) compared with the prices on our cards. A disagreement becomes a review row for an
editor, with both values and both sources; the card itself is never changed.

The databases are read from a folder laid out like ../shared/corpus/pricing_truth. Only the
vendors' own listings are used (a reseller's price is another offer, not a second opinion).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compare.db import Store, utc_now
from compare.records import name_key

ITEMS = ("input", "output", "cached_input")
RELATIVE_TOLERANCE = 0.005
# Provider ids in the databases -> our vendor names.
PROVIDERS = {
    "openai": "OpenAI", "anthropic": "Anthropic", "gemini": "Google", "google": "Google",
    "mistral": "Mistral AI", "deepseek": "DeepSeek", "xai": "xAI", "x-ai": "xAI", "cohere": "Cohere",
    "cohere_chat": "Cohere", "groq": "Groq", "together_ai": "Together AI", "togetherai": "Together AI",
    "moonshot": "Moonshot AI", "moonshotai": "Moonshot AI", "perplexity": "Perplexity", "voyage": "Voyage AI",
}  # fmt: skip


@dataclass(frozen=True)
class Quote:
    """What one database says one model costs (USD per 1M tokens)."""

    source: str
    reference: str  # the model's key in that database
    vendor: str
    model: str
    prices: dict[str, float]


def load_quotes(folder: Path) -> list[Quote]:
    quotes: list[Quote] = []
    litellm = folder / "litellm_model_prices_and_context_window.json"
    if litellm.is_file():
        quotes += _litellm(json.loads(litellm.read_text()))
    for toml_file in sorted((folder / "models.dev" / "providers").glob("*/models/*.toml")):
        quotes += _models_dev(toml_file)
    genai = folder / "pydantic_genai-prices" / "data.json"
    if genai.is_file():
        quotes += _genai_prices(json.loads(genai.read_text()))
    for vendor_file in sorted((folder / "simonw_llm-prices").glob("*.json")):
        quotes += _llm_prices(json.loads(vendor_file.read_text()))
    return quotes


def _per_million(value: Any, scale: float) -> float | None:
    return round(float(value) * scale, 6) if isinstance(value, int | float) and value > 0 else None


def _quote(source: str, reference: str, provider: str, model: str, prices: dict[str, float | None]) -> list[Quote]:
    vendor = PROVIDERS.get(provider.lower())
    known = {item: amount for item, amount in prices.items() if amount is not None}
    return [Quote(source, reference, vendor, model, known)] if vendor and known else []


def _litellm(data: dict[str, Any]) -> list[Quote]:
    quotes = []
    for key, entry in data.items():
        if not isinstance(entry, dict) or entry.get("mode") not in (None, "chat", "completion", "embedding"):
            continue
        prices = {
            "input": _per_million(entry.get("input_cost_per_token"), 1e6),
            "output": _per_million(entry.get("output_cost_per_token"), 1e6),
            "cached_input": _per_million(entry.get("cache_read_input_token_cost"), 1e6),
        }
        quotes += _quote("litellm", key, str(entry.get("litellm_provider", "")), key.split("/")[-1], prices)
    return quotes


def _models_dev(path: Path) -> list[Quote]:
    try:
        cost = tomllib.loads(path.read_text()).get("cost") or {}
    except tomllib.TOMLDecodeError:
        return []
    provider = path.parent.parent.name
    prices = {
        "input": _per_million(cost.get("input"), 1),
        "output": _per_million(cost.get("output"), 1),
        "cached_input": _per_million(cost.get("cache_read"), 1),
    }
    return _quote("models.dev", f"{provider}/{path.stem}", provider, path.stem, prices)


def _genai_prices(data: list[dict[str, Any]]) -> list[Quote]:
    quotes = []
    for provider in data:
        for model in provider.get("models") or []:
            prices = model.get("prices")
            if not isinstance(prices, dict):  # time- or tier-conditional prices: not comparable here
                continue
            amounts = {
                "input": _per_million(prices.get("input_mtok"), 1),
                "output": _per_million(prices.get("output_mtok"), 1),
                "cached_input": _per_million(prices.get("cache_read_mtok"), 1),
            }
            reference = f"{provider['id']}/{model['id']}"
            quotes += _quote("genai-prices", reference, provider["id"], model["id"], amounts)
    return quotes


def _llm_prices(data: dict[str, Any]) -> list[Quote]:
    quotes = []
    for model in data.get("models") or []:
        current = [p for p in model.get("price_history") or [] if p.get("to_date") is None]
        if not current:
            continue
        prices = {
            "input": _per_million(current[0].get("input"), 1),
            "output": _per_million(current[0].get("output"), 1),
            "cached_input": _per_million(current[0].get("input_cached"), 1),
        }
        reference = f"{data.get('vendor')}/{model['id']}"
        quotes += _quote("llm-prices", reference, str(data.get("vendor", "")), model["id"], prices)
    return quotes


def index_quotes(quotes: list[Quote]) -> dict[tuple[str, str], list[Quote]]:
    by_key: dict[tuple[str, str], list[Quote]] = {}
    for quote in quotes:
        by_key.setdefault((quote.vendor, name_key(quote.model, quote.vendor)), []).append(quote)
    return by_key


def _closest(matches: list[Quote], name: str) -> list[Quote]:
    """Per database, the model named exactly like the card where there is one: 'gpt-4o' rather
    than the older snapshot 'gpt-4o-2024-05-13' that shares its key."""
    chosen = []
    for source in dict.fromkeys(quote.source for quote in matches):
        mine = [quote for quote in matches if quote.source == source]
        exact = [quote for quote in mine if quote.model.lower() == name.lower()]
        chosen += exact or mine
    return chosen


def check_prices(store: Store, folder: Path) -> Counter:
    """Compare every card's USD token prices (no tier) with the databases; record disagreements."""
    quotes = index_quotes(load_quotes(folder))
    counts: Counter = Counter(quotes=sum(len(q) for q in quotes.values()))
    now = utc_now()
    with store.writing():
        for card in store.cards():
            ours = {
                p["item"]: p
                for p in card.get("prices") or []
                if p["unit"] == "1M tokens" and p["currency"] == "USD" and not p.get("tier") and p["item"] in ITEMS
            }
            matches = quotes.get((card.get("vendor"), name_key(card["name"], card.get("vendor"))), [])
            if not ours or not matches:
                continue
            counts["cards_matched"] += 1
            for quote in _closest(matches, card["name"]):
                for item, theirs in quote.prices.items():
                    if item not in ours:
                        continue
                    amount = ours[item]["amount"]
                    if math.isclose(amount, theirs, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-9):
                        counts["agree"] += 1
                        continue
                    counts["disagree"] += 1
                    evidence = (card.get("evidence") or {}).get("prices", {})
                    counts["new_reviews"] += store.add_review(
                        {
                            "card_id": card["id"],
                            "field": f"price.{item}",
                            "ours": amount,
                            "ours_url": evidence.get("url"),
                            "theirs": theirs,
                            "source": quote.source,
                            "reference": quote.reference,
                            "first_seen": now,
                        }
                    )
    return counts
