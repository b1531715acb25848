"""Second opinions: public price databases compared with card prices; disagreements become review
rows (once), agreements do not, and the card keeps its own price."""

from __future__ import annotations

import json

from compare.extract import EXTRACTOR_VERSION
from compare.second_opinion import check_prices, load_quotes
from compare.stages import build_cards
from conftest import corpus_or_skip

PRICING_URL = "https://openai.com/api/pricing/"


def write_truth(folder):
    """One small database per format, facts as the real ones list them (o3 at its old price)."""
    folder.mkdir()
    (folder / "litellm_model_prices_and_context_window.json").write_text(
        json.dumps(
            {
                "gpt-4.1": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06,
                            "output_cost_per_token": 8e-06, "cache_read_input_token_cost": 5e-07},
                "gpt-4.1-2025-04-14": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 9e-06},
                "together_ai/gpt-4.1": {"litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 1e-06},
            }
        )
    )  # fmt: skip
    models = folder / "models.dev" / "providers" / "openai" / "models"
    models.mkdir(parents=True)
    (models / "o3.toml").write_text('name = "o3"\n[cost]\ninput = 2.00\noutput = 8.00\n')
    (folder / "simonw_llm-prices").mkdir()
    (folder / "simonw_llm-prices" / "openai.json").write_text(
        json.dumps({"vendor": "openai", "models": [{"id": "o3", "price_history": [
            {"input": 10, "output": 40, "input_cached": None, "from_date": None, "to_date": None}]}]})
    )  # fmt: skip
    (folder / "pydantic_genai-prices").mkdir()
    (folder / "pydantic_genai-prices" / "data.json").write_text(
        json.dumps([{"id": "openai", "models": [{"id": "o3", "prices": [{"constraint": "x"}]}]}])
    )


def add_cards(store):
    def row(name, prices):
        return {
            "url": PRICING_URL, "content_hash": "h", "extractor_version": EXTRACTOR_VERSION, "status": "ok", "reason": None,
            "records": [], "extracted_at": "2025-01-01",
        } | {"records": [{"name": name, "vendor": "OpenAI", "kind": "api", "source_url": PRICING_URL,
                          "extractor": "article", "page_kind": "pricing_row", "urls": [PRICING_URL],
                          "prices": prices, "evidence": {"prices": {"url": PRICING_URL, "snippet": name}}}]}  # fmt: skip

    def token(item, amount):
        return {"item": item, "amount": amount, "currency": "USD", "unit": "1M tokens", "tier": None}

    store.db["pages"].insert({"url": PRICING_URL, "content_hash": "h", "body": "<html></html>", "status": 200})
    record = row("gpt-4.1", [token("input", 2.0), token("output", 8.0), token("cached_input", 0.5)])
    record["records"] += row("o3", [token("input", 2.0), token("output", 8.0)])["records"]
    store.add_extraction(record)
    build_cards(store)


def test_quotes_are_read_from_each_database(tmp_path):
    write_truth(tmp_path / "truth")
    quotes = {(q.source, q.reference): q for q in load_quotes(tmp_path / "truth")}
    assert quotes[("litellm", "gpt-4.1")].prices == {"input": 2.0, "output": 8.0, "cached_input": 0.5}
    assert quotes[("models.dev", "openai/o3")].vendor == "OpenAI"
    assert quotes[("llm-prices", "openai/o3")].prices == {"input": 10.0, "output": 40.0}
    assert ("litellm", "together_ai/gpt-4.1") not in quotes  # a reseller's price is not a second opinion
    assert not any(source == "genai-prices" for source, _ in quotes)  # conditional prices are skipped


def test_disagreements_become_reviews_once_and_cards_keep_their_prices(store, tmp_path):
    write_truth(tmp_path / "truth")
    add_cards(store)
    counts = check_prices(store, tmp_path / "truth")
    # gpt-4.1 agrees with LiteLLM (the exact name wins over the dated snapshot); o3 agrees with
    # models.dev and disagrees with llm-prices on input and output.
    assert (counts["cards_matched"], counts["agree"], counts["disagree"], counts["new_reviews"]) == (2, 5, 2, 2)
    reviews = store.reviews()
    assert [(r["card_name"], r["field"], r["ours"], r["theirs"], r["source"]) for r in reviews] == [
        ("o3", "price.input", 2.0, 10.0, "llm-prices"),
        ("o3", "price.output", 8.0, 40.0, "llm-prices"),
    ]
    assert all(r["ours_url"] == PRICING_URL and r["status"] == "open" for r in reviews)
    again = check_prices(store, tmp_path / "truth")
    assert again["new_reviews"] == 0 and len(store.reviews()) == 2
    o3 = next(card for card in store.cards() if card["name"] == "o3")
    assert {p["item"]: p["amount"] for p in o3["prices"]} == {"input": 2.0, "output": 8.0}


def test_real_databases_load():
    quotes = load_quotes(corpus_or_skip("pricing_truth"))
    sources = {quote.source for quote in quotes}
    assert sources == {"litellm", "models.dev", "genai-prices", "llm-prices"}
    assert len(quotes) > 500
