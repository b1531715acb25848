"""Tools like X, free-text search and pairings over a small store with the fake embedder."""

from __future__ import annotations

import pytest

from compare import stages
from compare.embed import HashingEmbedder
from compare.records import resale_of, same_maker
from compare.search import (
    NotFoundError,
    find_card,
    fts_query,
    like,
    name_similarity,
    scale_closeness,
    search,
)
from compare.vectors import StaleIndexError
from conftest import CARDS


@pytest.fixture
def indexed(store, tmp_path):
    for key, card in CARDS:
        store.save_card(key, {"slug": card["name"].lower().replace(".", "-"), **card}, key)
    stages.embed_cards(store, "fake")
    stages.build_index(store, tmp_path / "index", HashingEmbedder.model_id)
    return store, stages.load_index(store, tmp_path / "index"), tmp_path / "index"


def test_find_card_by_alias_fuzzy_and_did_you_mean(indexed):
    store, _, _ = indexed
    assert find_card(store, "Claude 4 Opus")["name"] == "Claude Opus 4"
    assert find_card(store, "SmolVLM2-2B")["name"] == "SmolVLM2-2.2B-Instruct"
    assert find_card(store, "a/smolvlm2-2.2b-instruct")["name"] == "SmolVLM2-2.2B-Instruct"
    with pytest.raises(NotFoundError, match="did you mean"):
        find_card(store, "moon")
    assert name_similarity("SmolVLM2-2B", "SmolLM3-3B") < 0.5


def test_find_card_by_an_api_id_alias_and_fuzzy_says_so(indexed):
    store, _, _ = indexed
    card = find_card(store, "Claude Opus 4")
    store.save_card("name:anthropic:4 claude opus", {**card, "aliases": ["claude-opus-4-20250514"]}, "changed")
    assert find_card(store, "claude-opus-4-20250514")["name"] == "Claude Opus 4"  # dates dropped, key of an alias
    assert find_card(store, "Claude Opus 4")["matched"] == "name"
    assert find_card(store, "SmolVLM2-2B")["matched"].startswith("fuzzy")
    with pytest.raises(NotFoundError, match="did you mean"):
        find_card(store, "SmolVLM2-2B", fuzzy=False)  # editors' decisions never act on a guess


def test_like_filters_and_explains(indexed):
    from compare.search import Filters

    store, index, _ = indexed
    names = [hit["card"]["name"] for hit in like(store, index, "moondream2", k=5, filters=Filters(open_weights=True))]
    assert names and all(find_card(store, name)["open_weights"] for name in names)
    assert "GPT-5" not in names and "Claude Opus 4" not in names
    only_speech = like(store, index, "moondream2", k=5, filters=Filters(modality="Speech"))
    assert [hit["card"]["name"] for hit in only_speech] == ["whisper-large-v3-turbo"]
    assert like(store, index, "moondream2", k=5, filters=Filters(vendor="Nobody")) == []
    [hit] = like(store, index, "GPT-5", k=1, with_reasons=True)
    assert hit["card"]["name"] == "Claude Opus 4"
    why = hit["why"]
    assert why["same_category"] == "Language Models" and why["same_license"] == "proprietary"
    assert {"frontier", "closed", "reasoning", "coding"} <= set(why["shared_words"])
    assert why["similarity"] > 0.5  # the hit's score is a fused rank; the reason states the cosine
    assert why["sentence"].startswith("very similar description; both Language Models")  # words; the number is data
    assert "cosine" not in why["sentence"] and f"{why['similarity']:.2f}" not in why["sentence"]
    [tiny] = like(store, index, "SmolVLM2-2.2B-Instruct", k=1, with_reasons=True)
    assert tiny["card"]["name"] == "moondream2"  # the family's GGUF copy is excluded
    assert tiny["why"]["weight_class"] == {
        "measure": "size",
        "query": 2.2,
        "other": 1.9,
        "closeness": pytest.approx(0.936, abs=1e-3),
    }
    assert "1.9B parameters against 2.2B parameters" in tiny["why"]["sentence"]


def test_like_excludes_itself_and_its_family(indexed):
    store, index, _ = indexed
    names = [hit["card"]["name"] for hit in like(store, index, "SmolVLM2-2B", k=5)]
    assert "SmolVLM2-2.2B-Instruct" not in names and "SmolVLM2-2.2B-Instruct-GGUF" not in names
    assert names[0] == "moondream2"
    scores = [hit["score"] for hit in like(store, index, "GPT-5", k=5)]
    assert scores == sorted(scores, reverse=True)


def test_search_is_hybrid_and_safe_with_odd_characters(indexed):
    store, index, _ = indexed
    hits = search(store, index, HashingEmbedder(), "speech transcription", k=3)
    assert hits[0]["card"]["name"] == "whisper-large-v3-turbo"
    for hostile in ['"unbalanced', "AND OR NOT", "col:umn*", "(", "—", 'a" OR "b']:
        search(store, index, HashingEmbedder(), hostile, k=3)
    assert fts_query("!!!") is None
    from compare.search import lexical_queries

    assert lexical_queries(store, '"open speech" recognition AND') == [  # rarest words first; "and" is no operator
        '"open speech" AND "speech" AND "recognition" AND "open"',
        '"speech" OR "recognition" OR "open"',
    ]
    phrase = search(store, index, HashingEmbedder(), '"open speech" model', k=3, mode="bm25")
    assert phrase[0]["card"]["name"] == "whisper-large-v3-turbo"
    # A phrase no card has: the cards with any of its telling words follow.
    assert search(store, index, HashingEmbedder(), '"speech vision" tiny', k=3, mode="bm25")
    assert fts_query('on-device "OCR"') == '"device" OR "ocr"'  # "on" is too common to tell tools apart
    assert fts_query("the model") == '"the" OR "model"'  # only common words: they are all there is


def test_stale_index_is_refused(indexed):
    store, _, index_dir = indexed
    card = find_card(store, "GPT-5")
    store.db["cards"].update(card["id"], {"description": "Now something else entirely."})
    stages.embed_cards(store, "fake")
    with pytest.raises(StaleIndexError, match="stale"):
        stages.load_index(store, index_dir)
    assert stages.build_index(store, index_dir, HashingEmbedder.model_id)["indexed"] == len(CARDS)
    stages.load_index(store, index_dir)


def test_pairs_never_same_family_or_variant_and_always_explained(indexed):
    store, _, index_dir = indexed
    stages.suggest_pairs(store, index_dir, neighbours=5, max_per_card=3)
    pairs = stages.pairs_with_cards(store, 20)
    assert pairs
    for pair in pairs:
        a, b = pair["a"], pair["b"]
        assert a["id"] != b["id"] and a["family"] != b["family"]
        assert not a["is_variant"] and not b["is_variant"]
        assert 0 < pair["reasons"]["similarity"] <= 1 and pair["score"] > 0
        assert pair["why"].endswith(".") and a["name"] in pair["why"] and b["name"] in pair["why"]


def test_rejected_pair_never_returns(indexed):
    store, _, index_dir = indexed
    stages.suggest_pairs(store, index_dir, neighbours=5, max_per_card=3)
    first = stages.pairs_with_cards(store, 1)[0]
    store.decide_pair(first["a"]["id"], first["b"]["id"], "rejected")
    stages.suggest_pairs(store, index_dir, neighbours=5, max_per_card=3)
    again = {(p["a"]["id"], p["b"]["id"]) for p in stages.pairs_with_cards(store, 50)}
    assert (first["a"]["id"], first["b"]["id"]) not in again


def test_beyond_the_exact_limit_neighbours_and_vectors_stay_right(monkeypatch, tmp_path):
    import numpy as np

    from compare import vectors

    rng = np.random.default_rng(0)
    matrix = (rng.normal(size=(60, 32))[np.arange(3000) % 60] + 0.3 * rng.normal(size=(3000, 32))).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    ids = np.arange(1, 3001, dtype=np.int64)
    _, exact = vectors.neighbours_of_all(ids, matrix, 5)
    monkeypatch.setattr(vectors, "EXACT_LIMIT", 100)
    _, approximate = vectors.neighbours_of_all(ids, matrix, 5)
    recall = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(exact, approximate, strict=True)])
    assert recall >= 0.9 and (approximate[:, 0] == ids).mean() >= 0.99  # each vector finds itself first
    vectors.write_index(tmp_path, ids, matrix, vectors.Manifest("m", 32, 3000, "fp"))
    index = vectors.VectorIndex.load(tmp_path)
    assert vectors._graph(index.index).hnsw.efSearch == vectors.QUERY_EF
    assert np.allclose(index.vector(1234), matrix[1233])  # the HNSW index gives a card's vector back
    assert index.search(matrix[1233], 1)[0][0] == 1234
    _, from_the_index = vectors.neighbours_of_all(ids, matrix, 5, index.index)  # the built index, reused
    assert (from_the_index == approximate).mean() >= 0.99
    assert vectors._graph(index.index).hnsw.efSearch == vectors.QUERY_EF  # queries keep their own setting


def test_free_text_leaves_out_words_too_common_to_tell_cards_apart(indexed, monkeypatch):
    from compare import search as search_module

    store, _, _ = indexed
    # At scale a word in more than a tenth of the cards is left out; here 3 of 7 cards say "open".
    monkeypatch.setattr(search_module, "COMMON_MIN", 0)
    monkeypatch.setattr(search_module, "COMMON_SHARE", 0.2)
    assert search_module.lexical_queries(store, "open speech") == ['"speech"']
    assert search_module.lexical_queries(store, "open") == []  # nothing telling: vectors alone


def test_alternatives_are_of_the_same_weight_class_and_resales_are_the_tool_itself():
    def card(name, vendor, **fields):
        return {"name": name, "vendor": vendor, **fields}

    def per_token(amount, tier=None):
        return {"item": "input", "amount": amount, "currency": "USD", "unit": "1M tokens", "tier": tier}

    def monthly(amount, tier=None):
        return {"item": "subscription", "amount": amount, "currency": "USD", "unit": "month", "tier": tier}

    nano = card("gpt-5-nano", "OpenAI", prices=[per_token(0.05), per_token(0.025, "batch")])
    micro = card("Amazon Nova Micro", "Amazon", prices=[per_token(0.035)])
    opus = card("Claude Opus 4", "Anthropic", prices=[per_token(15.0)])
    assert scale_closeness(nano, micro) > 0.8 and scale_closeness(nano, opus) == 0.0  # 300x apart
    plus, pro = card("ChatGPT Plus", "OpenAI", prices=[monthly(20.0)]), card("Claude Pro", "Anthropic")
    pro["prices"] = [monthly(17.0, "billed annually"), monthly(20.0)]
    assert scale_closeness(plus, pro) == 1.0  # list prices, not the annual discount
    assert scale_closeness(plus, card("Claude", "Anthropic", prices=[monthly(0.0)])) == 0.0  # paid vs free plan
    assert scale_closeness(card("a", "x", entry="contact"), card("b", "y", entry="contact")) == 1.0
    assert scale_closeness(card("Phi-4", "Microsoft", params_b=14.0), card("gemma", "Google", params_b=9.0)) > 0.8
    assert scale_closeness(nano, card("Phi-4", "Microsoft", params_b=14.0)) is None  # nothing to compare

    sonnet = card("Claude Sonnet 4", "Anthropic")
    assert same_maker(sonnet, card("Anthropic's Claude 3.7 Sonnet", "Google"))  # Vertex AI's resale
    assert not same_maker(sonnet, card("Gemini 2.5 Pro", "Google"))
    mini = card("OpenAI o3-mini", "OpenAI")
    assert resale_of(mini, card("o3-mini", "Microsoft")) and not resale_of(mini, card("o4-mini", "Microsoft"))
    assert not resale_of(mini, mini)  # the tool itself is excluded apart
    assert resale_of(card("o3-mini", "Microsoft"), mini) is False  # o3-mini by Microsoft names no OpenAI words
    enterprise = card("Enterprise", "Anysphere", kind="product")
    assert not resale_of(card("Claude Enterprise", "Anthropic", kind="product"), enterprise)  # plans, not resales
    assert not same_maker(card("Mistral Medium 3", "Mistral AI"), card("Google AI Ultra", "Google"))  # "AI" is no maker


def test_pairs_and_categories_are_skipped_only_while_their_inputs_stand(indexed):
    store, _, index_dir = indexed
    assert "unchanged" not in stages.suggest_pairs(store, index_dir, neighbours=5, max_per_card=3)
    again = stages.suggest_pairs(store, index_dir, neighbours=5, max_per_card=3)
    assert again["unchanged"] == 1 and again["pairs"] == store.suggestion_count() > 0
    assert "unchanged" not in stages.suggest_pairs(store, index_dir, neighbours=5, max_per_card=2)  # other settings
    first = stages.pairs_with_cards(store, 1)[0]
    store.decide_pair(first["a"]["id"], first["b"]["id"], "rejected")  # an editor's decision is an input
    assert "unchanged" not in stages.suggest_pairs(store, index_dir, neighbours=5, max_per_card=2)

    assert "unchanged" not in stages.categorise_cards(store, "fake")
    assert stages.categorise_cards(store, "fake")["unchanged"] == 1
    card = find_card(store, "moondream2")
    store.save_card(card["key"], {**card, "category": None}, "a rule no longer decides it")  # a card changed
    assert "unchanged" not in stages.categorise_cards(store, "fake")


def test_search_results_say_why_they_were_found(indexed):
    store, index, _ = indexed
    hits = search(store, index, HashingEmbedder(), "speech transcription", k=3)
    top = hits[0]
    assert top["card"]["name"] == "whisper-large-v3-turbo"
    assert "speech" in top["why"]["matched_words"] and top["why"]["sentence"].startswith("mentions speech")
    assert all(hit["why"]["sentence"] for hit in hits)
    assert "0." not in top["why"]["sentence"]  # words, not scores


def test_a_truncated_or_random_index_file_is_rebuilt_from_the_database(indexed):
    store, index, index_dir = indexed
    expected = [hit["card"]["name"] for hit in like(store, index, "moondream2", k=3)]
    faiss_file = index_dir / "cards.faiss"
    good = faiss_file.read_bytes()
    for broken in (good[:1000], bytes(range(256)) * 20):
        faiss_file.write_bytes(broken)
        rebuilt = stages.load_index(store, index_dir)
        assert [hit["card"]["name"] for hit in like(store, rebuilt, "moondream2", k=3)] == expected
        assert faiss_file.stat().st_size > 1000  # written again, whole
