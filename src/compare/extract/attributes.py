"""Facts a page states in its structure: attribute and spec tables ("| Provider | IBM |"),
definition lists and schema.org JSON-LD (SoftwareApplication, Product), read the same on every
site, so no rule is written per site.

Each fact is (value, snippet): the snippet is the row as the page writes it ("License Apache 2.0").
"""

from __future__ import annotations

import re
from typing import Any

# The row names of each fact, as catalogues, registries and model cards write them.
_ROW_FIELDS = (
    ("vendor", r"provider|developer|developed by|organi[sz]ation|maker|model creator|created by|publisher|vendor"),
    ("license", r"licen[sc]e|license type|model license"),
    ("params", r"parameters|parameter count|model size|size \(parameters\)"),
    ("context", r"context window|context length|context size|max(?:imum)? context"),
    ("input_modalities", r"input modalit(?:y|ies)|inputs?"),
    ("output_modalities", r"output modalit(?:y|ies)|outputs?"),
    ("released", r"release date|released|launch date"),
)
_ROW_NAME = [(field, re.compile(rf"(?i)^\W*(?:{pattern})\W*$")) for field, pattern in _ROW_FIELDS]
_EMPTY = re.compile(r"(?i)^(?:-|—|n/a|none|unknown|not disclosed|tbd|\?)?$")


_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013"})


def _text(element: Any) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _field_of(name: str) -> str | None:
    return next((field for field, pattern in _ROW_NAME if pattern.match(name)), None)


def attribute_facts(doc: Any) -> dict[str, tuple[str, str]]:
    """{field: (value, snippet)} from two-cell table rows and definition lists: the first row that
    names each field wins (a spec table comes before variant tables)."""
    facts: dict[str, tuple[str, str]] = {}

    def add(name: str, value: str) -> None:
        field = _field_of(name)
        if field and field not in facts and not _EMPTY.match(value) and len(value) <= 200:
            facts[field] = (value.translate(_DASHES), f"{name} {value}")  # the snippet as the page writes it

    for row in doc.iter("tr"):
        cells = [cell for cell in row if getattr(cell, "tag", None) in ("td", "th")]
        if len(cells) == 2:
            add(_text(cells[0]), _text(cells[1]))
    for dl in doc.iter("dl"):
        for term in dl.iter("dt"):
            definition = term.getnext()
            if definition is not None and definition.tag == "dd":
                add(_text(term), _text(definition))
    return facts


_LD_TYPES = {"softwareapplication", "product", "softwaresourcecode", "webapplication", "mobileapplication"}


def json_ld_facts(items: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """{field: (value, snippet)} of the first schema.org application or product described: its
    name, maker (author, creator, brand, manufacturer, provider), license and offers."""
    for item in items:
        kinds = item.get("@type")
        kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
        if not any(str(kind).lower() in _LD_TYPES for kind in kinds):
            continue
        facts: dict[str, tuple[str, str]] = {}
        if isinstance(item.get("name"), str):
            facts["name"] = (item["name"], item["name"])
        for key in ("author", "creator", "brand", "manufacturer", "provider", "publisher"):
            maker = item.get(key)
            maker = maker[0] if isinstance(maker, list) and maker else maker
            name = maker.get("name") if isinstance(maker, dict) else maker
            if isinstance(name, str) and name.strip():
                facts["vendor"] = (name.strip(), name.strip())
                break
        if isinstance(item.get("license"), str):
            facts["license"] = (item["license"], item["license"])
        offers = item.get("offers")
        offers = offers if isinstance(offers, list) else [offers] if isinstance(offers, dict) else []
        prices = [o.get("price") for o in offers if isinstance(o, dict) and o.get("price") is not None]
        if prices:
            facts["price"] = (str(prices[0]), f"price {prices[0]}")
        return facts
    return {}
