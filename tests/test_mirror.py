"""The mirror serves the snapshot by the contract's rules, and Scrapy requests reach it."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from compare.mirror import serve, snapshot_file
from crawlers.middlewares import MirrorMiddleware


def _web(tmp_path):
    (tmp_path / "example.com" / "news").mkdir(parents=True)
    (tmp_path / "example.com" / "news" / "index.html").write_text("<h1>news</h1>")
    (tmp_path / "example.com" / "api?page=2").write_text("[2]")
    (tmp_path / "example.com" / "api").write_text("[1]")
    (tmp_path / "example.com" / "api.headers").write_text('Link: <https://example.com/api?page=2>; rel="next"\n')
    (tmp_path / "example.com" / "busy").write_text("slow down")
    (tmp_path / "example.com" / "busy.headers").write_text("Status: 429\nRetry-After: 3\n")
    return tmp_path


def test_snapshot_file_rules(tmp_path):
    root = _web(tmp_path)
    assert snapshot_file(root, "example.com", "/api", "page=2").read_text() == "[2]"
    assert snapshot_file(root, "example.com", "/api", "page=9").read_text() == "[1]"
    assert snapshot_file(root, "example.com", "/news/", "").name == "index.html"
    assert snapshot_file(root, "example.com", "/nothing", "") is None
    assert snapshot_file(root, "example.com", "/../../etc/passwd", "") is None


def test_served_over_loopback_with_headers_and_status(tmp_path):
    root = _web(tmp_path)
    with serve(root) as base:
        assert base.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{base}/example.com/api") as response:
            assert response.read() == b"[1]"
            assert 'rel="next"' in response.headers["Link"]
            assert response.headers["Content-Type"].startswith("application/json")
        for path, status in (("/example.com/missing", 404), ("/example.com/busy", 429)):
            try:
                urllib.request.urlopen(base + path)
            except urllib.error.HTTPError as error:
                assert error.code == status
            else:
                raise AssertionError(f"{path} should fail")


def test_middleware_rewrites_to_the_mirror_and_restores_the_real_url():
    middleware = MirrorMiddleware("http://127.0.0.1:9999")
    original = Request("https://huggingface.co/api/models?sort=createdAt&limit=10")
    mirrored = middleware.process_request(original)
    assert mirrored.url == "http://127.0.0.1:9999/huggingface.co/api/models?sort=createdAt&limit=10"
    assert middleware.process_request(mirrored) is None  # not rewritten twice
    response = HtmlResponse(mirrored.url, body=b"<p>x</p>", request=mirrored)
    assert middleware.process_response(mirrored, response).url == original.url


def _get(url, **headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def test_conditional_requests_and_a_fault_that_clears(tmp_path):
    root = _web(tmp_path)
    (root / "example.com" / "flaky").write_text("ok")
    (root / "example.com" / "flaky.headers").write_text("Status: 503\nStatus-Times: 1\n")
    log: list[dict] = []
    with serve(root, log=log) as base:
        status, headers = _get(f"{base}/example.com/api")
        assert status == 200 and headers["ETag"] and headers["Last-Modified"]
        assert _get(f"{base}/example.com/api", **{"If-None-Match": headers["ETag"]})[0] == 304
        assert _get(f"{base}/example.com/api", **{"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        assert _get(f"{base}/example.com/api", **{"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
        # If-None-Match decides when both are sent (RFC 9110)
        stale = {"If-None-Match": '"other"', "If-Modified-Since": headers["Last-Modified"]}
        assert _get(f"{base}/example.com/api", **stale)[0] == 200
        assert [_get(f"{base}/example.com/flaky")[0] for _ in range(2)] == [503, 200]
    assert [entry["status"] for entry in log] == [200, 304, 304, 200, 200, 503, 200]


def test_injected_stalls_and_dropped_connections_clear_after_their_count(tmp_path):
    import http.client
    import time

    root = _web(tmp_path)
    (root / "example.com" / "slow").write_text("slow but there")
    (root / "example.com" / "slow.headers").write_text("Delay: 0.6\nDelay-Times: 1\n")
    (root / "example.com" / "cut").write_text("x" * 1000)
    (root / "example.com" / "cut.headers").write_text("Truncate-At: 10\n")
    with serve(root) as base:
        started = time.monotonic()
        assert _get(f"{base}/example.com/slow")[0] == 200
        first = time.monotonic() - started
        started = time.monotonic()
        assert _get(f"{base}/example.com/slow")[0] == 200
        assert first >= 0.6 > time.monotonic() - started  # only the first request stalls
        with pytest.raises(http.client.IncompleteRead) as cut:
            urllib.request.urlopen(f"{base}/example.com/cut").read()
        assert len(cut.value.partial) == 10 and cut.value.expected == 990  # announced 1000, sent 10


def test_a_snapshot_crawl_refuses_a_private_ip_as_a_live_crawl_would():
    from scrapy.exceptions import IgnoreRequest

    from crawlers.addresses import REFUSED

    middleware = MirrorMiddleware("http://127.0.0.1:9")
    with pytest.raises(IgnoreRequest, match=r"^refused: 169\.254\.169\.254 is a link-local address"):
        middleware.process_request(Request("http://169.254.169.254/latest/meta-data/"))
    assert REFUSED["169.254.169.254"].startswith("refused:")  # what the spider's failure row says
    for public in ("https://huggingface.co/api/models", "http://93.184.216.34/page"):
        assert middleware.process_request(Request(public)).url.startswith("http://127.0.0.1:9/")
