"""One pairing as the site's comparison page lays it out ("A vs B": two panels, the Decision
table, rivals named, why it was suggested), and its export for the site's editors (Markdown or
JSON). Every fact in the Decision table carries the URL and snippet it came from; an unknown
fact says "unknown", never a guess."""

from __future__ import annotations

from typing import Any

from compare.pairing import reasons_in_words

# (row label, card field): the site's Decision table, in its order.
DECISION_ROWS = (
    ("Pricing", "pricing_text"),
    ("Best for", "task"),
    ("Category", "category"),
    ("Entry", "entry"),
    ("License", "license"),
    ("Open weights", "open_weights"),
    ("Size", "params_b"),
    ("Released", "released"),
)
RIVALS = 3


def fact(card: dict[str, Any], field: str) -> dict[str, Any]:
    """{text, url, snippet} of one Decision row for one card: the value in words and its evidence."""
    value = card.get(field)
    if field == "task" and not value:  # a tool with no Hub task is best for what its modality says
        field, value = "modality", card.get("modality")
    evidence = (card.get("evidence") or {}).get(field) or {}
    return {"text": words(field, value), "url": evidence.get("url"), "snippet": evidence.get("snippet")}


def words(field: str, value: Any) -> str:
    """A card field's value as a page says it: "Yes" not True, "7.6B parameters" not 7.6."""
    if value is None or value == "":
        return "price unknown" if field == "pricing_text" else "unknown"
    if field == "open_weights":
        return "Yes" if value else "No"
    if field == "params_b":
        return f"{value:g}B parameters"
    if field in ("task", "modality"):
        return str(value).replace("-", " ").capitalize()
    if field == "entry":
        return str(value).capitalize()
    return str(value)


def build(
    a: dict[str, Any], b: dict[str, Any], pair: dict[str, Any] | None, rivals: dict[int, list[dict[str, Any]]]
) -> dict[str, Any]:
    """The comparison of two cards (as `service.card_details` gives them), with the pair's row
    (None when the pair was never suggested nor decided) and each card's closest rivals."""
    return {
        "title": f"{a['name']} vs {b['name']}",
        "a": a,
        "b": b,
        "rows": [{"label": label, "a": fact(a, field), "b": fact(b, field)} for label, field in DECISION_ROWS],
        "rivals": {"a": rivals.get(a["id"], []), "b": rivals.get(b["id"], [])},
        "status": pair["status"] if pair else None,
        "why": pair["why"] if pair else None,
        "reasons": reasons_in_words(pair["reasons"]) if pair and pair.get("reasons") else [],
    }


def as_json(comparison: dict[str, Any]) -> dict[str, Any]:
    """The export's data: names, panels, Decision rows with evidence, rivals and reasons."""
    panel = ("name", "slug", "vendor", "category", "tagline", "description", "entry", "pricing_text", "license")
    return {
        "title": comparison["title"],
        "a": {k: comparison["a"].get(k) for k in panel},
        "b": {k: comparison["b"].get(k) for k in panel},
        "decision": comparison["rows"],
        "rivals": {side: [r["name"] for r in comparison["rivals"][side]] for side in ("a", "b")},
        "status": comparison["status"],
        "why": comparison["why"],
        "reasons": comparison["reasons"],
    }


def as_markdown(comparison: dict[str, Any]) -> str:
    """A draft of the site's page in Markdown: title, two panels, Decision table with sources."""
    a, b = comparison["a"], comparison["b"]
    lines = [f"# {comparison['title']}", ""]
    for card in (a, b):
        lines += [
            f"## {card['name']}",
            "",
            f"*{card.get('category') or 'Category unknown'}* · {card.get('vendor') or 'vendor unknown'}",
            "",
            *([f"> {card['tagline']}", ""] if card.get("tagline") else []),
            card.get("description") or "No description yet.",
            "",
            f"**{words('entry', card.get('entry'))}** · {card.get('pricing_text') or 'price unknown'}",
            "",
        ]
    lines += ["## Decision", "", f"| | {_cell(a['name'])} | {_cell(b['name'])} |", "|---|---|---|"]
    notes: list[str] = []
    for row in comparison["rows"]:
        cells = [_cited(row[side], notes) for side in ("a", "b")]
        lines.append(f"| {row['label']} | {cells[0]} | {cells[1]} |")
    rivals = comparison["rivals"]
    if rivals["a"] or rivals["b"]:
        lines += ["", "## Rivals named", ""]
        lines += [f"- {card['name']}: {', '.join(r['name'] for r in rivals[side]) or 'none found'}"
                  for side, card in (("a", a), ("b", b))]  # fmt: skip
    if comparison["reasons"]:
        lines += ["", "## Why this pairing", "", *(f"- {reason}" for reason in comparison["reasons"])]
    if notes:
        lines += ["", "## Sources", "", *(f"{n}. {url}" for n, url in enumerate(notes, 1))]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _cited(fact_: dict[str, Any], notes: list[str]) -> str:
    """The fact's words with a numbered source, one number per URL."""
    if not fact_["url"]:
        return _cell(fact_["text"])
    if fact_["url"] not in notes:
        notes.append(fact_["url"])
    return f"{_cell(fact_['text'])} [{notes.index(fact_['url']) + 1}]"
