"""Hacker News stories (`../shared/corpus/launch_pages/hacker_news`): which stories announce a
tool and which, decided from the title alone as a story list gives it, scored against blind
labels (`evals/labels/hn_stories.json`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compare.extract.launch import classify
from evals.feeds import FeedReport, _score

LABELS = Path(__file__).parent / "labels" / "hn_stories.json"
DUMP = "launch_pages/hacker_news/simonw_hn_stories_simonwillison-net.json"


def evaluate_stories(corpus: Path, labels: list[dict[str, Any]]) -> FeedReport:
    report = FeedReport()
    stories = {story["url"]: story for story in json.loads((corpus / DUMP).read_text())}
    for label in labels:
        story = stories.get(label["link"])
        if story is None:
            report.unmatched.append(label["link"])
            continue
        verdict = classify(story["title"])
        item = {"launch": verdict.launch, "tool": verdict.name if verdict.launch else None, "reason": verdict.reason}
        _score(report, label, item)
    return report
