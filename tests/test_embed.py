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


def test_onnx_path_is_exported_locally_and_equals_the_torch_path(tmp_path):
    from compare.embed import ONNX_MAX_COSINE_GAP, MiniLMEmbedder, OnnxMiniLMEmbedder

    texts = ["On-device OCR for scanned invoices", "A frontier closed model for agents", "bge-m3", "x" * 3000]
    onnx = OnnxMiniLMEmbedder(tmp_path)
    vectors = onnx.encode(texts)  # exports from the bundled weights, then checks itself against torch
    assert (tmp_path / "all-MiniLM-L6-v2.onnx").exists()
    reference = MiniLMEmbedder().encode(texts)
    assert vectors.shape == reference.shape == (4, 384)
    assert float((1 - (vectors * reference).sum(axis=1)).max()) <= ONNX_MAX_COSINE_GAP
    assert onnx.model_id == MiniLMEmbedder.model_id  # stored vectors stay valid across the two paths


def test_queries_arriving_together_are_encoded_as_one_batch_and_each_caller_gets_its_own_vector():
    import threading

    from compare.embed import HashingEmbedder, QueryBatcher

    calls: list[int] = []

    class Counting(HashingEmbedder):
        def encode(self, texts):
            calls.append(len(texts))
            return super().encode(texts)

    inner = Counting()
    batcher = QueryBatcher(inner, wait_s=0.05)
    texts = [f"query number {n}" for n in range(40)]
    got: dict[str, object] = {}
    threads = [threading.Thread(target=lambda t=t: got.__setitem__(t, batcher.encode([t]))) for t in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) < 10 and sum(calls) == 40  # batched, every query once
    expected = HashingEmbedder().encode(texts)
    for n, text in enumerate(texts):
        assert (got[text][0] == expected[n]).all()  # each caller its own vector
