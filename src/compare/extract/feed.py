"""Feed items that announce a tool (by their titles) become leads for cards."""

from __future__ import annotations

from compare.extract.article import launch_name
from compare.extract.text import first_sentences
from compare.extract.vocab import vendor_for_url
from compare.feeds import feed_items
from compare.records import Extraction, RecordBuilder, clip

EXTRACTOR = "feed"


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
