"""Extraction: one stored document -> card records, each field with its evidence.

`extract_document` never raises: a bad document is an `Extraction` with status and reason.
"""

from __future__ import annotations

import json
import re

from compare.extract import article, feed, hub
from compare.records import PROBLEM, Extraction

# Bump when extraction logic changes: every page is then extracted again.
EXTRACTOR_VERSION = "6"
MAX_DOCUMENT_CHARS = 5_000_000
_FEED_SNIFF = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S)


def document_kind(url: str, body: str, content_type: str | None = None) -> str:
    """What a document is, told by its URL first and its content second."""
    if hub.api_model_id(url):
        return "hub_api"
    if hub.readme_model_id(url):
        return "hub_readme"
    if hub.license_file_model_id(url):
        return "hub_license"
    if re.match(r"^https?://huggingface\.co/api/models\b", url):
        return "hub_listing"
    head = body[:2048]
    content_type = (content_type or "").lower()
    if _FEED_SNIFF.match(head) or any(t in content_type for t in ("rss", "atom")):
        return "feed"
    if "<urlset" in head or "<sitemapindex" in head:
        return "sitemap"
    if head.lstrip().startswith("{") and "jsonfeed.org" in head:
        return "feed"
    return "html"


def extract_document(url: str, body: str | bytes, content_type: str | None = None) -> Extraction:
    """Card records found in one document."""
    try:
        if isinstance(body, bytes):
            body = body.decode("utf-8", errors="replace")
        if not body.strip():
            return Extraction.failed("empty document")
        if len(body) > MAX_DOCUMENT_CHARS:
            return Extraction.failed(f"document too large ({len(body)} chars)")
        kind = document_kind(url, body, content_type)
        if kind == "hub_api":
            return hub.extract_api_json(url, body)
        if kind == "hub_readme":
            return hub.extract_readme(url, body)
        if kind == "hub_license":
            return hub.extract_license_file(url, body)
        if kind == "hub_listing":
            return _listing(body)
        if kind == "feed":
            return feed.extract_feed(url, body)
        if kind == "sitemap":
            return Extraction.ok([], reason="sitemap: links only")
        return article.extract_article(url, body)
    except Exception as error:  # the contract: a bad page is a reason, never a crash
        return Extraction.failed(f"{type(error).__name__}: {error}")


def _listing(body: str) -> Extraction:
    try:
        models = json.loads(body)
    except json.JSONDecodeError as error:
        return Extraction.failed(f"invalid JSON: {error.msg}")
    if not isinstance(models, list):
        return Extraction.failed("Hub listing is not a JSON array")
    valid = sum(isinstance(model, dict) and hub.valid_hub_id(model.get("id")) for model in models)
    skipped = f"{len(models) - valid} of {len(models)} entries skipped: not a model with a valid Hub id"
    if models and not valid:
        return Extraction.failed(f"Hub listing: {skipped}")
    if valid < len(models):  # the crawler asked nothing for these
        return Extraction.ok([], reason=f"{PROBLEM}hub listing: {valid} models; {skipped}")
    return Extraction.ok([], reason=f"hub listing: {valid} models (records come from each model)")
