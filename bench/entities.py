"""Benchmark: entity resolution on the labelled pages (tests/fixtures/entities).

Extracts every snapshot page (demo, gold articles, hard cases), resolves them together as a
refresh would, and prints pairwise precision and recall of "these pages are about one tool" for
the labels whose tool an extracted record names (resolution) and for all labels (end to end,
where a label no record names costs recall), per hard case, against the targets.
Run: `make bench-entities` or `python bench/entities.py`.
"""

from __future__ import annotations

import time

from compare.config import PROJECT_ROOT
from evals.cards import default_roots, evaluate, format_report, load_labels

TARGET_PRECISION, TARGET_RECALL = 0.97, 0.93


def main() -> None:
    labels = load_labels(PROJECT_ROOT / "tests" / "fixtures" / "entities")
    started = time.monotonic()
    report = evaluate(default_roots(PROJECT_ROOT), labels)
    seconds = time.monotonic() - started
    print(format_report(report, details=10))
    print(
        f"resolution precision {report.cards.precision:.3f} / target {TARGET_PRECISION} = "
        f"{report.cards.precision / TARGET_PRECISION:.2f}x; recall {report.cards.recall:.3f} / target "
        f"{TARGET_RECALL} = {report.cards.recall / TARGET_RECALL:.2f}x"
    )
    print(f"{report.pages} pages extracted and resolved in {seconds:.1f}s")


if __name__ == "__main__":
    main()
