"""Golden tests for Hub pages of the bundled demo web, against hand-labelled facts.

`tests/fixtures/demo_expected/hub.json` says what each demo model states. The label's `url` is the
API JSON, `readme_url` the model card; both are extracted and scored as separate sources
(`hub_api`, `hub_readme`). A model's family is its base model for a quantized copy, else the model
itself. A null label means "the page does not say": the extractor must not invent a value.
The accuracy table (and every miss) prints with `pytest -s`; floors sit at the measured values.
Launch posts and pricing pages are scored in tests/test_gold_articles.py.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pytest

from compare.extract import extract_document
from conftest import FIXTURES, demo_file

HUB_FIELDS = ("name", "vendor", "license", "entry", "open_weights", "params_b", "modality", "family", "base_model")
PARAMS_TOLERANCE = 0.02
FLOORS: dict[tuple[str, str], float] = {
    **{(source, field): 1.0 for source in ("hub_api", "hub_readme") for field in HUB_FIELDS},
    ("hub_api", "params_b"): 0.88,  # 23/26: quantized copies (AWQ, bnb-4bit packed counts; GGUF name "2.2B")
    ("hub_api", "modality"): 0.96,  # 25/26: Phi-4-multimodal's Hub pipeline_tag is speech recognition
    ("hub_readme", "params_b"): 0.3,  # 8/26: a card only has the size in its name ("7B" for 8.29B)
    ("hub_readme", "modality"): 0.88,  # 23/26: three cards have no pipeline_tag
}


def labels() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "demo_expected" / "hub.json").read_text())


def facts(record: dict[str, Any]) -> dict[str, Any]:
    quantized = record.get("base_model_relation") == "quantized"
    return {
        **{field: record.get(field) for field in ("name", "vendor", "license", "entry", "open_weights", "modality")},
        "params_b": record.get("params_b"),
        "family": record.get("base_model") if quantized else record.get("hub_id"),
        "base_model": (record.get("base_model"), record.get("base_model_relation")),
    }


def agrees(field: str, expected: Any, got: Any) -> bool:
    if field == "params_b" and expected is not None:
        return isinstance(got, int | float) and abs(got - expected) <= PARAMS_TOLERANCE * expected
    return expected == got


@pytest.fixture(scope="module")
def scores() -> dict[tuple[str, str], list[bool]]:
    hits: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for label in labels():
        expected = {field: label[field] for field in HUB_FIELDS if field in label}
        expected["base_model"] = (label["base_model"], label["base_model_relation"])
        for source, url in (("hub_api", label["url"]), ("hub_readme", label["readme_url"])):
            result = extract_document(url, demo_file(url).read_bytes())
            assert result.status != "failed", (url, result.reason)
            got = facts(result.records[0] if result.records else {})
            for field in HUB_FIELDS:
                ok = agrees(field, expected[field], got[field])
                hits[(source, field)].append(ok)
                if not ok:
                    print(
                        f"  miss {source} {field} {label['hub_id']}: expected {expected[field]!r}, got {got[field]!r}"
                    )
    return hits


def test_every_field_meets_its_floor(scores):
    assert set(scores) == set(FLOORS)
    assert all(len(results) == len(labels()) for results in scores.values())
    below = {cell: sum(r) / len(r) for cell, r in scores.items() if sum(r) / len(r) < FLOORS[cell]}
    assert not below, below
