"""Feeds: RSS 2.0 and Atom (feedparser) and JSON Feed (json) items; items whose titles announce a
tool become feed_item records. A broken feed is a problem string, never an exception."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from compare.extract import document_kind, extract_document
from compare.extract.feed import extract_feed
from compare.feeds import feed_items

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FEED_SUFFIXES = (".xml", ".json", ".rss", ".atom")
FEED_URL = "https://www.anthropic.com/news/feed.xml"

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Anthropic News</title>
    <link>https://www.anthropic.com/news</link>
    <item>
      <title>Introducing Claude   Opus 4</title>
      <link>https://www.anthropic.com/news/claude-opus-4</link>
      <description>&lt;p&gt;Claude Opus 4 is our most capable &lt;b&gt;model&lt;/b&gt; yet. It codes for hours.&lt;/p&gt;</description>
      <pubDate>Thu, 22 May 2025 16:00:00 GMT</pubDate>
    </item>
    <item>
      <title>Our recommendations for the U.S. AI Action Plan</title>
      <link>https://www.anthropic.com/news/ai-action-plan</link>
      <description>Policy notes.</description>
    </item>
    <item>
      <title>Claude Code is now generally available</title>
      <link>https://www.anthropic.com/news/claude-code</link>
    </item>
  </channel>
</rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Hugging Face Blog</title>
  <id>https://huggingface.co/blog</id>
  <updated>2025-07-08T00:00:00Z</updated>
  <entry>
    <title>SmolLM3: smol, multilingual, long-context reasoner</title>
    <link href="https://huggingface.co/blog/smollm3"/>
    <id>https://huggingface.co/blog/smollm3</id>
    <updated>2025-07-08T00:00:00Z</updated>
    <summary>A fully open 3B model. Released with its training recipe.</summary>
  </entry>
  <entry>
    <title>Community tips: writing a model card people will actually read</title>
    <link href="https://huggingface.co/blog/model-card-tips"/>
    <id>https://huggingface.co/blog/model-card-tips</id>
    <updated>2025-06-01T00:00:00Z</updated>
  </entry>
</feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Cohere Blog",
        "items": [
            {
                "id": "1",
                "url": "https://cohere.com/blog/command-a",
                "title": "Introducing Command A",
                "content_html": "<p>Command A runs on two GPUs.</p>",
                "date_published": "2025-03-13T00:00:00Z",
            },
            "not an item",
            {
                "id": "2",
                "external_url": "https://cohere.com/blog/rag-evals",
                "title": "How to evaluate a RAG system before it reaches production",
                "summary": "Evaluation notes.",
            },
        ],
    }
)


def test_rss_items():
    items, problem = feed_items(RSS)
    assert problem is None
    assert [item["title"] for item in items] == [
        "Introducing Claude Opus 4",  # whitespace collapsed
        "Our recommendations for the U.S. AI Action Plan",
        "Claude Code is now generally available",
    ]
    first = items[0]
    assert first["link"] == "https://www.anthropic.com/news/claude-opus-4"
    assert first["published"] == "Thu, 22 May 2025 16:00:00 GMT"
    assert "most capable" in first["summary"]
    assert items[2]["summary"] == "" and items[2]["published"] is None


def test_atom_items():
    items, problem = feed_items(ATOM)
    assert problem is None
    assert [(item["title"], item["link"], item["published"]) for item in items] == [
        (
            "SmolLM3: smol, multilingual, long-context reasoner",
            "https://huggingface.co/blog/smollm3",
            "2025-07-08T00:00:00Z",
        ),
        (
            "Community tips: writing a model card people will actually read",
            "https://huggingface.co/blog/model-card-tips",
            "2025-06-01T00:00:00Z",
        ),
    ]


def test_json_feed_items():
    items, problem = feed_items(JSON_FEED)
    assert problem is None
    assert items == [
        {
            "title": "Introducing Command A",
            "link": "https://cohere.com/blog/command-a",
            "summary": "<p>Command A runs on two GPUs.</p>",
            "published": "2025-03-13T00:00:00Z",
            "feed_title": "Cohere Blog",
        },
        {  # external_url when there is no url; summary before content
            "title": "How to evaluate a RAG system before it reaches production",
            "link": "https://cohere.com/blog/rag-evals",
            "summary": "Evaluation notes.",
            "published": None,
            "feed_title": "Cohere Blog",
        },
    ]


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("<?xml version='1.0'?><rss><channel><title>oops</channel>", r"^malformed feed: .*mismatched tag"),
        ("<<<>>>", r"^malformed feed: .*not well-formed"),
        ("just some text, no feed", r"^malformed feed: "),
        ('{"version": "https://jsonfeed.org/version/1.1", "items": [', r"^malformed JSON Feed: .* at line 1"),
        ("{not json", r"^malformed JSON Feed: "),
        ('{"version": "1", "items": []}', r"^not a JSON Feed"),
        ('["https://jsonfeed.org/version/1.1"]', r"^malformed feed: "),  # a JSON array is no feed object
    ],
)
def test_broken_feeds_give_a_problem_not_an_exception(body, problem):
    items, found = feed_items(body)
    assert items == []
    assert found is not None and re.search(problem, found), found


def test_extract_feed_marks_launch_titles():
    result = extract_feed(FEED_URL, RSS)
    assert (result.status, result.reason) == ("ok", "2 of 3 items are launches")
    opus, code = result.records
    assert opus["name"] == "Claude Opus 4" and code["name"] == "Claude Code"
    assert opus["page_kind"] == "feed_item" and opus["extractor"] == "feed"
    assert opus["vendor"] == "Anthropic"
    assert opus["item_url"] == "https://www.anthropic.com/news/claude-opus-4"
    assert opus["source_url"] == FEED_URL
    assert opus["tagline"] == "Claude Opus 4 is our most capable model yet."  # HTML summary as text
    assert opus["evidence"]["name"] == {"url": FEED_URL, "snippet": "Introducing Claude Opus 4", "extractor": "feed"}
    assert "tagline" not in code  # no summary, no tagline


def test_extract_feed_atom_and_json_feed():
    atom = extract_feed("https://huggingface.co/blog/feed.xml", ATOM)
    assert [r["name"] for r in atom.records] == ["SmolLM3"]
    assert atom.records[0]["vendor"] == "Hugging Face"
    json_feed = extract_feed("https://cohere.com/blog/feed.json", JSON_FEED)
    assert [(r["name"], r["vendor"], r["tagline"]) for r in json_feed.records] == [
        ("Command A", "Cohere", "Command A runs on two GPUs.")
    ]


def test_extract_feed_without_launches_is_empty_with_a_reason():
    body = """<rss version="2.0"><channel><title>News</title>
      <item><title>Our updated Preparedness Framework</title><link>https://openai.com/index/pf/</link></item>
    </channel></rss>"""
    result = extract_feed("https://openai.com/news/rss.xml", body)
    assert (result.status, result.reason, result.records) == ("empty", "0 of 1 items are launches", [])


def test_extract_feed_broken_is_failed():
    result = extract_feed(FEED_URL, "<<<>>>")
    assert result.status == "failed" and result.reason.startswith("malformed feed")


@pytest.mark.parametrize(
    ("url", "body", "content_type"),
    [
        ("https://example.org/anything", RSS, None),
        ("https://example.org/anything", ATOM, None),
        ("https://example.org/anything", JSON_FEED, None),
        ("https://example.org/anything", "<!-- generated -->\n" + RSS.split("\n", 1)[1], None),
        ("https://example.org/feed", "<?xml version='1.0'?><channel/>", "application/rss+xml"),
    ],
)
def test_feeds_are_recognised_by_content(url, body, content_type):
    assert document_kind(url, body, content_type) == "feed"


def test_extract_document_reads_feeds_and_never_raises():
    assert [r["name"] for r in extract_document(FEED_URL, RSS.encode()).records] == ["Claude Opus 4", "Claude Code"]
    broken = extract_document("https://cohere.com/blog/feed.json", '{"version": "https://jsonfeed.org/version/1", ')
    assert broken.status == "failed" and broken.reason.startswith("malformed JSON Feed")


# -- the real feed corpus ------------------------------------------------------------------------


def corpus_feeds() -> list[Path]:
    folder = CORPUS / "feeds"
    if not folder.is_dir():
        pytest.skip(f"real feeds not found at {folder} (../shared/corpus is optional)")
    feeds = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FEED_SUFFIXES)
    assert feeds, f"no feed files under {folder}"
    return feeds


def test_every_real_feed_parses():
    launches = items = 0
    for path in corpus_feeds():
        url = f"https://feeds.example.org/{path.parent.name}/{path.name}"
        result = extract_document(url, path.read_bytes())
        assert result.status in ("ok", "empty", "failed"), path
        assert result.reason, path
        if result.status == "failed":
            print(f"\n{path.name}: failed: {result.reason}")
            continue
        counted = re.fullmatch(r"(\d+) of (\d+) items are launches", result.reason)
        assert counted, f"{path.name} was not read as a feed: {result.reason}"
        found, total = int(counted.group(1)), int(counted.group(2))
        assert found == len(result.records) and found <= total
        assert all(r["page_kind"] == "feed_item" and r["name"] and r["item_url"] for r in result.records)
        launches, items = launches + found, items + total
        print(f"\n{path.parent.name}/{path.name}: {found} launches, {total - found} other items", end="")
    print(f"\nfeeds: {launches} launch items, {items - launches} non-launch items")
    assert items > 0


def test_a_feed_whose_xml_breaks_off_keeps_the_items_before_the_break_and_says_so():
    from compare.extract.feed import extract_feed

    whole = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Acme news</title>'
        "<item><title>Introducing Acme Coder 2</title><link>https://acme.example/coder-2</link></item>"
        "<item><title>Our year in review</title><link>https://acme.example/year</link></item></channel></rss>"
    )
    cut = extract_feed(
        "https://acme.example/feed.xml", whole[: whole.index("<item><title>Our")] + "<item><title>Our ye"
    )
    assert cut.status == "ok" and cut.reason.startswith("problem: malformed feed:")  # listed on /runs
    assert [item["title"] for item in cut.items][:1] == ["Introducing Acme Coder 2"]
    assert extract_feed("https://acme.example/feed.xml", whole).reason == "1 of 2 items are launches"
