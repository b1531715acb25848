"""Benchmark: the embedding model through torch (sentence-transformers) and through ONNX
Runtime (exported locally from the bundled weights). Prints texts per second for each, the
ratio, and the largest cosine gap between the two paths' vectors (it must stay under 1e-4).
Run: `make bench-embed`.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import numpy as np

from compare.embed import MiniLMEmbedder, OnnxMiniLMEmbedder


def card_texts() -> list[str]:
    """What the embed stage embeds: the text of every card the snapshot pages give."""
    from compare.config import PROJECT_ROOT
    from compare.embed import card_text
    from compare.resolve import resolve
    from evals.cards import default_roots, load_records

    records = [record for page in load_records(default_roots(PROJECT_ROOT)).values() for record in page]
    return [card_text(card) for _, card in resolve(records)]


TEXTS = card_texts()


def throughput(embedder: object, rounds: int = 3) -> tuple[float, np.ndarray]:
    vectors = embedder.encode(TEXTS)  # warm: loads (and for ONNX exports) the model
    started = time.perf_counter()
    for _ in range(rounds):
        embedder.encode(TEXTS)
    return len(TEXTS) * rounds / (time.perf_counter() - started), vectors


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        torch_rate, torch_vectors = throughput(MiniLMEmbedder())
        onnx_rate, onnx_vectors = throughput(OnnxMiniLMEmbedder(Path(tmp)))
    gap = float((1 - (torch_vectors * onnx_vectors).sum(axis=1)).max())
    report = {"texts": len(TEXTS), "torch_per_s": round(torch_rate, 1), "onnx_per_s": round(onnx_rate, 1),
              "onnx_over_torch": round(onnx_rate / torch_rate, 2), "max_cosine_gap": gap}  # fmt: skip
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
