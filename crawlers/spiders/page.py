"""Single pages: a launch post or a pricing page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.spiders.base import SourceSpider


class PageSpider(SourceSpider):
    name = "page"

    async def start(self) -> Any:
        for source in self.sources:
            yield self.request(source.url, source, "page", self.parse_page)

    def parse_page(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
