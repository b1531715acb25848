"""Benchmark: "tools like X" quality on the labelled queries (tests/fixtures/similar).

Builds the universe of cards from the snapshot pages with the real embedding model and prints
precision@5, recall@10 and nDCG@10 for BM25 only, vectors only and hybrid, against the targets
(P@5 >= 0.6; hybrid nDCG@10 above both); the same for free-text search on its own labelled
queries (tests/fixtures/search); then tools like X on a second domain labelled by others
(../shared/corpus/alternatives_truth, where present). Run: `make bench-similar`.
"""

from __future__ import annotations

import time

from compare.config import PROJECT_ROOT
from evals.cards import default_roots, load_labels
from evals.similar import SUBMISSIONS, evaluate, evaluate_alternatives, evaluate_search, format_report

TARGET_P5 = 0.6


def main() -> None:
    started = time.monotonic()
    report = evaluate(default_roots(PROJECT_ROOT), load_labels(PROJECT_ROOT / "tests" / "fixtures" / "similar"))
    print(format_report(report))
    hybrid = report.modes["hybrid"]
    others = max(report.modes[m].mean("ndcg_10") for m in ("bm25", "vectors"))
    p5 = hybrid.mean("precision_5")
    print(f"hybrid P@5 {p5:.3f} / target {TARGET_P5} = {p5 / TARGET_P5:.2f}x;", end=" ")
    print(f"hybrid nDCG@10 / best single = {hybrid.mean('ndcg_10') / others:.3f}x")
    search = evaluate_search(default_roots(PROJECT_ROOT), load_labels(PROJECT_ROOT / "tests" / "fixtures" / "search"))
    print("\nfree-text search (compare search), labelled queries")
    print(format_report(search))
    best_single = max(search.modes[m].mean("ndcg_10") for m in ("bm25", "vectors"))
    print(f"hybrid search nDCG@10 / best single = {search.modes['hybrid'].mean('ndcg_10') / best_single:.3f}x")
    if SUBMISSIONS.is_dir():
        print("\nsecond domain: awesome-oss-alternatives (like X = replaces the same product, or same category)")
        print(format_report(evaluate_alternatives(SUBMISSIONS)))
    else:
        print(f"\n(skipped the second domain: {SUBMISSIONS} is absent)")
    print(f"built and scored in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    main()
