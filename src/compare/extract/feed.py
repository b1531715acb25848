"""RSS 2.0, Atom and JSON Feed: which items announce a tool (by title), parsed by feedparser."""

from __future__ import annotations

import json

import feedparser

from compare.extract.article import launch_name
from compare.extract.text import first_sentences
from compare.extract.vocab import vendor_for_url
from compare.records import Extraction, RecordBuilder, clip

EXTRACTOR = "feed"


def feed_items(body: str) -> tuple[list[dict], str | None]:
    """(items, problem). Items are dicts with title, link, summary, published."""
    if body.lstrip().startswith("{"):
        return _json_feed_items(body)
    parsed = feedparser.parse(body)
    problem = None
    if parsed.bozo and not parsed.entries:
        problem = f"malformed feed: {parsed.get('bozo_exception')}"
    items = [
        {
            "title": " ".join((entry.get("title") or "").split()),
            "link": entry.get("link"),
            "summary": entry.get("summary") or "",
            "published": entry.get("published") or entry.get("updated"),
        }
        for entry in parsed.entries
    ]
    return items, problem


def extract_feed(url: str, body: str) -> Extraction:
    items, problem = feed_items(body)
    if problem:
        return Extraction.failed(problem)
    records = []
    for item in items:
        name = launch_name(item["title"])
        if not name or not item["link"]:
            continue
        rec = RecordBuilder(url, EXTRACTOR)
        rec.set("name", name, item["title"])
        rec.set("vendor", vendor_for_url(item["link"]) or vendor_for_url(url), None)
        summary = _plain(item["summary"])
        rec.set("tagline", first_sentences(summary, 1, 200) if summary else None, summary)
        rec.extra["item_url"] = item["link"]
        rec.extra["page_kind"] = "feed_item"
        records.append(rec.build())
    launches = len(records)
    return Extraction.ok(records, reason=f"{launches} of {len(items)} items are launches")


def _plain(summary: str) -> str:
    from lxml import html

    if "<" not in summary:
        return clip(summary, 400)
    try:
        return clip(html.fromstring(summary).text_content(), 400)
    except Exception:  # a summary that is not HTML after all
        return clip(summary, 400)


def _json_feed_items(body: str) -> tuple[list[dict], str | None]:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser does not read."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as error:
        return [], f"malformed JSON Feed: {error.msg} at line {error.lineno}"
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org"):
        return [], "not a JSON Feed (no jsonfeed.org version)"
    items = []
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        items.append(
            {
                "title": " ".join(str(item.get("title") or "").split()),
                "link": item.get("url") or item.get("external_url"),
                "summary": str(item.get("summary") or item.get("content_text") or item.get("content_html") or ""),
                "published": item.get("date_published"),
            }
        )
    return items, None
