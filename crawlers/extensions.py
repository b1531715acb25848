"""Scrapy extensions: a progress file the crawl runner reads to show progress on a terminal."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured


class ProgressFile:
    """Writes {"done": responses received, "queued": done plus requests waiting in the scheduler or
    downloading} to PROGRESS_FILE at most every PROGRESS_INTERVAL seconds and when the spider
    closes, atomically (a reader never sees half a file)."""

    def __init__(self, path: Path, interval: float, crawler: Crawler) -> None:
        self.path = path
        self.interval = interval
        self.crawler = crawler
        self.written = 0.0

    @classmethod
    def from_crawler(cls, crawler):
        path = crawler.settings.get("PROGRESS_FILE")
        if not path:
            raise NotConfigured
        extension = cls(Path(path), crawler.settings.getfloat("PROGRESS_INTERVAL", 1.0), crawler)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.write, signal=signals.spider_closed)
        return extension

    def response_received(self, *args, **kwargs) -> None:
        if time.monotonic() - self.written >= self.interval:
            self.write()

    def write(self, *args, **kwargs) -> None:
        self.written = time.monotonic()
        stats = self.crawler.stats
        done = int(stats.get_value("response_received_count", 0))
        waiting = int(stats.get_value("scheduler/enqueued", 0)) - int(stats.get_value("scheduler/dequeued", 0))
        engine = self.crawler.engine
        downloading = len(engine.downloader.active) if engine and engine.downloader else 0
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_text(json.dumps({"done": done, "queued": done + max(waiting, 0) + downloading}))
        os.replace(temporary, self.path)
