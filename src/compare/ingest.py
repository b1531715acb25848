"""JSONL of raw pages -> the `pages` table, keyed by URL with a content hash.

Unchanged pages stop here; a failed fetch never overwrites a page's last good content.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path
from typing import Any

from compare.db import Store


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8", errors="replace")).hexdigest()


_HUB_REASONS = {
    ("hub_readme", 404): "no README in the repo",
    ("hub_license", 404): "no LICENSE file in the repo",
    ("hub_api", 404): "model not found (deleted, renamed or private)",
    ("hub_api", 410): "model removed from the Hub",
}


def fetch_reason(status: int, kind: str | None, error: str | None = None) -> str | None:
    """Why a fetch brought no content, in words an editor can act on; None for success."""
    if error:
        return error
    if status in (200, 304):
        return None
    if (kind or "", status) in _HUB_REASONS:
        return f"HTTP {status}: {_HUB_REASONS[(kind or '', status)]}"
    if kind and kind.startswith("hub_") and status in (401, 403):
        return f"HTTP {status}: gated, private or disabled model (needs access on the Hub)"
    if status == 429:
        return "HTTP 429: rate limited (retries exhausted or Retry-After above the cap)"
    return f"HTTP {status}"


def redirect_row(item: dict[str, Any], page: dict[str, Any]) -> dict[str, Any]:
    """The row of a URL that redirected: where it led (`final_url`), with no body of its own."""
    status = item.get("redirect_status")
    return {
        "url": item["redirected_from"],
        "final_url": page["url"],
        "source": page["source"],
        "kind": page["kind"],
        "status": status if isinstance(status, int) else 301,
        "fetched_at": page["fetched_at"],
    }


def page_row(item: dict[str, Any]) -> dict[str, Any]:
    body = item.get("body")
    return {
        "url": item["url"],
        "final_url": item.get("final_url") or item["url"],
        "source": item.get("source"),
        "kind": item.get("kind"),
        "status": int(item.get("status") or 0),
        "content_type": item.get("content_type"),
        "headers": json.dumps(item.get("headers") or {}, sort_keys=True),
        "body": body,
        "content_hash": content_hash(body) if body is not None else None,
        "error": fetch_reason(int(item.get("status") or 0), item.get("kind"), item.get("error")),
        "fetched_at": item["fetched_at"],
    }


def ingest_files(store: Store, files: list[Path]) -> Counter:
    """Counts of new / changed / unchanged / failed pages, and unreadable lines."""
    counts: Counter = Counter()
    for file in files:
        if not file.exists():
            counts["missing_file"] += 1
            continue
        with file.open(encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    row = page_row(item)
                except (json.JSONDecodeError, KeyError, TypeError, ValueError):
                    counts["unreadable_line"] += 1
                    continue
                with store.writing():
                    counts[store.upsert_page(row)] += 1
                    if item.get("redirected_from"):  # the URL asked for gets a row saying where it led
                        store.record_redirect(redirect_row(item, row))
                        counts["redirected"] += 1
    return counts
