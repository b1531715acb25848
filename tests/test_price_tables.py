"""Pricing pages in the layouts vendors use: stacked headers with batch columns, <div> grids,
models as columns, plan cards, model cards, and the page's own terms (free tier, batch discount)."""

from __future__ import annotations

from compare.extract.article import doc_links
from compare.extract.grids import parse_html
from compare.extract.price_rows import batch_discount
from compare.extract.price_tables import page_records, pricing_section_lines
from compare.extract.pricing import MONTH_UNIT, TOKEN_UNIT
from compare.extract.vocab import category_for

URL = "https://example.com/pricing"


def records(html: str, **options) -> dict[str, dict]:
    return {r["name"]: r for r in page_records(parse_html(html), URL, "Example", "article", **options)}


def prices(record: dict) -> list[tuple]:
    return [(p["item"], round(p["amount"], 6), p["currency"], p["unit"], p["tier"]) for p in record.get("prices", [])]


def tokens(item: str, amount: float, tier: str | None = None, currency: str = "USD") -> tuple:
    return (item, amount, currency, TOKEN_UNIT, tier)


STACKED_HEADER = """<html><body><main>
<p>Batch jobs are billed at a 50% discount compared to on-demand inference.</p>
<h3>Text models</h3>
<table>
  <thead>
    <tr><th rowspan="2">Model</th><th colspan="2">On-Demand</th><th colspan="2">Batch</th></tr>
    <tr><th>Price per 1,000 input tokens</th><th>Price per 1,000 output tokens</th>
        <th>Price per 1,000 input tokens</th><th>Price per 1,000 output tokens</th></tr>
  </thead>
  <tbody>
    <tr><td>Nova Lite</td><td>$0.00006</td><td>$0.00024</td><td>$0.00003</td><td>$0.00012</td></tr>
    <tr><td>Canvas</td><td>1024 x 1024, per image</td><td>$0.04</td><td>-</td><td>-</td></tr>
  </tbody>
</table>
</main></body></html>"""


def test_stacked_headers_give_batch_tiers_and_per_thousand_prices():
    found = records(STACKED_HEADER)
    assert prices(found["Nova Lite"]) == [
        tokens("input", 0.06),
        tokens("output", 0.24),
        tokens("input", 0.03, "batch"),
        tokens("output", 0.12, "batch"),
    ]
    assert found["Nova Lite"]["batch_discount"] == 0.5
    assert "50% discount" in found["Nova Lite"]["evidence"]["batch_discount"]["snippet"]
    # A per-image price is a charge, not a token price: the row is paid and has no prices.
    assert found["Canvas"]["entry"] == "paid" and "prices" not in found["Canvas"]


DIV_GRID = """<html><body>
<p>Start building for free on the Free Tier, then pay per token.</p>
<div class="pricing-table">
  <div class="head"><div class="c-model">Model</div><div class="c-size">Size</div>
    <div class="c-price">Price per 1M tokens (input + output)</div></div>
  <div class="group">Meta Llama</div>
  <div class="row"><div class="c-model">Llama 3.3 70B</div><div class="c-size">70B</div><div class="c-price">$0.88</div></div>
  <div class="row"><div class="c-model">Llama 3.1 8B</div><div class="c-size">8B</div><div class="c-price">$0.18</div></div>
</div>
</body></html>"""


def test_a_div_grid_reads_like_a_table_and_one_price_serves_input_and_output():
    found = records(DIV_GRID)
    assert set(found) == {"Llama 3.3 70B", "Llama 3.1 8B"}  # the group title is no model
    assert prices(found["Llama 3.3 70B"]) == [tokens("input", 0.88), tokens("output", 0.88)]
    # The page's free tier makes every priced row freemium, with the page's sentence as evidence.
    assert found["Llama 3.1 8B"]["entry"] == "freemium"
    assert found["Llama 3.1 8B"]["evidence"]["entry"]["snippet"].startswith("Start building for free")


MODEL_COLUMNS = """<html><body>
<p>The prices below are per 1M tokens.</p>
<h2>Model details</h2>
<!-- promo: deepseek-chat input $0.14 -->
<table>
  <thead><tr><th colspan="2">MODEL</th><th>chat-model</th><th>reasoner-model</th></tr></thead>
  <tbody>
    <tr><td colspan="2">CONTEXT LENGTH</td><td colspan="2">64K</td></tr>
    <tr><td rowspan="2">STANDARD PRICE</td><td>1M TOKENS INPUT (CACHE HIT)</td><td>$0.07</td><td>$0.14</td></tr>
    <tr><td>1M TOKENS OUTPUT</td><td>$1.10</td><td>$2.19</td></tr>
    <tr><td>DISCOUNT PRICE</td><td>1M TOKENS INPUT (CACHE MISS)</td><td>$0.135</td><td>$0.135</td></tr>
  </tbody>
</table>
</body></html>"""


def test_models_as_columns_with_row_spans_and_no_discount_rows():
    found = records(MODEL_COLUMNS)
    assert prices(found["chat-model"]) == [tokens("cached_input", 0.07), tokens("output", 1.1)]
    assert prices(found["reasoner-model"]) == [tokens("cached_input", 0.14), tokens("output", 2.19)]
    # Evidence quotes the table row as the page writes it.
    assert found["chat-model"]["evidence"]["prices"]["snippet"].startswith("STANDARD PRICE 1M TOKENS INPUT")


PLAN_CARDS = """<html><body><main>
<h1>Pricing</h1>
<div class="plans">
  <div class="plan"><div class="plan-name">Hobby</div><div class="plan-price">Free</div>
    <ul><li>Pro two-week trial</li></ul></div>
  <div class="plan"><div class="plan-badge">Most popular</div><div class="plan-name">Pro</div>
    <div class="plan-price"><span>$20</span><span>/month</span></div>
    <ul><li>$5 monthly credit for the API</li></ul></div>
  <div class="plan"><div class="plan-name">Business</div>
    <div class="plan-price"><span>$40</span><span>/user/month</span></div></div>
  <div class="plan"><div class="plan-name">Enterprise</div><div class="plan-price">Custom</div>
    <a href="/contact-sales">Contact Sales</a></div>
</div>
</main></body></html>"""


def test_plan_cards_one_record_per_plan_named_after_the_product():
    found = records(PLAN_CARDS, product="Cursor")
    # The free plan is the product itself; paid plans are cards of their own in its family.
    assert set(found) == {"Cursor", "Cursor Pro", "Cursor Business", "Cursor Enterprise"}
    assert (found["Cursor"]["plan"], found["Cursor Pro"]["plan"]) == ("Hobby", "Pro")
    assert {record["product"] for record in found.values()} == {"Cursor"}
    assert found["Cursor"]["entry"] == "free"
    # "$5 monthly credit" is not what the plan costs; a trial of Pro makes Pro freemium.
    assert prices(found["Cursor Pro"]) == [("subscription", 20.0, "USD", MONTH_UNIT, None)]
    assert found["Cursor Pro"]["entry"] == "freemium"
    assert found["Cursor Pro"]["evidence"]["entry"]["snippet"] == "Pro two-week trial"
    assert prices(found["Cursor Business"]) == [("subscription", 40.0, "USD", MONTH_UNIT, "per seat")]
    assert found["Cursor Enterprise"]["entry"] == "contact"


def test_plan_cards_are_not_read_in_launch_posts():
    assert records(PLAN_CARDS, launch=True) == {}


EURO_CARDS = """<html><body>
<div class="plans">
  <div class="plan"><h3>Le Chat Free</h3><p class="price">Gratuit</p></div>
  <div class="plan"><h3>Le Chat Pro</h3><p class="price">14,99 € / mois</p>
    <p>Soit $14.99 / mois aux États-Unis.</p></div>
  <div class="plan"><h3>Le Chat Enterprise</h3><p class="price">Sur devis</p></div>
</div>
<div class="cards">
  <div class="card"><h4>Embed 4</h4><dl><dt>Text input</dt><dd>0,12 € / 1M tokens</dd>
    <dt>Image input</dt><dd>0,47 € / 1M image tokens</dd></dl></div>
  <div class="card"><h4>Rerank 3.5</h4><dl><dt>Price</dt><dd>2,00 € / 1K searches</dd></dl></div>
</div>
</body></html>"""


def test_french_plans_and_model_cards_in_the_currency_stated_first():
    found = records(EURO_CARDS, product="Mistral AI")
    assert found["Le Chat"]["entry"] == "free" and found["Le Chat Enterprise"]["entry"] == "contact"
    assert prices(found["Le Chat Pro"]) == [("subscription", 14.99, "EUR", MONTH_UNIT, None)]  # not the $ conversion
    assert prices(found["Embed 4"]) == [tokens("input", 0.12, currency="EUR")]  # image tokens are no text price
    assert found["Rerank 3.5"]["entry"] == "paid" and "prices" not in found["Rerank 3.5"]


def test_plain_tables_without_prices_per_anything_give_nothing():
    html = (
        "<html><body><h2>Plans</h2><table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>$20</td></tr></table>"
    )
    assert records(html + "</body></html>") == {}


def test_batch_discount_wording():
    assert batch_discount("Batch processing costs 50% less.") == 0.5
    assert batch_discount("For batch inference, Nova Premier is offered at a 50 percent discount.") == 0.5
    assert batch_discount("Le traitement par lots (Batch API) est facturé 50 % moins cher.") == 0.5
    assert batch_discount("Save up to 90% with prompt caching and 50% with the Message Batches API.") == 0.5
    assert batch_discount("Save 50% on annual plans.") is None  # no batch


EMBEDDING_CARDS = """<html><body>
<p>Every organization gets free tokens for each model before billing starts.</p>
<h2>Text embeddings</h2>
<div class="model-cards">
  <div class="model-card"><h3>voyage-3.5</h3><dl><dt>Price per 1M tokens</dt><dd>$0.06</dd>
    <dt>Free tokens</dt><dd>200M</dd></dl></div>
  <div class="model-card"><h3>voyage-3.5-lite</h3><dl><dt>Price per 1M tokens</dt><dd>$0.02</dd></dl></div>
</div>
<h2>Chat models</h2>
<table><tr><th>Model</th><th>Price per 1M tokens</th></tr><tr><td>chat-1</td><td>$1.00</td></tr></table>
</body></html>"""


def test_an_unnamed_token_price_is_input_only_under_an_embedding_heading():
    found = records(EMBEDDING_CARDS)
    assert prices(found["voyage-3.5"]) == [tokens("input", 0.06)]
    assert prices(found["voyage-3.5-lite"]) == [tokens("input", 0.02)]  # the heading, not the card before it
    assert found["voyage-3.5"]["entry"] == "freemium"  # the page's free tokens
    assert "chat-1" not in found  # a chat model's unnamed price stays unknown


def test_models_priced_under_an_embedding_heading_are_embedding_models_whatever_their_name():
    page = EMBEDDING_CARDS.replace("voyage-3.5-lite", "voyage-code-3")
    found = records(page)
    assert found["voyage-code-3"]["modality"] == "embedding"
    assert found["voyage-code-3"]["evidence"]["modality"]["snippet"].startswith("Text embeddings")
    card = {**found["voyage-code-3"], "kind": "api"}
    assert category_for(card)[0] == "Search & Embeddings"  # not Coding, which its name would say


def test_an_api_id_that_says_chat_is_a_language_model_and_sizes_come_from_names():
    row = """<html><body><h2>Models</h2><table><tr><th>Model</th><th>Input</th><th>Output</th></tr>
    <tr><td>deepseek-chat</td><td>$0.27 / 1M tokens</td><td>$1.10 / 1M tokens</td></tr>
    <tr><td>Ministral 8B</td><td>$0.10 / 1M tokens</td><td>$0.10 / 1M tokens</td></tr></table></body></html>"""
    found = records(row)
    assert category_for(found["deepseek-chat"])[0] == "Language Models"  # an API model, not a chat app
    assert category_for({"name": "Le Chat", "kind": "product"})[0] == "Chatbots & Assistants"
    assert found["Ministral 8B"]["params_b"] == 8.0 and "params_b" not in found["deepseek-chat"]


POST = """<html><body>
<nav><a href="https://docs.example.com/">Docs</a><a href="/pricing">Pricing</a></nav>
<main>
<p>Read the <a href="https://example.com/blog/a-guide-to-rag">guide to RAG</a> first.</p>
<h2>Pricing</h2>
<p>The API is billed per token:</p>
<dl><dt>Input</dt><dd>$0.0000006 per token</dd><dt>Output</dt><dd>$0.0000022 per token</dd></dl>
<div class="row"><span>Cached input</span><span>$0.11 / M tokens</span></div>
<p>See the <a href="https://docs.example.com/models/x">model documentation</a> and the
<a href="/pricing#api">pricing page</a>.</p>
</main>
<footer><a href="https://docs.example.com/terms">Terms</a></footer>
</body></html>"""


def test_links_come_from_the_post_itself_not_its_navigation():
    links = doc_links(parse_html(POST), "https://example.com/blog/launch")
    assert links == {
        "docs": ("https://docs.example.com/models/x", "model documentation"),  # not the blog "guide"
        "pricing": ("https://example.com/pricing#api", "pricing page"),
    }


def test_price_lines_of_a_pricing_section():
    assert pricing_section_lines(parse_html(POST)) == [
        "Input $0.0000006 per token",
        "Output $0.0000022 per token",
        "Cached input $0.11 / M tokens",
    ]


def test_only_a_table_under_an_embeddings_heading_holds_embedding_models():
    def table(heading: str, note: str = "") -> str:
        return f"""<html><body><h2>{heading}</h2><p>{note}</p><table><tr><th>Model</th><th>Input</th><th>Output</th></tr>
        <tr><td>model-x</td><td>$1.00 / 1M tokens</td><td>$2.00 / 1M tokens</td></tr></table></body></html>"""

    found = records(table("Text embeddings").replace("<th>Output</th>", "").replace("<td>$2.00 / 1M tokens</td>", ""))
    assert found["model-x"]["modality"] == "embedding"
    assert found["model-x"]["evidence"]["modality"]["snippet"] == "Text embeddings"
    for heading, note in (("Models", "See our embeddings page for vectors."), ("Embedded deployments", "")):
        assert "modality" not in records(table(heading, note))["model-x"], heading


def test_a_fine_tuning_row_is_named_for_the_service_not_its_snapshot():
    from compare.extract.price_rows import row_name

    assert row_name("gpt-4.1-2025-04-14", "Fine-tuning prices") == "gpt-4.1 fine-tuning"
    assert row_name("gpt-4.1-2025-04-14", "Standard") == "gpt-4.1-2025-04-14"  # a snapshot row keeps its id
