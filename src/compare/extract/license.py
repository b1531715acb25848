"""License ids: SPDX where one exists (via license-expression), else the Hub id, else unknown.

Also reads license statements in prose ("released under the Apache 2.0 license", "open weights").
"""

from __future__ import annotations

import re
import tomllib
from functools import cache

from license_expression import get_license_index, get_spdx_licensing

from compare.config import PACKAGE_DATA

PROPRIETARY = "proprietary"


@cache
def _table() -> dict:
    return tomllib.loads((PACKAGE_DATA / "licenses.toml").read_text())


@cache
def _spdx():
    return get_spdx_licensing()


def normalize_license(raw: str | None) -> str | None:
    """'apache-2.0' -> 'Apache-2.0'; 'llama3.1' and 'other' stay; 'unknown'/'' -> None."""
    if raw is None:
        return None
    text = str(raw).strip()
    lowered = text.lower()
    if not text or lowered in ("unknown", "none", "null", "n/a"):
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


@cache
def _spdx_categories() -> dict[str, str]:
    """SPDX id (lower case) -> ScanCode's category ('Permissive', 'Copyleft', ...)."""
    return {
        entry["spdx_license_key"].lower(): entry.get("category") or ""
        for entry in get_license_index()
        if entry.get("spdx_license_key")
    }


_COMMERCIAL_CATEGORIES = {"Permissive", "Copyleft", "Copyleft Limited", "Public Domain"}


def commercial_use(license_id: str | None) -> str | None:
    """'yes' / 'no' where the license decides it, None (unknown) otherwise.

    Non-commercial and research licenses come from our table; SPDX licenses that ScanCode files
    as permissive, copyleft or public domain allow it; so do the Hub's community licenses listed
    in our table (Llama, Gemma, OpenRAIL ...), with their own use restrictions.
    """
    if license_id is None or license_id == PROPRIETARY:
        return None
    lowered = license_id.lower()
    table = _table()
    if lowered in table["non_commercial"] or re.search(r"non-?commercial|research", lowered):
        return "no"
    if lowered in table["commercial"] or _spdx_categories().get(lowered) in _COMMERCIAL_CATEGORIES:
        return "yes"
    return None


def is_non_commercial(license_id: str | None) -> bool | None:
    """True/False where the license says; None for unknown."""
    verdict = commercial_use(license_id)
    return None if verdict is None else verdict == "no"


def license_of_text(text: str) -> tuple[str | None, str | None]:
    """(license id, title line) of a license document, told by the title in its first lines."""
    head = " ".join(text[:600].split())
    lowered = head.lower()
    for phrase, license_id in _table()["texts"].items():
        at = lowered.find(phrase)
        if at >= 0:
            return license_id, head[max(0, at - 20) : at + len(phrase) + 40]
    return None, None


def _prose_key(text: str) -> str:
    text = text.lower().replace("licence", "license")
    text = re.sub(r"\b(the|license|licensed|agreement)\b", " ", text)
    return " ".join(text.split()).strip(" .,-")


_UNDER = re.compile(
    r"\b(?:under|with|governed\s+by)\s+(?:an?\s+|the\s+)?(?:(?:standard|permissive|open[- ]source|same|usual)\s+)*"
    r"(?P<name>[A-Za-z][\w.+\-\[\] ]{1,60}?)\s+(?:license|licence|terms(?:\s+of\s+use)?)\b",
    re.IGNORECASE,
)
# "sous licence Apache 2.0", "unter der Apache-2.0-Lizenz" / "unter der Lizenz MIT"
_UNDER_FR_DE = re.compile(
    r"\b(?:sous\s+(?:la\s+)?licence|unter\s+der\s+lizenz)\s+(?P<name>(?:[A-Z][\w.+\-]*)(?:[ -][\d.]+)?)"
    r"|\bunter\s+der\s+(?P<name2>[A-Za-z][\w.+\- ]{1,30}?)[- ]Lizenz\b",
    re.IGNORECASE,
)
# A feature list's label: "Permissive Apache 2.0 license: Build freely ...".
_LICENSE_LABEL = re.compile(
    r"^\W*(?:(?:permissive|open[- ]source)\s+)?(?P<name>[A-Za-z][\w.+\-]*(?:[ -][\w.+]+){0,3}?)"
    r"\s+licen[sc]e\s*[:\u2014\u2013]",
    re.IGNORECASE,
)
_LICENSED = re.compile(r"\b(?P<name>Apache[- ]2\.0|MIT|CC[- ]BY(?:[- ]NC)?[- ]4\.0)[- ]licen[sc]ed\b", re.IGNORECASE)
_OPEN_WEIGHTS = re.compile(
    r"\bopen[- ]weights?\b|\ban open (?:[\w-]+ ){0,3}models?\b"
    r"|\bweights are (?:freely )?available\b|\breleas(?:e|es|ing) the (?:model )?weights\b"
    r"|\bpoids (?:ouverts|sont disponibles)\b|\boffenen? Gewichte\b|\bGewichte sind (?:frei )?verfügbar\b",
    re.I,
)
_PROPRIETARY = re.compile(
    r"\bproprietary\b|\bclosed[- ]weights?\b|\bweights (?:are|were) not (?:released|published|available)\b"
    r"|\b(?:served|available|offered) only (?:through|via|in) (?:the|our)\b.{0,30}\bAPI\b|\bAPI[- ]only\b"
    r"|\bexklusiv (?:in|über)\b|\bexclusively (?:available )?(?:in|on|through|via)\b"
    r"|\bpropriétaire\b|\bproprietär\b|\bpoids ne sont pas publiés\b|\bGewichte (?:werden|sind) nicht\b",
    re.IGNORECASE,
)


_CODE = re.compile(r"(?i)\bcode\b")
_WEIGHTS = re.compile(r"(?i)\b(?:weights|models?)\b")


def about_code_only(sentence: str) -> bool:
    """'The code in this repo is released under Apache-2.0' is not the weights' license."""
    return bool(_CODE.search(sentence)) and not _WEIGHTS.search(sentence)


# Clauses of one sentence: "The code is under Apache-2.0, while the weights need the Model License".
_CLAUSE_BREAK = re.compile(r"(?i),?\s+(?:while|whereas|but|however)\s+|;\s*|,\s+and\s+(?=the\b)")
# What a clause's license may be about instead of the tool itself.
_OTHER_SUBJECT = re.compile(
    r"(?i)\b(?:code|codebase|repository|repo|scripts?|dataset|data|training data|inference code)\b"
)
_BASE_MODEL = re.compile(
    r"(?i)\b(?:base model|original model|parent model|upstream|fine-?tuned (?:from|on)|based on|derived from"
    r"|built (?:on|upon))\b"
)


def _about_something_else(sentence: str, at: int) -> bool:
    """Whether the clause holding position `at` gives the license of the code, the data, a base
    model or another product rather than of the tool ("The code in this repository is released
    under Apache-2.0, while the weights ...": Apache-2.0 is the code's)."""
    start = 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        if match.start() >= at:
            break
        start = match.end()
    end = next((m.start() for m in _CLAUSE_BREAK.finditer(sentence, at)), len(sentence))
    clause = sentence[start:end]
    if _BASE_MODEL.search(clause):
        return True
    return bool(_OTHER_SUBJECT.search(clause)) and not _WEIGHTS.search(clause)  # "Weights and code are ... MIT"


def license_in_text(sentences: list[str]) -> tuple[str | None, str | None]:
    """(license id, sentence) for the first sentence that names a known license of the tool (not
    one about the code, the data, a base model or another product)."""
    for sentence in sentences:
        if about_code_only(sentence):
            continue
        starts = [m.start() for m in re.finditer(r"\b(?:under|with|governed\s+by)\b", sentence, re.I)]
        matches = [*_LICENSED.finditer(sentence), *(_UNDER.match(sentence, i) for i in starts)]
        matches += [*_UNDER_FR_DE.finditer(sentence), _LICENSE_LABEL.match(sentence)]
        for match in filter(None, matches):
            if _about_something_else(sentence, match.start()):
                continue
            name = match.group("name") or match.groupdict().get("name2") or ""
            license_id = _table()["prose"].get(_prose_key(name))
            if license_id is None:
                license_id = _spdx_or_none(name)
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
