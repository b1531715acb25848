"""The shapes that flow between stages: card records (with evidence) and extraction results.

A *record* is what one document says about one tool: a dict with the card keys of the contract
(DESIGN section 6) that the document supports, plus `evidence` mapping each field to the URL and
the snippet it came from. Cards are merged from records.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

CARD_FIELDS = (
    "name",
    "slug",
    "vendor",
    "kind",
    "category",
    "tagline",
    "description",
    "entry",
    "pricing_text",
    "prices",
    "license",
    "commercial_use",
    "open_weights",
    "modality",
    "task",
    "params_b",
    "hub_id",
    "family",
    "urls",
    "released",
    "links",
    "batch_discount",
    "free_tier",
    "contact_sales",
    "aliases",
    "first_seen",
    "evidence",
)

SNIPPET_CHARS = 300


# A reason that starts with this tells of a document read only in part (malformed front
# matter, listing entries skipped): the run's failures list it, so /runs shows it.
PROBLEM = "problem: "


@dataclass
class Extraction:
    """What an extractor made of one document. Failures are values, not exceptions."""

    status: str  # ok | empty | failed
    reason: str | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    # What a feed says about each of its items (launch verdict and reason), kept for editors.
    items: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def ok(
        cls, records: list[dict[str, Any]], reason: str | None = None, items: list[dict[str, Any]] | None = None
    ) -> Extraction:
        if not records:
            return cls("empty", reason or "no tool found", [], items or [])
        return cls("ok", reason, records, items or [])

    @classmethod
    def failed(cls, reason: str) -> Extraction:
        return cls("failed", reason)


class RecordBuilder:
    """Collects fields for one record, each with the snippet that supports it."""

    def __init__(self, url: str, extractor: str) -> None:
        self.url = url
        self.extractor = extractor
        self.fields: dict[str, Any] = {}
        self.evidence: dict[str, dict[str, str]] = {}
        self.extra: dict[str, Any] = {}

    def set(self, name: str, value: Any, snippet: str | None) -> None:
        """Set a field once; unknown (None or empty) values are never stored."""
        if value is None or value == "" or value == [] or name in self.fields:
            return
        self.fields[name] = value
        if snippet:
            self.evidence[name] = {
                "url": self.url,
                "snippet": clip(snippet),
                "extractor": self.extractor,
            }

    def build(self) -> dict[str, Any]:
        record = dict(self.fields)
        record["urls"] = sorted({self.url, *record.get("urls", [])})
        record["evidence"] = self.evidence
        record["source_url"] = self.url
        record["extractor"] = self.extractor
        record.update(self.extra)
        return record


def clip(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Collapse whitespace and cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


_TOKEN = re.compile(r"[a-z0-9]+(?:\.[0-9]+)*")
# Snapshot dates pin a version of the same tool: 'gpt-5-2025-08-07' is GPT-5, and
# 'claude-opus-4-20250514' is Claude Opus 4.
SNAPSHOT_DATE = re.compile(r"[-_ @]?\b20\d\d-?[01]\d-?[0-3]\d\b")


# Versions named by year and month: 'mistral-large-2411' is Mistral Large 24.11.
_YYMM = re.compile(r"^(2[3-9])(0[1-9]|1[0-2])$")
# API ids spell minor versions with a dash: 'claude-3-7-sonnet' is Claude 3.7 Sonnet.
_API_MINOR = re.compile(r"(?<=\b\d)-(?=\d\b)")


def name_tokens(name: str) -> list[str]:
    """Lower-case word and version tokens: 'GPT-4.1 mini' -> ['gpt', '4.1', 'mini']; a '+' is
    'plus' ('Command R+' is command-r-plus, not Command R)."""
    return _TOKEN.findall(name.lower().replace("+", " plus "))


def name_key(name: str, vendor: str | None = None) -> str:
    """An order-free key so 'Claude 4 Opus', 'Claude Opus 4' and 'claude-opus-4' agree.

    The vendor's own name and its line words are dropped ('OpenAI o4-mini' == 'o4-mini';
    'Opus 4.1' by Anthropic == 'Claude Opus 4.1').
    """
    words = vendor_words(vendor)
    tokens = [t for t in version_tokens(name) if t not in words] or list(version_tokens(name))
    if len(tokens) > 1 and tokens[-1] == "api":  # "Sonar Pro API" is the Sonar Pro model, sold by API
        tokens = tokens[:-1]
    return " ".join(sorted(tokens))


@functools.lru_cache(maxsize=2**17)
def version_tokens(name: str) -> tuple[str, ...]:
    """The name's tokens without snapshot dates, with minor versions and year-month versions
    written with a dot (cached: name keys are compared for every candidate pair)."""
    return tuple(_YYMM.sub(r"\1.\2", t) for t in name_tokens(_API_MINOR.sub(".", SNAPSHOT_DATE.sub(" ", name))))


@functools.lru_cache(maxsize=4096)
def vendor_words(vendor: str | None) -> frozenset[str]:
    """The vendor's own name words and its line words, which names are compared without."""
    from compare.extract.vocab import line_words  # data lookup; imported late (extract imports this module)

    return frozenset(name_tokens(vendor or "")) | line_words(vendor)


# Words of many vendors' names, which tell no maker apart.
GENERIC_VENDOR_WORDS = frozenset({"ai", "labs", "lab", "cloud", "inc", "research", "technologies", "face", "the"})


def same_maker(query: dict[str, Any], other: dict[str, Any]) -> bool:
    """`other` comes from `query`'s maker: the same vendor, or a host's resale that names the
    maker or its model line ("Anthropic's Claude 3.7 Sonnet" on Vertex AI)."""
    vendor = query.get("vendor")
    if not vendor:
        return False
    maker_words = vendor_words(vendor) - GENERIC_VENDOR_WORDS  # "Mistral AI" is not every "... AI" product's maker
    return vendor == other.get("vendor") or bool(maker_words & set(name_tokens(other["name"])))


def resale_of(query: dict[str, Any], other: dict[str, Any]) -> bool:
    """`other` is `query` sold by another vendor (Azure's "o3-mini" is OpenAI's o3-mini): the
    same name once the maker's words are left out."""
    vendor = query.get("vendor")
    if vendor == other.get("vendor") or "product" in (query.get("kind"), other.get("kind")):
        return False  # plans of two products ("Claude Enterprise", "Enterprise") are no resales
    ignored = vendor_words(vendor) | {"api"}  # first a quick test on word sets, which most pairs fail
    if set(version_tokens(other["name"])) - ignored != set(version_tokens(query["name"])) - ignored:
        return False
    return name_key(other["name"], vendor) == name_key(query["name"], vendor)


def slugify(text: str) -> str:
    return "-".join(_TOKEN.findall(text.lower().replace(".", "-"))) or "tool"
