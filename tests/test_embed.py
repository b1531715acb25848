"""Embeddings: the bundled model loads offline and embeds by meaning; nothing is embedded twice."""

from __future__ import annotations

import numpy as np

from compare import stages
from compare.embed import MiniLMEmbedder, card_text


def test_bundled_model_loads_offline_and_captures_meaning(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    vectors = MiniLMEmbedder().encode(
        [
            "A small open vision-language model that describes images on a phone.",
            "A tiny multimodal model for image question answering on device.",
            "A speech recognition model that transcribes meetings.",
        ]
    )
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2


def test_only_new_or_changed_texts_are_embedded(store):
    first, _ = store.save_card("k:a", {"name": "A", "slug": "a", "description": "first text"}, "1")
    store.save_card("k:b", {"name": "B", "slug": "b", "description": "second text"}, "2")
    assert stages.embed_cards(store, "fake")["embedded"] == 2
    assert stages.embed_cards(store, "fake")["embedded"] == 0
    store.db["cards"].update(first, {"description": "a changed text"})
    assert stages.embed_cards(store, "fake")["embedded"] == 1
    assert "a changed text" in card_text(store.card(first))
