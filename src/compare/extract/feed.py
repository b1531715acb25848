"""Feed items: each gets a launch verdict with its reason; launches become leads for cards."""

from __future__ import annotations

from dataclasses import replace

from lxml import html

from compare.extract.launch import classify, former_names
from compare.extract.text import first_sentences
from compare.extract.vocab import vendor_for_url
from compare.feeds import feed_items
from compare.records import PROBLEM, Extraction, RecordBuilder, clip

EXTRACTOR = "feed"


def extract_feed(url: str, body: str) -> Extraction:
    items, problem = feed_items(body)
    if problem and not items:
        return Extraction.failed(problem)
    records, verdicts = [], []
    for item in items:
        summary = _plain(item["summary"])
        verdict = classify(item["title"], summary, feed_title=item["feed_title"])
        if verdict.launch and not item["link"]:
            verdict = replace(verdict, launch=False, reason="a launch title, but the item has no link")
        verdicts.append(
            {
                "url": item["link"],
                "title": item["title"],
                "published": item["published"],
                "launch": verdict.launch,
                "tool": verdict.name if verdict.launch else None,
                "reason": verdict.reason,
            }
        )
        if not verdict.launch:
            continue
        rec = RecordBuilder(url, EXTRACTOR)
        rec.set("name", verdict.name, item["title"])
        rec.set("vendor", vendor_for_url(item["link"]) or vendor_for_url(url), None)
        rec.set("tagline", first_sentences(summary, 1, 200) if summary else None, summary)
        rec.extra["item_url"] = item["link"]
        if verdict.formerly:
            rec.extra["aliases"] = former_names(verdict.formerly, verdict.name)
        rec.extra["page_kind"] = "feed_item"
        records.append(rec.build())
    counted = f"{len(records)} of {len(items)} items are launches"
    return Extraction.ok(records, f"{PROBLEM}{problem}; {counted}" if problem else counted, verdicts)


def _plain(summary: str) -> str:
    if "<" not in summary:
        return clip(summary, 400)
    try:
        return clip(html.fromstring(summary).text_content(), 400)
    except Exception:  # a summary that is not HTML after all
        return clip(summary, 400)
