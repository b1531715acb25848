"""How well Hub extraction holds up on real data: every model card and recorded API response of a
corpus, and a labelled subset (`make eval`, tests/test_hub_labels.py).

The corpus layout is `../shared/corpus`: `hf_cards/**/ORG__NAME.md` README files and
`hf_api/**/*.yaml` VCR cassettes whose interactions hold the Hub's responses.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from license_expression import get_license_index

from compare.extract import extract_document
from compare.extract.hub import split_front_matter
from compare.extract.text import sentences
from compare.records import Extraction
from compare.resolve import resolve

HUB = "https://huggingface.co"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
FIELDS = ("license", "commercial_use", "params_b", "modality", "description", "family", "popularity")


@dataclass
class Document:
    """One corpus document as the crawler would have stored it."""

    source: str  # path relative to the corpus, '#model id' for a cassette interaction
    url: str
    body: str
    status: int = 200
    declared: dict[str, Any] = field(default_factory=dict)  # the license metadata it declares
    error: str | None = None  # why the document could not be read


def corpus_documents(corpus: Path) -> Iterator[Document]:
    """Every card and every recorded Hub response under `corpus`, in a stable order."""
    for card in sorted((corpus / "hf_cards").rglob("*.md")):
        hub_id = card.stem.replace("__", "/", 1)
        body = card.read_text(encoding="utf-8", errors="replace")
        meta = split_front_matter(body)[0]
        yield Document(str(card.relative_to(corpus)), f"{HUB}/{hub_id}/raw/main/README.md", body, declared=meta)
    for cassette in sorted((corpus / "hf_api").rglob("*.yaml")):
        relative = str(cassette.relative_to(corpus))
        try:
            loaded = yaml.load(cassette.read_text(errors="replace"), Loader=_YAML_LOADER) or {}
            interactions = loaded.get("interactions") or []
        except yaml.YAMLError as error:
            yield Document(relative, f"file://{relative}", "", status=0, error=str(error)[:200])
            continue
        for number, interaction in enumerate(interactions):
            request, response = interaction.get("request") or {}, interaction.get("response") or {}
            url = str(request.get("uri") or "")
            body = (response.get("body") or {}).get("string") or ""
            body = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
            model = re.search(r"/api/models/([^?#]+)", url)
            name = model.group(1) if model else str(number)
            status = int((response.get("status") or {}).get("code") or 0)
            yield Document(f"{relative}#{name}", url, body, status, declared=_api_card_data(body))


def _api_card_data(body: str) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data.get("cardData") or {} if isinstance(data, dict) and isinstance(data.get("cardData"), dict) else {}


def extract(document: Document) -> Extraction:
    """What the pipeline stores for the document: a fetch failure or an extraction."""
    if document.status != 200:
        return Extraction.failed(f"HTTP {document.status}" + (f": {document.error}" if document.error else ""))
    return extract_document(document.url, document.body)


# -- declared licenses -----------------------------------------------------------------------------


@cache
def _scancode_keys() -> dict[str, str]:
    """Every SPDX id (and alias), lower case -> ScanCode's license key (which the Hub's ids follow)."""
    keys = {}
    for entry in get_license_index():
        for spdx in [entry.get("spdx_license_key"), *(entry.get("other_spdx_license_keys") or [])]:
            if spdx:
                keys[spdx.lower()] = entry["license_key"]
    return keys


def hub_license_ids(table: Path) -> set[str]:
    """The identifiers of the Hub's license table (reference/hf_license_identifiers.md)."""
    return set(re.findall(r"\|\s*`([^`]+)`\s*\|", table.read_text()))


def same_license(ours: str | None, declared: str) -> bool:
    """Whether our id names the declared Hub id or license_name (an SPDX id and the Hub's
    lower-case id of it agree: 'GPL-3.0-only' == 'gpl-3.0'; a declared name in words agrees
    with its id: 'Apache License 2.0' == 'Apache-2.0')."""
    if ours is None:
        return False
    wanted = declared.strip().lower()
    return ours.lower() == wanted or _scancode_keys().get(ours.lower()) == wanted or _loose(ours) == _loose(declared)


def _loose(name: str) -> str:
    """A license's name without the words and marks its spellings differ in ('Apache License 2.0',
    'Apache-2.0')."""
    return " ".join(re.sub(r"\b(?:the|license|licence|version)\b|[^a-z0-9.]+", " ", name.lower()).split())


def declared_license(meta: dict[str, Any]) -> str | None:
    """The license a card's metadata declares: its Hub id, or the license_name of 'other'.
    Read here on its own, not through the extractor, so the evaluation does not grade itself."""
    raw = meta.get("license")
    if isinstance(raw, list):
        raw = next((item for item in raw if isinstance(item, str)), None)
    name = meta.get("license_name")
    if (raw is None or str(raw).lower() == "other") and isinstance(name, str) and name.strip():
        return name
    if isinstance(raw, str) and raw.strip() and raw.lower() not in ("other", "unknown"):
        return raw
    return None


# -- the whole corpus ---------------------------------------------------------------------------


@dataclass
class CorpusReport:
    documents: Counter = field(default_factory=Counter)  # kind -> n
    statuses: Counter = field(default_factory=Counter)  # (status, reason) -> n
    exceptions: int = 0
    coverage: Counter = field(default_factory=Counter)  # field -> model records stating it
    model_records: int = 0
    declared: int = 0  # records whose metadata declares a Hub license id or license_name
    declared_agree: int = 0
    declared_free_text: Counter = field(default_factory=Counter)  # (declared, ours) not a Hub id
    disagreements: list[tuple[str, str, str | None]] = field(default_factory=list)


def evaluate_corpus(corpus: Path) -> CorpusReport:
    report = CorpusReport()
    hub_ids = hub_license_ids(corpus / "reference" / "hf_license_identifiers.md")
    for document in corpus_documents(corpus):
        kind = (
            "card"
            if document.source.startswith("hf_cards")
            else "api_model"
            if "/api/models/" in document.url
            else "api_other"
        )
        report.documents[kind] += 1
        if kind == "api_other":  # inference calls recorded beside the model-info responses
            report.statuses[("skipped", "not a model-info response (an inference call)")] += 1
            continue
        result = extract(document)
        report.statuses[(result.status, _reason_class(result.reason))] += 1
        if result.reason and re.match(r"^[A-Z]\w*(Error|Exception)\b", result.reason):
            report.exceptions += 1
        for record in result.records:
            report.model_records += 1
            for name in FIELDS:
                key = {"family": "base_model"}.get(name, name)
                report.coverage[name] += record.get(key) not in (None, "", [])
            declared = declared_license(document.declared)
            if declared is None:
                continue
            if declared.lower() in hub_ids or document.declared.get("license_name"):
                report.declared += 1
                if same_license(record.get("license"), declared):
                    report.declared_agree += 1
                else:
                    report.disagreements.append((document.source, declared, record.get("license")))
            else:
                report.declared_free_text[(declared, record.get("license"))] += 1
    return report


def _reason_class(reason: str | None) -> str:
    """Reasons without their variable parts, for counting."""
    return re.sub(r"\d+", "N", (reason or "-"))[:70]


# -- the labelled set ---------------------------------------------------------------------------


@dataclass
class LabelReport:
    total: int = 0
    correct: Counter = field(default_factory=Counter)
    checked: Counter = field(default_factory=Counter)
    misses: dict[str, list[str]] = field(default_factory=dict)
    variant_pairs: tuple[int, int] = (0, 0)  # (together, labelled together)
    unrelated_pairs: tuple[int, int] = (0, 0)  # (apart, labelled apart)
    family_misses: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        return self.correct[name] / self.checked[name] if self.checked[name] else 0.0


def load_labels(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text())


def labelled_documents(corpus: Path, labels: list[dict[str, Any]]) -> dict[str, Document]:
    wanted = {label["source"] for label in labels}
    found = {}
    for document in corpus_documents(corpus):
        if document.source in wanted and document.source not in found:
            found[document.source] = document
    return found


def evaluate_labels(corpus: Path, labels: list[dict[str, Any]]) -> LabelReport:
    """Per-field accuracy of extraction on labelled documents, and family partition agreement
    after resolving them together."""
    report = LabelReport(total=len(labels))
    documents = labelled_documents(corpus, labels)
    records_by_source: dict[str, dict[str, Any]] = {}
    for label in labels:
        document = documents.get(label["source"])
        result = extract(document) if document else Extraction.failed("not in the corpus")
        record = result.records[0] if result.records else {}
        records_by_source[label["source"]] = record
        for name in ("license", "commercial_use", "params_b", "modality", "description_first_sentence"):
            expected, got = label.get(name), _value(record, name)
            if name == "description_first_sentence" and expected is None:
                continue  # nothing to compare: API responses carry no prose
            report.checked[name] += 1
            if _agrees(name, expected, got):
                report.correct[name] += 1
            else:
                report.misses.setdefault(name, []).append(f"{label['source']}: expected {expected!r}, got {got!r}")
    _family_partition(report, labels, records_by_source)
    return report


def _value(record: dict[str, Any], name: str) -> Any:
    if name == "description_first_sentence":
        found = sentences(record.get("description") or "")
        return found[0] if found else None
    return record.get(name)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[*_`]", "", text).split()).lower().rstrip(".:!")


def _agrees(name: str, expected: Any, got: Any) -> bool:
    if name == "commercial_use" and expected == "unknown":
        expected = None  # unknown is stored as null
    if name == "modality" and expected is None:
        # The labels state the modality a card's pipeline tag gives; where it gives none, a
        # modality inferred from tags or library ("stable-diffusion", sentence-transformers) is
        # not scored.
        return True
    if expected is None or got is None:
        return expected is None and got is None
    if name == "params_b":
        # A stated size ('176B') is exact to its precision: within 1% of the counted parameters.
        return abs(float(got) - float(expected)) <= max(0.011, 0.01 * float(expected))
    if name == "description_first_sentence":
        return _norm(got).startswith(_norm(expected)) or _norm(expected).startswith(_norm(got))
    if name == "license":
        return same_license(got, expected) or got.lower() == str(expected).lower()
    return got == expected


def _family_partition(report: LabelReport, labels: list[dict[str, Any]], records: dict[str, dict[str, Any]]) -> None:
    cards = {card.get("hub_id", "").lower(): card for _, card in resolve([r for r in records.values() if r])}
    family = {label["source"]: (cards.get(label["hub_id"].lower()) or {}).get("family") for label in labels}
    together = apart = want_together = want_apart = 0
    for i, first in enumerate(labels):
        for second in labels[i + 1 :]:
            if first["hub_id"].lower() == second["hub_id"].lower():
                continue  # one model seen twice (card and API): not a family question
            same_label = first["family"].lower() == second["family"].lower()
            same_ours = family[first["source"]] is not None and family[first["source"]] == family[second["source"]]
            if same_label:
                want_together += 1
                together += same_ours
            else:
                want_apart += 1
                apart += not same_ours
            if same_label != same_ours:
                report.family_misses.append(
                    f"{first['hub_id']} / {second['hub_id']}: labelled {'same' if same_label else 'different'}, "
                    f"ours {family[first['source']]!r} / {family[second['source']]!r}"
                )
    report.variant_pairs = (together, want_together)
    report.unrelated_pairs = (apart, want_apart)


# -- the printed report -------------------------------------------------------------------------


def report_lines(corpus_report: CorpusReport, label_report: LabelReport | None) -> list[str]:
    c = corpus_report
    lines = [
        f"documents: {sum(c.documents.values())} ({', '.join(f'{k} {v}' for k, v in sorted(c.documents.items()))})",
        f"exceptions: {c.exceptions} (every document ends as a row: status + reason)",
        "statuses:",
        *(f"  {n:4d}  {status}: {reason}" for (status, reason), n in c.statuses.most_common()),
        f"model records: {c.model_records}; field coverage:",
        *(f"  {name:15s} {c.coverage[name] / max(c.model_records, 1):6.1%}" for name in FIELDS),
        f"declared license (Hub id or license_name) = normalised: {c.declared_agree}/{c.declared}"
        f" = {c.declared_agree / max(c.declared, 1):.1%}",
        *(f"  differs: {source}: declared {declared!r}, ours {ours!r}" for source, declared, ours in c.disagreements),
        *(f"  free text {declared!r} -> {ours!r} (x{n})" for (declared, ours), n in c.declared_free_text.items()),
    ]
    if label_report is not None:
        r = label_report
        lines.append(f"labelled set: {r.total} documents; accuracy:")
        lines += [
            f"  {name:27s} {r.correct[name]:3d}/{r.checked[name]:3d} = {r.accuracy(name):6.1%}" for name in r.checked
        ]
        (together, want_together), (apart, want_apart) = r.variant_pairs, r.unrelated_pairs
        lines.append(
            f"  family: related pairs together {together}/{want_together}, unrelated pairs apart {apart}/{want_apart}"
        )
        lines += [f"  miss {name}: {miss}" for name, misses in r.misses.items() for miss in misses]
        lines += [f"  miss family: {miss}" for miss in r.family_misses]
    return lines
