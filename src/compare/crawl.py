"""Run a crawl: one `python -m crawlers.run` subprocess (Scrapy's reactor cannot restart inside
a long-lived process) that runs every spider the sources need and writes one JSONL file of raw
pages per spider."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from compare.sources import load_sources


@dataclass
class CrawlResult:
    outputs: list[Path]
    returncode: int
    log_tail: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

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


def crawl_command(sources: Path, out_dir: Path, mirror_url: str | None, state: Path | None = None) -> list[str]:
    command = [sys.executable, "-m", "crawlers.run", "--sources", str(sources.resolve()),
               "--out", str(out_dir.resolve()), "--set", "LOG_LEVEL=WARNING"]  # fmt: skip
    if state:
        command += ["--state", str(state.resolve())]
    if mirror_url:
        # A snapshot on loopback: no throttling, short backoff; robots.txt comes from the snapshot.
        for setting in (f"MIRROR_URL={mirror_url}", "AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0",
                        "RETRY_TIMES=2", "RETRY_BACKOFF_BASE=0.1", "RETRY_AFTER_MAX=5",
                        "CONCURRENT_REQUESTS_PER_DOMAIN=16"):  # fmt: skip
            command += ["--set", setting]
    return command


def run_crawl(
    sources: Path,
    out_dir: Path,
    mirror_url: str | None = None,
    timeout_s: int = 600,
    state: dict | None = None,
) -> CrawlResult:
    """Crawl every source in `sources` into `out_dir/KIND.jsonl`. `state` (Store.crawl_state())
    makes the crawl incremental: conditional requests, unchanged Hub models recognised."""
    kinds = sorted({source.kind for source in load_sources(sources)})
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = [out_dir / f"{kind}.jsonl" for kind in kinds]
    for output in [*outputs, out_dir / "stats.json"]:  # never read a previous crawl's files by mistake
        output.unlink(missing_ok=True)
    state_file = None
    if state is not None:
        state_file = out_dir / "state.json"
        state_file.write_text(json.dumps(state))
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
    log = out_dir / "crawl.log"
    with log.open("w") as log_file:
        try:
            completed = subprocess.run(
                crawl_command(sources, out_dir, mirror_url, state_file),
                stdout=log_file, stderr=subprocess.STDOUT, env=env, timeout=timeout_s, check=False,
            )  # fmt: skip
            returncode = completed.returncode
        except subprocess.TimeoutExpired:
            returncode = -9
    tail = log.read_text(errors="replace")[-2000:]
    return CrawlResult(outputs, returncode, tail)
