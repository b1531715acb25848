"""RSS, Atom and JSON Feed sources: the feed itself, then every item's page as an article."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from compare.feeds import feed_items
from crawlers.spiders.base import SourceSpider


class FeedSpider(SourceSpider):
    name = "feed"

    async def start(self) -> Any:
        for source in self.sources:
            yield self.request(source.url, source, "feed", self.parse_feed, src=source)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
        yield from self.revisits(response.meta["src"], self.parse_article)
        source = response.meta["src"]
        if response.status == 304:  # unchanged: its stored copy's links (a killed crawl may not have read them)
            links = self.feed_links.get(response.url, [])
        elif response.status == 200:
            items, _problem = feed_items(response.text)
            links = [item["link"] for item in items if item.get("link")]
        else:
            return
        for link in self.first_items(source, links):
            yield self.request(response.urljoin(link), source, "article", self.parse_article)

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
