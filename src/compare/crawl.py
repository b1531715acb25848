"""Run the spiders, each as its own `python -m scrapy crawl` subprocess (Scrapy's reactor cannot
restart in one process), in parallel, writing one JSONL file of raw pages per spider."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from compare.sources import load_sources


@dataclass
class CrawlResult:
    spider: str
    output: Path
    returncode: int
    log_tail: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def crawl_command(spider: str, sources: Path, output: Path, mirror_url: str | None) -> list[str]:
    command = [
        sys.executable, "-m", "scrapy", "crawl", spider,
        "-a", f"sources={sources.resolve()}",
        "-O", f"{output.resolve()}:jsonlines",
        "-s", "LOG_LEVEL=WARNING",
    ]  # fmt: skip
    if mirror_url:
        # A snapshot on loopback: no throttling, and robots.txt comes from the snapshot.
        command += ["-s", f"MIRROR_URL={mirror_url}", "-s", "AUTOTHROTTLE_ENABLED=False",
                    "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=1"]  # fmt: skip
    return command


def run_crawls(
    sources: Path, out_dir: Path, mirror_url: str | None = None, timeout_s: int = 600
) -> list[CrawlResult]:
    """Crawl every kind of source named in `sources`; returns one result per spider."""
    kinds = sorted({source.kind for source in load_sources(sources)})
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "SCRAPY_SETTINGS_MODULE": "crawlers.settings"}
    running = []
    for kind in kinds:
        output = out_dir / f"{kind}.jsonl"
        log = out_dir / f"{kind}.log"
        with log.open("w") as log_file:
            process = subprocess.Popen(
                crawl_command(kind, sources, output, mirror_url),
                stdout=log_file,
                stderr=subprocess.STDOUT,
                env=env,
            )
        running.append((kind, output, log, process))
    results = []
    for kind, output, log, process in running:
        try:
            returncode = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            returncode = process.wait()
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        results.append(CrawlResult(kind, output, returncode, tail))
    return results
