"""Storage: migrations, page upserts that never lose content, fact history, pair decisions."""

from __future__ import annotations

import sqlite3

import pytest

from compare.db import MIGRATIONS, Store
from compare.ingest import page_row


def _page(url: str, body: str | None, status: int = 200, at: str = "2026-11-01T00:00:00+00:00") -> dict:
    return page_row({"url": url, "status": status, "body": body, "fetched_at": at, "kind": "article"})


def test_migrations_apply_once_and_wal_is_on(tmp_path):
    first = Store(tmp_path / "a.db")
    version = first.db.execute("PRAGMA user_version").fetchone()[0]
    first.close()
    again = Store(tmp_path / "a.db")
    assert again.db.execute("PRAGMA user_version").fetchone()[0] == version == len(MIGRATIONS)
    assert again.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"pages", "extractions", "cards", "facts", "prices", "embeddings", "pairs", "runs"} <= set(
        again.db.table_names()
    )


def test_unchanged_page_stops_at_ingest(store):
    assert store.upsert_page(_page("https://a.example/x", "<p>hello</p>")) == "new"
    assert (
        store.upsert_page(_page("https://a.example/x", "<p>hello</p>", at="2026-11-02T00:00:00+00:00")) == "unchanged"
    )
    assert store.upsert_page(_page("https://a.example/x", "<p>changed</p>")) == "changed"
    assert store.get_page("https://a.example/x")["body"] == "<p>changed</p>"


def test_failed_fetch_keeps_last_good_content(store):
    store.upsert_page(_page("https://a.example/x", "<p>good</p>"))
    assert store.upsert_page(_page("https://a.example/x", None, status=404)) == "failed"
    assert store.upsert_page(_page("https://a.example/x", None, status=0)) == "failed"
    page = store.get_page("https://a.example/x")
    assert page["body"] == "<p>good</p>"
    assert page["status"] == 0 and page["misses"] == 2


def test_facts_only_added_when_the_value_changes(store):
    card_id, _ = store.save_card("name:x:tool", {"name": "Tool", "slug": "tool"}, "h1")
    evidence = {"url": "https://a.example/p", "snippet": "costs $1"}
    assert store.record_fact(card_id, "entry", "paid", evidence, "2026-11-01")
    assert not store.record_fact(card_id, "entry", "paid", evidence, "2026-11-02")
    assert store.record_fact(card_id, "entry", "free", evidence, "2026-11-03")
    assert [f["value"] for f in store.facts(card_id)] == ["paid", "free"]


def test_price_history_appends_only_on_change(store):
    card_id, _ = store.save_card("name:x:tool", {"name": "Tool", "slug": "tool"}, "h1")
    prices = [{"item": "input", "amount": 1.0, "currency": "USD", "unit": "1M tokens", "tier": None}]
    assert store.record_prices(card_id, prices, "2026-11-01")
    assert not store.record_prices(card_id, prices, "2026-11-02")
    assert store.record_prices(card_id, [{**prices[0], "amount": 2.0}], "2026-11-03")
    assert [p["amount"] for p in store.current_prices(card_id)] == [2.0]


def test_same_key_keeps_id_and_slug(store):
    first, changed = store.save_card("name:x:tool", {"name": "Tool", "slug": "tool"}, "h1")
    again, changed_again = store.save_card("name:x:tool", {"name": "Tool 2", "slug": "tool-2"}, "h2")
    same, unchanged = store.save_card("name:x:tool", {"name": "Tool 2", "slug": "tool-2"}, "h2")
    assert first == again == same and changed and changed_again and not unchanged
    assert store.card(first)["slug"] == "tool"
    other, _ = store.save_card("name:y:tool", {"name": "Tool", "slug": "tool"}, "h3")
    assert store.card(other)["slug"] == "tool-2"


def test_one_card_writer_batches_and_still_reads_what_it_queued(store, monkeypatch):
    from compare.db import CardWriter

    monkeypatch.setattr(CardWriter, "FLUSH_EVERY", 2)
    evidence = {"url": "https://a.example/p", "snippet": "free"}
    with store.writing(), store.card_writer("2026-11-01") as writer:
        ids = [writer.save(f"k:{n}", {"name": "Tool", "slug": "tool"}, str(n))[0] for n in range(5)]
        assert writer.record_facts(ids[4], [("entry", "free", evidence)]) == 1
        assert writer.record_facts(ids[4], [("entry", "free", evidence)]) == 0  # the queued fact is read back
        again, changed = writer.save("k:0", {"name": "Tool", "slug": "tool"}, "0")
    assert (again, changed) == (ids[0], False)
    slugs = [store.card(card_id)["slug"] for card_id in ids]
    assert slugs == ["tool", "tool-2", "tool-3", "tool-4", "tool-5"]  # unique across flushes and the queue
    assert [f["value"] for f in store.facts(ids[4])] == ["free"]
    assert store.find_card_ids("tool") == ids


def test_decided_pairs_survive_new_suggestions(store):
    a, _ = store.save_card("k:a", {"name": "A", "slug": "a"}, "1")
    b, _ = store.save_card("k:b", {"name": "B", "slug": "b"}, "2")
    c, _ = store.save_card("k:c", {"name": "C", "slug": "c"}, "3")
    pair = {"a": a, "b": b, "score": 0.5, "reasons": {}, "why": "x", "suggested_at": "t"}
    store.replace_suggestions([pair, {**pair, "b": c}])
    store.decide_pair(b, a, "rejected")
    store.replace_suggestions([pair, {**pair, "b": c}])
    assert store.pair_statuses()[(a, b)] == "rejected"
    assert [(p["a"], p["b"]) for p in store.pairs_with_status("suggested", 10)] == [(a, c)]
    assert [(p["a"], p["b"], p["status"]) for p in store.pairs_with_status("rejected", 10)] == [(a, b, "rejected")]


def test_an_undone_decision_makes_a_suggestion_again_and_an_unsuggested_decision_goes(store):
    a, _ = store.save_card("k:a", {"name": "A", "slug": "a"}, "1")
    b, _ = store.save_card("k:b", {"name": "B", "slug": "b"}, "2")
    c, _ = store.save_card("k:c", {"name": "C", "slug": "c"}, "3")
    store.replace_suggestions([{"a": a, "b": b, "score": 0.5, "reasons": {"x": 1}, "why": "w", "suggested_at": "t"}])
    store.decide_pair(a, b, "accepted")
    store.decide_pair(c, a, "published")  # never suggested
    assert store.undo_pair_decision(b, a) == "accepted"
    assert store.pair_row(a, b)["status"] == "suggested" and store.pair_row(a, b)["reasons"] == {"x": 1}
    assert store.undo_pair_decision(a, c) == "published"
    assert store.pair_row(a, c) is None
    assert store.undo_pair_decision(a, b) is None  # nothing decided to take back


def test_changes_list_price_and_license_changes_since_a_date():
    store = Store(":memory:")
    card_id, _ = store.save_card("k", {"name": "Tool", "slug": "tool", "evidence": {}}, "h")
    price = {"item": "output", "amount": 4.0, "currency": "USD", "unit": "1M tokens", "tier": None, "url": "u1"}
    store.record_prices(card_id, [price], "2026-11-01T00:00:00")
    store.record_prices(card_id, [{**price, "amount": 5.0, "url": "u2"}], "2026-11-02T00:00:00")
    store.record_fact(card_id, "license", "MIT", {"url": "a"}, "2026-11-01T00:00:00")
    store.record_fact(card_id, "license", "Apache-2.0", {"url": "b"}, "2026-11-03T00:00:00")
    store.record_fact(card_id, "description", "old", {"url": "a"}, "2026-11-01T00:00:00")
    store.record_fact(card_id, "description", "new", {"url": "b"}, "2026-11-03T00:00:00")  # not a listed change
    found = [(c["field"], c["old"], c["new"], c["old_url"], c["new_url"]) for c in store.changes()]
    assert found == [("price output", 4.0, 5.0, "u1", "u2"), ("license", "MIT", "Apache-2.0", "a", "b")]
    assert [c["field"] for c in store.changes(since="2026-11-03")] == ["license"]


def test_whats_new_ranks_unreviewed_first_then_by_documented_score():
    from datetime import date

    from compare.whats_new import rank

    today = date(2026, 11, 20)
    fresh_popular = {
        "name": "A",
        "released": "2026-11-18",
        "popularity": 10_000,
        "review_status": "new",
        "urls": ["https://huggingface.co/api/models/x/a", "https://x.example/blog/a"],
    }
    old = {
        "name": "B",
        "released": "2025-01-01",
        "popularity": 0,
        "review_status": "new",
        "urls": ["https://x.example/b"],
    }
    variant = {**fresh_popular, "name": "C", "is_variant": True}
    reviewed = {**fresh_popular, "name": "D", "review_status": "reviewed"}
    ranked = rank([old, reviewed, variant, fresh_popular], today)
    assert [card["name"] for card in ranked] == ["A", "C", "B", "D"]
    top = ranked[0]
    novelty = (1 / (1 + 2 / 90)) / 2 + 1 / 2  # released 2 days ago, first seen today (no first_seen: now)
    assert top["score_parts"] == {"novelty": round(novelty, 3), "sources": round(2 / 3, 3), "popularity": 1.0}
    assert ranked[2]["score_parts"]["novelty"] == round((1 / (1 + 688 / 90)) / 2 + 1 / 2, 3)  # old, still told apart
    assert top["score"] == pytest.approx(0.45 * top["score_parts"]["novelty"] + 0.30 * (2 / 3) + 0.25, abs=1e-3)
    assert ranked[1]["score"] == pytest.approx(top["score"] / 2, abs=1e-3)  # a variant counts half


def test_a_card_whose_key_changes_keeps_its_id_and_history(store):
    card = {"name": "Claude Opus 4", "slug": "claude-opus-4", "vendor": "Anthropic", "evidence": {}}
    card_id, _ = store.save_card("name:anthropic:4 claude opus", card, "h1")
    store.set_card_sources(
        card_id, ["https://www.anthropic.com/pricing", "https://www.anthropic.com/news/claude-opus-4"]
    )
    other_id, _ = store.save_card(
        "name:anthropic:4 claude sonnet", {**card, "name": "Claude Sonnet 4", "slug": "s"}, "h2"
    )
    store.set_card_sources(other_id, ["https://www.anthropic.com/pricing"])
    # A naming rule changed: the same pages now give new keys; each card follows its sources.
    moved = store.carry_over_keys(
        {
            "name:anthropic:4 opus": [
                "https://www.anthropic.com/news/claude-opus-4",
                "https://www.anthropic.com/pricing",
            ],
            "name:anthropic:4 sonnet": ["https://www.anthropic.com/pricing"],
            "name:anthropic:brand new": ["https://example.com/new"],
        }
    )
    assert moved == 2
    keys = {row["key"]: row["id"] for row in store.db["cards"].rows}
    assert keys == {"name:anthropic:4 opus": card_id, "name:anthropic:4 sonnet": other_id}


def test_build_cards_keeps_a_rekeyed_card_and_its_history(store, monkeypatch):
    from compare import stages

    card = {"name": "Claude Opus 4", "slug": "claude-opus-4", "vendor": "Anthropic", "evidence": {},
            "sources": ["https://www.anthropic.com/pricing"]}  # fmt: skip
    monkeypatch.setattr(stages, "resolve", lambda records, decisions: [("name:anthropic:4 claude opus", card)])
    stages.build_cards(store)
    [before] = store.cards()
    # The next run's rules key the same pages' tool differently: the card follows, not a new one.
    monkeypatch.setattr(
        stages, "resolve", lambda records, decisions: [("name:anthropic:4 opus", {**card, "tagline": "x"})]
    )
    assert stages.build_cards(store) == {"unchanged": 1}  # same records, same code: nothing to redo
    monkeypatch.setattr(stages, "code_version", lambda: "new rules")  # new rules are new code
    counts = stages.build_cards(store)
    [after] = store.cards()
    assert (counts["rekeyed"], counts["deactivated"], after["id"], after["key"]) == (
        1, 0, before["id"], "name:anthropic:4 opus"
    )  # fmt: skip
    assert [f["value"] for f in store.facts(after["id"]) if f["field"] == "status"] == ["active"]


def test_a_run_left_running_by_a_kill_is_closed_as_interrupted_by_the_next(store):
    killed = store.start_run()  # never finished: its process was killed
    store.finish_run(done := store.start_run(), "ok", {}, {}, {})
    runs = {run["id"]: run for run in store.runs(5)}
    assert runs[killed]["status"] == "interrupted" and runs[killed]["finished_at"]
    assert runs[done]["status"] == "ok"


def test_fetch_failures_since_a_time_count_only_that_runs_fetches(store):
    store.db["pages"].insert_all(
        [{"url": "https://a.example/old", "error": "http 404", "fetched_at": "2026-11-01T00:00:00+00:00"},
         {"url": "https://a.example/new", "error": "refused: x", "fetched_at": "2026-12-01T00:00:00+00:00"}],
        alter=True,
    )  # fmt: skip
    assert store.fetch_failures() == {"http 404": 1, "refused: x": 1}
    assert store.fetch_failures(since="2026-11-15T00:00:00+00:00") == {"refused: x": 1}


def test_a_migration_that_fails_half_way_leaves_nothing_and_the_next_open_completes(tmp_path, monkeypatch):
    import compare.db as db_module

    path = tmp_path / "m.db"
    Store(path).close()
    calls = []

    def half_done(db):  # creates a table, then fails
        db["half_done"].create({"id": int}, pk="id")
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("disk hiccup")

    monkeypatch.setattr(db_module, "MIGRATIONS", [*db_module.MIGRATIONS, half_done])
    with pytest.raises(RuntimeError):
        Store(path)
    raw = sqlite3.connect(path)
    assert raw.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    assert raw.execute("PRAGMA user_version").fetchone()[0] == len(db_module.MIGRATIONS) - 1
    raw.close()
    store = Store(path)  # "table already exists" before; now the migration simply runs again
    assert store.db["half_done"].exists() and store.db.execute("PRAGMA user_version").fetchone()[0] == len(
        db_module.MIGRATIONS
    )
