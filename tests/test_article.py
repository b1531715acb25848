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
