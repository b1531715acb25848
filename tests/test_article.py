"""Launch posts end to end: the tool named by title or lead, its offer, links and discount."""

from __future__ import annotations

from compare.extract.article import extract_article, main_text
from compare.extract.vocab import category_for

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


SMALL_MODEL = """<html><head><meta property="og:site_name" content="Microsoft Azure"></head><body><article>
<h1>Phi-4-mini: small model, big reasoning</h1>
<p>Phi-4-mini is the newest member of our family of small language models: a 3.8-billion-parameter
dense transformer that does well on reasoning, maths and coding for its size.</p>
<p>Phi-4-multimodal, released alongside it, handles speech, images and text together in one 5.6B model.</p>
<p>Download microsoft/Phi-4-mini-instruct and microsoft/Phi-4-multimodal-instruct from Hugging Face.
Both are released under the MIT license.</p>
</article></body></html>"""

FLAGSHIP = """<html><head><meta property="og:site_name" content="Mistral AI"><meta property="og:type" content="article">
<meta property="og:title" content="Large Enough: Mistral Large 2"></head><body><article>
<h1>Large Enough: Mistral Large 2</h1>
<p>Today we are announcing Mistral Large 2, the new generation of our flagship model. It is much
stronger at code generation, mathematics and reasoning than its predecessor.</p>
<ul><li>123 billion parameters, for single-node inference at long context.</li>
<li>A window of 128k tokens, and better coding in 80 languages.</li></ul>
<p>Agents built on it can call every tool in Le Chat: web search, code execution and image generation.</p>
<p>It is a strong language model for multilingual work, and the model follows instructions closely.</p>
</article></body></html>"""


def test_what_a_launch_is_comes_from_the_sentences_naming_it_not_its_siblings():
    [phi] = extract_article("https://azure.microsoft.com/blog/phi-4-mini/", SMALL_MODEL).records
    assert phi["modality"] == "text"  # the speech and vision sibling, and its -multimodal- id, are not Phi-4-mini
    assert phi["params_b"] == 3.8 and "3.8-billion-parameter" in phi["evidence"]["params_b"]["snippet"]


def test_a_closed_flagship_model_is_a_model_and_a_tool_list_does_not_make_it_an_image_model():
    [large] = extract_article("https://mistral.ai/news/mistral-large-2407/", FLAGSHIP).records
    assert large["kind"] == "api"  # "our flagship model": a model, not an app
    assert large["modality"] == "text"  # "image generation" once in a tool list is outvoted
    assert large["params_b"] == 123.0  # the post's own list item
    assert category_for(large)[0] == "Language Models"  # not Coding, which "code generation" would say of an app
    reads_images = FLAGSHIP.replace("</ul>", "<li>Image input: the model can reason over charts.</li></ul>")
    [large] = extract_article("https://mistral.ai/news/mistral-large-2407/", reads_images).records
    assert large["modality"] == "multimodal"  # a sentence that names no other model counts


def test_an_image_model_that_produces_images_is_one():
    post = FLAGSHIP.replace("Large Enough: Mistral Large 2", "Stable Diffusion 3.5 Large is here").replace(
        "Today we are announcing Mistral Large 2, the new generation of our flagship model. It is much\nstronger"
        " at code generation, mathematics and reasoning than its predecessor.",
        "Stable Diffusion 3.5 Large is an 8-billion-parameter model that produces high-quality images from prompts.",
    )
    [image] = extract_article("https://stability.ai/news/sd-3-5-large/", post).records
    assert image["modality"] == "image-generation" and image["params_b"] == 8.0


def test_sizes_and_modalities_of_other_models_do_not_stick():
    from compare.extract.article import _params, modality_in_text

    said = ["GPT-4.1 handles a million tokens of context.", "It beats DeepSeek-V3, a 671B parameter model."]
    assert _params("GPT-4.1", said) == (None, None)  # the competitor's size is not GPT-4.1's
    sibling_first = ["Phi-4-multimodal is our first multimodal model.", "This small language model runs on phones."]
    assert modality_in_text(sibling_first, "Phi-4-mini")[0] == "text"
    assert (
        modality_in_text(["Pixtral Large understands product images and charts."], "Pixtral Large")[0]
        != "image-generation"
    )
    assert (
        modality_in_text(["Better graphics: a multimodal model reads charts."], "Phi-4-mini")[0] == "multimodal"
    )  # "graphics" is no Phi


def test_an_app_powered_by_a_model_stays_an_app():
    app = FLAGSHIP.replace(
        "Today we are announcing Mistral Large 2, the new generation of our flagship model.",
        "Le Chat, powered by our latest model, is the assistant for your whole team.",
    )
    [chat] = extract_article("https://mistral.ai/news/mistral-large-2407/", app).records
    assert chat["kind"] == "product"  # "powered by our latest model": the lead is about an app


def test_a_page_of_200k_nested_elements_or_a_4_mb_line_still_has_its_title():
    from compare.extract import extract_document

    deep = ("<html><head><title>Introducing Deepnest 2</title></head><body>" + "<div>" * 200_000
            + "<p>Deepnest 2 is our newest model.</p>" + "</div>" * 200_000 + "</body></html>")  # fmt: skip
    result = extract_document("https://x.example/deep", deep, "text/html")
    assert result.status == "ok" and result.records[0]["name"] == "Deepnest 2"
    line = ("<html><head><title>Introducing Longline 3</title></head><body><p>Longline 3 is our newest model."
            + " word" * 800_000 + "</p></body></html>")  # fmt: skip
    result = extract_document("https://x.example/long", line, "text/html")
    assert result.status == "ok" and result.records[0]["name"] == "Longline 3"
