"""Prices: amounts placed as what they price (input, output, cached input, subscription) and per
what (1M tokens, month); unplaceable amounts are unknown, never prices."""

from __future__ import annotations

import pytest

from compare.extract.grids import parse_html
from compare.extract.price_tables import page_records
from compare.extract.pricing import (
    MONTH_UNIT,
    TOKEN_UNIT,
    PriceFacts,
    money,
    price_facts_in_text,
    prices_in_sentence,
    pricing_line,
)
from compare.extract.text import sentences

URL = "https://example.com/pricing"


def facts(prices: list[dict]) -> list[tuple]:
    """(item, amount, currency, unit, tier) in order, amounts rounded against float noise."""
    return [(p["item"], round(p["amount"], 6), p["currency"], p["unit"], p["tier"]) for p in prices]


def tokens(item: str, amount: float, tier: str | None = None, currency: str = "USD") -> tuple:
    return (item, amount, currency, TOKEN_UNIT, tier)


def monthly(amount: float, tier: str | None = None, currency: str = "USD") -> tuple:
    return ("subscription", amount, currency, MONTH_UNIT, tier)


# -- money ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$15", [(15.0, "USD")]),
        ("$0.125", [(0.125, "USD")]),
        ("0,40 €", [(0.4, "EUR")]),  # European decimal comma
        ("1.250,50 €", [(1250.5, "EUR")]),
        ("$1,250", [(1250.0, "USD")]),  # three digits after a comma: thousands
        ("€0.40", [(0.4, "EUR")]),
        ("US$3", [(3.0, "USD")]),
        ("£20", [(20.0, "GBP")]),
        ("3 USD", [(3.0, "USD")]),
        ("$1.25 / $10", [(1.25, "USD"), (10.0, "USD")]),
        ("128K context, 5 images", []),
        ("version 2.5", []),
    ],
)
def test_money(text, expected):
    assert [(amount, currency) for amount, currency, _ in money(text)] == expected


def test_money_keeps_the_match_for_positions():
    [(_, _, match)] = money("costs $2.50 per 1M tokens")
    assert match.group(0) == "$2.50" and match.start() == 6


# -- prices in a sentence ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Claude Opus 4 costs $15 per million input tokens and $75 per million output tokens.",
            [tokens("input", 15.0), tokens("output", 75.0)],
        ),
        (
            "Pricing is $1.25 / $10 per 1M input/output tokens.",
            [tokens("input", 1.25), tokens("output", 10.0)],
        ),
        (
            "It costs $3 and $15 per million input and output tokens respectively.",
            [tokens("input", 3.0), tokens("output", 15.0)],
        ),
        (
            "The older model costs $0.0015 per 1K input tokens and $0.002 per 1K output tokens.",
            [tokens("input", 1.5), tokens("output", 2.0)],
        ),
        (
            "Billing is $0.000002 per input token and $0.000008 per output token.",
            [tokens("input", 2.0), tokens("output", 8.0)],
        ),
        (
            "Via the API it costs $0.000003/token for input and $0.000015/token for output.",
            [tokens("input", 3.0), tokens("output", 15.0)],
        ),
        # The item named before the amount: "output" after "and" belongs to the next amount.
        (
            "Input is billed at $0.000002 per token and output at $0.000008 per token.",
            [tokens("input", 2.0), tokens("output", 8.0)],
        ),
        (
            "Input tokens cost $3 per million and output tokens cost $15 per million.",
            [tokens("input", 3.0), tokens("output", 15.0)],
        ),
        (
            "Input costs 0,40 € per million input tokens and 2,00 € per million output tokens.",
            [tokens("input", 0.4, currency="EUR"), tokens("output", 2.0, currency="EUR")],
        ),
        (
            "GPT-5 is priced at $1.25 per million input tokens and $10 per million output tokens, "
            "with cached input billed at $0.125 per million tokens.",
            [tokens("input", 1.25), tokens("output", 10.0), tokens("cached_input", 0.125)],
        ),
        ("Cached input costs $0.125 per million tokens.", [tokens("cached_input", 0.125)]),
        ("Cache reads are $0.30 per MTok.", [tokens("cached_input", 0.3)]),
        (
            "Fine-tuning costs $25 per million training tokens.",
            [tokens("training", 25.0)],
        ),
        (
            "In the API it costs $1.25 per 1M input tokens and $10 per 1M output tokens for prompts of up to "
            "200K tokens; for prompts longer than 200K tokens the price is $2.50 per 1M input tokens and "
            "$15 per 1M output tokens.",
            [
                tokens("input", 1.25, "<=200k"),
                tokens("output", 10.0, "<=200k"),
                tokens("input", 2.5, ">200k"),
                tokens("output", 15.0, ">200k"),
            ],
        ),
        (
            "Output costs $8 per 1M tokens for prompts longer than 200k tokens.",
            [tokens("output", 8.0, ">200k")],  # "prompts" sizes the prompt, it is not the input price
        ),
    ],
)
def test_token_prices_per_million(sentence, expected):
    assert facts(prices_in_sentence(sentence)) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The Pro plan is $20/month.", [monthly(20.0)]),
        ("Le Chat Pro costs $14.99 a month.", [monthly(14.99)]),
        ("Team costs $30 per seat/month with a minimum of five seats.", [monthly(30.0, "per seat")]),
        ("Business is $25 per user / month.", [monthly(25.0, "per seat")]),
        (
            "Claude Pro costs $17 per month with an annual subscription or $20 billed monthly, "
            "and the Max plans start at $100 per month.",
            [monthly(17.0, "billed annually"), monthly(20.0), monthly(100.0)],  # every plan, not one
        ),
        ("SuperGrok Heavy costs $300 per month.", [monthly(300.0)]),
        # A yearly price is no monthly price: unknown, not converted.
        ("Max costs $100 per month, or $1,000 per year.", [monthly(100.0)]),
    ],
)
def test_subscriptions(sentence, expected):
    assert facts(prices_in_sentence(sentence)) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The company raised $2 billion in its latest funding round.",
        "We trained on 15 trillion tokens at a cost of $100 million.",
        "The model costs $2 per million tokens.",  # per million tokens of what? unknown
        "Prices start at $5.",
        "Enterprise plans are available: contact sales for custom pricing.",
        "A context window of 128k tokens and 5 images per request.",
        "",
    ],
)
def test_amounts_that_are_not_placeable_give_no_price(sentence):
    assert prices_in_sentence(sentence) == []


def test_every_price_has_the_contract_keys():
    [price] = prices_in_sentence("Cached input costs $0.125 per million tokens.")
    assert set(price) == {"item", "amount", "currency", "unit", "tier"}
    assert isinstance(price["amount"], float)


# -- facts across sentences ------------------------------------------------------------------------


def test_price_facts_collect_prices_snippets_contact_and_free():
    text = (
        "Claude Sonnet 4 is available to free users in the Claude app. "
        "Pricing stays at $3 per million input tokens and $15 per million output tokens. "
        "For volume discounts, contact sales."
    )
    found = price_facts_in_text(sentences(text))
    assert facts(found.prices) == [tokens("input", 3.0), tokens("output", 15.0)]
    assert found.price_snippets == ["Pricing stays at $3 per million input tokens and $15 per million output tokens."]
    assert found.contact == "For volume discounts, contact sales."
    assert found.free is None  # "free users" is no free tier
    assert found.entry(open_weights=False) == ("paid", found.price_snippets[0])


def test_price_facts_first_statement_wins_in_the_currency_stated_first():
    found = price_facts_in_text(
        sentences(
            "Input costs 0,90 € per million input tokens. "
            "In the US it is $1 per million input tokens. "
            "Batch requests pay $0.50 per million input tokens."
        )
    )
    assert facts(found.prices) == [tokens("input", 0.9, currency="EUR")]  # the dollar amount is a conversion


def test_price_facts_keep_a_euro_price_without_a_usd_one():
    found = price_facts_in_text(sentences("Input costs 0,40 € per million input tokens."))
    assert facts(found.prices) == [tokens("input", 0.4, currency="EUR")]


@pytest.mark.parametrize(
    ("text", "open_weights", "license_id", "entry"),
    [
        ("Enterprise plans are available; contact sales for pricing.", None, None, "contact"),
        ("Le Chat is free to use. Pro costs $14.99 per month.", None, None, "freemium"),
        ("The model is free to use in the playground.", None, None, "free"),
        ("It costs $2 per million input tokens.", None, None, "paid"),
        ("It costs $2 per million input tokens.", True, "Apache-2.0", "free"),  # free weights, commercial use
        ("It costs $2 per million input tokens.", True, "CC-BY-NC-4.0", "freemium"),  # non-commercial weights
        ("Nothing about money here.", True, None, "free"),
        ("Nothing about money here.", None, None, None),
    ],
)
def test_entry_class(text, open_weights, license_id, entry):
    assert price_facts_in_text(sentences(text)).entry(open_weights, license_id)[0] == entry


def test_empty_facts_say_nothing():
    assert PriceFacts().entry(None) == (None, None)


# -- tables --------------------------------------------------------------------------------------


def records(html: str, vendor: str = "Example") -> list[dict]:
    return page_records(parse_html(html), URL, vendor, "article")


TRANSPOSED = """<html><body>
<h2>Gemini 9 Pro</h2>
<p>Prices are in US dollars per 1M tokens.</p>
<table>
  <tr><th></th><th>Free Tier</th><th>Paid Tier</th></tr>
  <tr><td>Input price</td><td>Free of charge</td>
      <td>$1.25, prompts &lt;= 200k tokens<br>$2.50, prompts &gt; 200k tokens</td></tr>
  <tr><td>Output price</td><td>Free of charge</td>
      <td>$10.00, prompts &lt;= 200k tokens<br>$15.00, prompts &gt; 200k tokens</td></tr>
  <tr><td>Context caching price</td><td>Not available</td><td>$0.31, prompts &lt;= 200k tokens</td></tr>
  <tr><td>Used to improve our products</td><td>Yes</td><td>No</td></tr>
</table>
</body></html>"""


def test_transposed_table_one_record_per_model_with_tiers():
    [record] = records(TRANSPOSED, "Google")
    assert record["name"] == "Gemini 9 Pro" and record["vendor"] == "Google"
    assert record["page_kind"] == "pricing_row" and record["kind"] == "api"
    assert facts(record["prices"]) == [
        tokens("input", 1.25, "<=200k"),
        tokens("input", 2.5, ">200k"),
        tokens("output", 10.0, "<=200k"),
        tokens("output", 15.0, ">200k"),
        tokens("cached_input", 0.31, "<=200k"),
    ]
    assert record["entry"] == "freemium" and record["free_tier"] is True
    # Evidence quotes whole table rows.
    assert record["evidence"]["prices"]["snippet"].startswith("Input price Free of charge $1.25")
    assert record["evidence"]["prices"]["url"] == URL


EUR_AND_USD = """<html><body>
<h2>API pricing</h2>
<table>
  <tr><th>Model</th><th>Input (EUR / 1M tokens)</th><th>Output (EUR / 1M tokens)</th>
      <th>Input (USD / 1M tokens)</th><th>Output (USD / 1M tokens)</th></tr>
  <tr><td>Mistral Medium 3</td><td>0,36 €</td><td>1,80 €</td><td>$0.40</td><td>$2.00</td></tr>
  <tr><td>Codestral (new)</td><td>0,27 €</td><td>0,81 €</td><td>$0.30</td><td>$0.90</td></tr>
</table>
</body></html>"""


def test_table_with_euro_and_dollar_columns_keeps_the_currency_listed_first():
    found = {r["name"]: facts(r["prices"]) for r in records(EUR_AND_USD, "Mistral AI")}
    assert found == {
        "Mistral Medium 3": [tokens("input", 0.36, currency="EUR"), tokens("output", 1.8, currency="EUR")],
        "Codestral": [tokens("input", 0.27, currency="EUR"), tokens("output", 0.81, currency="EUR")],  # no "(new)"
    }


MODEL_ROWS = """<html><body>
<h2>Fine-tuning</h2>
<p>Prices per 1M tokens.</p>
<table>
  <tr><th>Model</th><th>Training</th><th>Input</th><th>Cached input</th><th>Output</th></tr>
  <tr><td>gpt-4.1-2025-04-14</td><td>$25.00</td><td>$3.00</td><td>$0.75</td><td>$12.00</td></tr>
  <tr><td>gpt-5-2025-08-07</td><td>Contact sales</td><td>Contact sales</td><td>-</td><td>Contact sales</td></tr>
  <tr><td>$5 in free credits</td><td>$1</td><td>$1</td><td>$1</td><td>$1</td></tr>
</table>
<h2>Team</h2>
<table>
  <tr><th>Seats</th><th>Monthly</th></tr>
  <tr><td>Up to 10</td><td>$30</td></tr>
</table>
</body></html>"""


def test_model_rows_under_a_fine_tuning_heading():
    found = {r["name"]: r for r in records(MODEL_ROWS, "OpenAI")}
    assert set(found) == {"gpt-4.1 fine-tuning", "gpt-5 fine-tuning"}  # the service, not the snapshot
    tuned = found["gpt-4.1 fine-tuning"]
    assert facts(tuned["prices"]) == [
        tokens("training", 25.0),
        tokens("input", 3.0),
        tokens("cached_input", 0.75),
        tokens("output", 12.0),
    ]
    assert tuned["entry"] == "paid"
    contact = found["gpt-5 fine-tuning"]
    assert "prices" not in contact and contact["entry"] == "contact" and contact["contact_sales"] is True


def test_tables_without_a_token_unit_or_items_give_nothing():
    html = """<html><body><h2>Plans</h2><table>
      <tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>$20</td></tr>
    </table></body></html>"""
    assert records(html) == []
    assert records("<html><body><table><tr><td>only one row</td></tr></table></body></html>") == []


# -- the pricing line ----------------------------------------------------------------------------


def card_price(item: str, amount: float, unit: str = TOKEN_UNIT, tier: str | None = None) -> dict:
    return {"item": item, "amount": amount, "currency": "USD", "unit": unit, "tier": tier}


@pytest.mark.parametrize(
    ("card", "line"),
    [
        (
            {"prices": [card_price("input", 15.0), card_price("output", 75.0)]},
            "$15 / $75 per million input / output tokens",
        ),
        (
            {
                "prices": [
                    card_price("input", 1.25, tier="<=200k"),
                    card_price("output", 10.0, tier="<=200k"),
                    card_price("input", 2.5, tier=">200k"),
                    card_price("output", 15.0, tier=">200k"),
                ],
                "free_tier": True,
            },
            "Free tier; $1.25 / $10 per million input / output tokens (prompts <=200k)",
        ),
        ({"open_weights": True, "license": "Apache-2.0"}, "Free / Open Source (Apache 2.0)"),
        ({"open_weights": True, "license": "llama3.1"}, "Free / Open weights (llama3.1)"),
        (
            {
                "open_weights": True,
                "license": "CC-BY-NC-4.0",
                "prices": [card_price("input", 2.5), card_price("output", 10.0)],
            },
            "Free / Open weights, non-commercial (CC BY-NC 4.0); $2.50 / $10 per million input / output tokens",
        ),
        (
            {
                "prices": [
                    card_price("subscription", 20.0, MONTH_UNIT),
                    card_price("subscription", 17.0, MONTH_UNIT, "billed annually"),
                ],
                "free_tier": True,
            },
            "Free plan / From $17/month",
        ),
        (
            {"prices": [card_price("subscription", 30.0, MONTH_UNIT, "per seat")], "contact_sales": True},
            "From $30/month / Enterprise tiers (contact sales)",
        ),
        ({"entry": "contact"}, "Contact sales"),
        ({"prices": [card_price("cached_input", 0.125)]}, "Pay-per-token"),
        ({"open_weights": True, "license": "proprietary"}, None),
        ({}, None),
    ],
)
def test_pricing_line(card, line):
    assert pricing_line(card) == line


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Gemini 2.0 Flash-Lite kostet 0,075 $ pro 1 Mio. Eingabe-Token und 0,30 $ pro 1 Mio. Ausgabe-Token.",
            [tokens("input", 0.075), tokens("output", 0.3)],
        ),
        ("Entrée : 0,3 $ par million de tokens", [tokens("input", 0.3)]),
        ("Die Preise betragen 0,0008 USD pro 1.000 Eingabe-Token.", [tokens("input", 0.8)]),
        (
            "Granite 3.3 8B Instruct is billed at $0.0002 per 1,000 tokens, for input and output alike.",
            [tokens("input", 0.2), tokens("output", 0.2)],
        ),
        (
            "On-demand pricing is $0.0025 per 1,000 input tokens and $0.0125 per 1,000 output tokens.",
            [tokens("input", 2.5), tokens("output", 12.5)],  # the comma in "1,000" ends no clause
        ),
        ("Die kostenpflichtigen Tarife beginnen bei 5 $ pro Monat.", [monthly(5.0)]),
    ],
)
def test_prices_in_german_french_and_shared_wording(sentence, expected):
    assert facts(prices_in_sentence(sentence)) == expected


def test_a_token_price_naming_no_item_is_input_only_where_the_caller_says_so():
    sentence = "voyage-3.5 is available through the API at $0.00006 per 1K tokens."
    assert prices_in_sentence(sentence) == []  # unknown stays unknown
    assert facts(prices_in_sentence(sentence, unnamed_item="input")) == [tokens("input", 0.06)]  # embeddings


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        ("New users receive a free quota of 1 million tokens. It costs $1.60 per million input tokens.", "freemium"),
        ("Open to every user, including the Free Tier. On paid tiers you are billed for the tokens.", "freemium"),
        ("Available through the API at $0.04 per image.", "paid"),
        ("You are free to use the outputs commercially. It costs $2 per million input tokens.", "paid"),
        ("Costs are shown for instance as $0.59 per million input tokens.", None),  # a comparison
    ],
)
def test_entry_from_free_and_paid_wording(text, entry):
    assert price_facts_in_text(sentences(text)).entry(None)[0] == entry
