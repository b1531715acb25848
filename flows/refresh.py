"""The refresh flow: crawl -> ingest -> extract -> cards -> embed -> index -> pairs.

Every task is a thin call into `compare.stages`; crawls run as Scrapy subprocesses. Tasks take
paths, not open handles, so each can retry on its own.
"""

from __future__ import annotations

import time
from collections import Counter
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from prefect import flow, task

from compare import mirror, stages
from compare.crawl import run_crawl
from compare.db import Store
from compare.embed import get_embedder


@task(retries=1, retry_delay_seconds=[5])
def crawl(db: str, sources: str, crawl_dir: str, mirror_dir: str | None, timeout_s: int) -> dict[str, Any]:
    store = Store(db)
    try:
        state = store.crawl_state()
    finally:
        store.close()
    server = mirror.serve(Path(mirror_dir)) if mirror_dir else nullcontext(None)
    with server as mirror_url:
        result = run_crawl(Path(sources), Path(crawl_dir), mirror_url, timeout_s, state=state)
    return {
        "files": [str(output) for output in result.outputs],
        "failed": None if result.ok else f"exit {result.returncode}: {result.log_tail[-500:]}",
    }


@task
def ingest(db: str, files: list[str]) -> dict[str, int]:
    from compare.ingest import ingest_files

    store = Store(db)
    try:
        return dict(ingest_files(store, [Path(f) for f in files]))
    finally:
        store.close()


def _stage(db: str, name: str, *args: Any) -> dict[str, int]:
    store = Store(db)
    try:
        return dict(getattr(stages, name)(store, *args))
    finally:
        store.close()


@task
def extract(db: str) -> dict[str, int]:
    return _stage(db, "extract_pages")


@task
def build_cards(db: str) -> dict[str, int]:
    return _stage(db, "build_cards")


@task
def embed(db: str, embedder: str, batch_size: int) -> dict[str, int]:
    return _stage(db, "embed_cards", embedder, batch_size)


@task
def categorise(db: str, embedder: str) -> dict[str, int]:
    return _stage(db, "categorise_cards", embedder)


@task
def index(db: str, index_dir: str, embedder: str) -> dict[str, int]:
    return _stage(db, "build_index", Path(index_dir), get_embedder(embedder).model_id)


@task
def pairs(db: str, index_dir: str, neighbours: int, max_per_card: int) -> dict[str, int]:
    return _stage(db, "suggest_pairs", Path(index_dir), neighbours, max_per_card)


@flow(name="refresh", log_prints=False)
def refresh(
    db: str,
    index_dir: str,
    sources: str,
    crawl_dir: str,
    mirror_dir: str | None = None,
    embedder: str = "real",
    batch_size: int = 64,
    neighbours: int = 12,
    max_per_card: int = 3,
    crawl_timeout_s: int = 600,
) -> dict[str, Any]:
    started = time.monotonic()
    store = Store(db)
    run_id = store.start_run()
    store.close()
    stage_counts: dict[str, Any] = {}
    failures: dict[str, Any] = {}
    status = "failed"
    try:
        crawled = crawl(db, sources, crawl_dir, mirror_dir, crawl_timeout_s)
        if crawled["failed"]:
            failures["crawl"] = crawled["failed"]
        stage_counts["ingest"] = ingest(db, crawled["files"])
        stage_counts["extract"] = extract(db)
        stage_counts["cards"] = build_cards(db)
        stage_counts["embed"] = embed(db, embedder, batch_size)
        stage_counts["categorise"] = categorise(db, embedder)
        stage_counts["index"] = index(db, index_dir, embedder)
        stage_counts["pairs"] = pairs(db, index_dir, neighbours, max_per_card)
        status = "ok" if not failures else "partial"
    finally:
        store = Store(db)
        failures.update(_failures(store))
        stage_counts["seconds"] = round(time.monotonic() - started, 1)
        store.finish_run(run_id, status, stage_counts, failures)
        store.close()
    return {"run": run_id, "status": status, "stages": stage_counts, "failures": failures}


def _failures(store: Store) -> dict[str, int]:
    reasons: Counter = Counter({f"fetch:{reason[:80]}": n for reason, n in store.fetch_failures().items()})
    for row in store.db.query("SELECT reason FROM extractions WHERE status = 'failed'"):
        reasons[f"extract:{(row['reason'] or '')[:80]}"] += 1
    return dict(reasons)


if __name__ == "__main__":
    # A deployment for the real service: refresh the live sources every six hours.
    refresh.serve(
        name="refresh-live",
        cron="0 */6 * * *",
        parameters={"db": "data/compare.db", "index_dir": "index", "sources": "data/sources.toml",
                    "crawl_dir": "data/crawl"},
    )  # fmt: skip
