"""Downloader middlewares (the local snapshot, compare.mirror, and polite retries) and the spider
middleware that backs off URLs that keep failing."""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import logging
import os
import time
from collections import deque
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.statscollectors import StatsCollector
from scrapy.utils.response import response_status_message

from crawlers.addresses import REFUSED, refusal

logger = logging.getLogger(__name__)

ORIGINAL_URL = "mirror_original_url"
BUDGETED = "host_budget_attempt"
HUB_HOST = "huggingface.co"
TOKEN_VARIABLES = ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")


def hub_token() -> str | None:
    """A Hugging Face token from the environment (the Hub's own variable names), if any."""
    return next((os.environ[name].strip() for name in TOKEN_VARIABLES if os.environ.get(name, "").strip()), None)


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def on_host(host: str, domain: str) -> bool:
    return host == domain or host.endswith("." + domain)


class HostBudgetMiddleware:
    """At most N requests in any W seconds to each host in HOST_BUDGETS ({domain: [N, W]},
    subdomains included); a request over budget waits for the oldest one to leave the window.
    Retries count, as the server sees them. With a Hub token in the environment the Hub's budget
    is HUB_TOKEN_BUDGET instead. Runs before the mirror rewrites URLs, so a snapshot crawl can be
    budgeted like the real one (the crawl runner turns budgets off for snapshots unless asked)."""

    def __init__(self, budgets: dict[str, tuple[int, float]], stats: StatsCollector | None = None) -> None:
        self.budgets = {domain.lower(): (int(limit), float(window)) for domain, (limit, window) in budgets.items()}
        self.sent: dict[str, deque[float]] = {domain: deque() for domain in self.budgets}
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        budgets = dict(crawler.settings.getdict("HOST_BUDGETS"))
        if hub_token() and HUB_HOST in budgets:
            budgets[HUB_HOST] = crawler.settings.getlist("HUB_TOKEN_BUDGET") or budgets[HUB_HOST]
        if not budgets:
            raise NotConfigured
        return cls(budgets, crawler.stats)

    def budget_for(self, url: str) -> str | None:
        host = host_of(url)
        return next((domain for domain in self.budgets if on_host(host, domain)), None)

    async def process_request(self, request: Request, spider: object = None) -> None:
        # One count per attempt at the real host: a retry or a redirect is a new attempt, the
        # mirror's rewrite of the same attempt is not.
        attempt = [request.meta.get("retry_times", 0), request.meta.get("redirect_times", 0)]
        domain = self.budget_for(request.meta.get(ORIGINAL_URL, request.url))
        if domain is None or request.meta.get(BUDGETED) == attempt:
            return None
        request.meta[BUDGETED] = attempt
        limit, window = self.budgets[domain]
        sent = self.sent[domain]
        waited = 0.0
        while True:
            now = time.monotonic()
            while sent and now - sent[0] >= window:
                sent.popleft()
            if len(sent) < limit:
                break
            pause = window - (now - sent[0])
            waited += pause
            await asyncio.sleep(pause)
        sent.append(now)
        if waited and self.stats is not None:
            self.stats.inc_value(f"host_budget/{domain}/waits")
            self.stats.inc_value(f"host_budget/{domain}/seconds_waited", round(waited, 3))
        return None


class HubTokenMiddleware:
    """Sends the Hub token from the environment (HF_TOKEN) with requests to huggingface.co, and
    to no other host; without a token it is off."""

    def __init__(self, token: str) -> None:
        self.header = f"Bearer {token}"

    @classmethod
    def from_crawler(cls, crawler):
        token = hub_token()
        if not token or crawler.settings.get("MIRROR_URL"):  # never sent to a snapshot
            raise NotConfigured
        return cls(token)

    def process_request(self, request: Request, spider: object = None) -> None:
        if on_host(host_of(request.url), HUB_HOST):
            request.headers.setdefault("Authorization", self.header)
        return None


class MirrorMiddleware:
    """Sends every request to the local snapshot while records keep real URLs. Active only when
    the MIRROR_URL setting is given (the demo, the tests). A URL whose host is a private IP
    address is refused here as a live crawl's resolver refuses it, so a snapshot shows the
    same `refused:` row (the mirror itself is on loopback, which the resolver must allow)."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/")

    @classmethod
    def from_crawler(cls, crawler):
        base = crawler.settings.get("MIRROR_URL")
        if not base:
            raise NotConfigured
        return cls(base)

    def process_request(self, request: Request, spider: object = None) -> Request | None:
        if request.url.startswith(self.base + "/"):  # mirrored already
            return None  # (a redirect's target carries the meta of its source, but not its URL)
        parts = urlsplit(request.url)
        reason = _literal_refusal(parts.hostname or "")
        if reason:
            REFUSED[parts.hostname] = reason
            raise IgnoreRequest(reason)
        target = f"{self.base}/{parts.hostname}{parts.path or '/'}"
        if parts.query:
            target += f"?{parts.query}"
        meta = {**request.meta, ORIGINAL_URL: request.url, "dont_obey_robotstxt": True}
        return request.replace(url=target, meta=meta, dont_filter=True)

    def process_response(self, request: Request, response: Response, spider: object = None) -> Response:
        original = request.meta.get(ORIGINAL_URL)
        return response.replace(url=original) if original else response


def _literal_refusal(host: str) -> str | None:
    """Why a URL whose host is an IP literal may not be fetched (None for a name or a public IP)."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return None
    return refusal(host, host)


class LoopSafeRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, except that a redirect's target is never dropped as a duplicate: a
    loop (A -> B -> A) ends at REDIRECT_MAX_TIMES with a recorded "max redirections reached"
    instead of vanishing without a page row."""

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        redirected = super()._redirect(redirected, request, reason)
        redirected.dont_filter = True
        return redirected


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


class FailingUrlBackoff:
    """Spider middleware: a URL whose last fetches failed (a 404, a DNS error, a timeout) is asked
    for again only after FAILED_RETRY_BASE_S * 2 ** (failures in a row - 1) seconds, at most
    FAILED_RETRY_MAX_S: an hourly refresh does not ask a dead link every hour. A 404 is still
    asked a second time at the next hourly run, so a removed page is seen to be gone. Off when
    the base is 0 (snapshot crawls)."""

    def __init__(self, crawler: Any, base_s: float, max_s: float) -> None:
        self.crawler, self.base_s, self.max_s = crawler, base_s, max_s

    @classmethod
    def from_crawler(cls, crawler):
        base = crawler.settings.getfloat("FAILED_RETRY_BASE_S", 3600.0)
        if base <= 0:
            raise NotConfigured
        return cls(crawler, base, crawler.settings.getfloat("FAILED_RETRY_MAX_S", 7 * 86400.0))

    def due(self, item: Any) -> bool:
        """Whether a request may go now (anything else passes)."""
        failing = getattr(self.crawler.spider, "failing", {}).get(item.url) if isinstance(item, Request) else None
        if not failing:
            return True
        fetched_at, misses = failing
        try:
            waited = (datetime.now(UTC) - datetime.fromisoformat(fetched_at)).total_seconds()
        except (TypeError, ValueError):
            return True
        if waited >= min(self.base_s * 2 ** max(int(misses) - 1, 0), self.max_s):
            return True
        self.crawler.stats.inc_value("backoff/failing_url_skipped")
        return False

    def process_spider_output(self, response: Any, result: Any, spider: Any = None) -> Any:
        return (item for item in result if self.due(item))

    async def process_spider_output_async(self, response: Any, result: Any, spider: Any = None) -> Any:
        async for item in result:
            if self.due(item):
                yield item

    async def process_start(self, start: Any) -> Any:
        async for item in start:
            if self.due(item):
                yield item
