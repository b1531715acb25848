"""The refresh flow: crawl -> ingest -> extract -> cards -> embed -> index -> pairs.

Every task is a thin call into `compare.stages`; crawls run as Scrapy subprocesses. Tasks take
paths, not open handles, so each can retry on its own, and they retry only on transient faults.
One refresh runs at a time per database; each run stores its seconds per stage and leaves a
table artifact with them in the Prefect UI.

With `dask` set ("local", "local:N" or a scheduler address such as "tcp://10.0.0.5:8786"), the
flow runs on a DaskTaskRunner: extract and embed split into pure batch tasks mapped over the
cluster's workers, and this process alone writes their results to SQLite.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from prefect import Flow, flow, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from compare import mirror, stages
from compare.crawl import run_crawl
from compare.db import Store
from compare.embed import get_embedder
from compare.errors import InvalidInput
from compare.records import PROBLEM
from compare.refresh_guard import TransientError, refresh_lock, retry_if_transient

TRANSIENT = {"retries": 2, "retry_delay_seconds": [5, 30], "retry_condition_fn": retry_if_transient}


@task(**TRANSIENT)
def crawl(db: str, sources: str, crawl_dir: str, mirror_dir: str | None, timeout_s: int) -> dict[str, Any]:
    store = Store(db)
    try:
        state = store.crawl_state()
    finally:
        store.close()
    server = mirror.serve(Path(mirror_dir)) if mirror_dir else nullcontext(None)
    with server as mirror_url:
        result = run_crawl(Path(sources), Path(crawl_dir), mirror_url, timeout_s, state=state)
    if result.returncode < 0 and not result.timed_out:  # killed: the next try may pass
        raise TransientError(f"the crawl subprocess ended with {result.returncode}: {result.log_tail[-300:]}")
    failed = None
    if result.timed_out:  # what it fetched is ingested; the next refresh goes on from there
        failed = f"the crawl stopped at its time limit ({timeout_s} s); the next refresh goes on from there"
    elif not result.ok:
        failed = f"exit {result.returncode}: {result.log_tail[-500:]}"
    return {"files": [str(output) for output in result.outputs], "failed": failed, "requests": result.requests()}


@task(**TRANSIENT)
def ingest(db: str, files: list[str]) -> dict[str, int]:
    from compare.ingest import ingest_files

    store = Store(db)
    try:
        return dict(ingest_files(store, [Path(f) for f in files]))
    finally:
        store.close()


def _stage(db: str, name: str, *args: Any, **options: Any) -> dict[str, int]:
    store = Store(db)
    try:
        return dict(getattr(stages, name)(store, *args, **options))
    finally:
        store.close()


@task(**TRANSIENT)
def extract(db: str) -> dict[str, int]:
    return _stage(db, "extract_pages")


@task(**TRANSIENT)
def build_cards(db: str) -> dict[str, int]:
    return _stage(db, "build_cards")


@task(**TRANSIENT)
def embed(db: str, embedder: str, batch_size: int) -> dict[str, int]:
    return _stage(db, "embed_cards", embedder, batch_size)


@task(**TRANSIENT)
def categorise(db: str, embedder: str) -> dict[str, int]:
    return _stage(db, "categorise_cards", embedder)


@task(**TRANSIENT)
def index(db: str, index_dir: str, embedder: str) -> dict[str, int]:
    return _stage(db, "build_index", Path(index_dir), get_embedder(embedder).model_id)


@task(**TRANSIENT)
def pairs(db: str, index_dir: str, neighbours: int, max_per_card: int) -> dict[str, int]:
    return _stage(db, "suggest_pairs", Path(index_dir), neighbours, max_per_card)


@task(cache_policy=NO_CACHE, **TRANSIENT)
def run_batch(function: Callable[[Any], Any], batch: Any) -> Any:
    """One pure batch of a stage (pages -> extractions, texts -> vectors) on a Dask worker."""
    return function(batch)


# Batches in flight per core of this machine: enough to keep a local cluster's workers busy
# while this process writes; raise it for a remote cluster with more workers.
IN_FLIGHT_PER_CORE = 2


def _over_dask(function: Callable[[Any], Any], parts: Iterable[Any]) -> Iterator[Any]:
    """`map` over the flow's task runner, in order, with a bounded number of batches in flight."""
    window = IN_FLIGHT_PER_CORE * (os.cpu_count() or 1)
    in_flight: deque = deque()
    for part in parts:
        in_flight.append(run_batch.submit(function, part))
        if len(in_flight) >= window:
            yield in_flight.popleft().result()
    while in_flight:
        yield in_flight.popleft().result()


def dask_runner(dask: str) -> Any:
    """A DaskTaskRunner: a local cluster of N single-threaded worker processes ("local" is one
    per core), or the scheduler at an address."""
    from prefect_dask import DaskTaskRunner

    if dask == "local" or dask.startswith("local:"):
        workers = int(dask.partition(":")[2] or os.cpu_count() or 1)
        if workers < 1:
            raise InvalidInput(f"a local Dask cluster needs at least one worker, not {workers}")
        return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True,
                                              "dashboard_address": None})  # fmt: skip
    if "://" not in dask:
        raise InvalidInput(f"dask must be 'local', 'local:N' or a scheduler address like tcp://host:8786, not {dask!r}")
    return DaskTaskRunner(address=dask)


def refresh_flow(dask: str | None = None) -> Flow:
    """The refresh flow, on a DaskTaskRunner where `dask` is set."""
    return refresh.with_options(task_runner=dask_runner(dask)) if dask else refresh


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
    crawl_timeout_s: int = 1800,
    dask: str | None = None,
) -> dict[str, Any]:
    with refresh_lock(db):
        return _refresh(db, index_dir, sources, crawl_dir, mirror_dir, embedder, batch_size, neighbours,
                        max_per_card, crawl_timeout_s, dask)  # fmt: skip


def _refresh(
    db: str, index_dir: str, sources: str, crawl_dir: str, mirror_dir: str | None, embedder: str,
    batch_size: int, neighbours: int, max_per_card: int, crawl_timeout_s: int, dask: str | None,
) -> dict[str, Any]:  # fmt: skip
    started = time.monotonic()
    store = Store(db)
    run_id = store.start_run()
    run_started_at = store.db["runs"].get(run_id)["started_at"]
    store.close()
    stage_counts: dict[str, Any] = {}
    stage_seconds: dict[str, float] = {}
    failures: dict[str, Any] = {}
    status = "failed"

    def timed(stage: str, call: Any, *args: Any, **options: Any) -> Any:
        begun = time.monotonic()
        try:
            return call(*args, **options)
        finally:
            stage_seconds[stage] = round(time.monotonic() - begun, 2)

    try:
        run_dir = run_crawl_dir(Path(crawl_dir), run_id)
        crawled = timed("crawl", crawl, db, sources, str(run_dir), mirror_dir, crawl_timeout_s)
        stage_counts["crawl"] = crawled["requests"]
        if crawled["failed"]:
            failures["crawl"] = crawled["failed"]
        stage_counts["ingest"] = timed("ingest", ingest, db, crawled["files"])
        if dask:  # batch tasks mapped over the cluster; this process writes
            stage_counts["extract"] = timed("extract", _stage, db, "extract_pages", map_batches=_over_dask)
        else:
            stage_counts["extract"] = timed("extract", extract, db)
        stage_counts["cards"] = timed("cards", build_cards, db)
        if dask:
            stage_counts["embed"] = timed("embed", _stage, db, "embed_cards", embedder, batch_size,
                                          map_batches=_over_dask)  # fmt: skip
        else:
            stage_counts["embed"] = timed("embed", embed, db, embedder, batch_size)
        stage_counts["categorise"] = timed("categorise", categorise, db, embedder)
        stage_counts["index"] = timed("index", index, db, index_dir, embedder)
        stage_counts["pairs"] = timed("pairs", pairs, db, index_dir, neighbours, max_per_card)
        status = "ok" if not failures else "partial"
    except Exception as error:
        failures["error"] = f"{type(error).__name__}: {error}"[:500]
        raise
    finally:
        store = Store(db)
        failures.update(_failures(store))
        if status == "ok" and store.fetch_failures(since=run_started_at):  # fetches of this run that failed
            status = "partial"
        stage_counts["seconds"] = round(time.monotonic() - started, 1)
        store.finish_run(run_id, status, stage_counts, failures, stage_seconds)
        store.close()
        _stage_artifact(run_id, status, stage_seconds, stage_counts)
    return {"run": run_id, "status": status, "stages": stage_counts, "stage_seconds": stage_seconds,
            "failures": failures}  # fmt: skip


KEPT_CRAWLS = 3


def run_crawl_dir(crawl_dir: Path, run_id: int) -> Path:
    """A new crawl folder of this run's own (`run-N-XXXX`: two refreshes of two databases sharing
    a crawl folder never delete each other's files); the newest KEPT_CRAWLS stay, to read their logs."""
    crawl_dir.mkdir(parents=True, exist_ok=True)
    runs = sorted(crawl_dir.glob("run-*"), key=lambda path: path.stat().st_mtime)
    for old in runs[: max(len(runs) - KEPT_CRAWLS + 1, 0)]:
        shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix=f"run-{run_id}-", dir=crawl_dir))


def _stage_artifact(run_id: int, status: str, seconds: dict[str, float], counts: dict[str, Any]) -> None:
    """A table of this run's stages in the Prefect UI: seconds and what each stage did."""
    rows = [{"stage": stage, "seconds": spent, "counts": json.dumps(counts.get(stage, {}), default=str)}
            for stage, spent in seconds.items()]  # fmt: skip
    create_table_artifact(key="refresh-stages", table=rows, description=f"run {run_id}: {status}")


def _failures(store: Store) -> dict[str, int]:
    reasons: Counter = Counter({f"fetch:{reason[:80]}": n for reason, n in store.fetch_failures().items()})
    sql = "SELECT reason FROM extractions WHERE status = 'failed' OR reason LIKE ?"  # a part unread too
    for row in store.db.query(sql, [f"{PROBLEM}%"]):
        reasons[f"extract:{(row['reason'] or '').removeprefix(PROBLEM)[:80]}"] += 1
    return dict(reasons)


HOURLY = "0 * * * *"


def serve(parameters: dict[str, Any], cron: str = HOURLY) -> None:
    """Serve the refresh deployment from this process: hourly, one run at a time (a run due while
    one is running waits for it). Needs PREFECT_API_URL (see `compare service`)."""
    served = refresh_flow(parameters.get("dask"))
    served.serve(name="refresh-hourly", cron=cron, global_limit=1, parameters=parameters, pause_on_shutdown=False)
