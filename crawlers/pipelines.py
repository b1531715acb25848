"""Validate raw pages before they are written."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawlers.items import RawPage


class RawPagePipeline:
    def process_item(self, item: RawPage, spider: object = None) -> RawPage:
        if not isinstance(item, RawPage) or not item.url.startswith(("http://", "https://")):
            raise DropItem(f"not a raw page: {item!r:.200}")
        return item
