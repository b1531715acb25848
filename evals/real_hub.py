"""The real Hub catalogue through the whole refresh: every real model card of the corpus served
as the Hub API serves it (`evals/hub_catalogue.py`), crawled, extracted, merged, embedded,
categorised and paired by `compare refresh --mirror`, then read back from the database.

Figures: the share of cards with no category, the share whose license agrees with the license
their card declares, and the share of the top pairings that editors' blind labels
(`evals/labels/real_pairs.json`) call worth an article.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compare.db import Store
from compare.stages import pairs_with_cards
from evals.hub import declared_license, same_license
from evals.hub_catalogue import hub_models, write_mirror

LABELS = Path(__file__).parent / "labels" / "real_pairs.json"
TOP_PAIRS = 30


@dataclass
class RealHubReport:
    cards: int = 0
    uncategorised: list[str] = field(default_factory=list)
    by_neighbours: int = 0
    declared: int = 0
    declared_agree: int = 0
    license_misses: list[str] = field(default_factory=list)
    pairs: list[dict[str, Any]] = field(default_factory=list)  # the top pairs, name a / name b / worth
    seconds: float = 0.0

    @property
    def uncategorised_share(self) -> float:
        return len(self.uncategorised) / max(self.cards, 1)

    @property
    def license_agreement(self) -> float:
        return self.declared_agree / max(self.declared, 1)

    @property
    def labelled_pairs(self) -> list[dict[str, Any]]:
        return [p for p in self.pairs if p["worth"] is not None]

    @property
    def pairs_worth(self) -> float:
        labelled = self.labelled_pairs
        return sum(p["worth"] for p in labelled) / max(len(labelled), 1)


def pair_labels(path: Path = LABELS) -> dict[frozenset[str], bool]:
    if not path.is_file():
        return {}
    return {frozenset((label["a"], label["b"])): bool(label["worth"]) for label in json.loads(path.read_text())}


def run_refresh(corpus: Path, workdir: Path) -> tuple[Path, Path, float]:
    """Build the mirror and run `compare refresh` over it in a subprocess (a fresh database)."""
    sources = write_mirror(hub_models(corpus), workdir / "mirror")
    db, index_dir = workdir / "compare.db", workdir / "index"
    command = [sys.executable, "-m", "compare.cli", "--db", str(db), "--index-dir", str(index_dir),
               "refresh", "--sources", str(sources), "--mirror", str(workdir / "mirror"), "--json"]  # fmt: skip
    env = {**os.environ, "COMPARE_CRAWL_DIR": str(workdir / "crawl")}
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=workdir, timeout=1200)
    if done.returncode != 0:
        raise RuntimeError(f"refresh failed ({done.returncode}): {done.stderr[-2000:]}")
    seconds = float(json.loads(done.stdout).get("stages", {}).get("seconds") or 0)
    return db, index_dir, seconds


def evaluate_real_hub(corpus: Path, workdir: Path | None = None) -> RealHubReport:
    with tempfile.TemporaryDirectory(prefix="compare-realhub-") as tmp:
        work = workdir or Path(tmp)
        db, _, seconds = run_refresh(corpus, work)
        return read_report(corpus, db, seconds)


def read_report(corpus: Path, db: Path, seconds: float = 0.0) -> RealHubReport:
    declared = {m.hub_id.lower(): declared_license(m.card_data) for m in hub_models(corpus)}
    report = RealHubReport(seconds=seconds)
    store = Store(db)
    try:
        cards = store.cards()
        for card in cards:
            report.cards += 1
            if not card.get("category"):
                report.uncategorised.append(card["name"])
            elif str(card.get("category_reason") or "").startswith("nearest"):
                report.by_neighbours += 1
            wanted = declared.get((card.get("hub_id") or "").lower())
            if wanted:
                report.declared += 1
                if same_license(card.get("license"), wanted):
                    report.declared_agree += 1
                else:
                    report.license_misses.append(f"{card['hub_id']}: declared {wanted!r}, card {card.get('license')!r}")
        labels = pair_labels()
        for pair in pairs_with_cards(store, TOP_PAIRS):
            a, b = pair["a"]["name"], pair["b"]["name"]
            report.pairs.append({"a": a, "b": b, "score": pair["score"], "worth": labels.get(frozenset((a, b)))})
    finally:
        store.close()
    return report


def report_lines(report: RealHubReport) -> list[str]:
    lines = [
        f"real Hub catalogue: {report.cards} cards in {report.seconds:.0f} s",
        f"  uncategorised {len(report.uncategorised)} ({report.uncategorised_share:.1%}); "
        f"categorised by neighbours {report.by_neighbours}",
        f"  declared license agrees {report.declared_agree}/{report.declared} ({report.license_agreement:.1%})",
        *(f"  license miss {miss}" for miss in report.license_misses),
        *(f"  uncategorised {name}" for name in report.uncategorised),
        f"  top {len(report.pairs)} pairs: {len(report.labelled_pairs)} labelled, worth an article "
        f"{sum(p['worth'] for p in report.labelled_pairs)} ({report.pairs_worth:.1%})",
    ]
    for pair in report.pairs:
        verdict = {True: "worth", False: "not worth", None: "unlabelled"}[pair["worth"]]
        lines.append(f"    {pair['score']:.3f}  {pair['a']} vs {pair['b']}  [{verdict}]")
    return lines
