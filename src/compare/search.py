""" "Tools like X" (nearest cards by meaning, X and its family excluded) and free-text search
(SQLite FTS5 BM25 fused with vector search by reciprocal rank fusion)."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process, utils

from compare.db import Store
from compare.embed import Embedder
from compare.errors import CompareError, InvalidInput
from compare.records import resale_of, same_maker, slugify
from compare.vectors import VectorIndex

RRF_K = 60
HYBRID_POOL = 2  # hybrid "tools like X" re-ranks twice as many nearest cards as it looks at
FUZZY_ACCEPT = 0.7  # a typed name this close to a card's name is taken, with a "did you mean"
FUZZY_MAX_CHARS = 120
FUZZY_POOL = 200  # names rapidfuzz picks (in C, from every card's) for name_similarity to weigh


class NotFoundError(CompareError, LookupError):
    """No card matches a name; the message lists close names when there are some."""


class InvalidQuery(InvalidInput):
    """A question that cannot be answered as asked (an empty query, an unknown category, a date
    that is no date); the message says what would be valid."""


def find_card(store: Store, name: str, fuzzy: bool = True) -> dict[str, Any]:
    """A card by exact name, slug or Hub id, then by a name or alias it answers to (order-free:
    'Claude 4 Opus', 'claude-opus-4-20250514'), then (unless `fuzzy` is off, as for editors'
    decisions) by a close fuzzy match, which the card says in `matched` so callers can ask
    "did you mean ...?"."""
    ids = store.find_card_ids(name)
    if ids:
        return {**store.cards_by_ids(ids[:1])[ids[0]], "matched": "name"}
    if len(name) > FUZZY_MAX_CHARS:  # no tool's name; fuzzy matching it would take seconds
        raise NotFoundError(f"no tool named {name[:FUZZY_MAX_CHARS]!r}…")
    names = store.card_names()
    pool = process.extract(name, [card_name for _, card_name, _ in names], scorer=fuzz.WRatio,
                           processor=utils.default_process, limit=FUZZY_POOL)  # fmt: skip
    scored = sorted(
        ((name_similarity(name, card_name), not variant, card_id, card_name)
         for card_id, card_name, variant in (names[index] for _, _, index in pool)),
        reverse=True,
    )  # fmt: skip
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
    chars = fuzz.ratio(slugify(query), slugify(name)) / 100
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
    """Why `other` is like `query`: similarity, shared category and modality, weight class
    (price or size side by side), same maker, shared words."""

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
    parts = ["very similar description" if similarity >= 0.7 else "similar description"]  # the cosine: `similarity`
    parts += [f"both {why[f'same_{field}']}" for field in ("category", "modality") if f"same_{field}" in why]
    if weights := weight_classes(query, other):
        measure, a, b, style = weights
        why["weight_class"] = {"measure": measure, "query": a, "other": b, "closeness": scale_closeness(query, other)}
        parts.append(f"{style.format(b)} against {style.format(a)}")
    if same_maker(query, other):
        why["same_maker"] = True
        parts.append("same maker (ranked lower: editors want other makers first)")
    if shared:
        parts.append("both mention " + ", ".join(shared[:5]))
    why["sentence"] = "; ".join(parts)
    return why


MODES = ("hybrid", "vectors", "bm25")


def _fuse(rankings: list[list[int]]) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: score = sum over rankings of 1 / (RRF_K + rank)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, card_id in enumerate(ranking, start=1):
            fused[card_id] = fused.get(card_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(fused.items(), key=lambda item: item[1], reverse=True)


def _card_text(card: dict[str, Any]) -> str:
    """The words "tools like X" searches with: what X does (not its name, whose brand words
    would find the maker's other tools), else its name."""
    about = " ".join(card.get(field) or "" for field in ("tagline", "description", "category", "modality")).strip()
    return about or card["name"]


K1, B = 1.2, 0.75  # BM25's usual term-frequency saturation and length normalisation


def _terms(text: str) -> list[str]:
    """Words as FTS5's default tokenizer sees them."""
    return re.findall(r"\w+", text.lower())


def bm25_scores(store: Store, query: str, cards: dict[int, dict[str, Any]]) -> dict[int, float]:
    """BM25 of `query` against a few cards' indexed text (name, vendor, tagline, description,
    category), with document frequencies from the full-text index's vocabulary."""
    terms = set(_terms(query)) - _STOP
    fields = ("name", "vendor", "tagline", "description", "category")
    documents = {card_id: _term_counts(" ".join(card.get(f) or "" for f in fields)) for card_id, card in cards.items()}
    df, total = store.term_documents(terms)
    average = sum(length for _, length in documents.values()) / max(len(documents), 1) or 1.0
    scores = {}
    for card_id, (counts, length) in documents.items():
        score = 0.0
        for term in terms & counts.keys():
            idf = math.log(1 + (total - df.get(term, 0) + 0.5) / (df.get(term, 0) + 0.5))
            tf = counts[term]
            score += idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))
        scores[card_id] = score
    return scores


@functools.lru_cache(maxsize=50_000)
def _term_counts(text: str) -> tuple[Counter, int]:
    """A card text's term counts and length, kept: every "tools like" request re-ranks the same
    candidates, and tokenising them was a third of its time."""
    words = _terms(text)
    return Counter(words), len(words)


def _like_ranking(
    store: Store, index: VectorIndex, card: dict[str, Any], depth: int, mode: str
) -> tuple[list[tuple[int, float]], dict[int, dict[str, Any]]]:
    """(card id, score) best first, and those cards. vectors: cosine; bm25: the full-text index
    searched with the card's own words; hybrid: the nearest cards by cosine, re-ranked by fusing
    their cosine rank with their BM25 rank for the card's words (BM25 runs on the candidates
    only, so it stays fast at any size)."""
    if mode == "bm25":
        query = fts_query(_card_text(card))
        ranking = [(card_id, -rank) for card_id, rank in store.fts_search(query, depth)] if query else []
        return ranking, store.cards_by_ids((i for i, _ in ranking), light=True)
    vector = index.vector(card["id"])
    if vector is None:
        raise NotFoundError(f"{card['name']!r} has no vector yet: run `compare embed` and `compare index`")
    semantic = index.search(vector, depth * HYBRID_POOL if mode == "hybrid" else depth)
    cards = store.cards_by_ids((i for i, _ in semantic), light=True)
    if mode == "vectors":
        return semantic, cards
    lexical = bm25_scores(store, _card_text(card), cards)
    by_words = sorted(lexical, key=lambda card_id: -lexical[card_id])
    return _fuse([[i for i, _ in semantic], by_words]), cards


# How "tools like X" weighs a retrieved card beyond its retrieval score: an editor wants
# alternatives doing the same job, from other makers, before the maker's own other tiers, and
# of the same weight class: priced alike (USD per 1M input tokens) or as large (parameters).
SAME_CATEGORY, SAME_MODALITY, SAME_KIND, SAME_OPENNESS, SAME_VENDOR = 2.0, 1.2, 1.2, 1.5, 0.5
SAME_SCALE, SCALE_SPAN = 1.5, 1.0  # x1.5 at equal price or size, falling to x1 at 10**SCALE_SPAN apart


def list_price(card: dict[str, Any], item: str, unit: str) -> float | None:
    """The card's lowest USD list price for `item` per `unit` (untiered if it has one: not batch,
    long-context or annual billing); 0 for a free plan; None when unknown."""
    prices = [p for p in card.get("prices") or []
              if p.get("item") == item and p.get("unit") == unit and p.get("currency") == "USD"]  # fmt: skip
    amounts = [p["amount"] for p in prices if not p.get("tier")] or [p["amount"] for p in prices]
    return min(amounts) if amounts else None


# What sets a tool's weight class, in order: its price per 1M input tokens, its monthly plan
# price, its size in parameters; each with how an explanation writes it.
WEIGHT_MEASURES = (
    ("input price", lambda card: list_price(card, "input", "1M tokens"), "${:g} per 1M input tokens"),
    ("monthly price", lambda card: list_price(card, "subscription", "month"), "${:g}/month"),
    ("size", lambda card: card.get("params_b"), "{:g}B parameters"),
)


def weight_classes(query: dict[str, Any], other: dict[str, Any]) -> tuple[str, float, float, str] | None:
    """(measure, query's value, other's value, format) for the first measure both cards have."""
    for measure, value, style in WEIGHT_MEASURES:
        a, b = value(query), value(other)
        if a is not None and b is not None:
            return measure, a, b, style
    return None


def scale_closeness(query: dict[str, Any], other: dict[str, Any]) -> float | None:
    """How alike two cards' weight classes are: 1 at an equal price (or size), 0 at a tenfold
    difference or more, and between free and paid; two "contact sales" plans are alike. None
    when the two cards share no measure."""
    if found := weight_classes(query, other):
        _, a, b, _ = found
        if not a or not b:
            return float(a == b)
        return max(0.0, 1.0 - abs(math.log10(a / b)) / SCALE_SPAN)
    if query.get("entry") == other.get("entry") == "contact":
        return 1.0
    return None


def _alike(query: dict[str, Any], other: dict[str, Any], score: float) -> float:
    """The retrieval score times what makes `other` an alternative to `query`."""
    for field, factor in (("category", SAME_CATEGORY), ("modality", SAME_MODALITY), ("kind", SAME_KIND),
                          ("open_weights", SAME_OPENNESS)):  # fmt: skip
        if query.get(field) is not None and query.get(field) == other.get(field):
            score *= factor
    if same_maker(query, other):
        score *= SAME_VENDOR
    if (closeness := scale_closeness(query, other)) is not None:
        score *= 1 + (SAME_SCALE - 1) * closeness
    return score


def like(
    store: Store, index: VectorIndex, name: str, k: int = 10, filters: Filters = Filters(),
    with_reasons: bool = False, mode: str = "hybrid",
) -> list[dict[str, Any]]:  # fmt: skip
    """Cards most like `name`, best first; never the tool itself, its own variants (its family) or
    another vendor's resale of it, only cards the filters admit. `mode`: hybrid (BM25 of the
    card's words and vector cosine, fused by reciprocal rank), vectors or bm25. With
    `with_reasons` each result says why."""
    card = find_card(store, name)
    depth, results = k + 50, []
    while True:
        ranking, cards = _like_ranking(store, index, card, depth, mode)  # light cards
        results = [
            {"card": other, "score": round(score, 4)}
            for card_id, score in ranking
            if (other := cards.get(card_id)) and card_id != card["id"] and other["family"] != card["family"]
            and not resale_of(card, other) and not resale_of(other, card) and filters.admit(other)
        ]  # fmt: skip
        if len(results) >= k + 40 or len(ranking) < depth:
            break
        depth *= 8  # the filters are narrow: look further down the list
    for hit in results:  # the score shown is the one results are ranked by
        hit["score"] = round(_alike(card, hit["card"], hit["score"]), 6)
    results = sorted(results, key=lambda hit: -hit["score"])[:k]
    whole = store.cards_by_ids(hit["card"]["id"] for hit in results)  # ranked light, shown whole
    for hit in results:
        hit["card"] = whole[hit["card"]["id"]]
    if with_reasons:
        query_vector = index.vector(card["id"])
        for result in results:
            other_vector = index.vector(result["card"]["id"])
            cosine = (
                float(query_vector @ other_vector) if query_vector is not None and other_vector is not None else 0.0
            )
            result["why"] = explain(card, result["card"], cosine)
    return results


def fts_query(text: str) -> str | None:
    """A safe FTS5 expression: every word quoted (quotes and operators are just text), OR-ed;
    words too common to tell tools apart are left out unless nothing else is left."""
    words = list(dict.fromkeys(_terms(text)))
    words = [w for w in words if w not in _STOP] or words
    if not words:
        return None
    return " OR ".join(f'"{word}"' for word in words)


# A word in more than this share of cards (and more than COMMON_MIN cards) tells little and
# costs a long scan of the full-text index.
COMMON_SHARE, COMMON_MIN = 0.1, 1000


def _telling_words(store: Store, text: str) -> list[str]:
    """The query's words that are not too common to tell cards apart, rarest first."""
    words = [w for w in dict.fromkeys(_terms(text)) if w not in _STOP]
    docs, total = store.term_documents(words)
    limit = max(COMMON_SHARE * total, COMMON_MIN)
    return sorted((w for w in words if docs.get(w, 0) <= limit), key=lambda w: docs.get(w, 0))[:6]


def lexical_queries(store: Store, text: str) -> list[str]:
    """FTS5 queries for free text, narrowest first: the quoted phrases and all telling words,
    then any telling word. Every term is quoted, so nothing in the text is an FTS5 operator."""
    telling = _telling_words(store, text)
    if not telling:
        return []
    phrases = [" ".join(_terms(p)) for p in re.findall(r'"([^"]+)"', text) if len(_terms(p)) > 1]
    narrow = " AND ".join([*(f'"{p}"' for p in phrases), *(f'"{w}"' for w in telling)])
    return list(dict.fromkeys([narrow, " OR ".join(f'"{w}"' for w in telling)]))


def search(
    store: Store, index: VectorIndex, embedder: Embedder, text: str, k: int = 10, mode: str = "hybrid"
) -> list[dict[str, Any]]:
    """Free text: BM25 ranks and vector ranks fused by reciprocal rank fusion (or one of them).
    A "quoted phrase" must appear as such in the cards found first; quotes that do not pair up
    and FTS5 operators are plain text."""
    depth = max(50, k * 5)
    lexical: list[int] = []
    if mode != "vectors":
        for query in lexical_queries(store, text):
            lexical += [i for i, _ in store.fts_search(query, depth) if i not in lexical]
            if len(lexical) >= depth:
                break
    semantic = [card_id for card_id, _ in index.search(embedder.encode([text])[0], depth)] if mode != "bm25" else []
    best = _fuse([ranking for ranking in (lexical, semantic) if ranking])
    cards = store.cards_by_ids(card_id for card_id, _ in best[: k * 2])
    near = set(semantic[: max(k, 10)])
    results = [{"card": cards[i], "score": round(s, 6), "why": _found_because(text, cards[i], i in near)}
               for i, s in best if i in cards]  # fmt: skip
    return results[:k]


def _found_because(text: str, card: dict[str, Any], near: bool) -> dict[str, Any]:
    """Why a card answers a free-text query, in words: the query's words it mentions, and
    whether its description is among the closest in meaning."""
    said = " ".join(str(card.get(f) or "") for f in ("name", "vendor", "category", "tagline", "description")).lower()
    asked = dict.fromkeys(w for w in re.findall(r"[a-z0-9][a-z0-9.+-]{2,}", text.lower()) if w not in _STOP)
    matched = [w for w in asked if re.search(rf"(?<![a-z0-9]){re.escape(w)}", said)]
    parts = [f"mentions {', '.join(matched[:5])}"] if matched else []
    if near:
        parts.append("description close in meaning to the query")
    return {"matched_words": matched, "near_in_meaning": near, "sentence": "; ".join(parts) or "related by rank fusion"}
