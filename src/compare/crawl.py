"""Run a crawl: one `python -m crawlers.run` subprocess (Scrapy's reactor cannot restart inside
a long-lived process) that runs every spider the sources need and writes one JSONL file of raw
pages per spider."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from compare.progress import ProgressBar
from compare.sources import load_sources

STOP_GRACE_S = 60.0


@dataclass
class CrawlResult:
    outputs: list[Path]
    returncode: int
    log_tail: str
    timed_out: bool = False  # stopped at its time limit: what it fetched is in `outputs`

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def requests(self) -> dict[str, int]:
        """Requests that reached a server (or failed on the way) and 304s answered, over all
        spiders, from the crawl's stats.json."""
        if not self.outputs:
            return {}
        stats_file = self.outputs[0].parent / "stats.json"
        try:
            stats = json.loads(stats_file.read_text())
        except (OSError, ValueError):
            return {}
        total = {"requests": 0, "not_modified": 0}
        for spider in stats.values():  # answered or failed; a mirrored request counts once, not twice
            total["requests"] += int(spider.get("downloader/response_count", 0))
            total["requests"] += int(spider.get("downloader/exception_count", 0))
            total["not_modified"] += int(spider.get("downloader/response_status_count/304", 0))
        return total


def progress_file(out_dir: Path, kind: str) -> Path:
    """Where a spider writes its progress (crawlers.extensions.ProgressFile)."""
    return (out_dir / f"{kind}.progress.json").resolve()


def crawl_progress(out_dir: Path, kinds: list[str]) -> tuple[int, int]:
    """(responses, requests scheduled) so far, over every spider of a running crawl."""
    done = queued = 0
    for kind in kinds:
        try:
            counts = json.loads(progress_file(out_dir, kind).read_text())
            done, queued = done + int(counts["done"]), queued + int(counts["queued"])
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not written yet
    return done, queued


def crawl_command(
    sources: Path,
    out_dir: Path,
    mirror_url: str | None,
    state: Path | None = None,
    settings: dict[str, str] | None = None,
) -> list[str]:
    command = [sys.executable, "-m", "crawlers.run", "--sources", str(sources.resolve()),
               "--out", str(out_dir.resolve()), "--set", "LOG_LEVEL=WARNING"]  # fmt: skip
    if state:
        command += ["--state", str(state.resolve())]
    if mirror_url:
        # A snapshot on loopback: no throttling, short backoff; robots.txt comes from the snapshot.
        for setting in (f"MIRROR_URL={mirror_url}", f"ALLOWED_ADDRESSES={urlsplit(mirror_url).hostname}",
                        "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0",
                        "RETRY_TIMES=2", "RETRY_BACKOFF_BASE=0.1", "RETRY_AFTER_MAX=5",
                        "CONCURRENT_REQUESTS_PER_DOMAIN=16", "HOST_BUDGETS={}", "FAILED_RETRY_BASE_S=0"):  # fmt: skip
            command += ["--set", setting]
    for name, value in (settings or {}).items():
        command += ["--set", f"{name}={value}"]
    return command


def run_crawl(
    sources: Path,
    out_dir: Path,
    mirror_url: str | None = None,
    timeout_s: int = 600,
    state: dict | None = None,
    settings: dict[str, str] | None = None,
) -> CrawlResult:
    """Crawl every source in `sources` into `out_dir/KIND.jsonl`. `state` (Store.crawl_state())
    makes the crawl incremental: conditional requests, unchanged Hub models recognised.
    `settings` are Scrapy settings for this crawl (after the snapshot's). On a terminal a bar
    shows responses against requests scheduled so far."""
    kinds = sorted({source.kind for source in load_sources(sources)})
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = [out_dir / f"{kind}.jsonl" for kind in kinds]
    progress_files = [progress_file(out_dir, kind) for kind in kinds]
    for output in [*outputs, *progress_files, out_dir / "stats.json"]:  # never read a previous crawl's files
        output.unlink(missing_ok=True)
    state_file = None
    if state is not None:
        state_file = out_dir / "state.json"
        state_file.write_text(json.dumps(state))
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
    log = out_dir / "crawl.log"
    counter = ProgressBar("crawl (responses / requests)")
    deadline = time.monotonic() + timeout_s
    with log.open("w") as log_file:
        process = subprocess.Popen(
            crawl_command(sources, out_dir, mirror_url, state_file, settings),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
        )
        returncode, timed_out = None, False
        try:
            while returncode is None:
                try:
                    returncode = process.wait(timeout=0.5)
                except subprocess.TimeoutExpired:
                    counter.update(*crawl_progress(out_dir, kinds))
                    if time.monotonic() > deadline:
                        timed_out, returncode = True, _stop(process)
        finally:
            if process.poll() is None:  # interrupted: never leave a crawler behind
                process.kill()
                process.wait()
            counter.close()
    tail = log.read_text(errors="replace")[-2000:]
    return CrawlResult(outputs, returncode, tail, timed_out)


def _stop(process: subprocess.Popen, grace_s: float = STOP_GRACE_S) -> int:
    """Stop a crawl at its time limit as Scrapy stops on Ctrl-C: no new requests, the ones under
    way finished and every item written, so what it fetched can be kept; killed if it takes
    longer than `grace_s`."""
    process.send_signal(signal.SIGINT)
    try:
        return process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()
