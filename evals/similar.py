""" "Tools like X" on labelled queries: precision@5, recall@10 and nDCG@10 for BM25 only,
vectors only, and the hybrid of both.

The universe is every card the snapshot pages give (demo, gold articles, entity hard cases),
built as a refresh builds it (extract, resolve, embed with the configured model, index) in a
temporary database. Labels (tests/fixtures/similar/labels_*.json) grade the tools an editor
accepts as "like X": 2 a direct alternative, 1 related. Names are found as `compare like` finds
them (a name, else a name or API id a card answers to); a name of several cards counts each.
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from compare import stages
from compare.config import PROJECT_ROOT
from compare.db import Store
from compare.embed import get_embedder
from compare.records import slugify
from compare.resolve import card_hash, resolve
from compare.search import MODES, like, search
from evals.cards import load_records


@dataclass
class ModeScore:
    precision_5: list[float] = field(default_factory=list)
    recall_10: list[float] = field(default_factory=list)
    ndcg_10: list[float] = field(default_factory=list)

    def mean(self, name: str) -> float:
        values = getattr(self, name)
        return sum(values) / len(values) if values else 0.0


@dataclass
class SimilarReport:
    cards: int = 0
    queries: int = 0
    skipped: list[str] = field(default_factory=list)
    modes: dict[str, ModeScore] = field(default_factory=dict)
    worst: list[str] = field(default_factory=list)
    best_p5: list[float] = field(default_factory=list)  # the most a ranking can get (few relevant tools)


def universe(roots: list[Path]) -> list[tuple[str, dict[str, Any]]]:
    """(key, card) for every card the snapshot pages under `roots` give."""
    return resolve([record for page in load_records(roots).values() for record in page])


def build_store(cards: list[tuple[str, dict[str, Any]]], directory: Path, embedder: str) -> tuple[Store, Any]:
    """A store of these (key, card) pairs in `directory`, embedded and indexed as a refresh does."""
    store = Store(directory / "universe.db")
    with store.db.conn:
        for key, card in cards:
            store.save_card(key, card, card_hash(card))
    stages.embed_cards(store, embedder)
    stages.build_index(store, directory / "index", get_embedder(embedder).model_id)
    return store, stages.load_index(store, directory / "index")


# Where the shared corpus keeps the awesome-oss-alternatives submissions (optional).
SUBMISSIONS = PROJECT_ROOT.parent / "shared/corpus/alternatives_truth/runacapital_awesome-oss-alternatives/submissions"


def alternatives_labels(submissions: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[dict[str, Any]]]:
    """Cards and labels from awesome-oss-alternatives submissions (one YAML per open-source tool:
    company_name, description, category, alts_names): a tool is like X when it replaces one of
    the same commercial tools (2) or is filed under the same category (1). The cards carry only
    name and description, so neither label is given away by a card field."""
    tools = []
    for path in sorted(submissions.glob("*.yaml")):
        try:
            entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # a malformed submission is no label
        if isinstance(entry, dict) and entry.get("company_name") and entry.get("description"):
            tools.append(entry)
    cards = [
        (f"alt:{t['company_name'].lower()}", {"name": t["company_name"], "slug": slugify(t["company_name"]),
                                               "description": t["description"], "family": t["company_name"],
                                               "urls": [], "evidence": {}})
        for t in tools
    ]  # fmt: skip
    labels = []
    for tool in tools:
        replaces = set(tool.get("alts_names") or [])
        relevant = {
            other["company_name"]: 2 if replaces & set(other.get("alts_names") or []) else 1
            for other in tools
            if other is not tool
            and (replaces & set(other.get("alts_names") or []) or other.get("category") == tool.get("category"))
        }
        if relevant:
            labels.append({"query": tool["company_name"], "relevant": relevant})
    return cards, labels


def evaluate_search(roots: list[Path], labels: list[dict[str, Any]], embedder: str = "real") -> SimilarReport:
    """Free-text search (`compare search`) on labelled queries over the snapshot pages' cards,
    in the three modes."""
    return _evaluate(universe(roots), labels, embedder, _search_rankings)


def evaluate_alternatives(submissions: Path, embedder: str = "real") -> SimilarReport:
    """The three modes on the open-source alternatives lists: a second domain, labelled by others."""
    return _evaluate(*alternatives_labels(submissions), embedder)


def evaluate(roots: list[Path], labels: list[dict[str, Any]], embedder: str = "real") -> SimilarReport:
    """The three modes on the labelled queries over the snapshot pages' cards."""
    return _evaluate(universe(roots), labels, embedder)


def ndcg(gains: list[float], ideal: list[float], k: int = 10) -> float:
    def dcg(values: list[float]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    best = dcg(sorted(ideal, reverse=True))
    return dcg(gains) / best if best else 0.0


# For one label: (the query card's id, or None for free text; mode -> card ids best first), or
# None when the query is not in the universe.
Ranking = tuple[int | None, Callable[[str], list[int]]] | None


def _like_rankings(store: Store, index: Any, embedder: str) -> Callable[[dict[str, Any]], Ranking]:
    """Tools like the label's query card, found as `compare like` finds it (by name, else by a
    name or API id it answers to; the label's vendor picks among cards of one name)."""

    def ranking(label: dict[str, Any]) -> Ranking:
        named = list(store.cards_by_ids(store.find_card_ids(label["query"])).values())
        queries = [c for c in named if c.get("vendor") == label.get("vendor")] or named
        if not queries:
            return None
        query = queries[0]
        return query["id"], lambda mode: [hit["card"]["id"] for hit in like(store, index, query["slug"], 10, mode=mode)]

    return ranking


def _search_rankings(store: Store, index: Any, embedder: str) -> Callable[[dict[str, Any]], Ranking]:
    """Free-text search for the label's query, embedded by the configured model."""
    query_embedder = get_embedder(embedder)

    def ranking(label: dict[str, Any]) -> Ranking:
        text = label["query"]
        return None, lambda mode: [hit["card"]["id"] for hit in search(store, index, query_embedder, text, 10, mode)]

    return ranking


def _evaluate(
    cards: list[tuple[str, dict[str, Any]]], labels: list[dict[str, Any]], embedder: str,
    rankings: Callable[[Store, Any, str], Callable[[dict[str, Any]], Ranking]] = _like_rankings,
) -> SimilarReport:  # fmt: skip
    """Each label's rankings, in the three modes, scored over a temporary store of `cards`."""
    with tempfile.TemporaryDirectory() as tmp:
        store, index = build_store(cards, Path(tmp), embedder)
        try:
            return _score(store, labels, rankings(store, index, embedder))
        finally:
            store.close()


def _score(store: Store, labels: list[dict[str, Any]], ranking: Callable[[dict[str, Any]], Ranking]) -> SimilarReport:
    """Precision@5, recall@10 and nDCG@10 per mode; a name of several cards counts each, and a
    query never counts as its own result."""
    report = SimilarReport(cards=len(store.cards()), modes={mode: ModeScore() for mode in MODES})
    misses: list[tuple[float, str]] = []
    for label in labels:
        ranked = ranking(label)
        grades = {
            card_id: grade
            for name, grade in label["relevant"].items()
            for card_id in store.find_card_ids(name)
            if ranked and card_id != ranked[0]
        }
        if not ranked or not grades:
            report.skipped.append(label["query"])
            continue
        report.queries += 1
        report.best_p5.append(min(len(grades), 5) / 5)
        for mode, score in report.modes.items():
            gains = [grades.get(card_id, 0) for card_id in ranked[1](mode)]
            score.precision_5.append(sum(g > 0 for g in gains[:5]) / 5)
            score.recall_10.append(sum(g > 0 for g in gains) / len(grades))
            score.ndcg_10.append(ndcg(gains, list(grades.values())))
            if mode == "hybrid":
                misses.append((score.precision_5[-1], f"{label['query']}: P@5 {score.precision_5[-1]:.1f}"))
    report.worst = [line for _, line in sorted(misses)[:10]]
    return report


def format_report(report: SimilarReport) -> str:
    lines = [
        f"universe {report.cards} cards, {report.queries} labelled queries ({len(report.skipped)} skipped)",
        f"{'mode':<10}{'P@5':>8}{'R@10':>8}{'nDCG@10':>9}",
    ]
    for mode, score in report.modes.items():
        lines.append(
            f"{mode:<10}{score.mean('precision_5'):>8.3f}{score.mean('recall_10'):>8.3f}{score.mean('ndcg_10'):>9.3f}"
        )
    lines.append(f"{'(ceiling)':<10}{sum(report.best_p5) / max(len(report.best_p5), 1):>8.3f}")
    lines += [f"  weakest: {line}" for line in report.worst]
    lines += [f"  skipped (not in the universe): {name}" for name in report.skipped]
    return "\n".join(lines)


def pair_sensibility(pairs: list[dict[str, Any]], labels: list[dict[str, Any]], top: int = 20) -> dict[str, Any]:
    """The share of the top suggested pairs that editors' labels mark sensible (pairs the labels
    do not cover are counted apart), and the share among all labelled pairs for comparison."""
    verdicts = {frozenset((label["a"], label["b"])): label["sensible"] for label in labels}
    judged = [verdicts.get(frozenset((p["a"]["name"], p["b"]["name"]))) for p in pairs[:top]]
    known = [v for v in judged if v is not None]
    return {
        "top": min(top, len(pairs)),
        "labelled": len(known),
        "sensible": sum(known),
        "share": round(sum(known) / len(known), 3) if known else None,
        "share_of_all_labelled": round(sum(verdicts.values()) / len(verdicts), 3) if verdicts else None,
    }
