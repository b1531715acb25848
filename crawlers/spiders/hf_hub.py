"""Hugging Face Hub: the models listing (paginated by the Link header), then per model its API
JSON, its README and, where the card names no license but the repo has one, its LICENSE file.

Incremental: the listing is always fetched (its `sha` per model is the change signal); a model
listed with the sha seen last time costs no request at all, and a changed one is fetched with
conditional requests (two per model: API JSON and README). A listing in date
order (`sort=createdAt` / `sort=lastModified`) stops paging at the first page that holds a model
already seen with the same sha: everything after it is older and was seen.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scrapy.http import Response

from compare.extract.hub import valid_hub_id
from crawlers.spiders.base import SourceSpider

HUB = "https://huggingface.co"
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
_DATE_SORTS = {"createdAt", "lastModified"}
_LICENSE_FILE = re.compile(r"(?i)^(?:license|licence|model_license|license[-_]model)(?:\.(?:md|txt))?$")


def next_page(link_header: str | None) -> str | None:
    match = _NEXT.search(link_header or "")
    return match.group(1) if match else None


def date_ordered(listing_url: str) -> bool:
    return bool(_DATE_SORTS & set(parse_qs(urlsplit(listing_url).query).get("sort", [])))


def license_file(model: dict[str, Any]) -> str | None:
    """The repo file to read the license from, when the card's metadata names no license."""
    card = model.get("cardData") if isinstance(model.get("cardData"), dict) else {}
    declared = card.get("license")
    if isinstance(declared, list):
        declared = next(iter(declared), None)
    named = card.get("license_name")
    if isinstance(declared, str) and declared.lower() not in ("other", "unknown"):
        return None  # the card names its license
    if isinstance(named, str) and named.strip():
        return None  # "other", named
    link = card.get("license_link")
    if isinstance(link, str) and link and "://" not in link:
        return link.lstrip("./")
    names = [s.get("rfilename") for s in model.get("siblings") or [] if isinstance(s, dict)]
    return next((name for name in names if isinstance(name, str) and _LICENSE_FILE.match(name)), None)


class HubSpider(SourceSpider):
    name = "hf_hub"

    async def start(self) -> Any:
        for source in self.sources:
            yield self.request(
                source.url, source, "hub_listing", self.parse_listing, conditional=False, seen=0, src=source
            )

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
        reached_known = False
        for model in models if isinstance(models, list) else []:
            model_id = model.get("id") if isinstance(model, dict) else None
            if not valid_hub_id(model_id):  # never a URL from it ("evil/../../etc/passwd")
                self.crawler.stats.inc_value("hub/invalid_model_id")
                self.logger.warning("%s: skipped a listing entry with an invalid model id %r", source.name, model_id)
                continue
            if source.max_items and seen >= source.max_items:
                return
            seen += 1
            known_sha = self.hub_versions.get(model_id)
            if known_sha is not None and known_sha == model.get("sha"):
                reached_known = True
                continue  # unchanged since the last crawl: nothing to ask for
            api_url = f"{HUB}/api/models/{model_id}"
            yield self.request(api_url, source, "hub_api", self.parse_model, model_id=model_id, src=source)
            yield self.request(f"{HUB}/{model_id}/raw/main/README.md", source, "hub_readme", self.parse_page)
        following = next_page(response.headers.get("Link", b"").decode("latin-1"))
        if reached_known and date_ordered(source.url):
            self.logger.info("%s: reached models seen unchanged; not paging further", source.name)
            return
        if following:
            yield self.request(
                following, source, "hub_listing", self.parse_listing, conditional=False, seen=seen, src=source
            )

    def parse_model(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
        if response.status != 200:
            return
        try:
            model = json.loads(response.text)
        except ValueError:
            return
        name = license_file(model) if isinstance(model, dict) else None
        if name:
            url = f"{HUB}/{response.meta['model_id']}/raw/main/{name}"
            yield self.request(url, response.meta["src"], "hub_license", self.parse_page)

    def parse_page(self, response: Response) -> Iterator[Any]:
        yield self.raw_page(response)
