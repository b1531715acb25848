"""Categories where the taxonomy's rules are silent: the category of the nearest cards that
the rules did categorise, by embedding, stated as such in the reason with its score.

Runs after the embed stage over the vectors in SQLite. A card keeps a neighbours' category
until a rule decides its category or its neighbours change their vote.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import numpy as np

from compare.db import Store, utc_now

NEIGHBOURS = 5
MIN_COSINE = 0.25  # a neighbour further than this says nothing about the card
MIN_SHARE = 0.4  # the winning category's share of the neighbours' summed similarity
REASON_PREFIX = "nearest categorised cards"
_CHUNK = 512


def by_neighbours(card: dict[str, Any]) -> bool:
    return str(card.get("category_reason") or "").startswith(REASON_PREFIX)


def neighbour_category(similarities: np.ndarray, categories: list[str], names: list[str]) -> tuple[str, str] | None:
    """(category, reason) from one card's similarities to the categorised cards, or None when
    no category has enough of the close neighbours' vote."""
    if len(similarities) > NEIGHBOURS:  # the nearest few, without sorting every card
        nearest = np.argpartition(-similarities, NEIGHBOURS)[:NEIGHBOURS]
        top = nearest[np.argsort(-similarities[nearest])]
    else:
        top = np.argsort(-similarities)
    close = [i for i in top if similarities[i] >= MIN_COSINE]
    if not close:
        return None
    votes: dict[str, float] = defaultdict(float)
    for i in close:
        votes[categories[i]] += float(similarities[i])
    category, weight = max(votes.items(), key=lambda item: item[1])
    if weight / sum(votes.values()) < MIN_SHARE:
        return None
    voters = [i for i in close if categories[i] == category]
    mean = sum(float(similarities[i]) for i in voters) / len(voters)
    shown = ", ".join(names[i] for i in voters[:3])
    return category, f"{REASON_PREFIX} by description: {shown} ({len(voters)} of {len(close)}, cosine {mean:.2f})"


def categorise_by_neighbours(store: Store, ids: np.ndarray, matrix: np.ndarray) -> Counter:
    """Give every uncategorised card (or one categorised by neighbours before) the category its
    nearest rule-categorised cards vote for; cards no category wins stay uncategorised."""
    cards = store.category_rows()
    rows = {int(card_id): i for i, card_id in enumerate(ids) if int(card_id) in cards}
    labelled = [cid for cid in rows if cards[cid]["category"] and not by_neighbours(cards[cid])]
    todo = [cid for cid in rows if not cards[cid]["category"] or by_neighbours(cards[cid])]
    counts: Counter = Counter(uncategorised=len(todo))
    if not labelled or not todo:
        return counts
    reference = matrix[[rows[cid] for cid in labelled]]
    categories = [cards[cid]["category"] for cid in labelled]
    names = [cards[cid]["name"] for cid in labelled]
    changes = []
    for start in range(0, len(todo), _CHUNK):
        chunk = todo[start : start + _CHUNK]
        similarities = matrix[[rows[cid] for cid in chunk]] @ reference.T
        for card_id, row in zip(chunk, similarities, strict=True):
            category, reason = neighbour_category(row, categories, names) or (None, None)
            counts["categorised" if category else "left"] += 1
            card = cards[card_id]
            if category != card["category"] or reason != card["category_reason"]:
                changes.append((card_id, category, reason))
    with store.writing():
        store.set_categories(changes, "neighbours", utc_now())
    counts["changed"] = len(changes)
    counts["uncategorised"] = counts["left"]
    return counts
