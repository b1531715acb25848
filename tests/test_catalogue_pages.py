"""Pages about one tool without launch wording (registry and catalogue entries, model cards on a
code host): records from the structure the page carries, the maker never the host, a License
row over prose; and licenses in prose that belong to the code, the data or a base model."""

import pytest

from compare.extract import extract_document
from compare.extract.license import license_in_text

CHROME = """<header><nav><a href="/explore">Explore</a><a href="/pricing">Pricing</a></nav></header>
<div class="cookie"><p>We use cookies to improve your experience and for analytics on this site.</p></div>"""

REGISTRY_PAGE = f"""<!DOCTYPE html><html><head><title>ai/orca-mini - Models | ModelShelf</title>
<meta property="og:site_name" content="Docker Hub"><meta property="og:title" content="ai/orca-mini"></head>
<body>{CHROME}<main><h1>ai/orca-mini</h1><pre>docker model pull ai/orca-mini</pre>
<h1>Orca Mini 3</h1>
<h2>Description</h2>
<p>Orca Mini 3 is a compact instruction-following language model for laptops, the latest proprietary-style
recipe of the family trained on synthetic explanations.</p>
<table><tr><th>Attribute</th><th>Details</th></tr>
<tr><td><strong>Provider</strong></td><td>Pangea Labs</td></tr>
<tr><td><strong>License</strong></td><td>Apache‑2.0</td></tr>
<tr><td><strong>Input modalities</strong></td><td>Text</td></tr></table>
</main><footer><p>© 2026 Docker Inc. All rights reserved.</p></footer></body></html>"""

CODE_HOST_CARD = f"""<!DOCTYPE html><html><head><title>model_cards/Lumen-2.md at main · lumen-ai/lumen</title>
<meta property="og:site_name" content="GitHub"></head><body>{CHROME}<main><article>
<p><img src="grid.jpg" alt="grid"></p>
<p><code>Lumen-2 [fast]</code> is a 4 billion parameter diffusion transformer that generates images from text prompts.</p>
<h1>Key Features</h1><ol><li>Fast sampling in four steps.</li></ol>
<p>The code in this repository is open-sourced under the MIT license, while the use of the model weights needs to comply with the Lumen Community License.</p>
</article></main></body></html>"""


def test_a_registry_page_is_a_record_of_the_maker_with_its_license_row():
    result = extract_document("https://hub.docker.com/r/ai/orca-mini", REGISTRY_PAGE, "text/html")
    assert result.status == "ok", result.reason
    record = result.records[0]
    assert record["name"] == "Orca Mini 3"
    assert record["vendor"] == "Pangea Labs"  # the Provider row, not the registry
    assert record["license"] == "Apache-2.0"  # the License row, with its non-breaking hyphen
    assert record["evidence"]["license"]["snippet"] == "License Apache‑2.0"  # as the page writes it
    assert record["open_weights"] is True
    assert record["entry"] == "free"


def test_a_registry_page_without_a_provider_row_has_no_vendor_rather_than_the_host():
    page = REGISTRY_PAGE.replace("<tr><td><strong>Provider</strong></td><td>Pangea Labs</td></tr>", "")
    record = extract_document("https://hub.docker.com/r/ai/orca-mini", page, "text/html").records[0]
    assert record.get("vendor") is None


def test_a_model_card_on_a_code_host_names_its_owner_and_not_the_codes_license():
    url = "https://github.com/lumen-ai/lumen/blob/main/model_cards/Lumen-2.md"
    result = extract_document(url, CODE_HOST_CARD, "text/html")
    assert result.status == "ok", result.reason
    record = result.records[0]
    assert record["name"] == "Lumen-2 [fast]"
    assert record["vendor"] == "lumen-ai"  # the owner (vendors.toml knows no prettier name for it)
    assert record.get("license") != "MIT"  # MIT is the code's license


def test_a_page_with_neither_spec_rows_nor_a_defining_lead_is_still_no_record():
    page = f"<html><body>{CHROME}<main><h1>Release notes</h1><p>Small fixes to the sidebar and the export button this week, thanks to everyone who reported them.</p></main></body></html>"
    result = extract_document("https://hub.docker.com/r/ai/notes", page, "text/html")
    assert result.records == []


@pytest.mark.parametrize(
    ("sentence", "license_id"),
    [
        (
            "The code in this repository is open-sourced under the Apache-2.0 license, while the use of the model weights needs to comply with the Model License.",
            None,
        ),
        ("This model is fine-tuned from Llama 2, which is released under the Llama 2 Community License.", None),
        ("The dataset is available under CC-BY-4.0, and the model under the Apache 2.0 license.", "Apache-2.0"),
        ("The model is released under the Apache 2.0 license.", "Apache-2.0"),
    ],
)
def test_license_prose_about_code_data_or_a_base_model_is_not_the_tools(sentence, license_id):
    assert license_in_text([sentence])[0] == license_id


REGISTRY_GGUF_PAGE = f"""<!DOCTYPE html><html><head><title>ai/quill-k3 - Models | ModelShelf</title>
<meta property="og:site_name" content="Docker Hub"></head><body>{CHROME}<main>
<h1>Quill K3</h1><p><em>GGUF version by Bakehouse</em></p>
<p>Quill K3 is a 32 billion parameter reasoning model for long documents and agentic tool use.</p>
<ul><li><strong>Permissive Apache 2.0 license:</strong> build freely and deploy commercially.</li></ul>
<h2>Links</h2><ul><li><a href="https://huggingface.co/bakehouse/Quill-K3-GGUF">Hugging Face (Bakehouse GGUF)</a></li>
<li>https://huggingface.co/quill-ai/Quill-K3-Instruct</li></ul>
</main></body></html>"""


def test_a_registry_page_names_the_models_own_repository_owner_not_the_packager_and_its_license_label():
    result = extract_document("https://hub.docker.com/r/ai/quill-k3", REGISTRY_GGUF_PAGE, "text/html")
    assert result.status == "ok", result.reason
    record = result.records[0]
    assert record["name"] == "Quill K3"
    assert record["vendor"] == "quill-ai"  # the model's own repository, not the GGUF packager's
    assert record["license"] == "Apache-2.0"
    assert record["open_weights"] is True and record["entry"] == "free"


def test_a_model_card_whose_lead_counts_its_parameters_is_open_weights_under_an_open_license():
    card = CODE_HOST_CARD.replace(
        "The code in this repository is open-sourced under the MIT license, while the use of the model weights needs to comply with the Lumen Community License.",
        "Released under the Apache-2.0 license, the model can be used for personal and commercial work.",
    )
    record = extract_document(
        "https://github.com/lumen-ai/lumen/blob/main/model_cards/Lumen-2.md", card, "text/html"
    ).records[0]
    assert record["license"] == "Apache-2.0"
    assert record["open_weights"] is True and record["entry"] == "free"
