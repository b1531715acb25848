"""Entity resolution: one card per tool, aliases merge, different products and Hub models stay apart."""

from __future__ import annotations

from compare.records import name_key
from compare.resolve import resolve


def rec(name, vendor, kind, url, **extra):
    return {
        "name": name,
        "vendor": vendor,
        "page_kind": kind,
        "source_url": url,
        "urls": [url],
        "evidence": {},
        **extra,
    }


def test_name_key_ignores_word_order_vendor_and_snapshot_dates():
    assert name_key("Claude 4 Opus") == name_key("Claude Opus 4") == name_key("claude-opus-4")
    assert name_key("OpenAI o4-mini", "OpenAI") == name_key("o4-mini", "OpenAI")
    assert name_key("gpt-5-2025-08-07 fine-tuning") == name_key("GPT-5 fine-tuning")
    assert name_key("GPT-4.1 mini") == name_key("gpt-4.1-mini") != name_key("GPT-4.1")


def test_launch_post_and_pricing_row_become_one_card_but_products_stay_apart():
    records = [
        rec("Claude Opus 4", "Anthropic", "launch", "https://www.anthropic.com/news/claude-opus-4", license="proprietary"),
        rec("Claude 4 Opus", "Anthropic", "pricing_row", "https://www.anthropic.com/pricing",
            prices=[{"item": "input", "amount": 15.0, "currency": "USD", "unit": "1M tokens", "tier": None},
                    {"item": "output", "amount": 75.0, "currency": "USD", "unit": "1M tokens", "tier": None}]),
        rec("Claude Sonnet 4", "Anthropic", "pricing_row", "https://www.anthropic.com/pricing"),
        rec("Claude Opus 4", "Other Corp", "launch", "https://other.example/opus"),
    ]  # fmt: skip
    cards = {key: card for key, card in resolve(records)}
    assert len(cards) == 3
    opus = cards["name:anthropic:4 opus"]
    assert opus["name"] == "Claude Opus 4" and opus["license"] == "proprietary"
    assert opus["pricing_text"] == "$15 / $75 per million input / output tokens"
    assert opus["sources"] == ["https://www.anthropic.com/news/claude-opus-4", "https://www.anthropic.com/pricing"]


def test_feed_items_alone_make_no_card_but_join_their_article():
    records = [
        rec("SmolVLM2", "Hugging Face", "feed_item", "https://huggingface.co/blog/feed.xml",
            item_url="https://huggingface.co/blog/smolvlm2"),
        rec("SmolVLM2", "Hugging Face", "launch", "https://huggingface.co/blog/smolvlm2",
            hub_links=["HuggingFaceTB/SmolVLM2-2.2B-Instruct"]),
        rec("SmolVLM2-2.2B-Instruct", "Hugging Face", "hub_api", "https://huggingface.co/api/models/HuggingFaceTB/SmolVLM2-2.2B-Instruct",
            hub_id="HuggingFaceTB/SmolVLM2-2.2B-Instruct", open_weights=True, license="Apache-2.0"),
        rec("Lonely", "Nobody", "feed_item", "https://x.example/feed.xml", item_url="https://x.example/lonely"),
    ]  # fmt: skip
    cards = resolve(records)
    assert [card["name"] for _, card in cards] == ["SmolVLM2-2.2B-Instruct"]
    assert len(cards[0][1]["sources"]) == 3


def test_two_hub_models_never_merge_and_variants_join_their_family():
    base = "HuggingFaceTB/SmolVLM2-2.2B-Instruct"
    records = [
        rec("SmolVLM2-2.2B-Instruct", "Hugging Face", "hub_api", "u1", hub_id=base, params_b=2.25,
            evidence={"params_b": {"url": "u1", "snippet": "total"}}),
        rec("SmolVLM2-2.2B-Instruct-GGUF", "ggml-org", "hub_api", "u2", hub_id="ggml-org/SmolVLM2-2.2B-Instruct-GGUF",
            base_model=base, base_model_relation="quantized", params_b=1.71),
        # same name and vendor as the first, different repository: must stay its own card
        rec("SmolVLM2-2.2B-Instruct", "Hugging Face", "hub_api", "u3", hub_id="someone/SmolVLM2-2.2B-Instruct"),
    ]  # fmt: skip
    cards = {card["hub_id"]: card for _, card in resolve(records)}
    assert len(cards) == 3
    gguf = cards["ggml-org/SmolVLM2-2.2B-Instruct-GGUF"]
    assert gguf["family"] == base and gguf["is_variant"]
    assert gguf["params_b"] == 2.25  # a quantized copy is as big as its base
    assert not cards[base]["is_variant"] and not cards["someone/SmolVLM2-2.2B-Instruct"]["is_variant"]


def test_sizes_of_one_model_line_share_a_family_across_hub_repos_of_one_vendor():
    records = [
        rec("Qwen2.5-VL-7B-Instruct", "Alibaba Qwen", "hub_api", "u1", hub_id="Qwen/Qwen2.5-VL-7B-Instruct"),
        rec("Qwen2.5-VL-72B-Instruct", "Alibaba Qwen", "hub_api", "u2", hub_id="Qwen/Qwen2.5-VL-72B-Instruct"),
        rec("Qwen2.5-VL-7B-Instruct", "someone", "hub_api", "u3", hub_id="someone/Qwen2.5-VL-7B-Instruct"),
        rec("Qwen3-8B", "Alibaba Qwen", "hub_api", "u4", hub_id="Qwen/Qwen3-8B"),
    ]
    families = {card["hub_id"]: card["family"] for _, card in resolve(records)}
    assert families["Qwen/Qwen2.5-VL-7B-Instruct"] == families["Qwen/Qwen2.5-VL-72B-Instruct"]
    assert families["someone/Qwen2.5-VL-7B-Instruct"] != families["Qwen/Qwen2.5-VL-7B-Instruct"]
    assert families["Qwen/Qwen3-8B"] != families["Qwen/Qwen2.5-VL-7B-Instruct"]


def test_a_third_party_variant_follows_its_base_when_model_lines_join():
    """Each size roots at its own (uncarded) base; joining the line must carry the GGUF along."""
    records = [
        rec("SmolVLM2-2.2B-Instruct", "Hugging Face", "hub_api", "u1", hub_id="HuggingFaceTB/SmolVLM2-2.2B-Instruct",
            base_model="HuggingFaceTB/SmolVLM-Instruct", base_model_relation="finetune"),
        rec("SmolVLM2-500M-Video-Instruct", "Hugging Face", "hub_api", "u2", hub_id="HuggingFaceTB/SmolVLM2-500M-Video-Instruct",
            base_model="HuggingFaceTB/SmolVLM-500M-Instruct", base_model_relation="finetune"),
        rec("SmolVLM2-2.2B-Instruct-GGUF", "ggml-org", "hub_api", "u3", hub_id="ggml-org/SmolVLM2-2.2B-Instruct-GGUF",
            base_model="HuggingFaceTB/SmolVLM2-2.2B-Instruct", base_model_relation="quantized"),
        rec("moondream2", "moondream", "hub_api", "u4", hub_id="vikhyatk/moondream2"),
    ]  # fmt: skip
    families = {card["hub_id"]: card["family"] for _, card in resolve(records)}
    assert len({families[h] for h in families if "SmolVLM" in h}) == 1
    assert families["vikhyatk/moondream2"] != families["ggml-org/SmolVLM2-2.2B-Instruct-GGUF"]


def test_editor_merge_and_split_decisions_apply_on_every_resolve():
    records = [
        rec("Claude Opus 4", "Anthropic", "launch", "https://www.anthropic.com/news/claude-opus-4"),
        rec("Claude Opus 4", "Anthropic", "pricing_row", "https://www.anthropic.com/pricing"),
        rec("Claude Opus 4.1", "Anthropic", "pricing_row", "https://www.anthropic.com/pricing"),
    ]
    opus, opus_41 = "name:anthropic:4 opus", "name:anthropic:4.1 opus"
    assert set(dict(resolve(records))) == {opus, opus_41}
    merged = dict(resolve(records, [{"kind": "merge", "key": opus, "other": opus_41, "url": ""}]))
    assert set(merged) == {opus} and merged[opus]["name"] == "Claude Opus 4"
    split = dict(
        resolve(records, [{"kind": "split", "key": opus, "other": "", "url": "https://www.anthropic.com/pricing"}])
    )
    assert split[opus]["sources"] == ["https://www.anthropic.com/news/claude-opus-4"]
    assert split[f"{opus}|split:https://www.anthropic.com/pricing"]["sources"] == ["https://www.anthropic.com/pricing"]
    # A decision about a card that no longer exists changes nothing.
    assert dict(resolve(records, [{"kind": "merge", "key": "name:x:y", "other": "name:x:z", "url": ""}])) == dict(
        resolve(records)
    )


def plan(name, url, **extra):
    return {**rec(name, "Anthropic", "pricing_row", url, **extra), "kind": "product"}


def test_plans_join_their_product_family_and_share_its_category():
    pricing = "https://www.anthropic.com/pricing"
    records = [
        plan("Claude", pricing, plan="Free", product="Claude",
            description="Chat on web, iOS, Android and desktop"),
        plan("Claude Pro", pricing, plan="Pro", product="Claude",
            description="More usage than Free; Unlimited projects to organize chats"),
        plan("Claude Max", pricing, plan="Max", product="Claude",
            description="Higher output limits for all tasks"),
    ]  # fmt: skip
    cards = {card["name"]: card for _, card in resolve(records)}
    assert {card["family"] for card in cards.values()} == {"claude"}
    assert {card["category"] for card in cards.values()} == {"Chatbots & Assistants"}
    assert cards["Claude Max"]["category_reason"].startswith("a plan of Claude, like Claude, Claude Pro")
    assert cards["Claude"]["category_reason"] == "its description says “Chat”"


def test_a_point_release_joins_its_major_versions_family_and_an_unsized_root_names_a_line():
    from compare.resolve import _merge_model_lines, assign_families

    opus = [{"name": "Claude Opus 4", "vendor": "Anthropic"}, {"name": "Claude Opus 4.1", "vendor": "Anthropic"},
            {"name": "GPT-4.1", "vendor": "OpenAI"}]  # fmt: skip
    assign_families(opus)
    assert [c["family"] for c in opus] == ["claude-opus-4", "claude-opus-4", "gpt-4-1"]  # no GPT-4 card to join
    smol = [
        {"name": "SmolVLM2-2.2B-Instruct", "vendor": "Hugging Face", "hub_id": "HuggingFaceTB/SmolVLM2-2.2B-Instruct",
         "base_model": "HuggingFaceTB/SmolVLM-Instruct", "evidence": {}},
        {"name": "SmolVLM2-500M-Video-Instruct", "vendor": "Hugging Face",
         "hub_id": "HuggingFaceTB/SmolVLM2-500M-Video-Instruct", "base_model": "HuggingFaceTB/SmolVLM-500M-Instruct",
         "evidence": {}},
    ]  # fmt: skip
    assign_families(smol)
    _merge_model_lines(smol)
    assert {c["family"] for c in smol} == {"HuggingFaceTB/SmolVLM-Instruct"}  # the line, as the 2.2B's card says
