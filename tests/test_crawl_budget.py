"""The per-host request budget and the Hub token: a budgeted host never gets more than N requests
in any W seconds, other hosts are not held back, and the token goes to the Hub only."""

from __future__ import annotations

import asyncio
import time

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawlers.middlewares import ORIGINAL_URL, HostBudgetMiddleware, HubTokenMiddleware


def _send(middleware: HostBudgetMiddleware, requests: list[Request]) -> list[float]:
    """When each request was let through, in seconds from the start."""

    async def one(request: Request, started: float) -> float:
        await middleware.process_request(request)
        return time.monotonic() - started

    async def all_of() -> list[float]:
        started = time.monotonic()
        return await asyncio.gather(*(one(request, started) for request in requests))

    return asyncio.run(all_of())


def test_no_more_than_the_budget_in_any_window():
    middleware = HostBudgetMiddleware({"huggingface.co": (3, 0.3)})
    times = sorted(_send(middleware, [Request(f"https://huggingface.co/api/models/m{i}") for i in range(7)]))
    assert all(times[i + 3] - times[i] >= 0.29 for i in range(len(times) - 3)), times
    assert times[2] < 0.1 and times[-1] >= 0.59  # three at once, then three a window later, then one


def test_other_hosts_are_not_held_back_and_subdomains_share_the_budget():
    middleware = HostBudgetMiddleware({"huggingface.co": (1, 0.5)})
    times = _send(middleware, [Request("https://huggingface.co/a"), Request("https://example.org/b")])
    assert max(times) < 0.1
    assert min(_send(middleware, [Request("https://cdn.huggingface.co/c")])) >= 0.3


def test_a_mirrored_attempt_counts_once_and_a_retry_counts_again():
    middleware = HostBudgetMiddleware({"huggingface.co": (10, 60)})
    request = Request("https://huggingface.co/api/models/m")
    _send(middleware, [request])
    mirrored = request.replace(url="http://127.0.0.1:1/huggingface.co/api/models/m")
    mirrored.meta[ORIGINAL_URL] = request.url
    _send(middleware, [mirrored])
    assert len(middleware.sent["huggingface.co"]) == 1
    retry = mirrored.copy()
    retry.meta["retry_times"] = 1
    _send(middleware, [retry])
    assert len(middleware.sent["huggingface.co"]) == 2


def test_the_token_goes_to_the_hub_only_and_raises_its_budget(monkeypatch):
    settings = {"HOST_BUDGETS": {"huggingface.co": [450, 300]}, "HUB_TOKEN_BUDGET": [900, 300]}
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.delenv("HUGGING_FACE_HUB_TOKEN", raising=False)
    assert HostBudgetMiddleware.from_crawler(get_crawler(settings_dict=settings)).budgets["huggingface.co"] == (
        450,
        300,
    )
    with pytest.raises(NotConfigured):
        HubTokenMiddleware.from_crawler(get_crawler(settings_dict=settings))
    monkeypatch.setenv("HF_TOKEN", "hf_secret")
    assert HostBudgetMiddleware.from_crawler(get_crawler(settings_dict=settings)).budgets["huggingface.co"] == (
        900,
        300,
    )
    token = HubTokenMiddleware.from_crawler(get_crawler(settings_dict=settings))
    hub, other = Request("https://huggingface.co/api/models"), Request("https://example.org/feed")
    token.process_request(hub)
    token.process_request(other)
    assert hub.headers.get("Authorization") == b"Bearer hf_secret" and other.headers.get("Authorization") is None
    with pytest.raises(NotConfigured):  # never sent to a snapshot
        HubTokenMiddleware.from_crawler(get_crawler(settings_dict={**settings, "MIRROR_URL": "http://127.0.0.1:1"}))
