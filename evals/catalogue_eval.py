"""Model-catalogue and vendor model pages, scored field by field against blind labels.

The pages are real cards in page chrome of our own (`evals/catalogue.py`); the labels
(`evals/labels/catalogue.json`) were written from the pages alone under `evals/POLICY.md`.
Scored: name, vendor, license, entry and open weights of the record a page yields for the tool
it is about; a label of null is right only when we say nothing either. Every field's evidence
snippet must occur in the page's text.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html

from compare.extract import extract_document
from compare.records import name_key
from evals.catalogue import CataloguePage, catalogue_pages
from evals.hub import hub_license_ids, same_license

LABELS = Path(__file__).parent / "labels" / "catalogue.json"
FIELDS = ("name", "vendor", "license", "entry", "open_weights")
_PROSE_LICENSE = re.compile(r"(?i)\b(?:code|repository|dataset|data|base model|inference code)\b")


@dataclass
class CatalogueReport:
    pages: int = 0
    right: Counter = field(default_factory=Counter)  # field -> pages right
    misses: list[str] = field(default_factory=list)
    evidence_checked: int = 0
    evidence_missing: list[str] = field(default_factory=list)
    no_record: list[str] = field(default_factory=list)
    prose_licenses: list[str] = field(default_factory=list)  # a wrong license from words about code, data, ...

    @property
    def fields_right(self) -> int:
        return sum(self.right.values())

    @property
    def accuracy(self) -> float:
        return self.fields_right / max(self.pages * len(FIELDS), 1)


def part_of(key: str) -> str:
    """A fixed third of every labelled set is held out: not looked at while the code changes."""
    return "holdout" if int(hashlib.sha1(key.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def load_labels(path: Path = LABELS, part: str | None = None) -> dict[str, dict[str, Any]]:
    labels = {label["url"]: label for label in json.loads(path.read_text())}
    return {url: label for url, label in labels.items() if part is None or part_of(url) == part}


def _loose(text: str | None) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (text or "").lower()).split())


def _names(label: dict[str, Any], key: str) -> list[str]:
    return [n for n in [label.get(key), *(label.get(f"{key}_aliases") or [])] if n]


def agrees(name: str, label: dict[str, Any], got: Any) -> bool:
    expected = label.get(name)
    if name == "name":
        keys = {name_key(n, label.get("vendor")) for n in _names(label, "name")} | {
            _loose(n) for n in _names(label, "name")
        }
        return bool(got) and (name_key(str(got), label.get("vendor")) in keys or _loose(str(got)) in keys)
    if name == "vendor":
        return bool(got) and _loose(str(got)) in {_loose(v) for v in _names(label, "vendor")}
    if expected is None or got is None:
        return expected is None and got is None
    if name == "license":
        if expected == "other":  # the policy's "a named custom license the Hub's table lacks"
            return str(got).lower() not in _hub_ids() and re.fullmatch(r"[a-z0-9][a-z0-9.+\-]+", str(got)) is not None
        return str(got).lower() == str(expected).lower() or same_license(str(got), str(expected))
    return got == expected


@cache
def _hub_ids() -> set[str]:
    return hub_license_ids(Path(__file__).resolve().parents[2] / "shared/corpus/reference/hf_license_identifiers.md")


def page_text(page_html: str) -> str:
    doc = lxml.html.fromstring(page_html)
    return " ".join(html_lib.unescape(doc.text_content()).split())


def main_record(records: list[dict[str, Any]], label: dict[str, Any]) -> dict[str, Any] | None:
    """The record about the labelled tool: one named as the label names it, else the first."""
    named = [r for r in records if agrees("name", label, r.get("name"))]
    return (named or records or [None])[0]


def evaluate_catalogue(corpus: Path, labels: dict[str, dict[str, Any]]) -> CatalogueReport:
    report = CatalogueReport()
    pages: dict[str, CataloguePage] = {page.url: page for page in catalogue_pages(corpus)}
    for url, label in labels.items():
        page = pages.get(url)
        if page is None:
            report.misses.append(f"{url}: no such page in the corpus")
            continue
        report.pages += 1
        result = extract_document(url, page.html, "text/html")
        record = main_record(result.records, label)
        if record is None:
            report.no_record.append(f"{url}: {result.reason}")
            record = {}
        for name in FIELDS:
            got = record.get(name)
            if agrees(name, label, got):
                report.right[name] += 1
            else:
                snippet = str((record.get("evidence") or {}).get(name, {}).get("snippet") or "")
                if name == "license" and got and _PROSE_LICENSE.search(snippet):
                    report.prose_licenses.append(f"{url.split('/')[-1]}: {got!r} from {snippet[:100]!r}")
                report.misses.append(f"{name:12s} {url.split('/')[-1]}: expected {label.get(name)!r}, got {got!r}")
        text = _loose(page_text(page.html))
        for name, evidence in (record.get("evidence") or {}).items():
            snippet = (evidence or {}).get("snippet")
            if not snippet or name not in FIELDS:
                continue
            report.evidence_checked += 1
            if _loose(snippet) not in text:
                report.evidence_missing.append(f"{name} {url.split('/')[-1]}: {snippet[:80]!r}")
    return report


def report_lines(report: CatalogueReport) -> list[str]:
    lines = [
        f"catalogue and vendor pages: {report.pages}; fields right {report.fields_right}/{report.pages * len(FIELDS)}"
        f" ({report.accuracy:.1%})",
        "  " + ", ".join(f"{name} {report.right[name]}/{report.pages}" for name in FIELDS),
        f"  evidence snippets found in their page: {report.evidence_checked - len(report.evidence_missing)}"
        f"/{report.evidence_checked}",
        f"  licenses from sentences about code, data or other models: {len(report.prose_licenses)}",
        *(f"    {miss}" for miss in report.prose_licenses),
        *(f"  no record {miss}" for miss in report.no_record),
        *(f"  miss {miss}" for miss in report.misses),
        *(f"  evidence not in page: {miss}" for miss in report.evidence_missing),
    ]
    return lines
