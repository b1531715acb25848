"""What editors ask and decide, as one library call each: the CLI and the web pages (pages and
JSON API) call these, so no answer is computed twice."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from compare import search, stages
from compare.comparison import RIVALS
from compare.comparison import build as build_comparison
from compare.db import PAIR_DECISIONS, PAIR_STATUSES, Store
from compare.embed import Embedder, QueryBatcher, get_embedder
from compare.errors import InvalidInput
from compare.search import InvalidQuery
from compare.vectors import MANIFEST_FILE, VectorIndex, read_manifest
from compare.whats_new import rank


def whats_new(store: Store, since: str | None = None, statuses: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Cards first seen since `since` (see `since_date`), ranked for editors (unreviewed first,
    then by score)."""
    return rank([c for c in store.cards(since=since_date(since)) if not statuses or c["review_status"] in statuses])


SORTS = ("rank", "name", "vendor", "category", "released", "first_seen", "score")


def whats_new_page(
    store: Store, since: str | None = None, statuses: tuple[str, ...] = (), filters: search.Filters | None = None,
    kind: str | None = None, sort: str = "rank", page: int = 1, per_page: int = 50,
) -> dict[str, Any]:  # fmt: skip
    """One page of What's new: the ranked cards the filters admit, sorted by a column ("-name":
    descending), `per_page` at a time; with the total and the number of pages."""
    checked = checked_filters(store, filters or search.Filters())
    kinds = store.distinct_values("kind")
    if kind and kind.lower() not in kinds:
        raise InvalidQuery(f"no card has kind {kind!r}; the kinds are: {', '.join(kinds)}")
    cards = [
        c for c in whats_new(store, since, statuses) if checked.admit(c) and (not kind or c["kind"] == kind.lower())
    ]
    column = sort.removeprefix("-")
    if column not in SORTS:
        raise InvalidQuery(f"cannot sort by {sort!r}; sort by one of: {', '.join(SORTS)} (a leading - reverses)")
    if column != "rank":  # unknown values last either way
        known = [c for c in cards if c.get(column) not in (None, "")]
        key = (lambda c: c[column]) if column == "score" else (lambda c: str(c[column]).lower())
        known.sort(key=key, reverse=sort.startswith("-"))
        cards = known + [c for c in cards if c.get(column) in (None, "")]
    elif sort.startswith("-"):
        cards.reverse()
    pages = max(1, -(-len(cards) // per_page))
    if not 1 <= page <= pages:
        raise InvalidQuery(f"there is no page {page}: pages 1 to {pages}")
    first_seen = [c["first_seen"] for c in cards if c.get("first_seen")]
    return {"cards": cards[(page - 1) * per_page : page * per_page], "total": len(cards), "page": page,
            "pages": pages, "sort": sort, "first_seen": first_seen}  # fmt: skip


def since_date(text: str | None, today: date | None = None) -> str | None:
    """A day as editors write one: YYYY-MM-DD, "today", "yesterday" or "7d" (days ago)."""
    if not text or not text.strip():
        return None
    word, today = text.strip().lower(), today or date.today()
    days = {"today": 0, "yesterday": 1}.get(word)
    if days is None and (found := re.fullmatch(r"(\d{1,4})\s*d(?:ays?)?", word)):
        days = int(found.group(1))
    if days is not None:
        return (today - timedelta(days=days)).isoformat()
    try:
        return date.fromisoformat(word).isoformat()
    except ValueError:
        raise InvalidQuery(f"{text!r} is not a date: use YYYY-MM-DD, today, yesterday or Nd (days ago)") from None


def checked_filters(store: Store, filters: search.Filters) -> search.Filters:
    """The filters with each value as the cards spell it (any case), or InvalidQuery naming the
    values that exist: an unknown category gives an error, never a silently empty list."""
    found = {}
    for field in ("category", "entry", "license", "modality", "vendor"):
        wanted = getattr(filters, field)
        if not wanted:
            continue
        choices = store.distinct_values(field)
        match = next((choice for choice in choices if choice.lower() == wanted.strip().lower()), None)
        if match is None:
            shown = ", ".join(choices[:30]) + (f" (and {len(choices) - 30} more)" if len(choices) > 30 else "")
            raise InvalidQuery(f"no card has {field} {wanted!r}; the {field} values are: {shown or 'none yet'}")
        found[field] = match
    return replace(filters, **found)


def card_details(store: Store, name: str, by_slug: bool = False) -> dict[str, Any]:
    """One card (by name, alias or a close match; or `by_slug`, exactly) with its fact history,
    price lists over time, sources, and the other cards of its family (variants flagged)."""
    card = _card(store, name, by_slug, fuzzy=True)
    card["history"] = store.facts(card["id"])
    card["price_history"] = store.price_history(card["id"])
    card["sources"] = store.card_sources(card["id"])
    card["family_cards"] = [c for c in store.family_cards(card["family"]) if c["id"] != card["id"]]
    pairings = store.pairs_of(card["id"])
    others = store.cards_by_ids({p["a"] if p["b"] == card["id"] else p["b"] for p in pairings})
    card["pairings"] = [
        {"card": others[other], "status": p["status"]}
        for p in pairings
        if (other := p["a"] if p["b"] == card["id"] else p["b"]) in others
    ]
    return card


def tools_like(
    store: Store, index: VectorIndex, name: str, k: int = 10, filters: search.Filters | None = None,
    explain: bool = False,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:  # fmt: skip
    """(the card NAME found, tools like it best first); the card says how it was `matched`
    (a fuzzy match is a "did you mean")."""
    if not name.strip():
        raise InvalidQuery("name a tool: a name, an API id or a Hub id")
    filters = checked_filters(store, filters or search.Filters())
    card = search.find_card(store, name)
    return card, search.like(store, index, card["slug"], k, filters, with_reasons=explain)


def free_text(store: Store, index: VectorIndex, text: str, k: int = 10) -> list[dict[str, Any]]:
    """Free-text search, the query embedded by the model the index was built with."""
    if not text.strip():
        raise InvalidQuery("the search is empty: type a few words")
    return search.search(store, index, query_embedder(index.manifest.model), text, k)


@functools.cache
def query_embedder(model_id: str) -> Embedder:
    """The process's query embedder for a model: `get_embedder`'s one, shared by a server's
    threads, with the queries that arrive together encoded as one batch."""
    return QueryBatcher(get_embedder(model_id))


def pairs(store: Store, limit: int = 20, status: str = "suggested") -> list[dict[str, Any]]:
    """Pairings of one status with both cards, reasons and sentence: suggestions best first,
    decided ones (accepted, published, rejected) latest first."""
    return stages.pairs_with_cards(store, limit, _pair_status(status))


def decide_pair(
    store: Store, a: str, b: str, decision: str, by_slug: bool = False
) -> tuple[dict[str, Any], dict[str, Any], str]:
    """Accept, reject or publish the pairing of A and B, or undo its decision (exact names, or
    slugs with `by_slug`: a decision never acts on a guess); (card a, card b, the pair's status
    now). Decided pairs leave the suggestions until undone."""
    word = decision.strip().lower()
    word = next((verb for verb, status in PAIR_DECISIONS.items() if word == status), word)  # "accepted" too
    if word not in (*PAIR_DECISIONS, "undo"):
        raise InvalidInput(f"decision must be one of {', '.join([*PAIR_DECISIONS, 'undo'])}, not {decision!r}")
    first, second = _card(store, a, by_slug, fuzzy=False), _card(store, b, by_slug, fuzzy=False)
    if first["id"] == second["id"]:
        raise InvalidInput(f"{a!r} and {b!r} are one card")
    if word == "undo":
        if store.undo_pair_decision(first["id"], second["id"]) is None:
            raise InvalidInput(f"{first['name']} vs {second['name']} has no decision to undo")
        row = store.pair_row(first["id"], second["id"])
        return first, second, row["status"] if row else "undecided"
    store.decide_pair(first["id"], second["id"], PAIR_DECISIONS[word])
    return first, second, PAIR_DECISIONS[word]


def nearest(store: Store, index: VectorIndex, card: dict[str, Any]) -> list[dict[str, Any]]:
    """A card's RIVALS + 1 nearest descriptions (vectors alone: pages that show rivals are opened
    often, and one more than shown leaves room to drop the other side of a pair)."""
    return [
        hit["card"] for hit in search.like(store, index, card["slug"], RIVALS + 1, search.Filters(), mode="vectors")
    ]


def comparison(
    store: Store, index: VectorIndex | None, a: str, b: str, by_slug: bool = False,
    nearest_of: Callable[[dict[str, Any]], list[dict[str, Any]]] | None = None,
) -> dict[str, Any]:  # fmt: skip
    """The comparison page of A and B (see compare.comparison): both cards with evidence, the
    pair's status and reasons, and each card's closest rivals (none while the index is missing).
    `nearest_of` may answer `nearest` from a cache (the web server keeps one per data generation)."""
    first, second = _card(store, a, by_slug, fuzzy=True), _card(store, b, by_slug, fuzzy=True)
    if first["id"] == second["id"]:
        raise InvalidInput(f"{a!r} and {b!r} are one card")
    rivals: dict[int, list[dict[str, Any]]] = {}
    if index is not None:
        lookup = nearest_of or (lambda card: nearest(store, index, card))
        for card, other in ((first, second), (second, first)):
            rivals[card["id"]] = [rival for rival in lookup(card) if rival["id"] != other["id"]][:RIVALS]
    return build_comparison(first, second, store.pair_row(first["id"], second["id"]), rivals)


def _pair_status(status: str) -> str:
    """A pair status as the editor may type it ("Accepted", "accept")."""
    word = status.strip().lower()
    word = PAIR_DECISIONS.get(word, word)
    if word not in PAIR_STATUSES:
        raise InvalidInput(f"pair status must be one of {', '.join(PAIR_STATUSES)}, not {status!r}")
    return word


def set_review(store: Store, name: str, status: str, by_slug: bool = False) -> dict[str, Any]:
    """Set a card's review status (exact name, or slug with `by_slug`); kept across refreshes."""
    card = _card(store, name, by_slug, fuzzy=False)
    store.set_review_status(card["id"], status)
    return {**card, "review_status": status}


def _card(store: Store, ref: str, by_slug: bool, fuzzy: bool) -> dict[str, Any]:
    """The card a name finds (see search.find_card), or the one card with this slug: links and
    forms name cards by slug, which is unique where names are not (two vendors' "GPT-5")."""
    if not by_slug:
        return search.find_card(store, ref, fuzzy=fuzzy)
    card = store.card_by_slug(ref)
    if card is None:
        raise search.NotFoundError(f"no card {ref!r}")
    return {**card, "matched": "slug"}


def runs(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """Recent refreshes, newest first, with their stage counts, seconds per stage and failures
    by reason."""
    return [
        {**row, "counts": json.loads(row["counts"] or "{}"), "failures": json.loads(row["failures"] or "{}"),
         "stage_seconds": json.loads(row.get("stage_seconds") or "{}")}
        for row in store.runs(limit)
    ]  # fmt: skip


class IndexCache:
    """The vector index for a long-running reader: loaded once, reloaded when a refresh writes a
    new one (its files are swapped atomically), and kept while a refresh is between writing
    vectors and writing the index, so readers never fail mid-refresh."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._loaded: tuple[float, VectorIndex] | None = None

    def get(self, store: Store) -> VectorIndex:
        manifest_file = self.index_dir / MANIFEST_FILE
        stamp = manifest_file.stat().st_mtime if manifest_file.exists() else 0.0
        if self._loaded is None:
            self._loaded = (stamp, stages.load_index(store, self.index_dir))
        elif stamp != self._loaded[0] and read_manifest(self.index_dir) is not None:
            self._loaded = (stamp, VectorIndex.load(self.index_dir))
        return self._loaded[1]
