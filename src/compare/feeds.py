"""Feed parsing shared by the feed spider and the feed extractor: RSS 2.0 and Atom through
feedparser, JSON Feed (which feedparser does not read) through json. Kept light to import."""

from __future__ import annotations

import json
import xml.sax

import feedparser


def feed_items(body: str) -> tuple[list[dict], str | None]:
    """(items, problem). Items are dicts with title, link, summary, published and feed_title (the
    feed's own title, which says what kind of posts it carries: "Goodfire - Research"). A feed
    whose XML breaks off gives the items read before the break, and the problem."""
    if body.lstrip().startswith("{"):
        return _json_feed_items(body)
    parsed = feedparser.parse(body)
    problem = None
    error = parsed.get("bozo_exception")
    if parsed.bozo and (not parsed.entries or isinstance(error, xml.sax.SAXParseException)):
        problem = f"malformed feed: {error}"  # broken XML read in part, or nothing read (not a charset notice)
    items = [
        {
            "title": " ".join((entry.get("title") or "").split()),
            "link": entry.get("link"),
            "summary": entry.get("summary") or "",
            "published": entry.get("published") or entry.get("updated"),
            "feed_title": parsed.feed.get("title") or "",
        }
        for entry in parsed.entries
    ]
    return items, problem


def _json_feed_items(body: str) -> tuple[list[dict], str | None]:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser does not read."""
    try:
        data = json.loads(body)
    except json.JSONDecodeError as error:
        return [], f"malformed JSON Feed: {error.msg} at line {error.lineno}"
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org"):
        return [], "not a JSON Feed (no jsonfeed.org version)"
    items, feed_title = [], str(data.get("title") or "")
    for item in data.get("items") or []:
        if not isinstance(item, dict):
            continue
        items.append(
            {
                "title": " ".join(str(item.get("title") or "").split()),
                "link": item.get("url") or item.get("external_url"),
                "summary": str(item.get("summary") or item.get("content_text") or item.get("content_html") or ""),
                "published": item.get("date_published"),
                "feed_title": feed_title,
            }
        )
    return items, None
