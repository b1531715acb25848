"""Head-to-head pairings worth an article, with their reasons as data and as a sentence.

Candidates are each card's nearest neighbours. The score adds
  same job:      0.5 x cosine similarity, +0.10 same category, +0.05 same modality
  contrast:      +0.10 open vs closed weights, +0.05 free vs paid entry, +0.05 different vendors,
                 +0.05 small (<10B) vs large or frontier
  freshness:     +0.05 when either tool was released in the last FRESH_DAYS days
  completeness:  +0.05 when both cards have a price line and a license with evidence
  popularity:    up to +0.05 for Hub downloads/likes
and never pairs a tool with itself, two members of one family, two Hub models of one maker
(sizes, lines and fine-tunes of one lab: an editor asks for those), two tools whose tasks or
modalities do different jobs, a model with the line its description says it was built on
("the fine-tuned Stable Diffusion model" against stable-diffusion-2-1), an add-on (adapter,
LoRA) with anything, a variant, a host's resale with the tool it resells (Azure's "GPT-5" and
OpenAI's), or a pair an editor already decided (accepted, rejected, published). A tool appears
in at most N suggestions, and two lines meet once (bloomz-3b vs mt0-xxl stands for every size
of both).
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import cache
from typing import Any

import numpy as np

from compare.extract.vocab import is_add_on, job_of_task, task_from_name
from compare.records import resale_of
from compare.resolve import line_words, model_series, named_after

SMALL_B = 10.0
FRESH_DAYS = 60


@cache
def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _fresh(card: dict[str, Any], today: date) -> bool:
    released = _day(card.get("released") or "")
    return released is not None and (today - released).days <= FRESH_DAYS


def _open(card: dict[str, Any]) -> bool | None:
    return card.get("open_weights")


def _size_class(card: dict[str, Any]) -> str | None:
    if card.get("params_b"):
        return "small" if card["params_b"] < SMALL_B else "large"
    if card.get("open_weights") is False and card.get("kind") in ("api", "model"):
        return "large"  # closed frontier APIs
    return None


def _complete(card: dict[str, Any]) -> bool:
    evidence = card.get("evidence") or {}
    return bool(card.get("pricing_text") and card.get("license") and "license" in evidence)


def pair_reasons(a: dict[str, Any], b: dict[str, Any], similarity: float, today: date | None = None) -> dict[str, Any]:
    reasons: dict[str, Any] = {"similarity": round(similarity, 3)}
    today = today or date.today()
    fresh = [card["name"] for card in (a, b) if _fresh(card, today)]
    if fresh:
        reasons["fresh"] = fresh
    if a.get("category") and a.get("category") == b.get("category"):
        reasons["same_category"] = a["category"]
    if a.get("modality") and a.get("modality") == b.get("modality"):
        reasons["same_modality"] = a["modality"]
    if _open(a) is not None and _open(b) is not None and _open(a) != _open(b):
        reasons["open_vs_closed"] = True
    if a.get("entry") and b.get("entry") and (a["entry"] == "free") != (b["entry"] == "free"):
        reasons["free_vs_paid"] = True
    if a.get("vendor") and b.get("vendor") and a["vendor"] != b["vendor"]:
        reasons["different_vendors"] = True
    sizes = {_size_class(a), _size_class(b)}
    if sizes == {"small", "large"}:
        reasons["small_vs_large"] = True
    if _complete(a) and _complete(b):
        reasons["complete_data"] = True
    return reasons


def pair_score(reasons: dict[str, Any], a: dict[str, Any], b: dict[str, Any]) -> float:
    score = 0.5 * reasons["similarity"]
    score += 0.10 * ("same_category" in reasons) + 0.05 * ("same_modality" in reasons)
    score += 0.10 * ("open_vs_closed" in reasons) + 0.05 * ("free_vs_paid" in reasons)
    score += 0.05 * ("different_vendors" in reasons) + 0.05 * ("small_vs_large" in reasons)
    score += 0.05 * ("complete_data" in reasons) + 0.05 * ("fresh" in reasons)
    popularity = sum(math.log10(1 + (c.get("popularity") or 0)) for c in (a, b))
    score += min(popularity / 14.0, 1.0) * 0.05
    return round(score, 4)


def why(a: dict[str, Any], b: dict[str, Any], reasons: dict[str, Any]) -> str:
    """One sentence an editor can read: what they share, then what sets them apart."""
    job = reasons.get("same_category") or reasons.get("same_modality") or "similar work"
    contrasts = []
    if reasons.get("open_vs_closed"):
        open_card = a if a.get("open_weights") else b
        contrasts.append(f"{open_card['name']} has open weights and the other does not")
    if reasons.get("free_vs_paid"):
        contrasts.append("one is free and the other paid")
    if reasons.get("small_vs_large"):
        contrasts.append("a small model against a large one")
    if reasons.get("different_vendors") and not contrasts:
        contrasts.append(f"{a.get('vendor')} against {b.get('vendor')}")
    if reasons.get("fresh"):
        contrasts.append(f"{' and '.join(reasons['fresh'])} {'is' if len(reasons['fresh']) == 1 else 'are'} new")
    tail = f": {'; '.join(contrasts)}" if contrasts else ""
    return f"{a['name']} and {b['name']} both target {job.lower()}{tail}."


def reasons_in_words(reasons: dict[str, Any]) -> list[str]:
    """Why a pair was suggested, one phrase per reason, in an editor's words (the numbers stay in
    the API and `--json`)."""
    similarity = reasons.get("similarity") or 0.0
    words = ["very similar descriptions" if similarity >= 0.7 else "similar descriptions"]
    if reasons.get("same_category"):
        words.append(f"both in {reasons['same_category']}")
    if reasons.get("same_modality"):
        words.append(f"both work with {reasons['same_modality'].replace('-', ' ')}")
    phrases = {
        "open_vs_closed": "one has open weights, the other does not",
        "free_vs_paid": "one is free, the other paid",
        "different_vendors": "made by different vendors",
        "small_vs_large": "a small model against a large one",
        "complete_data": "both cards have prices and a license with evidence",
    }
    words += [phrase for reason, phrase in phrases.items() if reasons.get(reason)]
    if reasons.get("fresh"):
        words.append(f"{' and '.join(reasons['fresh'])} {'is' if len(reasons['fresh']) == 1 else 'are'} new")
    return words


def one_hub_maker(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two Hub models of one maker or one series (sizes, versions, sibling lines and re-uploads:
    Llama-3.2-1B and Meta-Llama-3.1-70B, bloomz and mt0-small), or one named after the other's
    line: no editor writes that article unless asked, so they are never suggested."""
    if not (a.get("hub_id") and b.get("hub_id")):
        return False
    if a.get("vendor") and a.get("vendor") == b.get("vendor"):
        return True
    if named_after(a["name"], b["name"]) or named_after(b["name"], a["name"]):
        return True  # a derivative named after the other's line (Taiyi-Stable-Diffusion, Llama2-Chinese)
    series = model_series(a["name"], a.get("vendor"))
    return bool(series) and series == model_series(b["name"], b.get("vendor"))


_BUILT_ON = r"(?:fine-?tuned|fine-?tune of|based on|built on|derived from|trained from|initiali[sz]ed from)"


@cache
def _built_on_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    line = r"[\W_]*".join(re.escape(w) for w in words)
    return re.compile(rf"(?i)\b{_BUILT_ON}\W+(?:[\w-]+\W+){{0,4}}?{line}")


def built_on(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """`a`'s description says it was built on `b`'s line ("the fine-tuned Stable Diffusion
    model", "based on Stable Diffusion"): a model against its own base is no article."""
    words = tuple(line_words(b["name"]))
    if not words or len("".join(words)) < 4:
        return False
    return bool(_built_on_pattern(words).search(a.get("description") or ""))


def line_of(card: dict[str, Any]) -> str:
    """The product line an article is about: a Hub model's series (every size of bloomz is one
    bloomz article), else the card's family."""
    series = model_series(card["name"], card.get("vendor")) if card.get("hub_id") else None
    return f"series:{series}" if series else f"family:{card['family']}"


def _job(card: dict[str, Any]) -> str | None:
    """The job of a card's Hub task, else of the task a Hub model's name says ("-Chat", "llava")."""
    task = card.get("task") or (task_from_name(card["name"]) if card.get("hub_id") else None)
    return job_of_task(task)


def same_job(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """False where both cards' Hub tasks (stated, or said by a Hub model's name) do different
    jobs (a sentiment classifier against a text generator, a chat model against "llava-7b"), or
    where two Hub models work in different modalities; unknowns do not keep a pair apart."""
    jobs = {_job(a), _job(b)}
    if None not in jobs and len(jobs) > 1:
        return False
    if not (a.get("hub_id") and b.get("hub_id")):
        return True
    modalities = {a.get("modality"), b.get("modality")}
    return None in modalities or "multimodal" in modalities or len(modalities) == 1


def suggest(
    cards: dict[int, dict[str, Any]],
    neighbours: dict[int, list[tuple[int, float]]],
    decided: set[tuple[int, int]],
    max_per_card: int,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Ranked pairs from the neighbour lists (card id -> [(id, cosine)])."""
    today = date.today()
    candidates: dict[tuple[int, int], dict[str, Any]] = {}
    for card_id, hits in neighbours.items():
        a = cards.get(card_id)
        if a is None or a.get("is_variant") or is_add_on(a["name"]):
            continue
        for other_id, similarity in hits:
            b = cards.get(other_id)
            key = (min(card_id, other_id), max(card_id, other_id))
            if b is None or other_id == card_id or b.get("is_variant") or key in decided:
                continue
            if a["family"] == b["family"] or key in candidates or resale_of(a, b) or resale_of(b, a):
                continue
            if is_add_on(b["name"]) or one_hub_maker(a, b) or not same_job(a, b):
                continue
            if built_on(a, b) or built_on(b, a):
                continue
            first, second = (a, b) if key[0] == card_id else (b, a)
            reasons = pair_reasons(first, second, similarity, today)
            score = pair_score(reasons, first, second)
            candidates[key] = {"a": key[0], "b": key[1], "score": score, "reasons": reasons}
    chosen, uses, articles = [], {}, set()
    for pair in sorted(candidates.values(), key=lambda p: (-p["score"], p["a"], p["b"])):
        if uses.get(pair["a"], 0) >= max_per_card or uses.get(pair["b"], 0) >= max_per_card:
            continue
        article = frozenset((line_of(cards[pair["a"]]), line_of(cards[pair["b"]])))
        if article in articles:
            continue
        articles.add(article)
        chosen.append({**pair, "why": why(cards[pair["a"]], cards[pair["b"]], pair["reasons"])})
        uses[pair["a"]] = uses.get(pair["a"], 0) + 1
        uses[pair["b"]] = uses.get(pair["b"], 0) + 1
        if limit and len(chosen) >= limit:
            break
    return chosen


def neighbour_lists(ids: np.ndarray, scores: np.ndarray, hits: np.ndarray) -> dict[int, list[tuple[int, float]]]:
    return {
        int(card_id): [(int(h), float(s)) for h, s in zip(row_hits, row_scores, strict=True) if h >= 0]
        for card_id, row_hits, row_scores in zip(ids, hits, scores, strict=True)
    }
