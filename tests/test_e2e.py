"""End to end: the Prefect flow crawls a small slice of the demo web through the mirror on
port 0 (Scrapy in a subprocess), then every stage runs; a second run changes nothing."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from prefect.testing.utilities import prefect_test_harness

from compare.cli import main
from compare.db import Store
from conftest import DEMO, FIXTURES
from flows.refresh import refresh


@pytest.fixture(scope="module")
def refreshed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("e2e")
    args = dict(
        db=str(tmp / "compare.db"), index_dir=str(tmp / "index"), sources=str(FIXTURES / "small_sources.toml"),
        crawl_dir=str(tmp / "crawl"), mirror_dir=str(DEMO), embedder="fake",
    )  # fmt: skip
    with prefect_test_harness():
        first = refresh(**args)
        facts_after_first = Store(args["db"]).counts()["facts"]
        second = refresh(**args)
    return args, first, second, facts_after_first


def cli(args, *words):
    result = CliRunner().invoke(main, ["--db", args["db"], "--index-dir", args["index_dir"], *words])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_first_run_builds_cards_with_evidence(refreshed):
    args, first, _, _ = refreshed
    stages = {"crawl", "ingest", "extract", "cards", "embed", "categorise", "index", "pairs"}
    assert set(first["stage_seconds"]) == stages and all(v >= 0 for v in first["stage_seconds"].values())
    kept = json.loads(Store(args["db"]).runs(2)[-1]["stage_seconds"])
    assert kept == first["stage_seconds"]
    assert first["stages"]["crawl"]["requests"] >= first["stages"]["ingest"]["new"] > 0  # Scrapy's own count
    # one page the snapshot does not hold answers 404: a run with a failed fetch says partial, with why
    assert (first["status"], first["failures"]) == ("partial", {"fetch:HTTP 404": 1})
    assert first["stages"]["ingest"]["new"] >= 15
    cards = {card["name"]: card for card in cli(args, "cards", "--json")}
    opus = cards["Claude Opus 4"]
    assert opus["vendor"] == "Anthropic" and opus["entry"] == "paid" and opus["license"] == "proprietary"
    assert {"item": "input", "amount": 15.0, "currency": "USD", "unit": "1M tokens", "tier": None} in opus["prices"]
    assert opus["evidence"]["prices"]["url"] == "https://www.anthropic.com/pricing"
    assert "https://www.anthropic.com/news/claude-opus-4" in {e["url"] for e in opus["evidence"].values()}
    llama = cards["Llama-3.1-8B-Instruct"]
    assert llama["license"] == "llama3.1" and llama["open_weights"] is True and not llama["is_variant"]
    gguf = cards["Meta-Llama-3.1-8B-Instruct-GGUF"]
    # Both descend from meta-llama/Llama-3.1-8B (no card of its own here): that base names the family.
    assert gguf["family"] == llama["family"] == "meta-llama/Llama-3.1-8B" and gguf["is_variant"]
    assert cards["SmolVLM2"]["license"] == "Apache-2.0"  # its Hub model is not in this slice: the post stands alone
    for card in cards.values():  # a closed offering never claims open weights
        if card["license"] == "proprietary":
            assert card["open_weights"] is not True, card["name"]
    for card in cards.values():  # every card is categorised with its reason; stated facts keep evidence
        assert card["category"] and card["category_reason"], card["name"]
        for field in ("entry", "pricing_text", "license", "tagline", "description", "prices"):
            if card.get(field):
                evidence = card["evidence"][field]
                assert evidence["url"].startswith("https://") and evidence["snippet"], (card["name"], field)


def test_a_vanished_page_is_recorded_not_dropped(refreshed):
    args, *_ = refreshed
    page = Store(args["db"]).get_page("https://example.com/launch/vanished/")
    assert page["status"] == 404 and page["body"] is None


def test_second_run_embeds_nothing_and_adds_no_facts(refreshed):
    args, _, second, facts_after_first = refreshed
    # Conditional requests: unchanged pages answer 304, unchanged feeds lead to no refetching.
    assert set(second["stages"]["ingest"]) == {"unchanged", "failed"} and second["stages"]["ingest"]["failed"] == 1
    assert second["stages"]["extract"] == {}
    assert second["stages"]["embed"]["embedded"] == 0
    assert second["stages"]["index"]["indexed"] == 0
    assert Store(args["db"]).counts()["facts"] == facts_after_first


def test_like_search_pairs_and_show_over_the_result(refreshed):
    args, *_ = refreshed
    similar = cli(args, "like", "Claude 4 Opus", "-k", "3", "--json")
    assert similar["card"]["name"] == "Claude Opus 4" and similar["matched"] == "name"  # which card it matched
    assert len(similar["results"]) == 3 and all(hit["card"]["name"] != "Claude Opus 4" for hit in similar["results"])
    found = cli(args, "search", "Anthropic Claude pricing", "-k", "3", "--json")
    assert found and found[0]["card"]["vendor"] == "Anthropic"
    for pair in cli(args, "pairs", "--limit", "20", "--json"):
        assert pair["a"]["family"] != pair["b"]["family"] and pair["why"] and pair["reasons"]
    shown = cli(args, "show", "claude-opus-4", "--json")
    assert any(fact["field"] == "entry" for fact in shown["history"])


def test_editors_decide_pairs_and_a_rejected_pair_never_returns(refreshed):
    args, *_ = refreshed
    top, second = cli(args, "pairs", "--limit", "2", "--json")
    for decision, pair in (("reject", top), ("accept", second)):
        result = CliRunner().invoke(
            main,
            [
                "--db",
                args["db"],
                "--index-dir",
                args["index_dir"],
                "pair",
                decision,
                pair["a"]["slug"],
                pair["b"]["slug"],
            ],
        )
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(main, ["--db", args["db"], "--index-dir", args["index_dir"], "suggest"])
    assert result.exit_code == 0, result.output
    again = {(p["a"]["id"], p["b"]["id"]) for p in cli(args, "pairs", "--limit", "500", "--json")}
    assert (top["a"]["id"], top["b"]["id"]) not in again and (second["a"]["id"], second["b"]["id"]) not in again
    assert Store(args["db"]).pair_statuses()[(top["a"]["id"], top["b"]["id"])] == "rejected"
