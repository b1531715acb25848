"""Extract and embed over a local Dask cluster (prefect-dask): the same database as in-process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from prefect import flow

from flows.refresh import _over_dask, dask_runner

ROOT = Path(__file__).resolve().parent.parent
COMPARED = {
    "cards": "SELECT name, vendor, category, license, entry, pricing_text, family FROM cards ORDER BY key",
    "extractions": "SELECT url, status, reason, records FROM extractions ORDER BY url",
    "embeddings": "SELECT c.key, e.vector FROM embeddings e JOIN cards c ON c.id = e.card_id ORDER BY c.key",
    "pairs": "SELECT a, b, score FROM pairs ORDER BY a, b",
}


def refresh(workdir: Path, *options: str) -> tuple[dict[str, list], str]:
    command = [sys.executable, "-m", "compare.cli", "--db", str(workdir / "c.db"), "--index-dir", str(workdir / "idx"),
               "refresh", "--sources", str(ROOT / "data/demo/sources.toml"), "--mirror", str(ROOT / "data/demo"),
               "--embedder", "fake", "--json", *options]  # fmt: skip
    env = {**os.environ, "COMPARE_CRAWL_DIR": str(workdir / "crawl")}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=workdir, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["status"] == "ok"
    db = sqlite3.connect(workdir / "c.db")
    try:
        return {table: db.execute(query).fetchall() for table, query in COMPARED.items()}, done.stderr
    finally:
        db.close()


def test_a_refresh_on_two_dask_workers_stores_what_one_process_stores(tmp_path: Path):
    (tmp_path / "one").mkdir(), (tmp_path / "dask").mkdir()
    alone, alone_log = refresh(tmp_path / "one")
    spread, spread_log = refresh(tmp_path / "dask", "--dask", "local:2")
    assert "PrefectDaskClient" in spread_log and "PrefectDaskClient" not in alone_log  # the cluster ran the flow
    assert len(alone["extractions"]) > 90 and len(alone["cards"]) > 50
    for table in COMPARED:
        assert spread[table] == alone[table], table


@pytest.mark.parametrize("setting", ["local:0", "nowhere", "local:x"])
def test_a_bad_dask_setting_is_refused(setting: str):
    with pytest.raises(ValueError):
        dask_runner(setting)


def test_dask_settings_make_a_local_cluster_or_join_an_address():
    assert dask_runner("local:3").cluster_kwargs["n_workers"] == 3
    assert dask_runner("tcp://10.0.0.5:8786").address == "tcp://10.0.0.5:8786"


def test_batches_run_in_the_cluster_s_worker_processes_and_come_back_in_order():
    @flow(task_runner=dask_runner("local:1"))
    def spread(parts: list[list[int]]) -> list[tuple[int, int]]:
        return list(_over_dask(_pid_and_sum, parts))

    answers = spread([[n, n] for n in range(12)])
    assert [total for _, total in answers] == [2 * n for n in range(12)]
    assert os.getpid() not in {pid for pid, _ in answers}  # each ran in a worker process


def _pid_and_sum(part: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(part)
