"""`make eval` / `python -m evals.run [NAME...]`: every evaluation, each report in full, then one
table of figure, floor and verdict. Exit status 1 when a floor is missed.

Evaluations that read `../shared/corpus` say "skipped (no corpus)" where it is absent.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None  # None: skipped
    floor: float
    higher_is_better: bool = True
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "skipped"
        met = self.value >= self.floor if self.higher_is_better else self.value <= self.floor
        return "ok" if met else "MISSED"


def hub() -> list[Figure]:
    from evals.hub import evaluate_corpus, evaluate_labels, load_labels, report_lines

    if not (CORPUS / "hf_cards").is_dir():
        return [Figure("hub: declared license agreement", None, 0.99, note="no corpus")]
    corpus_report = evaluate_corpus(CORPUS)
    label_report = evaluate_labels(CORPUS, load_labels(FIXTURES / "hub_labels.json"))
    click.echo("\n".join(report_lines(corpus_report, label_report)))
    agree = corpus_report.declared_agree / max(corpus_report.declared, 1)
    return [
        Figure("hub: declared license agreement (extract)", agree, 0.99),
        Figure("hub: exceptions", corpus_report.exceptions, 0, higher_is_better=False),
    ]


def feeds() -> list[Figure]:
    from evals.feeds import evaluate_feeds, report_lines

    if not (CORPUS / "feeds").is_dir():
        return [Figure("feeds (first 288 labels): launch precision", None, 0.85, note="no corpus")]
    report = evaluate_feeds(CORPUS / "feeds", json.loads((FIXTURES / "feed_labels.json").read_text()))
    click.echo("\n".join(report_lines(report)))
    return [
        Figure("feeds (first 288 labels): launch precision", report.precision, 0.85),
        Figure("feeds (first 288 labels): launch recall", report.recall, 0.80),
    ]


def real_feeds() -> list[Figure]:
    """The feed items and stories labelled blind for issue 15 (dev and held-out parts)."""
    from evals.catalogue_eval import part_of
    from evals.feeds import evaluate_feeds, report_lines
    from evals.stories import LABELS as STORY_LABELS
    from evals.stories import evaluate_stories

    labels_file = ROOT / "evals" / "labels" / "feed_items.json"
    if not (CORPUS / "feeds").is_dir() or not labels_file.is_file():
        return [Figure("real feed items: launch precision", None, 0.95, note="no corpus or labels")]
    labels = json.loads(labels_file.read_text())
    figures = []
    for part in ("dev", "holdout"):
        chosen = [label for label in labels if part_of(label["link"]) == part]
        report = evaluate_feeds(CORPUS / "feeds", chosen)
        click.echo(f"-- feed items, {part}")
        click.echo("\n".join(line for line in report_lines(report) if part == "dev" or not line.startswith("  miss")))
        labelled = report.true_pos + report.false_pos + report.false_neg + report.true_neg
        figures += [
            Figure(f"real feed items ({part}, {labelled}): launch precision", report.precision, 0.95),
            Figure(f"real feed items ({part}): launch recall", report.recall, 0.80),
        ]
    if STORY_LABELS.is_file():
        report = evaluate_stories(CORPUS, json.loads(STORY_LABELS.read_text()))
        click.echo("-- Hacker News stories")
        click.echo("\n".join(report_lines(report)[-(len(report.misses) + 4) :]))
        figures += [
            Figure("Hacker News stories: launch precision", report.precision, 0.95),
            Figure("Hacker News stories: launch recall", report.recall, 0.80),
        ]
    return figures


def cards() -> list[Figure]:
    from evals.cards import default_roots, evaluate, format_report, load_labels

    report = evaluate(default_roots(ROOT), load_labels(FIXTURES / "entities"))
    click.echo(format_report(report, 10))
    return [
        Figure("entities: resolution precision", report.cards.precision, 0.97),
        Figure("entities: resolution recall", report.cards.recall, 0.93),
        Figure("entities: end-to-end precision", report.end_to_end.precision, 0.97),
        Figure("entities: end-to-end recall", report.end_to_end.recall, 0.48),
    ]


def articles() -> list[Figure]:
    from evals.articles import GOLD_LABELS, GOLD_PAGES, evaluate_gold, load_labels, report_lines

    labels = load_labels([path for pattern in GOLD_LABELS for path in sorted(ROOT.glob(pattern))])
    report = evaluate_gold(labels, [ROOT / root for root in GOLD_PAGES])
    click.echo("\n".join(report_lines(report)))
    return [
        Figure("articles: exact price cells", report.price_recall, 1.0),
        Figure("articles: invented prices", len(report.invented), 0, higher_is_better=False),
        Figure("articles: evidence not in its page", len(report.evidence_problems), 0, higher_is_better=False),
    ]


def catalogue() -> list[Figure]:
    from evals.catalogue_eval import evaluate_catalogue, load_labels, report_lines

    if not (CORPUS / "launch_pages").is_dir():
        return [Figure("catalogue and vendor pages: fields right", None, 0.95, note="no corpus")]
    figures = []
    for part in ("dev", "holdout"):
        report = evaluate_catalogue(CORPUS, load_labels(part=part))
        click.echo(f"-- {part}")
        click.echo("\n".join(report_lines(report)))
        figures += [
            Figure(f"catalogue pages ({part}, {report.pages}): fields right", report.accuracy, 0.95),
            Figure(f"catalogue pages ({part}): licenses from prose about code/data/other models",
                   len(report.prose_licenses), 0, higher_is_better=False),
            Figure(f"catalogue pages ({part}): evidence not in its page", len(report.evidence_missing), 0,
                   higher_is_better=False),
        ]  # fmt: skip
    return figures


def real_hub() -> list[Figure]:
    from evals.real_hub import evaluate_real_hub, report_lines

    if not (CORPUS / "hf_cards").is_dir():
        return [Figure("real Hub catalogue: uncategorised share", None, 0.02, False, note="no corpus")]
    report = evaluate_real_hub(CORPUS)
    click.echo("\n".join(report_lines(report)))
    unlabelled = len(report.pairs) - len(report.labelled_pairs)
    return [
        Figure("real Hub catalogue: uncategorised share", report.uncategorised_share, 0.02, higher_is_better=False),
        Figure("real Hub catalogue: declared license right", report.license_agreement, 0.99),
        Figure(
            f"real Hub catalogue: top {len(report.pairs)} pairs worth an article",
            report.pairs_worth if report.labelled_pairs else None,
            0.8,
            note=f"{unlabelled} unlabelled" if unlabelled else "",
        ),
    ]


EVALUATIONS: dict[str, Callable[[], list[Figure]]] = {
    "hub": hub,
    "feeds": feeds,
    "real-feeds": real_feeds,
    "cards": cards,
    "articles": articles,
    "catalogue": catalogue,
    "real-hub": real_hub,
}


def table(figures: list[Figure]) -> str:
    width = max(len(f.name) for f in figures)
    lines = [f"{'figure':{width}s}  {'value':>8s}  {'floor':>10s}  verdict"]
    for f in figures:
        value = "-" if f.value is None else f"{f.value:.3f}"
        floor = ("≥ " if f.higher_is_better else "≤ ") + f"{f.floor:g}"
        note = f"  ({f.note})" if f.note else ""
        lines.append(f"{f.name:{width}s}  {value:>8s}  {floor:>10s}  {f.verdict}{note}")
    return "\n".join(lines)


@click.command()
@click.argument("names", nargs=-1, type=click.Choice(sorted(EVALUATIONS)))
def main(names: tuple[str, ...]) -> None:
    """Run the evaluations (all by default) and print the table of figures against floors."""
    figures: list[Figure] = []
    for name in names or EVALUATIONS:
        click.echo(f"== {name}")
        figures += EVALUATIONS[name]()
    click.echo("\n" + table(figures))
    sys.exit(1 if any(f.verdict == "MISSED" for f in figures) else 0)


if __name__ == "__main__":
    main()
