"""The pipeline stages over a Store. Each reads its predecessor's table, writes its own, is
idempotent, and returns counts; "nothing changed" is a result the next stage can skip on.

crawl -> pages (ingest) -> extractions (extract) -> cards -> embeddings (+ categories from
neighbours) -> index -> pairs
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from compare import pairing
from compare.categorise import categorise_by_neighbours
from compare.db import CardWriter, Store, utc_now
from compare.embed import card_text, get_embedder, text_hash
from compare.extract import EXTRACTOR_VERSION, extract_document
from compare.progress import progress
from compare.resolve import card_hash, merged_away, resolve
from compare.vectors import (
    BrokenIndexError,
    Manifest,
    VectorIndex,
    fingerprint,
    neighbours_of_all,
    read_manifest,
    write_index,
)

# Fields whose history is kept (prices have their own table; the pricing line is derived from
# fields kept here, so it has no history of its own).
FACT_FIELDS = (
    "name", "vendor", "kind", "category", "tagline", "description", "entry", "license", "commercial_use",
    "open_weights", "modality", "task", "params_b", "hub_id", "family", "released", "links", "batch_discount",
    "free_tier", "contact_sales",
)  # fmt: skip


# How a stage runs its pure batches: in this process (`map`), or over a Dask cluster (the
# refresh flow passes one that submits Prefect tasks to its DaskTaskRunner). Results come back
# in order; the calling process alone writes them.
MapBatches = Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[Any]]
EXTRACT_BATCH = 50


def batches(items: list[Any], size: int) -> list[list[Any]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


def extract_batch(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pages -> extraction rows; pure (no database), so it runs in any process."""
    rows = []
    for page in pages:
        result = extract_document(page["url"], page["body"], page.get("content_type"))
        rows.append(
            {
                "url": page["url"],
                "content_hash": page["content_hash"],
                "extractor_version": EXTRACTOR_VERSION,
                "status": result.status,
                "reason": result.reason,
                "records": result.records,
                "items": result.items,
                "extracted_at": utc_now(),
            }
        )
    return rows


def extract_pages(store: Store, map_batches: MapBatches = map) -> Counter:
    """Extract every page whose current content has no extraction yet."""
    counts: Counter = Counter()
    steps = batches(store.pages_to_extract(EXTRACTOR_VERSION), EXTRACT_BATCH)
    parts = (store.pages_for_extraction(rowids) for rowids in steps)  # read a batch's bodies as it is due
    for rows in progress(
        map_batches(extract_batch, parts), len(steps), f"extract ({EXTRACT_BATCH} pages a step)", min_total=3
    ):
        with store.writing():
            for row in rows:
                store.add_extraction(row)
                counts[row["status"]] += 1
    return counts


def build_cards(store: Store) -> Counter:
    """Merge the current records into cards; a changed field value adds a fact row. Skipped when
    the records and editors' decisions are those the cards were last built from."""
    inputs = store.records_fingerprint(EXTRACTOR_VERSION, code_version())
    if store.stage_inputs("cards") == inputs:
        return Counter(unchanged=1)
    counts: Counter = Counter()
    now = utc_now()
    records = list(store.current_records(EXTRACTOR_VERSION))
    decisions = store.decisions()
    resolved = resolve(records, decisions)
    with store.writing():  # one transaction: a commit (and fsync) per card row costs 20x
        counts["rekeyed"] = store.carry_over_keys({key: card["sources"] for key, card in resolved})
        with store.card_writer(now) as writer:
            keep = [write_card(writer, key, card, counts) for key, card in resolved]
        counts["deactivated"] = store.deactivate_cards_except(keep, merged_away(decisions))
    store.record_stage_inputs("cards", inputs)
    return counts


def write_card(writer: CardWriter, key: str, card: dict, counts: Counter) -> int:
    """One resolved card: its row and, where it changed, its sources, a fact row per changed
    field and its prices. Returns its id."""
    card_id, changed = writer.save(key, card, card_hash(card))
    counts["cards"] += 1
    if not changed:
        return card_id
    counts["changed"] += 1
    writer.set_sources(card_id, card["sources"])
    facts = [("status", "active", {})] + [
        (field, card[field], card["evidence"].get(field, {})) for field in FACT_FIELDS if card.get(field) is not None
    ]
    counts["facts"] += writer.record_facts(card_id, facts)
    prices = [{**price, "url": card["evidence"].get("prices", {}).get("url")} for price in card.get("prices") or []]
    counts["price_changes"] += writer.record_prices(card_id, prices)
    return card_id


def embed_batch(embedder_name: str, batch_size: int, texts: list[str]) -> np.ndarray:
    """Texts -> float32 vectors; pure, so it runs in any process (each loads the model once)."""
    return get_embedder(embedder_name, batch_size).encode(texts).astype(np.float32)


def embed_cards(store: Store, embedder_name: str, batch_size: int = 64, map_batches: MapBatches = map) -> Counter:
    """Embed cards whose text has no vector for this model; the model loads only if needed."""
    model_id = get_embedder(embedder_name, batch_size).model_id
    have = store.embedding_hashes(model_id)
    todo = []
    for card in store.cards():
        text = card_text(card)
        digest = text_hash(text)
        if have.get(card["id"]) != digest:
            todo.append((card["id"], text, digest))
    counts: Counter = Counter(embedded=len(todo), unchanged=len(have))
    parts = batches(todo, batch_size)
    texts = ([text for _, text, _ in part] for part in parts)
    encode = functools.partial(embed_batch, embedder_name, batch_size)
    steps = progress(map_batches(encode, texts), len(parts), f"embed ({batch_size} cards a step)", min_total=3)
    for part, vectors in zip(parts, steps, strict=True):
        store.save_embeddings(
            [
                {
                    "card_id": card_id,
                    "model": model_id,
                    "text_hash": digest,
                    "vector": vector.tobytes(),
                    "created_at": utc_now(),
                }
                for (card_id, _, digest), vector in zip(part, vectors, strict=True)
            ]
        )
    return counts


@functools.cache
def code_version() -> str:
    """Identity of this package's code and vocabularies: a new version is a new input to the
    stages that skip work their inputs already gave."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".json", ".txt")):
        digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


def categorise_cards(store: Store, embedder_name: str) -> Counter:
    """Categories from neighbours where the rules are silent, then vectors for the texts that
    changed with them (a card's text names its category), so an unchanged rerun embeds nothing.
    Skipped when cards, vectors and decisions are as this stage left them."""
    model_id = get_embedder(embedder_name).model_id
    if store.stage_inputs("categorise") == store.inputs_fingerprint(model_id, code_version()):  # as it left them
        return Counter(uncategorised=store.uncategorised_count(), unchanged=1)
    ids, matrix, _ = current_vectors(store, model_id)
    counts = categorise_by_neighbours(store, ids, matrix)
    if counts["changed"]:
        counts["embedded"] = embed_cards(store, embedder_name)["embedded"]
    store.record_stage_inputs("categorise", store.inputs_fingerprint(model_id, code_version()))
    return counts


def current_vectors(store: Store, model_id: str) -> tuple[np.ndarray, np.ndarray, str]:
    rows = list(store.embeddings(model_id))
    ids = np.array([row["card_id"] for row in rows], dtype=np.int64)
    matrix = (
        np.vstack([np.frombuffer(row["vector"], dtype=np.float32) for row in rows])
        if rows
        else np.zeros((0, 384), dtype=np.float32)
    )
    return ids, matrix, fingerprint([(row["card_id"], row["text_hash"]) for row in rows])


def build_index(store: Store, index_dir: Path, model_id: str) -> Counter:
    """Write the index unless the one on disk already matches the vectors (told without reading them)."""
    manifest = read_manifest(index_dir)
    if (
        manifest
        and manifest.model == model_id
        and manifest.fingerprint == fingerprint(store.embedding_entries(model_id))
    ):
        return Counter(indexed=0, unchanged=manifest.count)
    ids, matrix, print_ = current_vectors(store, model_id)
    dim = matrix.shape[1] if len(matrix) else 384
    write_index(index_dir, ids, matrix, Manifest(model_id, dim, len(ids), print_))
    return Counter(indexed=len(ids))


def load_index(store: Store, index_dir: Path) -> VectorIndex:
    """The index, refused when the database's vectors have changed since it was built; an
    unreadable index file is rebuilt from the vectors in the database (they are the truth)."""
    manifest = read_manifest(index_dir)
    model = manifest.model if manifest else ""
    ids, matrix, print_ = current_vectors(store, model)
    try:
        return VectorIndex.load(index_dir, expected_fingerprint=print_)
    except BrokenIndexError as error:
        logging.getLogger(__name__).warning("%s: rebuilt from the database", error)
        write_index(index_dir, ids, matrix, Manifest(model, matrix.shape[1] if len(matrix) else 384, len(ids), print_))
        return VectorIndex.load(index_dir, expected_fingerprint=print_)


def suggest_pairs(store: Store, index_dir: Path, neighbours: int, max_per_card: int) -> Counter:
    """Recompute the suggested pairs; editors' decisions are kept and never suggested again.
    Skipped when cards, vectors, decisions and settings are as the last suggestions saw them."""
    manifest = read_manifest(index_dir)
    inputs = store.inputs_fingerprint(manifest.model if manifest else "", neighbours, max_per_card, code_version())
    if store.stage_inputs("pairs") == inputs:
        return Counter(pairs=store.suggestion_count(), unchanged=1)
    index = load_index(store, index_dir)
    cards = {card["id"]: card for card in store.cards()}
    ids, matrix, _ = current_vectors(store, index.manifest.model)
    scores, hits = neighbours_of_all(ids, matrix, neighbours + 1, index.index)
    decided = {key for key, status in store.pair_statuses().items() if status != "suggested"}
    pairs = pairing.suggest(cards, pairing.neighbour_lists(ids, scores, hits), decided, max_per_card)
    now = utc_now()
    store.replace_suggestions([{**pair, "suggested_at": now} for pair in pairs])
    store.record_stage_inputs("pairs", inputs)
    return Counter(pairs=len(pairs))


def pairs_with_cards(store: Store, limit: int, status: str = "suggested") -> list[dict[str, Any]]:
    """Pairs of one status (suggested by default) as the contract prints them: {a, b, score,
    reasons, why, status, decided_at}."""
    rows = store.pairs_with_status(status, limit)
    cards = store.cards_by_ids({row["a"] for row in rows} | {row["b"] for row in rows})
    return [
        {
            "a": cards[row["a"]],
            "b": cards[row["b"]],
            "score": row["score"],
            "reasons": row["reasons"],
            "why": row["why"],
            "status": row["status"],
            "decided_at": row["decided_at"],
        }
        for row in rows
        if row["a"] in cards and row["b"] in cards
    ]


def summary(store: Store) -> dict[str, Any]:
    return {
        "counts": store.counts(),
        "pages": store.page_counts(),
        "fetch_failures": store.fetch_failures(),
        "extractions": store.extraction_summary(),
    }
