"""Pictures for the pages, drawn on the server as SVG (no script, so the Content-Security-Policy
stays as it is): a card's prices over time, two tools' prices side by side, new cards per day.
Every label is escaped here; the pages insert the markup as it is."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from html import escape
from typing import Any

WIDTH, HEIGHT, PAD = 560, 180, 36
COLOURS = ("#1f5fbf", "#c2571a", "#3b8b4f", "#8a4fb5", "#9b2f28", "#5d6575")


def _svg(body: list[str], label: str, height: int = HEIGHT) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>{"".join(body)}</svg>'
    )


def _money(amount: float, currency: str) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")
    return f"{symbol}{amount:g}" if symbol else f"{amount:g} {currency}"


def _series_name(price: dict[str, Any]) -> str:
    tier = f" ({price['tier']})" if price.get("tier") else ""
    return f"{price['item']}{tier} per {price['unit']}"


def price_history(snapshots: list[dict[str, Any]]) -> str | None:
    """Step lines of each price (item, tier, unit) over the times it was observed; None until
    some price has changed (a flat line says nothing the table does not)."""
    series: dict[tuple, list[tuple[str, float, str]]] = {}
    for snapshot in sorted(snapshots, key=lambda s: s["observed_at"]):
        for price in snapshot["prices"]:
            key = (price["item"], price.get("tier"), price["unit"], price["currency"])
            series.setdefault(key, []).append((snapshot["observed_at"][:10], float(price["amount"]), price["currency"]))
    changed = {key: points for key, points in series.items() if len({amount for _, amount, _ in points}) > 1}
    if not changed:
        return None
    days = sorted({day for points in changed.values() for day, _, _ in points})
    top = max(amount for points in changed.values() for _, amount, _ in points) or 1.0
    x = {day: PAD + i * (WIDTH - 2 * PAD) / max(len(days) - 1, 1) for i, day in enumerate(days)}

    def y(amount: float) -> float:
        return HEIGHT - PAD - amount / top * (HEIGHT - 2 * PAD)

    body = [f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#b9c1cf"/>']
    for n, (key, points) in enumerate(sorted(changed.items(), key=lambda kv: str(kv[0]))):
        colour = COLOURS[n % len(COLOURS)]
        path = [f"M{x[day]:.1f},{y(amount):.1f}" if not i else f"H{x[day]:.1f} V{y(amount):.1f}"
                for i, (day, amount, _) in enumerate(points)]  # fmt: skip
        body.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for day, amount, _ in points:
            body.append(f'<circle cx="{x[day]:.1f}" cy="{y(amount):.1f}" r="3" fill="{colour}"/>')
        last_day, last_amount, currency = points[-1]
        body.append(
            f'<text x="{x[last_day] - 4:.1f}" y="{y(last_amount) - 6:.1f}" text-anchor="end" font-size="11" '
            f'fill="{colour}">{escape(_series_name({"item": key[0], "tier": key[1], "unit": key[2]}))} '
            f"{escape(_money(last_amount, currency))}</text>"
        )
    for day in (days[0], days[-1]):
        body.append(f'<text x="{x[day]:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11">{day}</text>')
    return _svg(body, "prices over time")


def prices_side_by_side(a: dict[str, Any], b: dict[str, Any]) -> str | None:
    """Grouped bars: each price both tools state in one unit and currency (per 1M input and
    output tokens, or a monthly plan), A's bar beside B's; None when they share none."""

    def keyed(card: dict[str, Any]) -> dict[tuple, float]:
        return {
            (p["item"], p["unit"], p["currency"]): float(p["amount"])
            for p in card.get("prices") or []
            if not p.get("tier")
        }

    mine, theirs = keyed(a), keyed(b)
    shared = [key for key in mine if key in theirs]
    if not shared:
        return None
    top = max(max(mine[k], theirs[k]) for k in shared) or 1.0
    row, bar = 44, 14
    height = PAD + row * len(shared) + 24
    label_w = 170
    scale = (WIDTH - label_w - 90) / top
    body = []
    for n, name in enumerate((a["name"], b["name"])):
        body.append(f'<rect x="{label_w + n * 200}" y="8" width="10" height="10" fill="{COLOURS[n]}"/>')
        body.append(f'<text x="{label_w + 14 + n * 200}" y="17" font-size="11">{escape(name[:28])}</text>')
    for i, key in enumerate(shared):
        top_y = PAD + i * row
        item, unit, currency = key
        body.append(f'<text x="4" y="{top_y + bar + 4}" font-size="12">{escape(f"{item} per {unit}")}</text>')
        for n, amount in enumerate((mine[key], theirs[key])):
            y = top_y + n * (bar + 2)
            body.append(f'<rect x="{label_w}" y="{y}" width="{max(amount * scale, 1):.1f}" height="{bar}" '
                        f'fill="{COLOURS[n]}"/>')  # fmt: skip
            body.append(f'<text x="{label_w + amount * scale + 4:.1f}" y="{y + bar - 3}" font-size="11">'
                        f"{escape(_money(amount, currency))}</text>")  # fmt: skip
    return _svg(body, f"prices of {a['name']} and {b['name']} side by side", height)


def new_cards_per_day(first_seen: list[str], days: int = 30, today: date | None = None) -> str | None:
    """Bars of cards first seen per day (from their first-seen times) over the last `days` days;
    None when none is that new."""
    today = today or date.today()
    first = today - timedelta(days=days - 1)
    counts = Counter(day[:10] for day in first_seen if day and day[:10] >= first.isoformat())
    if not counts:
        return None
    top = max(counts.values())
    step = (WIDTH - 2 * PAD) / days
    body = [f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#b9c1cf"/>']
    for i in range(days):
        day = (first + timedelta(days=i)).isoformat()
        count = counts.get(day, 0)
        if count:
            h = count / top * (HEIGHT - 2 * PAD)
            x = PAD + i * step
            body.append(f'<rect x="{x + 1:.1f}" y="{HEIGHT - PAD - h:.1f}" width="{step - 2:.1f}" height="{h:.1f}" '
                        f'fill="{COLOURS[0]}"><title>{day}: {count}</title></rect>')  # fmt: skip
            body.append(f'<text x="{x + step / 2:.1f}" y="{HEIGHT - PAD - h - 3:.1f}" text-anchor="middle" '
                        f'font-size="10">{count}</text>')  # fmt: skip
    body.append(f'<text x="{PAD}" y="{HEIGHT - 12}" font-size="11">{first.isoformat()}</text>')
    body.append(
        f'<text x="{WIDTH - PAD}" y="{HEIGHT - 12}" text-anchor="end" font-size="11">{today.isoformat()}</text>'
    )
    return _svg(body, f"new cards per day, last {days} days")
