"""How launch discovery holds up on real feeds (`make eval`, tests/test_launch.py).

Every feed file under a corpus folder is read as the crawler would store it; each item gets its
launch verdict. A labelled subset (`tests/fixtures/feed_labels.json`: feed path, item link,
launch yes/no, tool name) gives precision and recall of the launch verdict and name accuracy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compare.extract import extract_document

FEED_SUFFIXES = (".xml", ".json", ".rss", ".atom")


@dataclass
class FeedReport:
    feeds: dict[str, dict[str, Any]] = field(default_factory=dict)  # path -> status, items, launches, reason
    reasons: Counter = field(default_factory=Counter)  # why items are not launches, by category
    # labelled items
    true_pos: int = 0
    false_pos: int = 0
    false_neg: int = 0
    true_neg: int = 0
    names_right: int = 0
    unmatched: list[str] = field(default_factory=list)  # labelled links missing from the feed
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_pos / max(self.true_pos + self.false_pos, 1)

    @property
    def recall(self) -> float:
        return self.true_pos / max(self.true_pos + self.false_neg, 1)

    @property
    def name_accuracy(self) -> float:
        return self.names_right / max(self.true_pos, 1)


def feed_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in FEED_SUFFIXES)


def evaluate_feeds(folder: Path, labels: list[dict[str, Any]] | None = None) -> FeedReport:
    report = FeedReport()
    verdicts: dict[tuple[str, str], dict[str, Any]] = {}
    for path in feed_files(folder):
        relative = str(path.relative_to(folder))
        result = extract_document(f"https://feeds.invalid/{relative}", path.read_bytes())
        launches = sum(item["launch"] for item in result.items)
        report.feeds[relative] = {
            "status": result.status,
            "items": len(result.items),
            "launches": launches,
            "reason": result.reason,
        }
        for item in result.items:
            verdicts[(relative, item["url"])] = item
            if not item["launch"]:
                report.reasons[item["reason"].split(":")[0]] += 1
    for label in labels or []:
        item = verdicts.get((label["feed"], label["link"]))
        if item is None:
            report.unmatched.append(f"{label['feed']}: {label['link']}")
            continue
        _score(report, label, item)
    return report


def _score(report: FeedReport, label: dict[str, Any], item: dict[str, Any]) -> None:
    if label["launch"] and item["launch"]:
        report.true_pos += 1
        if item["tool"] == label["tool"]:
            report.names_right += 1
        else:
            report.misses.append(f"name: {label['title']!r}: expected {label['tool']!r}, got {item['tool']!r}")
    elif label["launch"]:
        report.false_neg += 1
        report.misses.append(f"missed launch ({label['why']}): {label['title']!r}: {item['reason']}")
    elif item["launch"]:
        report.false_pos += 1
        report.misses.append(f"not a launch ({label['why']}): {label['title']!r}: {item['reason']}")
    else:
        report.true_neg += 1


def report_lines(report: FeedReport) -> list[str]:
    total_items = sum(feed["items"] for feed in report.feeds.values())
    total_launches = sum(feed["launches"] for feed in report.feeds.values())
    lines = [f"feeds: {len(report.feeds)}, items: {total_items}, launches: {total_launches}"]
    for path, feed in report.feeds.items():
        lines.append(
            f"  {feed['status']:6s} {feed['launches']:3d} launches / {feed['items']:3d} items  {path}"
            + ("" if feed["status"] != "failed" else f"  ({feed['reason']})")
        )
    lines.append("not launches, by reason: " + ", ".join(f"{k} {v}" for k, v in report.reasons.most_common()))
    labelled = report.true_pos + report.false_pos + report.false_neg + report.true_neg
    if labelled:
        lines += [
            f"labelled items: {labelled} ({report.true_pos + report.false_neg} launches)",
            f"  launch precision {report.precision:.3f} ({report.true_pos}/{report.true_pos + report.false_pos}),"
            f" recall {report.recall:.3f} ({report.true_pos}/{report.true_pos + report.false_neg})",
            f"  tool name exact {report.name_accuracy:.3f} ({report.names_right}/{report.true_pos})",
            *(f"  miss {miss}" for miss in report.misses),
            *(f"  unmatched label {link}" for link in report.unmatched),
        ]
    return lines
