"""What every spider shares: reading its sources and turning a response into a RawPage."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from compare.sources import load_sources
from crawlers.addresses import REFUSED
from crawlers.items import RawPage

KEPT_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Link", "Retry-After")
# Statuses that reach the callbacks (after retries), so a 404 is recorded, not lost; 304 answers
# a conditional request ("unchanged").
RECORDED_STATUSES = [304, 400, 401, 403, 404, 410, 429, 500, 502, 503, 504]


class SourceSpider(scrapy.Spider):
    """Reads `-a sources=FILE` and keeps the sources of its own kind.

    `-a state=FILE` (written by `compare.crawl` from the database) holds what earlier crawls saw:
    `validators` (url -> ETag / Last-Modified) make requests conditional, `hub_versions`
    (hub id -> sha) tell the Hub spider which models are unchanged, and `known_articles` (source
    name -> URLs) are the articles a feed or sitemap led to before: they are asked for again
    (conditionally) even when the listing is unchanged or has dropped them, so a removed page is
    seen to answer 404; `feed_links` (feed URL -> links of its stored copy) are followed when the
    feed answers 304, so articles a killed crawl never fetched are fetched now.
    """

    def __init__(self, sources: str, state: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = [s for s in load_sources(sources) if s.kind == self.name]
        known = json.loads(Path(state).read_text()) if state else {}
        self.validators: dict[str, dict[str, str]] = known.get("validators", {})
        self.hub_versions: dict[str, str] = known.get("hub_versions", {})
        self.known_articles: dict[str, list[str]] = known.get("known_articles", {})
        self.feed_links: dict[str, list[str]] = known.get("feed_links", {})
        self.failing: dict[str, list[Any]] = known.get("failing", {})

    def first_items(self, source: Any, links: list[str]) -> list[str]:
        """The links of a feed or sitemap to follow: the source's `max_items`, else the
        LISTING_MAX_ITEMS setting (a feed of 100k items must not become 100k fetches)."""
        cap = source.max_items or self.settings.getint("LISTING_MAX_ITEMS", 200)
        if len(links) > cap:
            self.crawler.stats.inc_value("listing/items_not_followed", len(links) - cap)
            self.logger.warning("%s: %d items listed, the first %d followed", source.name, len(links), cap)
        return links[:cap]

    def request(
        self, url: str, source: Any, kind: str, callback: Any, conditional: bool = True, **meta: Any
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.failed,
            headers=self.conditional_headers(url) if conditional else None,
            meta={
                "requested_url": url,  # kept by the redirects that follow, so the source URL gets its row
                "source": source.name,
                "kind": kind,
                "handle_httpstatus_list": RECORDED_STATUSES,
                **meta,
            },
        )

    def revisits(self, source: Any, callback: Any) -> Iterator[scrapy.Request]:
        """Requests for the articles this source led to in earlier crawls."""
        for url in self.known_articles.get(source.name, []):
            yield self.request(url, source, "article", callback)

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the last good fetch of `url`."""
        known = self.validators.get(url, {})
        headers = {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        return headers

    def raw_page(self, response: Response) -> RawPage:
        headers = {
            name: response.headers.get(name).decode("latin-1") for name in KEPT_HEADERS if response.headers.get(name)
        }
        body = None
        if response.status == 200:
            body = (
                response.text if isinstance(response, TextResponse) else response.body.decode("utf-8", errors="replace")
            )
        requested = response.meta.get("requested_url")
        redirected = requested if requested and requested != response.url else None
        return RawPage(
            redirected_from=redirected,
            redirect_status=(response.meta.get("redirect_reasons") or [None])[0] if redirected else None,
            url=response.url,
            final_url=response.url,
            status=response.status,
            fetched_at=now(),
            source=response.meta["source"],
            kind=response.meta["kind"],
            headers=headers,
            body=body,
            content_type=headers.get("Content-Type"),
        )

    def failed(self, failure: Any) -> Any:
        """A network fault is recorded as a page with status 0 and the reason (`refused: ...`
        for an address the crawler may not connect to)."""
        request = failure.request
        host = (urlsplit(request.url).hostname or "").lower()
        message = failure.getErrorMessage().strip() or SILENT_ERRORS.get(failure.type.__name__, "no message")
        error = f"{failure.type.__name__}: {message}"
        original = request.meta.get("mirror_original_url")
        if original:  # a snapshot's address says nothing to an editor: name the real URL
            error = error.replace(request.url, original)
        if host.strip("[]") in REFUSED:  # it resolved to addresses the crawler may not connect to
            error = REFUSED[host.strip("[]")]
        url = request.meta.get("mirror_original_url", request.url)
        requested = request.meta.get("requested_url")
        redirected = requested if requested and requested != url else None
        yield RawPage(
            redirected_from=redirected,
            redirect_status=(request.meta.get("redirect_reasons") or [None])[0] if redirected else None,
            url=url,
            final_url=request.url,
            status=0,
            fetched_at=now(),
            source=request.meta.get("source", ""),
            kind=request.meta.get("kind", ""),
            error=error[:500],
        )


# What a network error that carries no message means, in words.
SILENT_ERRORS = {
    "ResponseDataLossError": "the connection closed before the announced body arrived (a truncated body)",
    "ConnectionLost": "the connection was lost mid-response",
    "ResponseNeverReceived": "the server closed the connection without answering",
}


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
