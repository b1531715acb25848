"""Send every request to the local snapshot (compare.mirror) while records keep real URLs."""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

ORIGINAL_URL = "mirror_original_url"


class MirrorMiddleware:
    """Active only when the MIRROR_URL setting is given (the demo, the tests)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    @classmethod
    def from_crawler(cls, crawler):
        base = crawler.settings.get("MIRROR_URL")
        if not base:
            raise NotConfigured
        return cls(base)

    def process_request(self, request: Request, spider: object = None) -> Request | None:
        if ORIGINAL_URL in request.meta:
            return None
        parts = urlsplit(request.url)
        target = f"{self.base}/{parts.hostname}{parts.path or '/'}"
        if parts.query:
            target += f"?{parts.query}"
        meta = {**request.meta, ORIGINAL_URL: request.url, "dont_obey_robotstxt": True}
        return request.replace(url=target, meta=meta, dont_filter=True)

    def process_response(self, request: Request, response: Response, spider: object = None) -> Response:
        original = request.meta.get(ORIGINAL_URL)
        return response.replace(url=original) if original else response
