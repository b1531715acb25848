"""Hugging Face Hub: the models listing (paginated by the Link header), then per model its API
JSON and its README."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.spiders.base import SourceSpider

HUB = "https://huggingface.co"
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def next_page(link_header: str | None) -> str | None:
    match = _NEXT.search(link_header or "")
    return match.group(1) if match else None


class HubSpider(SourceSpider):
    name = "hf_hub"

    async def start(self) -> Any:
        for source in self.sources:
            yield self.request(source.url, source, "hub_listing", self.parse_listing, seen=0, src=source)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
        if response.status != 200:
            return
        source = response.meta["src"]
        try:
            models = json.loads(response.text)
        except ValueError:
            return
        seen = response.meta["seen"]
        for model in models if isinstance(models, list) else []:
            model_id = model.get("id") if isinstance(model, dict) else None
            if not model_id:
                continue
            if source.max_items and seen >= source.max_items:
                return
            seen += 1
            yield self.request(f"{HUB}/api/models/{model_id}", source, "hub_api", self.parse_page)
            yield self.request(f"{HUB}/{model_id}/raw/main/README.md", source, "hub_readme", self.parse_page)
        following = next_page(response.headers.get("Link", b"").decode("latin-1"))
        if following:
            yield self.request(following, source, "hub_listing", self.parse_listing, seen=seen, src=source)

    def parse_page(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
