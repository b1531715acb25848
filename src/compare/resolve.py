"""Cards from records: which records are about one tool, and what the card says.

Records join when they share a Hub id, or a vendor and an order-free name key ('Claude 4 Opus' ==
'Claude Opus 4') of a name or an alias (an API id a model table gives), or when a feed item
points at an article, or a launch post links to the Hub model it announces. Two different Hub
models never join. Each card field comes from the best source that states it (source priority
below) and keeps that source's evidence.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from compare.extract.pricing import pricing_line
from compare.extract.text import first_sentences
from compare.extract.vocab import category_for
from compare.records import name_key, slugify

# Which kind of source is trusted first, per field.
HUB_FIRST = ("hub_api", "hub_readme", "launch", "pricing_row", "feed_item")
PRIORITY: dict[str, tuple[str, ...]] = {
    "name": HUB_FIRST,
    "vendor": ("hub_api", "launch", "pricing_row", "feed_item", "hub_readme"),
    "kind": HUB_FIRST,
    "description": ("hub_readme", "launch", "feed_item"),
    "tagline": ("launch", "feed_item"),
    "prices": ("pricing_row", "launch"),
    "entry": ("launch", "pricing_row", "hub_api", "hub_readme"),
    "license": ("hub_api", "hub_readme", "hub_license", "launch"),
    "commercial_use": ("hub_api", "hub_readme", "hub_license", "launch"),
    "open_weights": ("hub_api", "hub_readme", "launch"),
    "modality": ("hub_api", "hub_readme", "launch"),
    "task": ("hub_api", "hub_readme"),
    "params_b": ("hub_api", "hub_readme", "launch"),
    "hub_id": ("hub_api", "hub_readme"),
    "released": ("launch",),
    "links": ("launch",),
    "batch_discount": ("pricing_row", "launch"),
    "free_tier": ("pricing_row", "launch"),
    "contact_sales": ("pricing_row", "launch"),
}


def source_kind(record: dict[str, Any]) -> str:
    return record.get("page_kind") or record.get("extractor") or "launch"


@dataclass
class Entity:
    """The records about one tool."""

    records: list[dict[str, Any]] = field(default_factory=list)


class _Groups:
    """Union-find over record indices that refuses to join two different Hub models."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.parent = list(range(len(records)))
        self.hub = [{r["hub_id"].lower()} if r.get("hub_id") else set() for r in records]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a == b or (self.hub[a] and self.hub[b] and self.hub[a] != self.hub[b]):
            return
        self.parent[b] = a
        self.hub[a] |= self.hub[b]


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def group_records(records: list[dict[str, Any]]) -> list[Entity]:
    groups = _Groups(records)
    first_by_key: dict[str, int] = {}
    by_source: dict[str, int] = {}
    hub_index: dict[str, int] = {}
    for i, record in enumerate(records):
        if source_kind(record) == "launch":
            by_source.setdefault(record["source_url"], i)
        if record.get("hub_id"):
            hub_index.setdefault(record["hub_id"].lower(), i)
    for i, record in enumerate(records):
        keys = []
        if record.get("hub_id"):
            keys.append("hub:" + record["hub_id"].lower())
        for name in [record.get("name"), *record.get("aliases", [])]:
            if name:  # a name or an API id the page gives the tool
                keys.append(f"name:{(record.get('vendor') or '').lower()}:{name_key(name, record.get('vendor'))}")
        for key in keys:
            if key in first_by_key:
                groups.union(first_by_key[key], i)
            else:
                first_by_key[key] = i
        if record.get("item_url") in by_source:
            groups.union(by_source[record["item_url"]], i)
        linked = _announced_hub_model(record, hub_index)
        if linked is not None:
            groups.union(hub_index[linked], i)
    entities: dict[int, Entity] = {}
    for i, record in enumerate(records):
        entities.setdefault(groups.find(i), Entity()).records.append(record)
    return list(entities.values())


def _announced_hub_model(record: dict[str, Any], hub_index: dict[str, int]) -> str | None:
    """The Hub model a launch post is about: the first linked one whose name starts with the
    post's tool name, else the only Hub model it links; None when we have no page for it."""
    links = [h.lower() for h in record.get("hub_links") or []]
    if not links or not record.get("name"):
        return None
    wanted = _compact(record["name"])
    named = [hub_id for hub_id in links if _compact(hub_id.split("/", 1)[-1]).startswith(wanted)]
    chosen = named[0] if named else (links[0] if len(set(links)) == 1 else None)
    return chosen if chosen in hub_index else None


def _pick(records: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    """The record that states `name`, by the field's source priority."""
    order = PRIORITY.get(name, HUB_FIRST)
    candidates = [r for r in records if r.get(name) not in (None, "", [])]
    candidates.sort(key=lambda r: order.index(source_kind(r)) if source_kind(r) in order else len(order))
    if name == "license":  # a named license (e.g. from the LICENSE file) beats a bare "other"
        candidates.sort(key=lambda r: r[name] == "other")
    return candidates[0] if candidates else None


def merge(entity: Entity) -> dict[str, Any]:
    """One card record from an entity's records, every field with its source's evidence."""
    card: dict[str, Any] = {"evidence": {}}
    for name in PRIORITY:
        chosen = _pick(entity.records, name)
        if chosen is None:
            continue
        card[name] = chosen[name]
        if name in chosen.get("evidence", {}):
            card["evidence"][name] = chosen["evidence"][name]
    names = {n for r in entity.records for n in [r.get("name"), *r.get("aliases", [])] if n}
    card["aliases"] = sorted(names - {card.get("name")})
    card["urls"] = sorted({u for r in entity.records for u in r.get("urls", [])})
    card["sources"] = sorted({r["source_url"] for r in entity.records})
    popular = [r["popularity"] for r in entity.records if r.get("popularity")]
    card["popularity"] = popular[0]["downloads"] + 100 * popular[0]["likes"] if popular else None
    plan = next((r for r in entity.records if r.get("plan") and r.get("product")), None)
    if plan:  # a plan's family is the product it is a plan of: "Claude Pro" -> Claude
        card["product"] = plan["product"]
    base = next((r for r in entity.records if r.get("base_model")), None)
    if base:
        card["base_model"] = base["base_model"]
        card["base_model_relation"] = base["base_model_relation"]
        if "family" in base.get("evidence", {}):
            card["evidence"]["family"] = base["evidence"]["family"]
    if not card.get("tagline") and card.get("description"):
        card["tagline"] = first_sentences(card["description"], max_sentences=1, max_chars=200)
        if "description" in card["evidence"]:
            card["evidence"]["tagline"] = card["evidence"]["description"]
    card["pricing_text"] = pricing_line(card)
    if card["pricing_text"]:
        source = card["evidence"].get("prices") or card["evidence"].get("entry") or card["evidence"].get("license")
        if source:
            card["evidence"]["pricing_text"] = source
    card["category"], card["category_reason"] = category_for(card)
    return card


def entity_key(entity: Entity) -> str | None:
    """The card's key from the Hub id, name and vendor its card will show (picked as `merge`
    picks them): 'hub:<id>', else 'name:<vendor>:<order-free name>'; None without a name."""
    hub = _pick(entity.records, "hub_id")
    if hub:
        return "hub:" + hub["hub_id"].lower()
    named = _pick(entity.records, "name")
    if named is None:
        return None
    vendor = (_pick(entity.records, "vendor") or {}).get("vendor")
    return f"name:{(vendor or '').lower()}:{name_key(named['name'], vendor)}"


def assign_families(cards: list[dict[str, Any]]) -> None:
    """Family = the root of the base_model chain among known Hub models (else the model itself;
    a point release joins its major version's family: Claude Opus 4.1 is of Claude Opus 4's);
    a card with another card as its family root is a variant."""
    by_hub = {c["hub_id"].lower(): c for c in cards if c.get("hub_id")}
    for card in cards:
        if not card.get("hub_id"):
            card["family"] = slugify(card.get("product") or card["name"])
            card["is_variant"] = False
            continue
        current, seen = card, set()
        while current.get("base_model") and current["base_model"].lower() in by_hub:
            if current["hub_id"].lower() in seen:
                break
            seen.add(current["hub_id"].lower())
            current = by_hub[current["base_model"].lower()]
        # A base we have no card for still names the family, so its fine-tunes stay together.
        card["family"] = current.get("base_model") or current["hub_id"]
        card["is_variant"] = current is not card
        if card.get("base_model_relation") == "quantized" and card["base_model"].lower() in by_hub:
            # Packed weights under-count parameters: a quantized copy is as big as its base.
            base = by_hub[card["base_model"].lower()]
            if base.get("params_b"):
                card["params_b"] = base["params_b"]
                card["evidence"]["params_b"] = {
                    **base["evidence"].get("params_b", {}),
                    "via": "base_model",
                }
    _join_point_releases(cards)


_POINT_RELEASE = re.compile(r"(?<![\d.])(\d+)\.\d+(?![\d.])")


def _join_point_releases(cards: list[dict[str, Any]]) -> None:
    """A tool named as a point release of another card of its vendor ("Claude Opus 4.1" beside
    "Claude Opus 4") shares that card's family: editors set other makers against it, not the
    version before."""
    majors = {((c.get("vendor") or "").lower(), c["name"].lower()): c["family"] for c in cards if not c.get("hub_id")}
    for card in cards:
        major = _POINT_RELEASE.sub(r"\1", card["name"]).lower()
        if card.get("hub_id") or major == card["name"].lower():
            continue
        family = majors.get(((card.get("vendor") or "").lower(), major))
        if family:
            card["family"] = family


_VARIANT_WORD = re.compile(
    r"^(?:\d+(?:\.\d+)?[bmk]|\d+b\d+|\d{3,}|a\d+b|instruct|chat|it|base|pt|hf|preview|gguf|awq|gptq|bnb|\d+bit|mlx"
    r"|video|fp8|int4|int8|q\d\w*|x*l|large|small|tiny|mt|p3)$"
)
_SIZED = re.compile(r"(?i)(?:^|[-_/])\d+(?:\.\d+)?[bm](?:$|[-_])")
_VERSION_WORD = re.compile(r"^v?\d+(?:\.\d+)*[a-z]?$")


def _name_words(name: str) -> list[str]:
    """A model name's words without size, variant and packaging words."""
    return [w for w in re.findall(r"[a-z0-9]+(?:\.[0-9]+)?[a-z]*", name.lower()) if not _VARIANT_WORD.match(w)]


def name_stem(name: str, vendor: str | None = None) -> str:
    """A model line without size, packaging or vendor words: 'Qwen2.5-VL-72B-Instruct' ->
    'qwen2.5 vl'; 'Meta-Llama-3.1-8B' by Meta -> 'llama 3.1'."""
    vendor_words = set(re.findall(r"[a-z0-9]+", (vendor or "").lower()))
    words = _name_words(name)
    named = [w for w in words if w not in vendor_words]
    return " ".join(named if named else words)  # 'Qwen-72B' by Qwen is the line 'qwen'


def line_words(name: str) -> list[str]:
    """A model name's words without sizes, variants or versions, digits cut from word ends:
    'Taiyi-Stable-Diffusion-1B-Chinese-v0.1' -> ['taiyi', 'stable', 'diffusion', 'chinese']."""
    return [stem for w in _name_words(name) if not _VERSION_WORD.match(w) and (stem := re.sub(r"[\d.]+$", "", w))]


def model_series(name: str, vendor: str | None = None) -> str:
    """A model line without its sizes, variants or versions: 'Llama-3.2-1B', 'Meta-Llama-3.1-70B'
    and 'Llama2-Chinese-13b-Chat' are all 'llama'; 'bloomz-7b1-mt' is 'bloomz'; 'qwen-1_8b-chat'
    by Qwen is 'qwen'."""
    vendor_words = set(re.findall(r"[a-z0-9]+", (vendor or "").lower()))
    words = [w for w in _name_words(name) if not _VERSION_WORD.match(w)]
    named = [w for w in words if w not in vendor_words] or words
    return re.sub(r"[\d.]+$", "", named[0]) if named else ""


def named_after(name: str, other: str) -> bool:
    """`name` is named after `other`'s line with words of its own, as derivatives are named
    ('Taiyi-Stable-Diffusion-1B-Chinese' after 'stable-diffusion-v1-4', 'Llama2-Chinese-13b-Chat'
    after 'Llama-2-13b-chat')."""
    mine, theirs = line_words(name), line_words(other)
    if not theirs or len(mine) <= len(theirs) or len("".join(theirs)) < 5:
        return False
    return any(mine[i : i + len(theirs)] == theirs for i in range(len(mine) - len(theirs) + 1))


def _merge_model_lines(cards: list[dict[str, Any]]) -> None:
    """Sizes of one model line by one vendor (SmolVLM2 2.2B and 500M) share a family: editors
    compare across lines, not within one. Families are joined as wholes, so a third party's
    GGUF of one size follows it into the line's family."""
    joined: dict[str, str] = {}

    def root(family: str) -> str:
        while joined.get(family, family) != family:
            family = joined[family]
        return family

    lines: dict[tuple[str, str], str] = {}
    for card in sorted((c for c in cards if c.get("hub_id")), key=lambda c: c["family"]):
        line = ((card.get("vendor") or "").lower(), name_stem(card["name"], card.get("vendor")))
        if line[1]:
            first, this = root(lines.setdefault(line, card["family"])), root(card["family"])
            if first != this:  # the line is named by its unsized root: SmolVLM-Instruct, not SmolVLM-500M-Instruct
                keep, drop = sorted((first, this), key=lambda family: (_SIZED.search(family) is not None, family))
                joined[drop] = keep
    for card in cards:
        card["family"] = root(card["family"])


def entities(records: list[dict[str, Any]], decisions: list[dict[str, Any]] = ()) -> dict[str, Entity]:
    """Card key -> the records about that tool, editors' decisions applied."""
    keyed: Keyed = {}
    for entity in group_records(records):
        key = entity_key(entity)
        if key and _is_tool(entity):
            keyed.setdefault(key, []).append(entity)
    keyed = _apply_splits(_apply_merges(keyed, decisions), decisions)
    return {key: Entity([r for e in group for r in e.records]) for key, group in keyed.items()}


def resolve(records: list[dict[str, Any]], decisions: list[dict[str, Any]] = ()) -> list[tuple[str, dict[str, Any]]]:
    """(entity key, card) for every tool the records describe, editors' decisions applied."""
    cards_by_key = {key: merge(entity) for key, entity in entities(records, decisions).items()}
    cards = list(cards_by_key.values())
    assign_families(cards)
    _merge_model_lines(cards)
    _plans_share_category(cards)
    for card in cards:
        card["slug"] = slugify(card["name"])
    return sorted(cards_by_key.items(), key=lambda kc: kc[0])


def _plans_share_category(cards: list[dict[str, Any]]) -> None:
    """The plans of one product ("Claude Free", "Claude Pro", ...) are one kind of tool: each
    takes the category most of them got from their own text."""
    plans: dict[str, list[dict[str, Any]]] = {}
    for card in cards:
        if card.get("product"):
            plans.setdefault(card["family"], []).append(card)
    for family in plans.values():
        votes = Counter(card["category"] for card in family if card.get("category"))
        if not votes:
            continue
        category, count = votes.most_common(1)[0]
        voters = ", ".join(c["name"] for c in family if c.get("category") == category)
        for card in family:
            if card.get("category") != category:
                card["category"] = category
                card["category_reason"] = f"a plan of {card['product']}, like {voters} ({count} of {len(family)})"


Keyed = dict[str, list[Entity]]


def merged_away(decisions: list[dict[str, Any]]) -> dict[str, str]:
    """Card key -> the key an editor merged it into (followed to the end of a chain)."""
    into = {d["other"]: d["key"] for d in decisions if d["kind"] == "merge"}
    final = {}
    for key in into:
        target, seen = into[key], {key}
        while target in into and target not in seen:
            seen.add(target)
            target = into[target]
        final[key] = target
    return final


def _apply_merges(keyed: Keyed, decisions: list[dict[str, Any]]) -> Keyed:
    """An editor's "B is A": B's records join A's card, which keeps A's key (and so its id)."""
    joined: Keyed = {}
    into = merged_away(decisions)
    for key, entities in keyed.items():
        joined.setdefault(into.get(key, key), []).extend(entities)
    return joined


def _apply_splits(keyed: Keyed, decisions: list[dict[str, Any]]) -> Keyed:
    """An editor's "page U is not card A": U's records leave A's card and make their own, keyed
    by A's key and U so the split is stable."""
    for decision in decisions:
        if decision["kind"] != "split" or decision["key"] not in keyed:
            continue
        records = [r for e in keyed[decision["key"]] for r in e.records]
        leaving = [r for r in records if r["source_url"] == decision["url"]]
        staying = [r for r in records if r["source_url"] != decision["url"]]
        if staying and _is_tool(Entity(leaving)):
            keyed[decision["key"]] = [Entity(staying)]
            keyed[f"{decision['key']}|split:{decision['url']}"] = [Entity(leaving)]
    return keyed


def _is_tool(entity: Entity) -> bool:
    """Feed items alone are leads, not cards: a card needs a page about the tool."""
    return any(source_kind(r) != "feed_item" for r in entity.records)


def card_hash(card: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(card, sort_keys=True, default=str).encode()).hexdigest()
