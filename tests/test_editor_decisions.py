"""Editors' decisions outlive refreshes: merges, splits and review statuses set by command hold
after later refreshes rewrite the cards; a source page that answers 404 twice retires its card
with the reason, and nothing is deleted."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from click.testing import CliRunner
from prefect.testing.utilities import prefect_test_harness

from compare.cli import main
from compare.db import Store
from conftest import DEMO
from flows.refresh import refresh

PRICING = "https://www.anthropic.com/pricing"
CODE_POST = "https://www.anthropic.com/news/claude-code"
SONNET_POST = "https://www.anthropic.com/news/claude-sonnet-4"


def _touch(path):
    later = time.time() + 60
    os.utime(path, (later, later))


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("decisions")
    site = tmp / "mirror" / "www.anthropic.com"
    shutil.copytree(DEMO / "www.anthropic.com", site)
    sources = tmp / "sources.toml"
    sources.write_text(
        f'[[source]]\nkind = "feed"\nurl = "https://www.anthropic.com/news/feed.xml"\n\n'
        f'[[source]]\nkind = "page"\nurl = "{PRICING}"\n'
    )
    args = dict(
        db=str(tmp / "compare.db"), index_dir=str(tmp / "index"), sources=str(sources),
        crawl_dir=str(tmp / "crawl"), mirror_dir=str(tmp / "mirror"), embedder="fake",
    )  # fmt: skip

    def cli(*argv: str):
        result = CliRunner().invoke(main, ["--db", args["db"], "--index-dir", args["index_dir"], *argv])
        assert result.exit_code == 0, result.output
        return result.output

    with prefect_test_harness():
        runs = [refresh(**args)]
        before = {c["name"]: c for c in json.loads(cli("cards", "--json"))}
        # An editor: Opus 4.1 gets no card of its own; the pricing row is not the Sonnet 4 of the
        # launch post; two cards are looked at.
        cli("merge", "Claude Opus 4", "Claude Opus 4.1")
        cli("split", "Claude Sonnet 4", "--source", PRICING)
        cli("review", "Claude Opus 4", "reviewed")
        cli("review", "Claude 3.5 Haiku", "skipped")
        decided = {c["name"]: c for c in json.loads(cli("cards", "--json"))}
        # The site changes: a price moves (cards are rewritten) and the Claude Code post is removed.
        pricing = site / "pricing"
        pricing.write_text(pricing.read_text().replace("<td>$4 / MTok</td>", "<td>$5 / MTok</td>"))
        _touch(pricing)
        (site / "news" / "claude-code").unlink()
        runs.append(refresh(**args))
        after_one_404 = {c["name"]: c for c in json.loads(cli("cards", "--json"))}
        runs.append(refresh(**args))
        after = {c["name"]: c for c in json.loads(cli("cards", "--json"))}
    return args, cli, runs, before, decided, after_one_404, after


def test_refreshes_ran(session):
    _, _, runs, *_ = session
    # the later runs find the Claude Code post gone (404): partial, saying so
    assert [run["status"] for run in runs] == ["ok", "partial", "partial"], [run["failures"] for run in runs]
    assert [run["failures"] for run in runs[1:]] == [{"fetch:HTTP 404": 1}] * 2


def test_merge_holds_after_refreshes(session):
    args, _, _, before, decided, _, after = session
    assert "Claude Opus 4.1" in before and "Claude Opus 4.1" not in decided and "Claude Opus 4.1" not in after
    opus = after["Claude Opus 4"]
    assert opus["id"] == before["Claude Opus 4"]["id"]  # the card kept its identity and history
    assert PRICING in opus["urls"]
    store = Store(args["db"])
    retired = store.db.execute("SELECT id, active FROM cards WHERE name = 'Claude Opus 4.1'").fetchone()
    assert retired[1] == 0  # retired, not deleted
    [status] = [f for f in store.facts(retired[0]) if f["field"] == "status" and f["value"] == "merged"]
    assert status["snippet"] == f"merged into {opus['slug']} by an editor"


def test_split_holds_after_refreshes(session):
    _, cli, _, before, *_ = session
    assert PRICING in before["Claude Sonnet 4"]["urls"]
    sonnets = {card["key"]: card for card in json.loads(cli("cards", "--json")) if card["name"] == "Claude Sonnet 4"}
    launch_key = before["Claude Sonnet 4"]["key"]
    assert set(sonnets) == {launch_key, f"{launch_key}|split:{PRICING}"}
    launch, row = sonnets[launch_key], sonnets[f"{launch_key}|split:{PRICING}"]
    assert launch["id"] == before["Claude Sonnet 4"]["id"]  # the launch card kept its identity
    assert PRICING not in launch["urls"] and SONNET_POST in launch["urls"]
    assert row["urls"] == [PRICING] and row["prices"], "the pricing row keeps its prices on its own card"


def test_review_statuses_hold_and_rank_last(session):
    _, cli, _, _, _, _, after = session
    assert after["Claude Opus 4"]["review_status"] == "reviewed"
    assert after["Claude 3.5 Haiku"]["review_status"] == "skipped"
    assert after["Claude Sonnet 4"]["review_status"] == "new"
    statuses = [card["review_status"] for card in json.loads(cli("cards", "--json"))]
    assert statuses == sorted(statuses, key=["new", "reviewed", "skipped"].index)
    only_new = json.loads(cli("cards", "--status", "new", "--json"))
    assert only_new and {card["review_status"] for card in only_new} == {"new"}


def test_source_page_404_twice_retires_the_card(session):
    args, cli, _, before, _, after_one_404, after = session
    assert "Claude Code" in before
    assert "Claude Code" in after_one_404, "one 404 may be a hiccup: the card stays"
    assert "Claude Code" not in after
    store = Store(args["db"])
    card_id = before["Claude Code"]["id"]
    assert store.card(card_id) is not None  # marked, not deleted
    statuses = [(f["value"], f["url"], f["snippet"]) for f in store.facts(card_id) if f["field"] == "status"]
    assert statuses[-1][0] == "gone" and statuses[-1][1] == CODE_POST
    assert "answered 404 on 2 fetches in a row" in statuses[-1][2]
    changes = json.loads(cli("changes", "--json"))
    assert {"name": "Claude Code", "field": "status", "old": "active", "new": "gone"}.items() <= next(
        c for c in changes if c["name"] == "Claude Code"
    ).items()


def test_decisions_are_listed(session):
    _, cli, *_ = session
    rows = json.loads(cli("decisions", "--json"))
    assert [(row["kind"], row["url"]) for row in rows] == [("merge", ""), ("split", PRICING)]


def test_decisions_made_while_a_refresh_rewrites_every_stage_are_all_kept(tmp_path):
    import subprocess
    import sys

    from compare import service
    from compare.db import PAIR_DECISIONS

    db = tmp_path / "compare.db"
    env = {**os.environ, "COMPARE_EMBEDDER": "fake", "COMPARE_CRAWL_DIR": str(tmp_path / "crawl"),
           "COMPARE_PROGRESS": "0"}  # fmt: skip
    demo = [sys.executable, "-m", "compare.cli", "--db", str(db), "--index-dir", str(tmp_path / "index"), "demo",
            "--json"]  # fmt: skip
    subprocess.run(demo, env=env, check=True, capture_output=True, timeout=600)
    store = Store(db)
    with store.writing():  # every stage has work again: extract, cards, categories and pairs all rewrite
        store.db.execute("DELETE FROM extractions")
        store.db.execute("DELETE FROM stage_inputs")
    slugs = [card["slug"] for card in store.cards()]
    suggested = [(pair["a"]["slug"], pair["b"]["slug"]) for pair in service.pairs(store, limit=200)]
    reviews, pair_statuses = {}, {}
    refresh = subprocess.Popen(demo, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    made = 0
    while refresh.poll() is None:
        slug, review = slugs[made % len(slugs)], ("reviewed", "skipped")[made % 2]
        reviews[slug] = service.set_review(store, slug, review, by_slug=True)["review_status"]
        (a, b), word = suggested[made % len(suggested)], ("accept", "reject", "publish")[made % 3]
        first, second, _ = service.decide_pair(store, a, b, word, by_slug=True)
        pair_statuses[(first["id"], second["id"])] = PAIR_DECISIONS[word]
        made += 1
    out, err = refresh.communicate()
    assert refresh.returncode == 0 and json.loads(out)["status"] == "ok", err[-2000:]
    assert made >= 20  # decisions kept arriving while the refresh wrote
    after = Store(db)
    assert {slug: after.card_by_slug(slug)["review_status"] for slug in reviews} == reviews
    assert {key: after.pair_row(*key)["status"] for key in pair_statuses} == pair_statuses
    store.close()
    after.close()
