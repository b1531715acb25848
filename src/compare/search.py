""" "Tools like X" (nearest cards by meaning, X and its family excluded) and free-text search
(SQLite FTS5 BM25 fused with vector search by reciprocal rank fusion)."""

from __future__ import annotations

import difflib
import re
from typing import Any

from compare.db import Store
from compare.embed import Embedder
from compare.records import name_key, slugify
from compare.vectors import VectorIndex

RRF_K = 60


class NotFoundError(LookupError):
    """No card matches a name; the message lists close names when there are some."""


def find_card(store: Store, name: str) -> dict[str, Any]:
    """A card by exact name, slug, Hub id, order-free name key, then a close fuzzy match."""
    cards = store.cards()
    wanted = name.strip().lower()
    for card in cards:
        if wanted in (card["name"].lower(), card["slug"], (card.get("hub_id") or "").lower()):
            return card
    key = name_key(name)
    keyed = [c for c in cards if name_key(c["name"], c.get("vendor")) == key or name_key(c["name"]) == key]
    if keyed:
        return min(keyed, key=lambda c: c.get("is_variant", False))
    scored = sorted(
        ((name_similarity(name, c["name"]), not c.get("is_variant"), c) for c in cards),
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )
    if scored and scored[0][0] >= 0.7:
        return scored[0][2]
    close = [c["name"] for ratio, _, c in scored[:3] if ratio >= 0.4]
    hint = f"; did you mean: {', '.join(close)}?" if close else ""
    raise NotFoundError(f"no tool named {name!r}{hint}")


_WORD = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?[a-z]*")
_SIZE = re.compile(r"^(\d+(?:\.\d+)?)([bm])$")


def _size(token: str) -> float | None:
    match = _SIZE.match(token)
    if not match:
        return None
    return float(match.group(1)) * (0.001 if match.group(2) == "m" else 1.0)


def _token_match(wanted: str, have: str) -> float:
    if wanted == have:
        return 1.0
    a, b = _size(wanted), _size(have)
    if a and b:
        return 0.8 if max(a, b) / min(a, b) <= 1.25 else 0.0
    if len(wanted) >= 3 and (have.startswith(wanted) or (wanted.startswith(have) and len(have) >= 3)):
        return 0.7
    return 0.0


def name_similarity(query: str, name: str) -> float:
    """How well a typed name matches a card name, by words (sizes match loosely: 2B ~ 2.2B),
    with character similarity as a small tie-breaker."""
    wanted, have = _WORD.findall(query.lower()), _WORD.findall(name.lower())
    if not wanted or not have:
        return 0.0
    words = sum(max(_token_match(w, h) for h in have) for w in wanted) / len(wanted)
    chars = difflib.SequenceMatcher(None, slugify(query), slugify(name)).ratio()
    return 0.85 * words + 0.15 * chars


def like(store: Store, index: VectorIndex, name: str, k: int = 10) -> list[dict[str, Any]]:
    """Cards most like `name`, best first; never the tool itself or its own variants."""
    card = find_card(store, name)
    vector = index.vector(card["id"])
    if vector is None:
        raise NotFoundError(f"{card['name']!r} has no vector yet: run `compare embed` and `compare index`")
    hits = index.search(vector, k + 50)
    cards = store.cards_by_ids(i for i, _ in hits)
    results = []
    for card_id, score in hits:
        other = cards.get(card_id)
        if other is None or card_id == card["id"] or other["family"] == card["family"]:
            continue
        results.append({"card": other, "score": round(score, 4)})
        if len(results) == k:
            break
    return results


def fts_query(text: str) -> str | None:
    """A safe FTS5 expression: every word quoted, OR-ed; quotes and operators are just text."""
    words = re.findall(r"\w+", text.lower())
    if not words:
        return None
    return " OR ".join(f'"{word}"' for word in dict.fromkeys(words))


def search(store: Store, index: VectorIndex, embedder: Embedder, text: str, k: int = 10) -> list[dict[str, Any]]:
    """Hybrid: BM25 ranks and vector ranks fused by RRF (score = sum of 1 / (60 + rank))."""
    depth = max(50, k * 5)
    query = fts_query(text)
    lexical = [card_id for card_id, _ in store.fts_search(query, depth)] if query else []
    semantic = [card_id for card_id, _ in index.search(embedder.encode([text])[0], depth)]
    fused: dict[int, float] = {}
    for ranking in (lexical, semantic):
        for rank, card_id in enumerate(ranking, start=1):
            fused[card_id] = fused.get(card_id, 0.0) + 1.0 / (RRF_K + rank)
    best = sorted(fused.items(), key=lambda item: item[1], reverse=True)
    cards = store.cards_by_ids(card_id for card_id, _ in best[: k * 2])
    results = [{"card": cards[i], "score": round(s, 6)} for i, s in best if i in cards]
    return results[:k]
