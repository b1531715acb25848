"""Extract-stage speed against plain trafilatura on the same HTML pages, side by side in one run.

Pages: the demo web's and the gold set's HTML pages (feeds, sitemaps and Hub files left out).
Prints pages/s of `trafilatura.extract` (the floor of any text extraction), of our whole
`extract_document` (text, metadata, dates, tables, links, records), and their ratio.
Target: ratio >= 0.8.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import trafilatura

from compare.extract import document_kind, extract_document
from compare.mirror import snapshot_pages

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 2


def html_pages() -> list[tuple[str, str]]:
    pages = []
    for root in (ROOT / "data" / "demo", ROOT / "tests" / "fixtures" / "gold" / "pages"):
        for url, path in snapshot_pages(root):
            body = path.read_text(encoding="utf-8", errors="replace")
            if document_kind(url, body) == "html":
                pages.append((url, body))
    return pages


def rate(pages: list[tuple[str, str]], call) -> float:
    best = float("inf")
    for _ in range(ROUNDS):
        started = time.perf_counter()
        for url, body in pages:
            call(url, body)
        best = min(best, time.perf_counter() - started)
    return len(pages) / best


def main() -> None:
    pages = html_pages()
    plain = rate(pages, lambda url, body: trafilatura.extract(body, url=url))
    ours = rate(pages, lambda url, body: extract_document(url, body, "text/html"))
    figures = {"pages": len(pages), "trafilatura_pages_s": round(plain, 1), "extract_pages_s": round(ours, 1),
               "ratio": round(ours / plain, 3), "target": 0.8, "cpu_count": os.cpu_count()}  # fmt: skip
    print(f"{len(pages)} HTML pages, best of {ROUNDS} rounds")
    print(f"  trafilatura.extract   {plain:7.1f} pages/s")
    print(f"  compare extract       {ours:7.1f} pages/s   ratio {ours / plain:.2f}x (target >= 0.8x)")
    print(json.dumps(figures))
    sys.exit(0)


if __name__ == "__main__":
    main()
