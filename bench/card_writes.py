"""Benchmark: card writes against sqlite-utils' `insert_all` of the same rows.

Crawls, ingests and extracts the bundled demo web into a temporary database, resolves its
records into cards, and copies them under distinct keys, names and slugs up to N cards. Then it
times, each into a fresh database:
  - the cards stage's writes (`stages.write_card` for every card through one CardWriter in one
    transaction: change check, the card row, its names, sources, a fact per field, prices), and
  - `insert_all` of the same card rows alone (built from the same cards, as the card writer
    builds them; no names, sources, facts or prices),
and prints cards/s for both and their ratio (target: at least 0.5x). Run: `make bench-card-writes`
(`--cards N`, default 10,000).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import Counter
from copy import deepcopy
from pathlib import Path

from compare import mirror, stages
from compare.config import Settings
from compare.crawl import run_crawl
from compare.db import Store, _card_columns, utc_now
from compare.ingest import ingest_files
from compare.resolve import resolve


def demo_cards(tmp: Path) -> list[tuple[str, dict]]:
    settings = Settings()
    store = Store(tmp / "demo.db")
    with mirror.serve(settings.demo_dir) as base:
        result = run_crawl(settings.demo_sources, tmp / "crawl", base)
    if not result.ok:
        raise SystemExit(f"demo crawl failed: {result.log_tail}")
    ingest_files(store, result.outputs)
    stages.extract_pages(store)
    return resolve(list(store.current_records(stages.EXTRACTOR_VERSION)), store.decisions())


def copies(cards: list[tuple[str, dict]], count: int) -> list[tuple[str, dict]]:
    out = []
    for number in range(count):
        key, card = cards[number % len(cards)]
        card = deepcopy(card)
        card["name"] = f"{card['name']} {number}"
        card["slug"] = f"{card['slug']}-c{number}"
        out.append((f"{key}#{number}", card))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        cards = copies(demo_cards(tmp_path), args.cards)
        now = utc_now()

        store = Store(tmp_path / "writes.db")
        counts: Counter = Counter()
        started = time.perf_counter()
        with store.writing(), store.card_writer(now) as writer:
            for key, card in cards:
                stages.write_card(writer, key, card, counts)
        writes_s = time.perf_counter() - started

        plain = Store(tmp_path / "plain.db")
        started = time.perf_counter()
        rows = [
            {
                **_card_columns(card),
                "key": key,
                "content_hash": str(n),
                "first_seen": now,
                "updated_at": now,
                "active": 1,
            }
            for n, (key, card) in enumerate(cards)
        ]
        with plain.db.conn:
            plain.db["cards"].insert_all(rows, batch_size=1000)
        insert_all_s = time.perf_counter() - started

    writes_rate, insert_all_rate = len(cards) / writes_s, len(cards) / insert_all_s
    print(f"{len(cards)} cards ({counts['facts']} facts, {counts['price_changes']} price rows written beside them)")
    print(f"card writes: {writes_s:6.2f} s, {writes_rate:8.0f} cards/s")
    print(f"insert_all:  {insert_all_s:6.2f} s, {insert_all_rate:8.0f} cards/s (the card rows alone)")
    print(f"ratio card writes / insert_all: {writes_rate / insert_all_rate:.2f}x (target at least 0.50x)")


if __name__ == "__main__":
    main()
