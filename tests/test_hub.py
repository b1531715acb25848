"""Hugging Face Hub extraction: per-model API JSON, README model cards (YAML front matter + body),
parameter counts from names. Bad input is a status with a reason, never an exception."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compare.extract import extract_document
from compare.extract.hub import (
    extract_api_json,
    extract_readme,
    license_in_body,
    params_from_name,
    params_in_text,
    split_front_matter,
)
from compare.extract.license import commercial_use, license_of_text
from compare.resolve import resolve
from conftest import demo_file
from crawlers.middlewares import retry_after_seconds

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
API = "https://huggingface.co/api/models/acme/Widget-7B-Instruct"
README = "https://huggingface.co/acme/Widget-7B-Instruct/raw/main/README.md"

BODY = """# Widget 7B Instruct

Widget-7B-Instruct is a small instruction-tuned language model for customer support chats. It
answers in English and German and runs on a single consumer GPU.

## Usage

```python
print("a code block is no description")
```
"""


def api_body(**changes) -> str:
    data = {
        "id": "acme/Widget-7B-Instruct",
        "pipeline_tag": "text-generation",
        "tags": ["transformers", "safetensors", "license:mit", "base_model:acme/Widget-7B"],
        "cardData": {"license": "apache-2.0", "base_model": "acme/Widget-7B"},
        "safetensors": {"parameters": {"BF16": 7_241_732_096}, "total": 7_241_732_096},
        "downloads": 1200,
        "likes": 34,
        "createdAt": "2025-03-01T10:00:00.000Z",
        "gated": False,
        "disabled": False,
        "private": False,
    }
    data.update(changes)
    return json.dumps({k: v for k, v in data.items() if v is not None})


def only(result):
    assert result.status == "ok", result.reason
    [record] = result.records
    return record


# -- API JSON ------------------------------------------------------------------------------------


def test_api_json_record():
    record = only(extract_api_json(API, api_body()))
    assert record["hub_id"] == "acme/Widget-7B-Instruct"
    assert record["name"] == "Widget-7B-Instruct"
    assert record["vendor"] == "acme"  # an organisation without a display name keeps its id
    assert record["kind"] == "model" and record["open_weights"] is True and record["entry"] == "free"
    assert record["license"] == "Apache-2.0"  # cardData wins over the license tag
    assert record["modality"] == "text"
    assert record["params_b"] == 7.24
    assert record["evidence"]["params_b"]["snippet"] == '"safetensors": {"total": 7241732096}'
    assert (record["base_model"], record["base_model_relation"]) == ("acme/Widget-7B", "finetune")
    assert record["evidence"]["family"]["snippet"] == "base_model: acme/Widget-7B"
    assert record["popularity"] == {"downloads": 1200, "likes": 34}
    assert record["released"] == "2025-03-01"
    assert "gated" not in record
    assert record["urls"] == ["https://huggingface.co/acme/Widget-7B-Instruct", API]
    assert all(e["url"] == API and e["extractor"] == "hub_api" for e in record["evidence"].values())


def test_api_json_is_routed_by_url():
    assert only(extract_document(API, api_body().encode()))["extractor"] == "hub_api"
    assert extract_document(API.replace("/api/models/", "/api/datasets/"), api_body()).status != "ok"


def test_vendor_display_name_for_known_orgs():
    record = only(extract_api_json("https://huggingface.co/api/models/Qwen/Qwen3-8B", api_body(id="Qwen/Qwen3-8B")))
    assert record["vendor"] == "Alibaba Qwen"


@pytest.mark.parametrize(
    ("card", "tags", "expected"),
    [
        ({"license": "apache-2.0"}, [], "Apache-2.0"),
        ({"license": ["llama3.1", "other"]}, [], "llama3.1"),  # a list: its first id
        ({"license": "other", "license_name": "widget-community-license"}, [], "widget-community-license"),
        ({"license": "other"}, ["license:other"], "other"),  # other, unnamed: what the card declares
        ({}, ["license:gemma"], "gemma"),  # no cardData license: the tag
        ({}, ["license:other"], None),
        ({}, [], None),
    ],
)
def test_api_json_license(card, tags, expected):
    record = only(extract_api_json(API, api_body(cardData=card, tags=tags)))
    assert record.get("license") == expected


def test_quantized_relation_from_tags():
    tags = ["gguf", "base_model:acme/Widget-7B-Instruct", "base_model:quantized:acme/Widget-7B-Instruct"]
    body = api_body(id="someone/Widget-7B-Instruct-GGUF", tags=tags, cardData={}, safetensors=None)
    record = only(extract_api_json("https://huggingface.co/api/models/someone/Widget-7B-Instruct-GGUF", body))
    assert (record["base_model"], record["base_model_relation"]) == ("acme/Widget-7B-Instruct", "quantized")
    assert record["params_b"] == 7.0  # no safetensors: from the name
    assert record["evidence"]["params_b"]["snippet"] == "Widget-7B-Instruct-GGUF"


def test_quantized_relation_from_the_name_when_not_stated():
    body = api_body(id="someone/Widget-7B-Instruct-AWQ", tags=[], cardData={"base_model": ["acme/Widget-7B-Instruct"]})
    record = only(extract_api_json("https://huggingface.co/api/models/someone/Widget-7B-Instruct-AWQ", body))
    assert (record["base_model"], record["base_model_relation"]) == ("acme/Widget-7B-Instruct", "quantized")


def test_a_base_model_equal_to_itself_is_no_base():
    record = only(extract_api_json(API, api_body(cardData={"base_model": "acme/Widget-7B-Instruct"}, tags=[])))
    assert "base_model" not in record and "family" not in record["evidence"]


@pytest.mark.parametrize(
    ("body", "reason_start"),
    [
        ('{"id": "acme/Widget", ', "invalid JSON"),
        ("<html>Too many requests</html>", "invalid JSON"),
        ("[1, 2, 3]", "not a Hub model object"),
        ('{"modelId": 5}', "not a Hub model object"),
    ],
)
def test_api_json_failures_are_reasons(body, reason_start):
    result = extract_api_json(API, body)
    assert result.status == "failed" and result.records == []
    assert result.reason.startswith(reason_start)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [({"disabled": True}, "model disabled on the Hub"), ({"private": True}, "private model")],
)
def test_disabled_and_private_models_are_empty(changes, reason):
    result = extract_api_json(API, api_body(**changes))
    assert (result.status, result.reason, result.records) == ("empty", reason, [])


def test_demo_api_json_quantized_copy():
    url = "https://huggingface.co/api/models/unsloth/Llama-3.1-8B-Instruct-bnb-4bit"
    record = only(extract_document(url, demo_file(url).read_bytes()))
    assert record["vendor"] == "Unsloth" and record["license"] == "llama3.1"
    assert (record["base_model"], record["base_model_relation"]) == ("meta-llama/Llama-3.1-8B-Instruct", "quantized")


# -- front matter --------------------------------------------------------------------------------


def test_front_matter_absent():
    assert split_front_matter(BODY) == ({}, BODY, None)


def test_front_matter_at_the_top():
    meta, body, problem = split_front_matter("---\nlicense: mit\ntags:\n- a\n---\n" + BODY)
    assert meta == {"license": "mit", "tags": ["a"]} and problem is None
    assert body.strip() == BODY.strip()


def test_front_matter_after_a_byte_order_mark():
    assert split_front_matter("\ufeff---\nlicense: mit\n---\nText.")[0] == {"license": "mit"}


# A mirror's wrapper (as in ../shared/corpus/hf_cards/paddlenlp_wrapped): a title, a markdown rule
# and a source line above the real front matter.
WRAPPED = """
# Widget-7B-Instruct
---


## README([From Huggingface](https://huggingface.co/acme/Widget-7B-Instruct))

---
license: apache-2.0
pipeline_tag: text-generation
---
"""


def test_front_matter_after_a_six_line_wrapper():
    meta, body, problem = split_front_matter(WRAPPED + BODY)
    assert meta == {"license": "apache-2.0", "pipeline_tag": "text-generation"} and problem is None
    assert "Widget-7B-Instruct is a small" in body and "license:" not in body


def test_front_matter_too_far_down_is_body():
    text = "\n" * 20 + "---\nlicense: mit\n---\n"
    assert split_front_matter(text) == ({}, text, None)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\nlicense: mit\n" + BODY, "front matter not closed"),
        ("---\n- a\n- b\n---\nText.", "front matter is not a mapping"),
        ("---\nlicense: [mit\ntags: a\n---\nText.", "malformed YAML front matter at line 2"),
    ],
)
def test_front_matter_problems(text, problem):
    meta, _, found = split_front_matter(text)
    assert meta == {} and found == problem


def test_empty_front_matter():
    assert split_front_matter("---\n---\nText.") == ({}, "Text.", None)


# -- README --------------------------------------------------------------------------------------


def test_readme_record():
    card = (
        "---\nlicense: apache-2.0\npipeline_tag: image-text-to-text\n"
        "base_model: acme/Widget-7B\nbase_model_relation: finetune\n---\n" + BODY
    )
    record = only(extract_readme(README, card))
    assert record["hub_id"] == "acme/Widget-7B-Instruct" and record["extractor"] == "hub_readme"
    assert record["license"] == "Apache-2.0"
    assert record["evidence"]["license"]["snippet"] == "license: apache-2.0"
    assert record["modality"] == "vision-language"
    assert record["params_b"] == 7.0
    assert (record["base_model"], record["base_model_relation"]) == ("acme/Widget-7B", "finetune")
    assert record["description"].startswith("Widget-7B-Instruct is a small instruction-tuned language model")
    assert "code block" not in record["description"]
    assert "warnings" not in record


def test_readme_without_front_matter():
    result = extract_readme(README, BODY)
    record = only(result)
    assert result.reason is None
    assert "license" not in record and "modality" not in record
    assert record["description"].startswith("Widget-7B-Instruct is a small")


def test_readme_after_a_wrapper_finds_its_license():
    record = only(extract_readme(README, WRAPPED + BODY))
    assert record["license"] == "Apache-2.0" and record["modality"] == "text"


def test_readme_with_malformed_yaml_is_ok_with_a_warning():
    result = extract_readme(README, "---\nlicense: [apache-2.0\nthumbnail: x\n---\n" + BODY)
    record = only(result)
    assert result.reason == "problem: malformed YAML front matter at line 2"  # listed on /runs
    assert record["warnings"] == ["malformed YAML front matter at line 2"]
    assert "license" not in record
    assert record["description"].startswith("Widget-7B-Instruct is a small")


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("license:\n- llama3.1\n- other\n", "llama3.1"),
        ("license: other\nlicense_name: widget-research-license\n", "widget-research-license"),
        ("license: other\n", "other"),
        ("license: unknown\n", None),
        ("license: cc-by-nc-4.0\n", "CC-BY-NC-4.0"),
        ("license: 12\n", None),  # not an id
    ],
)
def test_readme_license(front, expected):
    assert only(extract_readme(README, f"---\n{front}---\n{BODY}")).get("license") == expected


def test_readme_base_model_list():
    card = "---\nbase_model:\n- acme/Widget-7B\n- acme/Other-7B\n---\n" + BODY
    record = only(extract_readme(README, card))
    assert (record["base_model"], record["base_model_relation"]) == ("acme/Widget-7B", "finetune")


def test_readme_base_model_from_the_sentence_that_says_it_was_fine_tuned_from_it():
    said = (
        "---\nlicense: mit\n---\n# Widget Anime\n\nWidget Anime draws anime scenes from text prompts.\n\n"
        "The model originally used for fine-tuning is [Widget 1.4](https://huggingface.co/acme/widget-v1-4), "
        "trained on public images.\n"
    )
    record = only(extract_readme(README, said))
    assert (record["base_model"], record["base_model_relation"]) == ("acme/widget-v1-4", "finetune")
    assert record["evidence"]["family"]["snippet"].startswith("The model originally used for fine-tuning is Widget 1.4")
    unsaid = [
        "You can find fine-tuning scripts in the [Widget](https://huggingface.co/acme/widget-v1-4) repository.",
        "- Fine-tuned from [Widget](https://huggingface.co/acme/widget-v1-4) (a list of links)",
        "We fine-tuned it on [the corpus](https://huggingface.co/datasets/acme/corpus).",
    ]
    for line in unsaid:
        record = only(extract_readme(README, f"---\nlicense: mit\n---\n# Widget\n\nWidget draws scenes.\n\n{line}\n"))
        assert "base_model" not in record, line


def test_readme_needs_a_readme_url():
    result = extract_readme("https://huggingface.co/acme/Widget-7B-Instruct", BODY)
    assert result.status == "failed" and result.reason == "not a Hub README URL"


def test_demo_readme_of_a_quantized_copy():
    url = "https://huggingface.co/ggml-org/SmolVLM2-2.2B-Instruct-GGUF/raw/main/README.md"
    record = only(extract_document(url, demo_file(url).read_bytes()))
    assert record["extractor"] == "hub_readme" and record["license"] == "Apache-2.0"
    assert (record["base_model"], record["base_model_relation"]) == (
        "HuggingFaceTB/SmolVLM2-2.2B-Instruct",
        "quantized",
    )
    assert record["description"].startswith("This repository holds GGUF conversions of SmolVLM2-2.2B-Instruct")


# -- parameters from names -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Qwen2.5-VL-7B-Instruct", 7.0),
        ("SmolVLM2-256M", 0.26),
        ("SmolVLM2-256M-Video-Instruct", 0.26),
        ("Mixtral-8x7B", 56.0),
        ("Mixtral-8x7B-Instruct-v0.1", 56.0),
        ("Llama-3.1-8B-Instruct-bnb-4bit", 8.0),  # '4bit' is no size
        ("Meta-Llama-3.1-70B", 70.0),
        ("gpt-oss-120b", 120.0),
        ("Qwen3-0.6B", 0.6),
        ("Qwen2-1.5B", 1.5),
        ("paligemma2-3b-pt-224", 3.0),
        ("Qwen3-30B-A3B", 30.0),  # total, not active parameters
        ("model-bnb-4bit", None),
        ("whisper-large-v3-turbo", None),
        ("bge-m3", None),  # 'm3' is a version, not 3 million
        ("phi-2", None),
        ("t5-small", None),
    ],
)
def test_params_from_name(name, expected):
    assert params_from_name(name) == expected


# -- the real model-card corpus ------------------------------------------------------------------


def corpus_cards() -> list[Path]:
    folder = CORPUS / "hf_cards"
    if not folder.is_dir():
        pytest.skip(f"real model cards not found at {folder} (../shared/corpus is optional)")
    cards = sorted(folder.rglob("*.md"))
    assert cards, f"no .md files under {folder}"
    return cards


def readme_url_for(card: Path) -> str:
    """ORG__NAME.md -> that model's README URL; any other file name gets a made-up org."""
    org, sep, name = card.stem.partition("__")
    if not sep or not org or not name:
        org, name = "corpus-org", card.stem
    return f"https://huggingface.co/{org}/{name}/raw/main/README.md"


def test_every_real_model_card_extracts_without_exception():
    statuses: dict[str, int] = {}
    for card in corpus_cards():
        result = extract_readme(readme_url_for(card), card.read_text(encoding="utf-8", errors="replace"))
        assert result.status in ("ok", "empty", "failed"), card
        if result.status != "ok":
            assert result.reason, card
        else:
            assert len(result.records) == 1 and result.records[0]["hub_id"], card
        statuses[result.status] = statuses.get(result.status, 0) + 1
    print(f"\nhf_cards: {statuses}")


def test_wrapped_real_cards_find_their_front_matter():
    cards = [c for c in corpus_cards() if c.parent.name == "paddlenlp_wrapped"]
    if not cards:
        pytest.skip("no paddlenlp_wrapped cards in the corpus")
    found = sum(bool(split_front_matter(c.read_text(encoding="utf-8", errors="replace"))[0]) for c in cards)
    assert found >= 0.9 * len(cards), f"{found} of {len(cards)} wrapped cards gave front matter"


# -- licenses in the body, LICENSE files, commercial use, stated sizes ------------------------

HUB = "https://huggingface.co"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("## Model Details\n\n- **License:** Apache License 2.0\n", "Apache-2.0"),
        ("## License\n\nThis model is released under the [MIT](LICENSE) license.\n", "MIT"),
        ("- **License:** More information needed\n", None),
        # the code's license is not the weights' license
        (
            "## License\n\n* The code in this repo is released under the [Apache-2.0](x) License.\n* The weights follow the Acme Model License.\n",
            None,
        ),
        ("## License\n\nThe code and the model weights are licensed under the MIT License.\n", "MIT"),
    ],
)
def test_license_stated_in_the_card_body(body, expected):
    assert license_in_body(body)[0] == expected


def test_a_card_that_declares_other_keeps_it_unless_the_body_names_the_license():
    bare = extract_readme(
        f"{HUB}/acme/x-7b/raw/main/README.md",
        "---\nlicense: other\n---\n\nX is a model that does a useful thing for everyone.\n",
    ).records[0]
    assert bare["license"] == "other" and bare.get("commercial_use") is None
    named = extract_readme(
        f"{HUB}/acme/x-7b/raw/main/README.md",
        "---\nlicense: other\n---\n\nX is a model that does a useful thing for everyone.\n\n## License\n\nX is released under the Apache 2.0 license.\n",
    ).records[0]
    assert named["license"] == "Apache-2.0" and named["commercial_use"] == "yes"
    assert "Apache 2.0" in named["evidence"]["license"]["snippet"]


def test_a_named_license_from_the_license_file_beats_a_bare_other():
    api = extract_document(
        f"{HUB}/api/models/acme/x-7b", json.dumps({"id": "acme/x-7b", "cardData": {"license": "other"}})
    ).records
    text = extract_document(
        f"{HUB}/acme/x-7b/raw/main/LICENSE", "   Apache License\n   Version 2.0, January 2004\n"
    ).records
    [(_, card)] = resolve(api + text)
    assert card["license"] == "Apache-2.0" and card["commercial_use"] == "yes"
    assert card["evidence"]["license"]["url"].endswith("/raw/main/LICENSE")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT\nLlama 3.1 Version Release Date: July 23, 2024", "llama3.1"),
        ("MIT License\n\nCopyright (c) 2025", "MIT"),
        ("Attribution-NonCommercial 4.0 International\n\n=====", "CC-BY-NC-4.0"),
        ("Some terms we wrote ourselves.", None),
    ],
)
def test_license_files_are_told_by_their_title(text, expected):
    assert license_of_text(text)[0] == expected


@pytest.mark.parametrize(
    ("license_id", "expected"),
    [("Apache-2.0", "yes"), ("GPL-3.0-only", "yes"), ("llama3.1", "yes"), ("CC-BY-NC-4.0", "no"),
     ("qwen-research", "no"), ("other", None), ("proprietary", None), (None, None), ("acme-custom", None)],
)  # fmt: skip
def test_commercial_use_from_the_license(license_id, expected):
    assert commercial_use(license_id) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("BLOOM has 176B parameters and was trained on 1.6TB of text.", 176.0),
        ("| Parameters: | 7.3B |", 7.3),
        ("A 350M-parameter encoder.", 0.35),
        ("Trained on 2 trillion tokens with a 4k context.", None),
    ],
)
def test_a_stated_parameter_count(text, expected):
    assert params_in_text(text)[0] == expected


def test_api_responses_with_a_query_string_are_model_objects():
    result = extract_document(
        f"{HUB}/api/models/acme/x-7b?expand=inferenceProviderMapping", json.dumps({"id": "acme/x-7b"})
    )
    assert result.status == "ok" and result.records[0]["hub_id"] == "acme/x-7b"


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: retry now
    assert retry_after_seconds("") is None and retry_after_seconds("soon") is None


TEMPLATE_CARD = """---
license: mit
tags:
- bart
---
# Model Card for kobart-like

# Model Details

## Model Description

> We present Tinybart, a compact encoder-decoder model for Korean summarisation, trained on
> forty gigabytes of news text.

- **Model type:** Text2Text Generation
- **Language(s) (NLP):** Korean

<div class="max-w-full overflow-auto">
<table>
<tr><th>Multitask finetuned on xP3. Recommended for prompting in English.</th></tr>
</table>
</div>

# Uses

## Out-of-Scope Use

The model should not be used to intentionally create hostile or alienating environments for people.

# Bias, Risks, and Limitations

Significant research has explored bias and fairness issues with language models in many settings.
"""


def test_template_card_description_model_type_and_no_boilerplate_sections():
    record = extract_readme("https://huggingface.co/acme/tinybart/raw/main/README.md", TEMPLATE_CARD).records[0]
    assert record["description"].startswith("We present Tinybart, a compact encoder-decoder model")
    assert "hostile" not in record["description"] and "xP3" not in record["description"]
    assert (record["task"], record["modality"]) == ("text2text-generation", "text")
    assert record["evidence"]["task"]["snippet"] == "- **Model type:** Text2Text Generation"


def test_free_wording_of_model_type_names_no_task():
    card = TEMPLATE_CARD.replace("Text2Text Generation", "Causal decoder-only")
    record = extract_readme("https://huggingface.co/acme/tinybart/raw/main/README.md", card).records[0]
    assert record.get("task") is None and record.get("modality") is None


EMPTY_TEMPLATE_CARD = """---
tags:
- text-generation
---
# Model Card for quill-6b

## Model Description

- **Developed by:** Acme Labs
- **Model type:** Text Generation

## Uses

### Direct Use

This model writes short interactive fiction from a few lines of setting and a character's voice.

### Out-of-Scope Use

More information needed

## Training Details

Trained for two epochs on a collection of public-domain adventure stories.
"""


def test_a_template_card_with_no_description_is_described_by_its_direct_use():
    record = extract_readme("https://huggingface.co/acme/quill-6b/raw/main/README.md", EMPTY_TEMPLATE_CARD).records[0]
    assert (
        record["description"]
        == "This model writes short interactive fiction from a few lines of setting and a character's voice."
    )
    filler = EMPTY_TEMPLATE_CARD.replace(
        "This model writes short interactive fiction from a few lines of setting and a character's voice.",
        "This model can be used for the task of Text Generation.",
    )
    record = extract_readme("https://huggingface.co/acme/quill-6b/raw/main/README.md", filler).records[0]
    assert record.get("description") is None  # the template's filler says no more than the task field


def test_a_hub_listing_says_which_entries_it_could_not_use():
    from compare.extract import extract_document

    listing = "https://huggingface.co/api/models?sort=createdAt&direction=-1"
    good = {"id": "acme/alpha-7b"}
    assert (
        extract_document(listing, json.dumps([good, good])).reason
        == "hub listing: 2 models (records come from each model)"
    )
    mixed = extract_document(listing, json.dumps([good, {"id": "evil/../../etc/passwd"}, "x", None]))
    assert mixed.status == "empty" and mixed.reason == (
        "problem: hub listing: 1 models; 3 of 4 entries skipped: not a model with a valid Hub id"
    )
    useless = extract_document(listing, json.dumps([{"id": 7}, {"tags": "x"}]))
    assert useless.status == "failed" and "2 of 2 entries skipped" in useless.reason
    assert extract_document(listing, '{"models": []}').reason == "Hub listing is not a JSON array"
