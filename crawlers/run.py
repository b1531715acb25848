"""Run the spiders for a sources file in one Scrapy process: `python -m crawlers.run`.

One reactor runs every spider the sources need, each writing its own JSONL file, and Scrapy's
stats of each spider go to `stats.json` (requests, responses by status); the flow starts this as
a subprocess (Scrapy's reactor cannot restart inside a long-lived process).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from compare.crawl import progress_file
from compare.sources import load_sources


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="directory for SPIDER.jsonl files")
    parser.add_argument("--state", type=Path, help="JSON of what earlier crawls saw (conditional requests)")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a Scrapy setting")
    args = parser.parse_args(argv)
    settings = get_project_settings()
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    kinds = sorted({source.kind for source in load_sources(args.sources)})
    args.out.mkdir(parents=True, exist_ok=True)
    process = CrawlerProcess(settings)
    crawlers = {}
    for kind in kinds:
        output = (args.out / f"{kind}.jsonl").resolve()
        crawler = process.create_crawler(kind)
        crawler.settings.set("FEEDS", {output.as_uri(): {"format": "jsonlines", "overwrite": True}}, "cmdline")
        crawler.settings.set("PROGRESS_FILE", str(progress_file(args.out, kind)), "cmdline")
        state = str(args.state.resolve()) if args.state else None
        process.crawl(crawler, sources=str(args.sources.resolve()), state=state)
        crawlers[kind] = crawler
    process.start()
    stats = {kind: crawler.stats.get_stats() for kind, crawler in crawlers.items()}
    (args.out / "stats.json").write_text(json.dumps(stats, default=str, sort_keys=True))


if __name__ == "__main__":
    main()
