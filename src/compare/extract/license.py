"""License ids: SPDX where one exists (via license-expression), else the Hub id, else unknown.

Also reads license statements in prose ("released under the Apache 2.0 license", "open weights").
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from license_expression import get_spdx_licensing

from compare.config import PACKAGE_DATA

PROPRIETARY = "proprietary"


@cache
def _table() -> dict:
    return tomllib.loads((PACKAGE_DATA / "licenses.toml").read_text())


@cache
def _spdx():
    return get_spdx_licensing()


def normalize_license(raw: str | None) -> str | None:
    """'apache-2.0' -> 'Apache-2.0'; 'llama3.1' stays; 'other'/'unknown'/'' -> None."""
    if raw is None:
        return None
    text = str(raw).strip()
    lowered = text.lower()
    if not text or lowered in ("other", "unknown", "none", "null"):
        return None
    table = _table()
    if lowered in table["families"] or lowered in table["hub_ids"]:
        return lowered
    spdx = _spdx_expression(text)
    if spdx:
        return spdx
    prose = table["prose"].get(_prose_key(text))
    if prose:
        return prose
    # A custom license named on the Hub (license_name): keep its id, lower-case.
    if re.fullmatch(r"[a-z0-9][a-z0-9.+\-]{1,60}", lowered):
        return lowered
    return None


def is_non_commercial(license_id: str | None) -> bool | None:
    """True/False where the license says; None for unknown."""
    if license_id is None:
        return None
    if license_id == PROPRIETARY:
        return None
    return license_id.lower() in _table()["non_commercial"]


def _prose_key(text: str) -> str:
    text = text.lower().replace("licence", "license")
    text = re.sub(r"\b(the|license|licensed|agreement)\b", " ", text)
    return " ".join(text.split()).strip(" .,-")


_UNDER = re.compile(
    r"\b(?:under|with)\s+(?:an?\s+permissive\s+|an?\s+|the\s+)?"
    r"(?P<name>[A-Za-z][\w.+\- ]{1,60}?)\s+(?:license|licence|terms(?:\s+of\s+use)?)\b",
    re.IGNORECASE,
)
_LICENSED = re.compile(r"\b(?P<name>Apache[- ]2\.0|MIT|CC[- ]BY(?:[- ]NC)?[- ]4\.0)[- ]licen[sc]ed\b", re.IGNORECASE)
_OPEN_WEIGHTS = re.compile(r"\bopen[- ]weights?\b|\bweights are (?:freely )?available\b", re.I)
_PROPRIETARY = re.compile(r"\bproprietary\b|\bclosed[- ]weights?\b", re.IGNORECASE)


def license_in_text(sentences: list[str]) -> tuple[str | None, str | None]:
    """(license id, sentence) for the first sentence that names a known license."""
    for sentence in sentences:
        starts = [m.start() for m in re.finditer(r"\b(?:under|with)\b", sentence, re.I)]
        matches = [*_LICENSED.finditer(sentence), *(_UNDER.match(sentence, i) for i in starts)]
        for match in filter(None, matches):
            license_id = _table()["prose"].get(_prose_key(match.group("name")))
            if license_id is None:
                license_id = _spdx_or_none(match.group("name"))
            if license_id:
                return license_id, sentence
    for sentence in sentences:
        if _PROPRIETARY.search(sentence):
            return PROPRIETARY, sentence
    return None, None


def open_weights_in_text(sentences: list[str]) -> tuple[bool | None, str | None]:
    for sentence in sentences:
        if _OPEN_WEIGHTS.search(sentence):
            return True, sentence
    return None, None


def _spdx_or_none(name: str) -> str | None:
    return _spdx_expression(re.sub(r"\s+", "-", name.strip()))


def _spdx_expression(text: str) -> str | None:
    """The normalised SPDX expression, else None (also where license-expression itself raises,
    as it does on some invalid keys: 'not a license!')."""
    try:
        result = _spdx().validate(text)
    except Exception:
        return None
    if result.errors or not result.normalized_expression:
        return None
    return result.normalized_expression
