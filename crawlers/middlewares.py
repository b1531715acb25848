"""Downloader middlewares: the local snapshot (compare.mirror) and polite retries."""

from __future__ import annotations

import asyncio
import email.utils
import logging
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)

ORIGINAL_URL = "mirror_original_url"


class MirrorMiddleware:
    """Sends every request to the local snapshot while records keep real URLs. Active only when
    the MIRROR_URL setting is given (the demo, the tests)."""

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


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries, plus waiting: a 429/503 waits for its `Retry-After` (seconds or an HTTP
    date) up to RETRY_AFTER_MAX seconds, and a longer demand is not retried but recorded; other
    retryable failures back off exponentially (RETRY_BACKOFF_BASE * 2**attempt, at most
    RETRY_BACKOFF_MAX seconds). Scrapy's own RetryMiddleware retries at once."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 60.0)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 30.0)

    async def process_response(self, request: Request, response: Response, spider: object = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        attempt = request.meta.get("retry_times", 0)
        wait = retry_after_seconds(response.headers.get("Retry-After", b"").decode("latin-1"))
        if wait is not None and wait > self.retry_after_max:
            logger.warning(
                "%s asks to retry after %.0f s (cap %.0f s): recorded, not retried",
                request.url,
                wait,
                self.retry_after_max,
            )
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        if wait is None:
            wait = min(self.backoff_base * 2**attempt, self.backoff_max)
        if wait > 0:
            await asyncio.sleep(wait)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider: object = None) -> Request | None:
        retry = super().process_exception(request, exception)
        if retry is not None:
            await asyncio.sleep(min(self.backoff_base * 2 ** request.meta.get("retry_times", 0), self.backoff_max))
        return retry


def retry_after_seconds(value: str) -> float | None:
    """`Retry-After: 120` or `Retry-After: Wed, 21 Oct 2026 07:28:00 GMT` -> seconds from now."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
