"""Benchmark: "tools like X", free-text search and pairings at 100k or 1M cards, in one process.

Synthetic cards (names, vendors, categories and descriptions drawn from a small vocabulary,
unit vectors around one topic per 50 cards standing in for embeddings) go into a temporary
database and index the way the stages write them. Then it times, with the real query embedder
for free text:
  - `like` (find the card, nearest neighbours, family and filter checks, re-ranking): p50/p95
  - `search` (FTS5 BM25 + query embedding + vectors, fused): p50/p95
  - suggested pairs for every card (all-pairs neighbours from the index, scoring, diversity)
and the recall@10 of the index and of the all-pairs neighbours against exact search on a
sample, the index build and peak memory. Targets: like p95 < 25 ms, search p95 < 50 ms, pairs
< 60 s at 100k and < 15 min at 1M; printed as ratios. Run: `make bench-latency`
(`make bench-latency CARDS=1000000`, or `--cards N`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from compare import pairing
from compare.db import Store, utc_now
from compare.embed import get_embedder
from compare.records import name_key
from compare.search import like, search
from compare.vectors import Manifest, VectorIndex, fingerprint, neighbours_of_all, write_index

VENDORS = ["Acme AI", "Northwind", "Globex", "Initech", "Umbrella Labs", "Hooli", "Vandelay", "Stark ML"]
CATEGORIES = {
    "Language Models": ("text", "chat model for reasoning, coding and long documents"),
    "Vision & Documents": ("vision-language", "vision language model that reads images, charts and scanned pages"),
    "Image": ("image-generation", "image generator that turns prompts into photos and illustrations"),
    "Audio & Voice": ("speech", "speech model that transcribes audio and speaks text aloud"),
    "Search & Embeddings": ("embedding", "embedding model for semantic search and retrieval"),
    "Coding": ("text", "coding assistant that completes code and reviews pull requests"),
}
ADJECTIVES = ["small", "fast", "open", "multilingual", "frontier", "efficient", "on-device", "enterprise"]
QUERIES = ["on-device OCR model", "open speech recognition", "cheap fast chat model", "image generation for ads",
           "embedding model for search", '"code review" assistant', "multilingual document reader"]  # fmt: skip


def synthetic_cards(n: int, rng: random.Random) -> list[dict]:
    cards = []
    for i in range(n):
        category = rng.choice(list(CATEGORIES))
        modality, job = CATEGORIES[category]
        vendor = rng.choice(VENDORS)
        name = f"{vendor.split()[0]} {rng.choice(['Nova', 'Orbit', 'Quill', 'Echo', 'Prism', 'Atlas'])} {i}"
        open_weights = rng.random() < 0.5
        cards.append(
            {
                "key": f"name:{vendor.lower()}:{name_key(name, vendor)}",
                "name": name,
                "slug": f"card-{i}",
                "vendor": vendor,
                "kind": "model" if open_weights else "api",
                "category": category,
                "category_reason": "synthetic",
                "modality": modality,
                "description": f"A {rng.choice(ADJECTIVES)}, {rng.choice(ADJECTIVES)} {job}.",
                "entry": "free" if open_weights else rng.choice(["paid", "freemium"]),
                "license": "Apache-2.0" if open_weights else "proprietary",
                "open_weights": int(open_weights),
                "family": f"family-{i // 3}",
                "is_variant": 0,
                "popularity": rng.randint(0, 100_000),
                "released": f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}",
                "urls": "[]", "prices": "[]", "links": "{}", "evidence": "{}", "aliases": "[]",
                "first_seen": utc_now(), "updated_at": utc_now(), "active": 1, "content_hash": str(i),
            }
        )  # fmt: skip
    return cards


def synthetic_vectors(categories: list[str], rng: np.random.Generator) -> np.ndarray:
    """Unit vectors near one of n/50 topics (at least 2,000) within their category, so neighbours
    share a job as description embeddings do and the density is the same at every size."""
    n = len(categories)
    names = sorted(set(CATEGORIES))
    centres = rng.normal(size=(len(names), 384)).astype(np.float32)
    topics = rng.normal(size=(max(2000, n // 50), 384)).astype(np.float32)
    category = np.array([names.index(c) for c in categories])
    matrix = np.empty((n, 384), dtype=np.float32)
    for start in range(0, n, 100_000):
        end = min(n, start + 100_000)
        noise = rng.normal(size=(end - start, 384)).astype(np.float32)
        matrix[start:end] = centres[category[start:end]] + topics[np.arange(start, end) % len(topics)] + 0.6 * noise
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix


def exact_top(matrix: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k nearest vectors to each of `rows`, by exact inner product."""
    chunks = [rows[start : start + 64] for start in range(0, len(rows), 64)]  # 64 columns of n scores at a time
    return np.concatenate([np.argpartition(-(matrix @ matrix[chunk].T), k, axis=0)[:k].T for chunk in chunks])


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    rng, np_rng = random.Random(7), np.random.default_rng(7)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        started = time.monotonic()
        cards = synthetic_cards(args.cards, rng)
        with store.db.conn:
            store.db["cards"].insert_all(cards, batch_size=2000)
            store.db["card_names"].insert_all(
                ({"card_id": i + 1, "name_key": name_key(c["name"])} for i, c in enumerate(cards)), batch_size=5000
            )
        ids = np.arange(1, args.cards + 1, dtype=np.int64)
        matrix = synthetic_vectors([c["category"] for c in cards], np_rng)
        stored_s = time.monotonic() - started
        t0 = time.perf_counter()
        write_index(Path(tmp) / "index", ids, matrix, Manifest("synthetic", 384, len(ids), fingerprint([])))
        index_build_s = time.perf_counter() - t0
        index = VectorIndex.load(Path(tmp) / "index")
        print(f"{args.cards} synthetic cards stored in {stored_s:.0f} s, indexed in {index_build_s:.0f} s", flush=True)

        names = [cards[rng.randrange(args.cards)]["name"] for _ in range(args.queries)]
        like(store, index, names[0], k=10)  # warm caches
        timings = []
        for name in names:
            t0 = time.perf_counter()
            like(store, index, name, k=10)
            timings.append((time.perf_counter() - t0) * 1000)
        like_p50, like_p95 = percentile(timings, 50), percentile(timings, 95)

        embedder = get_embedder(os.environ.get("COMPARE_EMBEDDER", "real"))
        search(store, index, embedder, QUERIES[0], k=10)
        timings = []
        for i in range(args.queries):
            t0 = time.perf_counter()
            search(store, index, embedder, QUERIES[i % len(QUERIES)], k=10)
            timings.append((time.perf_counter() - t0) * 1000)
        search_p50, search_p95 = percentile(timings, 50), percentile(timings, 95)

        t0 = time.perf_counter()
        scores, hits = neighbours_of_all(ids, matrix, 13, index.index)
        neighbours_s = time.perf_counter() - t0
        by_id = {i + 1: {**c, "id": i + 1, "open_weights": bool(c["open_weights"])} for i, c in enumerate(cards)}
        pairs = pairing.suggest(by_id, pairing.neighbour_lists(ids, scores, hits), set(), 3)
        pairs_seconds = time.perf_counter() - t0

        sample = np_rng.choice(len(ids), size=min(500, len(ids)), replace=False)
        truth = exact_top(matrix, sample, 10) + 1
        recall = np.mean([len(set(truth[r]) & set(hits[s][:10])) / 10 for r, s in enumerate(sample)])
        found = [{i for i, _ in index.search(matrix[s], 10)} for s in sample]
        index_recall = np.mean([len(set(truth[r]) & found[r]) / 10 for r in range(len(sample))])

    pairs_target = 900 if args.cards >= 1_000_000 else 60
    report = {
        "cards": args.cards, "cpu_count": os.cpu_count(),
        "index": {"build_s": round(index_build_s, 1), "recall_at_10": round(float(index_recall), 3),
                  "target_recall": 0.95},
        "like_ms": {"p50": round(like_p50, 2), "p95": round(like_p95, 2), "target_p95": 25},
        "search_ms": {"p50": round(search_p50, 2), "p95": round(search_p95, 2), "target_p95": 50},
        "pairs": {"seconds": round(pairs_seconds, 1), "neighbours_s": round(neighbours_s, 1), "count": len(pairs),
                  "target_seconds": pairs_target, "neighbour_recall_at_10": round(float(recall), 3)},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }  # fmt: skip
    print(json.dumps(report, indent=2))
    print(
        f"ratios to target: like p95 {like_p95 / 25:.2f}x, search p95 {search_p95 / 50:.2f}x, "
        f"pairs {pairs_seconds / pairs_target:.2f}x (below 1 meets the target); "
        f"recall@10 index {index_recall / 0.95:.2f}x, neighbours {recall / 0.95:.2f}x of 0.95 (at least 1 meets it)"
    )


if __name__ == "__main__":
    main()
