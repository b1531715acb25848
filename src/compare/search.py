""" "Tools like X" (nearest cards by meaning, X and its family excluded) and free-text search
(SQLite FTS5 BM25 fused with vector search by reciprocal rank fusion)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from compare.db import Store
from compare.embed import Embedder
from compare.records import slugify
from compare.vectors import VectorIndex

RRF_K = 60
FUZZY_ACCEPT = 0.7  # a typed name this close to a card's name is taken, with a "did you mean"


class NotFoundError(LookupError):
    """No card matches a name; the message lists close names when there are some."""


def find_card(store: Store, name: str, fuzzy: bool = True) -> dict[str, Any]:
    """A card by exact name, slug or Hub id, then by a name or alias it answers to (order-free:
    'Claude 4 Opus', 'claude-opus-4-20250514'), then (unless `fuzzy` is off, as for editors'
    decisions) by a close fuzzy match, which the card says in `matched` so callers can ask
    "did you mean ...?"."""
    ids = store.find_card_ids(name)
    if ids:
        return {**store.cards_by_ids(ids[:1])[ids[0]], "matched": "name"}
    scored = sorted(
        (
            (name_similarity(name, card_name), not variant, card_id, card_name)
            for card_id, card_name, variant in store.card_names()
        ),
        reverse=True,
    )
    if fuzzy and scored and scored[0][0] >= FUZZY_ACCEPT:
        ratio, _, card_id, _ = scored[0]
        return {**store.cards_by_ids([card_id])[card_id], "matched": f"fuzzy {ratio:.2f}"}
    close = [card_name for ratio, _, _, card_name in scored[:3] if ratio >= 0.4]
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


@dataclass(frozen=True)
class Filters:
    """What "tools like X" may return: equal (case-insensitive) category, entry class, license,
    modality and vendor where given; open weights true or false where given."""

    category: str | None = None
    entry: str | None = None
    license: str | None = None
    modality: str | None = None
    vendor: str | None = None
    open_weights: bool | None = None

    def admit(self, card: dict[str, Any]) -> bool:
        for field in ("category", "entry", "license", "modality", "vendor"):
            wanted = getattr(self, field)
            if wanted and (card.get(field) or "").lower() != wanted.lower():
                return False
        return self.open_weights is None or card.get("open_weights") is self.open_weights


# Words too common to say why two tools are alike.
_STOP = frozenset(
    {"a", "an", "and", "the", "of", "for", "to", "in", "on", "with", "by", "from", "is", "are", "be", "as", "at",
     "or", "its", "it", "this", "that", "our", "your", "we", "you", "model", "models", "new", "more", "most", "best",
     "than", "can", "into", "via", "use", "using", "based"}
)  # fmt: skip


def explain(query: dict[str, Any], other: dict[str, Any], similarity: float) -> dict[str, Any]:
    """Why `other` is like `query`: similarity, shared category and modality, shared words."""

    def words(card: dict[str, Any]) -> set[str]:
        text = f"{card.get('tagline') or ''} {card.get('description') or ''}".lower()
        return {w for w in re.findall(r"[a-z][a-z0-9-]{2,}", text) if w not in _STOP}

    why: dict[str, Any] = {"similarity": round(similarity, 3)}
    for field in ("category", "modality", "entry", "license"):
        if query.get(field) and query.get(field) == other.get(field):
            why[f"same_{field}"] = query[field]
    shared = sorted(words(query) & words(other))
    if shared:
        why["shared_words"] = shared[:8]
    parts = [f"description cosine {similarity:.2f}"]
    parts += [f"both {why[f'same_{field}']}" for field in ("category", "modality") if f"same_{field}" in why]
    if shared:
        parts.append("both mention " + ", ".join(shared[:5]))
    why["sentence"] = "; ".join(parts)
    return why


def like(
    store: Store, index: VectorIndex, name: str, k: int = 10, filters: Filters = Filters(), with_reasons: bool = False
) -> list[dict[str, Any]]:
    """Cards most like `name`, best first; never the tool itself or its own variants (its family),
    only cards the filters admit. With `with_reasons` each result says why it matched."""
    card = find_card(store, name)
    vector = index.vector(card["id"])
    if vector is None:
        raise NotFoundError(f"{card['name']!r} has no vector yet: run `compare embed` and `compare index`")
    depth, results = k + 50, []
    while True:
        hits = index.search(vector, depth)
        cards = store.cards_by_ids(i for i, _ in hits)
        results = [
            {"card": other, "score": round(score, 4)}
            for card_id, score in hits
            if (other := cards.get(card_id)) and card_id != card["id"] and other["family"] != card["family"]
            and filters.admit(other)
        ]  # fmt: skip
        if len(results) >= k or len(hits) < depth:
            break
        depth *= 8  # the filters are narrow: look further down the list
    results = results[:k]
    if with_reasons:
        for result in results:
            result["why"] = explain(card, result["card"], result["score"])
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
