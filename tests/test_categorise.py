"""Categories where the rules are silent: from the nearest rule-categorised cards, with the
reason and its score; and modalities of Hub models from tags and libraries."""

import numpy as np
import pytest

from compare.categorise import REASON_PREFIX, categorise_by_neighbours, neighbour_category
from compare.extract.hub import extract_api_json, extract_readme
from compare.extract.vocab import category_for


def _card(name, description, category=None):
    return {"name": name, "description": description, "category": category, "kind": "model", "evidence": {},
            "category_reason": "modality 'text'" if category else None}  # fmt: skip


def _unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_an_uncategorised_card_takes_its_neighbours_category_with_reason_and_evidence(store):
    cards = [
        _card("bge-small-en", "An English sentence embedding model.", "Search & Embeddings"),
        _card("e5-base", "Text embeddings for retrieval.", "Search & Embeddings"),
        _card("Mistral-7B", "A 7B language model.", "Language Models"),
        _card("gte-tiny", "Small embeddings for search."),  # rules silent
        _card("mystery", "Nothing like anything here."),  # no close neighbour
    ]
    ids = []
    for number, card in enumerate(cards):
        card_id, _ = store.save_card(f"hub:org/{card['name']}", card, str(number))
        store.set_card_sources(card_id, [f"https://huggingface.co/org/{card['name']}"])
        ids.append(card_id)
    matrix = np.vstack([_unit(1, 0.1, 0), _unit(1, 0, 0.1), _unit(0, 1, 0), _unit(0.9, 0.2, 0), _unit(0, 0, 1)])
    matrix[4] = _unit(-1, -1, 0.2)
    counts = categorise_by_neighbours(store, np.array(ids), matrix)
    by_name = {card["name"]: card for card in store.cards()}
    gte = by_name["gte-tiny"]
    assert gte["category"] == "Search & Embeddings"
    assert gte["category_reason"].startswith(REASON_PREFIX) and "bge-small-en" in gte["category_reason"]
    assert "cosine 0.9" in gte["category_reason"]
    assert gte["evidence"]["category"] == {
        "url": "https://huggingface.co/org/gte-tiny",
        "snippet": gte["category_reason"],
    }
    assert by_name["mystery"]["category"] is None  # no neighbour close enough: unknown stays unknown
    assert by_name["Mistral-7B"]["category"] == "Language Models"  # rule categories are never touched
    assert counts["changed"] == 1 and counts["uncategorised"] == 1
    again = categorise_by_neighbours(store, np.array(ids), matrix)
    assert again["changed"] == 0  # idempotent


def test_a_split_vote_names_no_category():
    similarities = np.array([0.5, 0.5, 0.5, 0.5, 0.5], dtype=np.float32)
    categories = ["Image", "Video", "Coding", "Research", "Writing"]
    assert neighbour_category(similarities, categories, list("abcde")) is None
    assert neighbour_category(similarities, ["Image"] * 4 + ["Video"], list("abcde"))[0] == "Image"


@pytest.mark.parametrize(
    ("front_matter", "modality"),
    [
        ("tags:\n- text-generation\n- llama", "text"),  # an older card lists its task among its tags
        ("library_name: sentence-transformers", "embedding"),
        ("tags:\n- stable-diffusion\n- art", "image-generation"),
        ("tags:\n- vision", "vision"),
        ("license: mit", None),
    ],
)
def test_readme_modality_from_tags_and_library(front_matter, modality):
    body = f"---\n{front_matter}\n---\n# Model\n\nA model card with a paragraph long enough to count as prose here.\n"
    record = extract_readme("https://huggingface.co/org/model/raw/main/README.md", body).records[0]
    assert record.get("modality") == modality
    if modality:
        assert record["evidence"]["modality"]["snippet"] in body


def test_api_modality_from_library_when_no_pipeline_tag():
    body = '{"id": "org/emb", "library_name": "sentence-transformers", "tags": ["sentence-transformers", "bert"]}'
    record = extract_api_json("https://huggingface.co/api/models/org/emb", body).records[0]
    assert record["modality"] == "embedding"
    assert record["evidence"]["modality"]["snippet"] in body
    assert category_for({"name": "emb", "modality": "vision", "kind": "model"})[0] == "Vision & Documents"


@pytest.mark.parametrize(
    ("card", "category", "reason"),
    [({"name": "whisper-large-v3", "modality": "speech", "kind": "model"}, "Audio & Voice", "its modality is speech"),
     ({"name": "GPT-4.1 fine-tuning", "kind": "api", "description": "Fine-tune GPT-4.1 on your data."},
      "Developer Tools", "its name says “fine-tuning”"),
     ({"name": "Acme Chat", "kind": "api", "prices": [{"unit": "1M tokens"}]}, "Language Models",
      "priced per token (a language model API)")],
)  # fmt: skip
def test_category_reasons_are_words_an_editor_reads_not_rule_patterns(card, category, reason):
    assert category_for(card) == (category, reason)  # whole words, never the rule's pattern
