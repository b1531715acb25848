"""Ingest reads crawl output defensively; spiders follow the Hub's Link header."""

from __future__ import annotations

import json

import pytest

from compare.ingest import ingest_files
from compare.sources import SourcesError, load_sources
from crawlers.spiders.hf_hub import next_page


def test_truncated_and_malformed_lines_are_counted_not_fatal(store, tmp_path):
    good = {"url": "https://a.example/x", "status": 200, "body": "<p>x</p>", "fetched_at": "2026-11-01T00:00:00+00:00"}
    file = tmp_path / "page.jsonl"
    file.write_text(json.dumps(good) + "\n" + '{"url": "https://a.example/y", "bo' + "\n" + '{"no_url": 1}\n')
    counts = ingest_files(store, [file, tmp_path / "missing.jsonl"])
    assert counts == {"new": 1, "unreadable_line": 2, "missing_file": 1}


def test_link_header_pagination():
    header = '<https://huggingface.co/api/models?cursor=abc>; rel="next", <https://x>; rel="prev"'
    assert next_page(header) == "https://huggingface.co/api/models?cursor=abc"
    assert next_page('<https://x>; rel="prev"') is None and next_page(None) is None


def test_sources_file_errors_are_clear(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[[source]]\nkind = "ftp"\nurl = "https://x"\n')
    with pytest.raises(SourcesError, match="kind must be one of"):
        load_sources(bad)
    bad.write_text("[[source]\n")
    with pytest.raises(SourcesError, match="invalid TOML"):
        load_sources(bad)
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "none.toml")


def test_articles_of_a_feed_stored_before_a_kill_are_fetched_when_the_feed_answers_304(store, tmp_path):
    """A crawl killed after storing a feed but before its articles: the rerun's feed answers 304,
    and its stored copy's links are followed anyway, so no article is lost for good."""
    from compare import mirror
    from compare.config import Settings
    from compare.crawl import run_crawl

    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "hf-blog"\nkind = "feed"\nurl = "https://huggingface.co/blog/feed.xml"\n'
                       "max_items = 3\n")  # fmt: skip
    with mirror.serve(Settings().demo_dir) as base:
        first = run_crawl(sources, tmp_path / "first", base, timeout_s=120, state=store.crawl_state())
        lines = (tmp_path / "first" / "feed.jsonl").read_text().splitlines()
        feed_only = tmp_path / "killed.jsonl"  # as a kill after the feed was written would leave it
        feed_only.write_text("".join(line + "\n" for line in lines if json.loads(line)["kind"] == "feed"))
        ingest_files(store, [feed_only])
        assert store.db.execute("SELECT count(*) FROM pages WHERE kind = 'article'").fetchone()[0] == 0
        rerun = run_crawl(sources, tmp_path / "rerun", base, timeout_s=120, state=store.crawl_state())
    assert first.ok and rerun.ok, rerun.log_tail
    pages = [json.loads(line) for line in (tmp_path / "rerun" / "feed.jsonl").read_text().splitlines()]
    assert [p["status"] for p in pages if p["kind"] == "feed"] == [304]
    articles = [p for p in pages if p["kind"] == "article"]
    assert len(articles) == 3 and all(p["status"] == 200 for p in articles)


def test_a_feed_of_many_items_leads_to_a_bounded_number_of_fetches(tmp_path):
    """A feed listing 300 items (a feed bomb, or a feed of a whole archive) is followed for its
    first LISTING_MAX_ITEMS links when its source sets no max_items, and says so in the stats."""
    from compare import mirror
    from compare.crawl import run_crawl

    site = tmp_path / "web" / "news.example"
    site.mkdir(parents=True)
    items = "".join(f"<item><title>Post {n}</title><link>https://news.example/p/{n}</link></item>" for n in range(300))
    (site / "feed.xml").write_text(
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>N</title>{items}</channel></rss>'
    )
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nkind = "feed"\nurl = "https://news.example/feed.xml"\n')
    with mirror.serve(tmp_path / "web") as base:
        result = run_crawl(sources, tmp_path / "crawl", base, timeout_s=120, settings={"LISTING_MAX_ITEMS": "7"})
    pages = [json.loads(line) for line in (tmp_path / "crawl" / "feed.jsonl").read_text().splitlines()]
    assert result.ok and sum(p["kind"] == "article" for p in pages) == 7  # each a 404 here, but only 7 asked
    assert json.loads((tmp_path / "crawl" / "stats.json").read_text())["feed"]["listing/items_not_followed"] == 293


@pytest.mark.parametrize(
    ("model_id", "valid"),
    [("HuggingFaceTB/SmolVLM2-2.2B-Instruct", True), ("bigscience/bloom_7b1", True), ("evil/../../etc/passwd", False),
     ("a/b/c", False), ("x/", False), (" a/b", False), (5, False), (None, False), ("a--b/c", False)],
)  # fmt: skip
def test_hub_ids_are_checked_before_they_become_urls(model_id, valid):
    from compare.extract.hub import valid_hub_id

    assert valid_hub_id(model_id) is valid


def test_a_redirect_loop_leaves_a_row_and_a_redirect_target_stays_in_the_snapshot(tmp_path):
    """A -> B -> A ends at the redirect limit with its reason recorded (it used to vanish as a
    dropped duplicate); a redirect's target is served by the mirror too, never fetched live."""
    from compare import mirror
    from compare.crawl import run_crawl

    root = tmp_path / "web" / "example.com"
    for name, target in (("a", "b"), ("b", "a")):
        (root / "loop" / name).mkdir(parents=True)
        (root / "loop" / name / "index.html").write_text("moved")
        (root / "loop" / name / "index.html.headers").write_text(
            f"Status: 301\nLocation: https://example.com/loop/{target}/\n"
        )
    (root / "moved").mkdir()
    (root / "moved" / "index.html").write_text("moved")
    (root / "moved" / "index.html.headers").write_text("Status: 301\nLocation: https://example.com/landed/\n")
    (root / "landed").mkdir()
    (root / "landed" / "index.html").write_text(
        "<html><head><title>Landed</title></head><body><p>here</p></body></html>"
    )
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "loop"\nkind = "page"\nurl = "https://example.com/loop/a/"\n\n'
                       '[[source]]\nname = "moved"\nkind = "page"\nurl = "https://example.com/moved/"\n')  # fmt: skip
    log: list[dict] = []
    with mirror.serve(tmp_path / "web", log=log) as base:
        result = run_crawl(sources, tmp_path / "crawl", base, timeout_s=60, settings={"REDIRECT_MAX_TIMES": "4"})
    assert result.ok, result.log_tail
    pages = [json.loads(line) for line in (tmp_path / "crawl" / "page.jsonl").read_text().splitlines()]
    looped = [p for p in pages if "/loop/" in p["url"]]
    assert len(looped) == 1 and "max redirections reached" in looped[0]["error"]
    landed = [p for p in pages if p["url"] == "https://example.com/landed/"]
    assert landed and landed[0]["status"] == 200  # the target came from the snapshot
    assert any(entry["path"] == "/example.com/landed/" for entry in log)
    # ingested, the URL asked for has a row saying where it led, and it is no failure
    from compare.db import Store

    store = Store(tmp_path / "c.db")
    counts = ingest_files(store, [tmp_path / "crawl" / "page.jsonl"])
    moved = store.get_page("https://example.com/moved/")
    assert counts["redirected"] == 1 and moved["status"] == 301 and moved["final_url"] == "https://example.com/landed/"
    assert (
        moved["error"] is None and moved["body"] is None and "https://example.com/moved/" not in store.fetch_failures()
    )
    assert store.get_page("https://example.com/landed/")["body"]
    store.close()


def test_a_url_that_keeps_failing_is_asked_again_only_after_a_growing_wait(store, tmp_path):
    from compare import mirror
    from compare.crawl import run_crawl

    root = tmp_path / "web" / "example.com"
    (root / "alive").mkdir(parents=True)
    (root / "alive" / "index.html").write_text("<html><head><title>Alive</title></head><body><p>here</p></body></html>")
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nname = "dead"\nkind = "page"\nurl = "https://example.com/dead/"\n\n'
                       '[[source]]\nname = "alive"\nkind = "page"\nurl = "https://example.com/alive/"\n')  # fmt: skip
    live = {"FAILED_RETRY_BASE_S": "3600"}  # as a live crawl backs off (snapshot crawls do not)

    def crawl(name: str, settings: dict) -> list[str]:
        log: list[dict] = []
        with mirror.serve(tmp_path / "web", log=log) as base:
            result = run_crawl(sources, tmp_path / name, base, timeout_s=60, state=store.crawl_state(),
                               settings=settings)  # fmt: skip
        assert result.ok or result.returncode == 0, result.log_tail
        ingest_files(store, result.outputs)
        return sorted(entry["path"] for entry in log if not entry["path"].endswith("/robots.txt"))

    assert crawl("first", live) == ["/example.com/alive/", "/example.com/dead/"]
    assert store.get_page("https://example.com/dead/")["misses"] == 1
    assert crawl("second", live) == ["/example.com/alive/"]  # the dead link waits its hour
    assert crawl("third", {}) == ["/example.com/alive/", "/example.com/dead/"]  # a snapshot crawl does not wait
