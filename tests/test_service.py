"""The service's guards: one refresh at a time per database, retries only on transient faults."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from prefect.testing.utilities import prefect_test_harness

from compare.cli import main
from compare.crawl import CrawlResult
from compare.refresh_guard import RefreshBusyError, TransientError, is_transient, lock_path, refresh_lock
from conftest import DEMO, FIXTURES


def test_a_second_refresh_on_a_busy_database_exits_with_one_clear_line(tmp_path):
    db = tmp_path / "compare.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from compare.refresh_guard import refresh_lock\nimport time\n"
         f"with refresh_lock({str(db)!r}):\n    print('held', flush=True)\n    time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        result = CliRunner().invoke(
            main, ["--db", str(db), "refresh", "--sources", str(FIXTURES / "small_sources.toml"), "--mirror", str(DEMO)]
        )
        assert result.exit_code == 1
        assert result.output.strip().startswith("Error: another refresh is running on")
        assert "Traceback" not in result.output and time.monotonic() - started < 10  # no Prefect server started
    finally:
        holder.kill()
        holder.wait()
    # Released when its holder died, and nested in one process (the CLI around the flow).
    with refresh_lock(db), refresh_lock(db):
        assert lock_path(db).exists()


def test_the_lock_is_one_per_database_across_processes(tmp_path):
    db = tmp_path / "a.db"
    with refresh_lock(db):
        code = f"from compare.refresh_guard import refresh_lock\nwith refresh_lock({str(db)!r}): pass"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 1 and RefreshBusyError.__name__ in done.stderr
        other = f"from compare.refresh_guard import refresh_lock\nwith refresh_lock({str(tmp_path / 'b.db')!r}): pass"
        assert subprocess.run([sys.executable, "-c", other]).returncode == 0


def test_each_run_crawls_into_a_folder_of_its_own_and_only_the_newest_are_kept(tmp_path):
    import os

    from flows.refresh import KEPT_CRAWLS, run_crawl_dir

    folders = []
    for run in (1, 1, 2, 3, 4):  # two databases' run 1 share the crawl folder
        folder = run_crawl_dir(tmp_path, run)
        (folder / "page.jsonl").write_text("{}\n")
        os.utime(folder, (time.time() + len(folders), time.time() + len(folders)))
        folders.append(folder)
    assert len(set(folders)) == 5 and folders[0] != folders[1]
    assert sorted(tmp_path.glob("run-*")) == sorted(folders[-KEPT_CRAWLS:])  # older ones pruned


def test_which_failures_are_transient():
    assert is_transient(TransientError("crawl killed"))
    assert is_transient(ConnectionResetError())
    assert is_transient(sqlite3.OperationalError("database is locked"))
    assert not is_transient(sqlite3.OperationalError("no such table: cards"))
    assert not is_transient(ValueError("bad sources"))
    assert not is_transient(None)


@pytest.fixture(scope="module")
def harness():
    with prefect_test_harness(server_startup_timeout=120):
        yield


def test_the_crawl_retries_a_transient_fault_and_not_a_bug(harness, tmp_path, monkeypatch):
    import flows.refresh as refresh_flow

    calls = []

    def flaky(sources, out_dir, mirror_url, timeout_s, state):
        calls.append(time.monotonic())
        return CrawlResult([], -9 if len(calls) == 1 else 0, "killed" if len(calls) == 1 else "")

    monkeypatch.setattr(refresh_flow, "run_crawl", flaky)
    crawl = refresh_flow.crawl.with_options(retry_delay_seconds=0)
    result = crawl(str(tmp_path / "c.db"), str(FIXTURES / "small_sources.toml"), str(tmp_path / "crawl"), None, 60)
    assert len(calls) == 2 and result == {"files": [], "failed": None, "requests": {}}

    def broken(*args, **kwargs):
        calls.append(time.monotonic())
        raise ValueError("a bug, not a fault")

    calls.clear()
    monkeypatch.setattr(refresh_flow, "run_crawl", broken)
    with pytest.raises(ValueError):
        crawl(str(tmp_path / "c.db"), str(FIXTURES / "small_sources.toml"), str(tmp_path / "crawl"), None, 60)
    assert len(calls) == 1

    def slow(sources, out_dir, mirror_url, timeout_s, state):  # stopped at its time limit: no retry
        calls.append(time.monotonic())
        return CrawlResult([Path(out_dir) / "hf_hub.jsonl"], 0, "", timed_out=True)

    calls.clear()
    monkeypatch.setattr(refresh_flow, "run_crawl", slow)
    result = crawl(str(tmp_path / "c.db"), str(FIXTURES / "small_sources.toml"), str(tmp_path / "crawl"), None, 60)
    assert len(calls) == 1 and result["files"] == [str(tmp_path / "crawl" / "hf_hub.jsonl")]
    assert result["failed"] == "the crawl stopped at its time limit (60 s); the next refresh goes on from there"


def _post(url: str, body: dict) -> object:
    import json
    import urllib.request

    request = urllib.request.Request(url, json.dumps(body).encode(), {"content-type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_compare_service_serves_the_refresh_deployment_hourly_one_run_at_a_time(tmp_path):
    """The whole service: a local Prefect server, the deployment on its schedule with a limit of
    one run, and a run started from the server that stores its seconds per stage."""
    import json
    import os
    import socket

    from compare.db import Store
    from compare.scheduler import healthy

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "COMPARE_EMBEDDER": "fake",
           "COMPARE_CRAWL_DIR": str(tmp_path / "crawl")}  # fmt: skip
    env.pop("PREFECT_API_URL", None)
    db = tmp_path / "compare.db"
    command = [sys.executable, "-m", "compare.cli", "--db", str(db), "--index-dir", str(tmp_path / "index"), "service",
               "--sources", str(FIXTURES / "small_sources.toml"), "--mirror", str(DEMO), "--port", str(port)]  # fmt: skip
    service = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 240
        deployments: list = []
        while time.monotonic() < deadline and not deployments:
            assert service.poll() is None, service.stderr.read()
            time.sleep(1)
            deployments = _post(f"{api}/deployments/filter", {}) if healthy(api) else []
        assert deployments, "the deployment never registered"
        deployment = deployments[0]
        assert deployment["name"] == "refresh-hourly"
        assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 * * * *"]
        assert deployment["global_concurrency_limit"]["limit"] == 1
        run = _post(f"{api}/deployments/{deployment['id']}/create_flow_run", {"state": {"type": "SCHEDULED"}})
        state = None
        while time.monotonic() < deadline and state not in ("COMPLETED", "FAILED", "CRASHED"):
            time.sleep(2)
            state = _post(f"{api}/flow_runs/filter", {"flow_runs": {"id": {"any_": [run["id"]]}}})[0]["state_type"]
        assert state == "COMPLETED"
        artifacts = _post(f"{api}/artifacts/filter", {"artifacts": {"key": {"any_": ["refresh-stages"]}}})
        assert artifacts and artifacts[0]["type"] == "table"
        store = Store(db)
        try:
            seconds = json.loads(store.runs(1)[0]["stage_seconds"])
        finally:
            store.close()
        assert {"crawl", "cards", "embed", "pairs"} <= set(seconds)
    finally:
        service.terminate()
        service.wait(timeout=60)
