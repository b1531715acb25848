"""Sitemap sources: every listed URL is fetched as an article (nested sitemaps are followed)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap

from crawlers.spiders.base import SourceSpider


class SitemapSpider(SourceSpider):
    name = "sitemap"

    async def start(self) -> Any:
        for source in self.sources:
            yield self.request(source.url, source, "sitemap", self.parse_sitemap, src=source)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
        yield from self.revisits(response.meta["src"], self.parse_article)
        if response.status != 200:
            return
        source = response.meta["src"]
        try:
            sitemap = Sitemap(response.body)
        except Exception:  # lxml: not XML at all; the raw page records what came back
            return
        locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
        for loc in self.first_items(source, locations):
            if sitemap.type == "sitemapindex":
                yield self.request(loc, source, "sitemap", self.parse_sitemap, src=source)
            else:
                yield self.request(loc, source, "article", self.parse_article)

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
