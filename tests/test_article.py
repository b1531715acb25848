"""Launch posts end to end: the tool named by title or lead, its offer, links and discount."""

from __future__ import annotations

from compare.extract.article import extract_article, main_text

POST = """<html><head><meta property="og:site_name" content="Groq"></head><body>
<nav><a href="https://console.groq.com/docs">Docs</a></nav>
<article>
<h1>Now in Preview: Groq's First Compound AI System</h1>
<p>Compound Beta is Groq's first compound AI system: a single endpoint that can search
    the web or run code while it answers. It is available now as a preview in GroqCloud.</p>
<h2>Availability and pricing</h2>
<p>It is open to every GroqCloud user, including the Free Tier. On paid tiers you are billed for the
    tokens of the underlying models (for instance Llama 3.3 70B at $0.59 per million input tokens).
    Batch requests cost 50% less.</p>
<p>Read the <a href="https://console.groq.com/docs/compound">Compound docs</a> or our
    <a href="https://groq.com/pricing/">pricing page</a>.</p>
</article>
<footer><a href="https://groq.com/pricing/">Pricing</a></footer>
</body></html>"""


def test_a_launch_named_by_its_lead_with_offer_links_and_discount():
    [launch] = extract_article("https://groq.com/blog/introducing-compound-beta/", POST).records
    assert launch["name"] == "Compound Beta" and launch["vendor"] == "Groq"
    assert "prices" not in launch  # the Llama price is an example, not this tool's price
    assert launch["entry"] == "freemium" and launch["free_tier"] is True
    assert launch["batch_discount"] == 0.5
    assert launch["links"] == {"docs": "https://console.groq.com/docs/compound", "pricing": "https://groq.com/pricing/"}
    assert launch["evidence"]["links"]["snippet"] == "Compound docs … pricing page"
    assert launch["description"].startswith("Compound Beta is Groq's first compound AI system: a single endpoint")


def test_main_text_has_one_line_per_paragraph_without_source_wraps():
    lines = main_text(POST, "https://groq.com/blog/x/").split("\n")
    assert "can search the web or run code" in lines[1]
    assert all("\n" not in line and "  " not in line for line in lines)


DEVSTRAL = """<html><head><meta property="og:site_name" content="Mistral AI"></head><body><article>
<h1>Devstral</h1>
<p>Le meilleur modèle open source pour les agents de code, conçu avec All Hands AI.</p>
<p>Devstral est un grand modèle de langage agentique dédié au génie logiciel. Il tient sur une seule
RTX 4090 et explore une vraie base de code pour faire passer des tests.</p>
<p>Devstral est publié sous licence Apache 2.0. Les poids sont disponibles sur
<a href="https://huggingface.co/mistralai/Devstral-Small-2505">Hugging Face</a>.</p>
</article></body></html>"""


def test_a_title_that_is_only_a_name_is_a_launch_when_the_lead_defines_it():
    [launch] = extract_article("https://mistral.ai/fr/news/devstral/", DEVSTRAL).records
    assert launch["name"] == "Devstral" and launch["license"] == "Apache-2.0" and launch["open_weights"] is True
    assert launch["entry"] == "free" and launch["description"].startswith("Devstral est un grand modèle")


PLANS_PAGE = """<html><head><title>{title}</title><meta property="og:title" content="{title}">
<meta property="og:site_name" content="OpenAI"></head><body><main><h1>Plans</h1><div class="plans">
<div class="plan"><h3>Free</h3><p class="price">$0 / month</p><ul><li>Everyday help with writing</li></ul></div>
<div class="plan"><h3>Plus</h3><p class="price">$20 / month</p><ul><li>More messages and faster replies</li></ul></div>
</div></main></body></html>"""


def test_plans_are_named_after_the_product_the_page_title_names():
    # The site is named after the vendor, so the product comes from the title: "ChatGPT Pricing".
    found = extract_article("https://chatgpt.com/pricing/", PLANS_PAGE.format(title="ChatGPT Pricing")).records
    assert {(r["name"], r.get("plan"), r.get("product")) for r in found} == {
        ("ChatGPT", "Free", "ChatGPT"),  # the free plan is the product itself
        ("ChatGPT Plus", "Plus", "ChatGPT"),
    }
    # A title that is only "Pricing" names no product: the plans keep their own names.
    plain = extract_article("https://chatgpt.com/pricing/", PLANS_PAGE.format(title="Pricing")).records
    assert "ChatGPT Plus" not in {r["name"] for r in plain}
