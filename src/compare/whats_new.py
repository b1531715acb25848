"""What's new, ranked for editors: which of the cards first seen since a date deserve a look first.

    score = 0.45 * novelty + 0.30 * sources + 0.25 * popularity      (each part in 0..1)
            halved for a variant (a quantization or fine-tune of a family already carded)

- novelty: half from the tool's release (the launch post's date, else the Hub repository's
  creation), 1 / (1 + days since / 90), so 0.5 three months on and still told apart a year on;
  half from when compare first saw it, 1 / (1 + days since / 7). An undated release counts
  0.25 (a pricing row first seen today may be an old model);
- sources: independent sites that describe the tool (the Hub's API and model card count as one
  site), 3 or more give 1;
- popularity: log10(1 + Hub downloads + 100 * likes) over the same for the most popular card
  in the list (0 for tools not on the Hub).

Cards an editor has not looked at (`new`) come before `reviewed` and `skipped` ones.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from compare.db import REVIEW_STATUSES

WEIGHTS = {"novelty": 0.45, "sources": 0.30, "popularity": 0.25}
RELEASE_HALF_DAYS = 90  # a release this old counts half
SEEN_HALF_DAYS = 7  # first seen this long ago counts half
ENOUGH_SOURCES = 3
VARIANT_FACTOR = 0.5
UNDATED_RELEASE = 0.25
HOW = (
    "score = 0.45 novelty + 0.30 independent sites (3 or more count fully) + 0.25 Hub popularity, halved for a "
    "variant; novelty is half the release date (0.5 after 90 days) and half when compare first saw it "
    "(0.5 after a week)"
)


def _recency(day: date | None, today: date, half_days: int) -> float | None:
    return 1 / (1 + max((today - day).days, 0) / half_days) if day else None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def source_sites(card: dict[str, Any]) -> set[str]:
    return {(urlsplit(url).hostname or "").removeprefix("www.") for url in card.get("urls") or []} - {""}


def score_parts(card: dict[str, Any], today: date, top_popularity: int) -> dict[str, float]:
    released = _recency(_day(card.get("released")), today, RELEASE_HALF_DAYS)
    seen = _recency(_day(card.get("first_seen")), today, SEEN_HALF_DAYS)
    novelty = (released if released is not None else UNDATED_RELEASE) / 2 + (seen if seen is not None else 1.0) / 2
    popularity = card.get("popularity") or 0
    return {
        "novelty": round(novelty, 3),
        "sources": round(min(len(source_sites(card)), ENOUGH_SOURCES) / ENOUGH_SOURCES, 3),
        "popularity": round(math.log10(1 + popularity) / math.log10(1 + top_popularity), 3) if top_popularity else 0.0,
    }


def rank(cards: list[dict[str, Any]], today: date | None = None) -> list[dict[str, Any]]:
    """The cards with `score` and `score_parts`, unreviewed first, then by score."""
    today = today or datetime.now(UTC).date()
    top = max((card.get("popularity") or 0 for card in cards), default=0)
    ranked = []
    for card in cards:
        parts = score_parts(card, today, top)
        score = sum(WEIGHTS[name] * value for name, value in parts.items())
        if card.get("is_variant"):
            score *= VARIANT_FACTOR
        ranked.append({**card, "score": round(score, 4), "score_parts": parts})
    order = {status: i for i, status in enumerate(REVIEW_STATUSES)}
    return sorted(ranked, key=lambda c: (order.get(c.get("review_status") or "new", 0), -c["score"], c["name"]))
