"""Benchmark: which approximate index, by measurement. On the synthetic vectors of
bench/latency.py (one topic per 50 cards), builds an IVF index (4 sqrt(n) lists) and an HNSW
graph (the settings of compare.vectors) and prints, per setting, the build seconds, recall@10
against exact search on 500 queries and the p95 of one query. Run: `python bench/ann.py
--cards 100000`.
"""

from __future__ import annotations

import argparse
import json
import random
import time

import faiss
import numpy as np
from latency import CATEGORIES, exact_top, percentile, synthetic_vectors

from compare import vectors


def measure(index: faiss.Index, matrix: np.ndarray, sample: np.ndarray, truth: np.ndarray) -> dict[str, float]:
    found = index.search(matrix[sample], 10)[1]
    timings = []
    for row in sample[:300]:
        started = time.perf_counter()
        index.search(matrix[row : row + 1], 10)
        timings.append((time.perf_counter() - started) * 1000)
    recall = np.mean([len(set(truth[r]) & set(found[r])) / 10 for r in range(len(sample))])
    return {"recall_at_10": round(float(recall), 3), "p95_ms": round(percentile(timings, 95), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=100_000)
    args = parser.parse_args()
    rng = np.random.default_rng(7)
    picks = random.Random(7)
    matrix = synthetic_vectors([picks.choice(list(CATEGORIES)) for _ in range(args.cards)], rng)
    sample = rng.choice(args.cards, size=500, replace=False)
    truth = exact_top(matrix, sample, 10)
    report: dict[str, dict] = {}

    started = time.perf_counter()
    lists = int(4 * args.cards**0.5)
    ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(384), 384, lists, faiss.METRIC_INNER_PRODUCT)
    ivf.train(matrix[rng.choice(args.cards, min(args.cards, 64 * lists), replace=False)])
    ivf.add(matrix)
    build = round(time.perf_counter() - started, 1)
    for probes in (16, 32, 64):
        ivf.nprobe = probes
        report[f"ivf nprobe={probes}"] = {"build_s": build, **measure(ivf, matrix, sample, truth)}

    started = time.perf_counter()
    graph = faiss.IndexHNSWFlat(384, vectors.HNSW_LINKS, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efConstruction = vectors.HNSW_BUILD_EF
    graph.add(matrix)
    build = round(time.perf_counter() - started, 1)
    for ef in (vectors.ALL_PAIRS_EF, vectors.QUERY_EF):
        graph.hnsw.efSearch = ef
        report[f"hnsw M={vectors.HNSW_LINKS} efSearch={ef}"] = {
            "build_s": build,
            **measure(graph, matrix, sample, truth),
        }
    print(json.dumps({"cards": args.cards, **report}, indent=2))


if __name__ == "__main__":
    main()
