"""The gold set of launch posts and pricing pages: what the extractors make of each labelled page,
field by field (`make eval`, tests/test_gold_articles.py).

Label files are JSON lists, one object per (page, tool); `kind` is `launch`, `pricing_row` or
`not_launch`. Pages are found by the mirror's rule under one or more snapshot folders.

Matching rules:
- a launch label is the page's record with page_kind "launch";
- a pricing-row label is the page's pricing_row record of the same name (case-insensitive; the
  " fine-tuning" suffix the extractor adds under a fine-tuning heading is allowed), or of the same
  plan ("Pro" for the record "Cursor Pro");
- a null label means "the page does not say": the extractor must not invent a value;
- prices: every labelled price (item, amount, currency, unit, and tier where labelled) must be
  extracted exactly; an extracted price that no label of its page names is invented.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html

from compare.extract import extract_document
from compare.mirror import snapshot_file
from compare.records import SNAPSHOT_DATE, Extraction

GROUPS = ("launch", "pricing_row", "not_launch")
# Optional label keys are scored only where a label has them.
GOLD_LABELS = ("tests/fixtures/demo_expected/vendors_*.json", "tests/fixtures/gold/labels_*.json")
GOLD_PAGES = ("tests/fixtures/gold/pages", "data/demo")
LAUNCH_FIELDS = (
    "name", "vendor", "license", "entry", "open_weights", "hub_links", "published", "docs_link",
    "pricing_link", "description", "free_tier", "contact_sales", "batch_discount",
)  # fmt: skip
ROW_FIELDS = ("name", "vendor", "license", "entry", "open_weights")
# Fields whose evidence may quote page metadata (OpenGraph / JSON-LD) or the URL, not the prose.
METADATA_FIELDS = ("name", "tagline", "vendor", "released")


@dataclass
class GoldReport:
    hits: dict[tuple[str, str], list[bool]] = field(default_factory=lambda: defaultdict(list))
    misses: list[str] = field(default_factory=list)
    prices_expected: int = 0
    price_misses: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # kind -> labelled pages
    failed: dict[str, str] = field(default_factory=dict)  # url -> reason
    evidence_checked: int = 0
    evidence_problems: list[str] = field(default_factory=list)

    def accuracy(self, group: str, name: str) -> float | None:
        results = self.hits.get((group, name))
        return sum(results) / len(results) if results else None

    @property
    def price_recall(self) -> float:
        return 1 - len(self.price_misses) / max(self.prices_expected, 1)

    def check(self, group: str, name: str, where: str, expected: Any, got: Any) -> None:
        ok = _same(name, expected, got)
        self.hits[(group, name)].append(ok)
        if not ok:
            self.misses.append(f"{group:<11} {name:<14} {where}: expected {expected!r}, got {got!r}")


def load_labels(paths: list[Path]) -> list[dict[str, Any]]:
    return [label for path in paths for label in json.loads(path.read_text())]


def page_file(url: str, roots: list[Path]) -> Path | None:
    parts = urlsplit(url)
    for root in roots:
        found = snapshot_file(root, parts.hostname or "", parts.path or "/", parts.query)
        if found is not None:
            return found
    return None


def evaluate_gold(labels: list[dict[str, Any]], roots: list[Path]) -> GoldReport:
    report = GoldReport()
    by_url: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for label in labels:
        by_url[label["url"]].append(label)
    for url, page_labels in by_url.items():
        path = page_file(url, roots)
        if path is None:
            report.failed[url] = "no page file"
            continue
        body = path.read_text(encoding="utf-8", errors="replace")
        result = extract_document(url, body)
        if result.status == "failed":
            report.failed[url] = result.reason or "failed"
        report.pages[page_labels[0]["kind"]] += 1
        _score_page(report, url, page_labels, result)
        _check_evidence(report, url, body, result.records)
    return report


def _score_page(report: GoldReport, url: str, labels: list[dict[str, Any]], result: Extraction) -> None:
    used: set[int] = set()
    for label in labels:
        where = f"{url} [{label.get('name') or '-'}]"
        if label["kind"] == "not_launch":
            launches = [r.get("name") for r in result.records if r.get("page_kind") == "launch"]
            report.check("not_launch", "no_launch", url, [], launches)
            continue
        if label["kind"] == "launch":
            record = next((r for r in result.records if r.get("page_kind") == "launch"), {})
            names = LAUNCH_FIELDS
        else:
            record = next(
                (
                    r
                    for r in result.records
                    if r.get("page_kind") == "pricing_row"
                    and id(r) not in used
                    and _row_name_matches(r.get("plan") or r.get("name") or "", label["name"])
                ),
                {},
            )
            names = ROW_FIELDS
        used.add(id(record))
        got = _facts(record)
        for name in names:
            if not _labelled(label, name):
                continue
            expected = _expected(label, name)
            if name == "name" and label["kind"] == "pricing_row":
                expected, got[name] = True, bool(record)  # found by name
            report.check(label["kind"], name, where, expected, got[name])
        _score_prices(report, where, label.get("prices") or [], record.get("prices") or [])
    for record in result.records:  # records no label describes: their prices are invented
        if id(record) not in used and record.get("page_kind") != "feed_item":
            _score_prices(report, f"{url} [{record.get('name')}] (unlabelled record)", [], record.get("prices") or [])


def _score_prices(report: GoldReport, where: str, expected: list[dict], got: list[dict]) -> None:
    report.prices_expected += len(expected)
    for price in expected:
        if not any(same_price(price, candidate) for candidate in got):
            report.price_misses.append(f"{where}: {price}")
    for price in got:
        if not any(same_price(candidate, price) for candidate in expected):
            report.invented.append(f"{where}: {price}")


def same_price(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    """Item, amount, currency and unit exactly; the tier too where the label states one."""
    if (expected["item"], expected["currency"], expected["unit"]) != (got["item"], got["currency"], got["unit"]):
        return False
    if "tier" in expected and expected["tier"] != got.get("tier"):
        return False
    return math.isclose(expected["amount"], got["amount"], rel_tol=1e-9, abs_tol=1e-9)


def _row_name_matches(record_name: str, label_name: str) -> bool:
    """The row's name, a snapshot date aside ("gpt-4.1 fine-tuning" is the row "gpt-4.1-2025-04-14")."""
    got, wanted = (SNAPSHOT_DATE.sub("", name).lower() for name in (record_name, label_name))
    return got in (wanted, f"{wanted} fine-tuning")


def _labelled(label: dict[str, Any], name: str) -> bool:
    key = {"docs_link": "links", "pricing_link": "links", "description": "description_start"}.get(name, name)
    return key in label


def _expected(label: dict[str, Any], name: str) -> Any:
    if name == "docs_link":
        return (label.get("links") or {}).get("docs")
    if name == "pricing_link":
        return (label.get("links") or {}).get("pricing")
    if name == "description":
        return label.get("description_start")
    if name in ("free_tier", "contact_sales"):
        return bool(label.get(name))
    return label.get(name)


def _facts(record: dict[str, Any]) -> dict[str, Any]:
    links = record.get("links") or {}
    return {
        **{name: record.get(name) for name in ROW_FIELDS},
        "hub_links": [f"https://huggingface.co/{hub_id}" for hub_id in record.get("hub_links") or []],
        "published": record.get("released"),
        "docs_link": links.get("docs"),
        "pricing_link": links.get("pricing"),
        "description": record.get("description"),
        "free_tier": bool(record.get("free_tier")),
        "contact_sales": bool(record.get("contact_sales")),
        "batch_discount": record.get("batch_discount"),
    }


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[’‘]", "'", text).split()).lower()


def _same(name: str, expected: Any, got: Any) -> bool:
    if name == "description":  # the description starts where the label says a good one starts
        if expected is None:
            return got is None
        return got is not None and _normal(got).startswith(_normal(expected).rstrip(".…"))
    if name in ("docs_link", "pricing_link") and expected and got:
        return expected.rstrip("/") == got.rstrip("/")
    if name == "batch_discount" and expected is not None and got is not None:
        return math.isclose(expected, got)
    return expected == got


# -- evidence ------------------------------------------------------------------------------------


def visible_text(body: str) -> str:
    doc = lxml.html.fromstring(body)
    for hidden in doc.xpath("//head|//script|//style|//noscript|//template"):
        hidden.drop_tree()
    return _normal(doc.text_content())


def metadata_text(body: str, url: str) -> str:
    doc = lxml.html.fromstring(body)
    values = [str(v) for v in doc.xpath("//meta/@content")] + [url]
    values += [str(s.text_content()) for s in doc.xpath("//script[@type='application/ld+json']")]
    values += [str(t.text_content()) for t in doc.xpath("//title")]
    return _normal(" ".join(values))


def snippet_parts(snippet: str) -> list[str]:
    """A clipped snippet ends in '…'; joined snippets (several sentences) use ' … '."""
    return [_normal(part) for part in snippet.removesuffix("…").split(" … ") if part.strip()]


def _check_evidence(report: GoldReport, url: str, body: str, records: list[dict[str, Any]]) -> None:
    """Every field's snippet occurs in the page's visible text (metadata for metadata fields)."""
    if not records:
        return
    text, meta = visible_text(body), metadata_text(body, url)
    squashed = re.sub(r"\s+", "", text)
    for record in records:
        for name, evidence in record["evidence"].items():
            if evidence["url"] != url:
                report.evidence_problems.append(f"{url} {name}: evidence names {evidence['url']}")
            for part in snippet_parts(evidence["snippet"]):
                report.evidence_checked += 1
                if part in text or (name in METADATA_FIELDS and part in meta):
                    continue
                if re.sub(r"\s+", "", part) in squashed:
                    continue  # table cells and inline tags joined with spaces
                report.evidence_problems.append(f"{url} [{record.get('name')}] {name}: {part!r}")


# -- the printed report -------------------------------------------------------------------------


def report_lines(report: GoldReport) -> list[str]:
    names = list(dict.fromkeys(name for _, name in report.hits))
    lines = [
        "pages: " + ", ".join(f"{kind} {n}" for kind, n in sorted(report.pages.items())),
        f"{'field':<15}" + "".join(f"{group:>14}" for group in GROUPS),
    ]
    for name in names:
        cells = []
        for group in GROUPS:
            results = report.hits.get((group, name))
            cells.append(f"{sum(results):>3}/{len(results):<3} {sum(results) / len(results):.2f}" if results else "")
        lines.append(f"{name:<15}" + "".join(f"{cell:>14}" for cell in cells))
    exact = report.prices_expected - len(report.price_misses)
    lines += [
        f"price cells: {exact}/{report.prices_expected} extracted exactly ({report.price_recall:.3f}),"
        f" {len(report.invented)} invented",
        f"evidence snippets found in their page: {report.evidence_checked - len(report.evidence_problems)}"
        f"/{report.evidence_checked}",
        *(f"  failed {url}: {reason}" for url, reason in report.failed.items()),
        *(f"  miss {miss}" for miss in report.misses),
        *(f"  price missed {miss}" for miss in report.price_misses),
        *(f"  invented {miss}" for miss in report.invented),
        *(f"  evidence {problem}" for problem in report.evidence_problems),
    ]
    return lines
