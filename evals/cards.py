"""Entity resolution on a labelled set: do the pages about one tool end on one card, and pages
about different tools on different cards?

The labels (tests/fixtures/entities/labels_*.json) name, per page URL, each tool the page is
about with its gold card and family. Every snapshot page is extracted and resolved together, as
a refresh would; each label is then matched to the record of its page that names its tool, and
the card that record landed on. Scores are pairwise over labels: precision = pairs put on one
card that belong together / pairs put on one card; recall = pairs that belong together that were
put on one card / pairs that belong together. A label whose tool no record names counts as a
card of its own (it costs recall).
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from compare.extract import extract_document
from compare.mirror import snapshot_pages
from compare.records import name_key
from compare.resolve import assign_families, entities, merge


@dataclass
class PairwiseScore:
    together: int = 0  # pairs of labels on one predicted card
    belong: int = 0  # pairs of labels of one gold card
    both: int = 0

    @property
    def precision(self) -> float:
        return self.both / self.together if self.together else 1.0

    @property
    def recall(self) -> float:
        return self.both / self.belong if self.belong else 1.0


@dataclass
class CardsReport:
    pages: int = 0
    labels: int = 0
    gold_cards: int = 0
    unmatched: list[str] = field(default_factory=list)
    cards: PairwiseScore = field(default_factory=PairwiseScore)  # labels whose tool a record names
    end_to_end: PairwiseScore = field(default_factory=PairwiseScore)  # all labels
    families: PairwiseScore = field(default_factory=PairwiseScore)
    by_case: dict[str, PairwiseScore] = field(default_factory=dict)
    wrongly_joined: list[str] = field(default_factory=list)
    wrongly_apart: list[str] = field(default_factory=list)


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _match_page(labels: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """For each label of one page, the record that names its tool (each record names one tool):
    the same letters, then the same order-free key, then the plan's name; a record left over
    goes to a label marked as the post's family name, else to the closest label if close."""
    named = [r for r in records if r.get("name")]
    found: list[dict[str, Any] | None] = [None] * len(labels)
    taken: set[int] = set()

    def assign(same: Any) -> None:
        for i, label in enumerate(labels):
            if found[i] is None:
                j = next((j for j, r in enumerate(named) if j not in taken and same(label, r)), None)
                if j is not None:
                    found[i] = named[j]
                    taken.add(j)

    assign(lambda label, r: _compact(r["name"]) == _compact(label["tool"]))
    assign(lambda label, r: name_key(r["name"], r.get("vendor")) == name_key(label["tool"], r.get("vendor")))
    assign(lambda label, r: bool(r.get("plan")) and _compact(r["plan"]) == _compact(label["tool"]))
    assign(lambda label, r: len(labels) == 1 or label.get("case") == "family-post")
    assign(lambda label, r: SequenceMatcher(None, _compact(r["name"]), _compact(label["tool"])).ratio() >= 0.75)
    return found


def _count(same_gold: bool, same_predicted: bool, score: PairwiseScore) -> None:
    score.belong += same_gold
    score.together += same_predicted
    score.both += same_gold and same_predicted


def _pairwise(gold: list[str], predicted: list[str], score: PairwiseScore) -> None:
    for i, j in itertools.combinations(range(len(gold)), 2):
        _count(gold[i] == gold[j], predicted[i] == predicted[j], score)


def load_records(roots: list[Path]) -> dict[str, list[dict[str, Any]]]:
    """URL -> the records extracted from that snapshot page (first root wins for a URL)."""
    by_url: dict[str, list[dict[str, Any]]] = {}
    for root in roots:
        for url, file in snapshot_pages(root):
            if url not in by_url:
                by_url[url] = extract_document(url, file.read_bytes()).records
    return by_url


def evaluate(roots: list[Path], labels: list[dict[str, Any]]) -> CardsReport:
    by_url = load_records(roots)
    records = [record for page in by_url.values() for record in page]
    keyed = entities(records)
    card_of = {id(record): key for key, entity in keyed.items() for record in entity.records}
    cards = {key: merge(entity) for key, entity in keyed.items()}
    assign_families(list(cards.values()))
    # A feed item's record carries the feed's URL; its label names the feed too.
    report = CardsReport(pages=len({label["url"] for label in labels}), labels=len(labels))
    report.gold_cards = len({label["card"] for label in labels})
    gold, predicted, gold_family, predicted_family, cases = [], [], [], [], []
    page_labels: dict[str, list[int]] = {}
    for n, label in enumerate(labels):
        page_labels.setdefault(label["url"], []).append(n)
    record_of: dict[int, dict[str, Any] | None] = {}
    for url, numbers in page_labels.items():
        matches = _match_page([labels[n] for n in numbers], by_url.get(url, []))
        record_of.update(zip(numbers, matches, strict=True))
    for n, label in enumerate(labels):
        record = record_of[n]
        key = card_of.get(id(record)) if record else None
        if key is None:
            report.unmatched.append(f"{label['url']} [{label['tool']}]")
        gold.append(label["card"])
        predicted.append(key or f"unmatched:{n}")
        gold_family.append(label["family"])
        predicted_family.append(cards[key]["family"] if key else f"unmatched:{n}")
        cases.append(label.get("case", "plain"))
    found = [i for i, key in enumerate(predicted) if not key.startswith("unmatched:")]
    _pairwise(gold, predicted, report.end_to_end)
    _pairwise([gold[i] for i in found], [predicted[i] for i in found], report.cards)
    _pairwise([gold_family[i] for i in found], [predicted_family[i] for i in found], report.families)
    for case in sorted(set(cases)):  # a case's pairs: those with a label of that case
        numbers = [i for i in found if cases[i] == case]
        others = [i for i in found if cases[i] != case]
        score = report.by_case.setdefault(case, PairwiseScore())
        for i, j in [*itertools.combinations(numbers, 2), *itertools.product(numbers, others)]:
            _count(gold[i] == gold[j], predicted[i] == predicted[j], score)
    _explain(labels, gold, predicted, report)
    return report


def _explain(labels: list[dict[str, Any]], gold: list[str], predicted: list[str], report: CardsReport) -> None:
    joined: Counter = Counter()
    apart: Counter = Counter()
    for i, j in itertools.combinations(range(len(gold)), 2):
        if predicted[i] == predicted[j] and gold[i] != gold[j]:
            joined[tuple(sorted((gold[i], gold[j])))] += 1
        unmatched = predicted[i].startswith("unmatched:") or predicted[j].startswith("unmatched:")
        if gold[i] == gold[j] and predicted[i] != predicted[j] and not unmatched:
            where = sorted((f"{labels[i]['tool']} <{labels[i]['url']}>", f"{labels[j]['tool']} <{labels[j]['url']}>"))
            apart[(gold[i], *where)] += 1
    report.wrongly_joined = [f"{a} + {b} ({n} pairs)" for (a, b), n in joined.most_common()]
    report.wrongly_apart = [f"{card}: {a} / {b}" for (card, a, b), _ in apart.most_common()]


def default_roots(root: Path) -> list[Path]:
    """The snapshot directories the labels describe: the demo, the gold articles, the hard cases."""
    return [
        root / "data" / "demo",
        root / "tests" / "fixtures" / "gold" / "pages",
        root / "tests" / "fixtures" / "entities" / "pages",
    ]


def load_labels(directory: Path) -> list[dict[str, Any]]:
    labels = []
    for file in sorted(directory.glob("labels_*.json")):
        labels += json.loads(file.read_text())
    return labels


def format_report(report: CardsReport, details: int = 15) -> str:
    lines = [
        f"labelled pages {report.pages}, labels {report.labels}, gold cards {report.gold_cards},"
        f" labels no record names {len(report.unmatched)}",
        f"{'pairwise':<22}{'precision':>10}{'recall':>8}{'pairs':>8}",
        f"{'cards (resolution)':<22}{report.cards.precision:>10.3f}{report.cards.recall:>8.3f}{report.cards.belong:>8}",
        f"{'cards, end to end':<22}{report.end_to_end.precision:>10.3f}{report.end_to_end.recall:>8.3f}"
        f"{report.end_to_end.belong:>8}",
        f"{'families':<22}{report.families.precision:>10.3f}{report.families.recall:>8.3f}{report.families.belong:>8}",
    ]
    for case, score in report.by_case.items():
        lines.append(f"  case {case:<15}{score.precision:>10.3f}{score.recall:>8.3f}{score.belong:>8}")
    lines += [f"  joined, should be apart: {line}" for line in report.wrongly_joined[:details]]
    lines += [f"  apart, should be one: {line}" for line in report.wrongly_apart[:details]]
    lines += [f"  no record names: {line}" for line in report.unmatched[:details]]
    return "\n".join(lines)
