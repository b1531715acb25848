"""The Hub crawl against a small fault-injecting mirror: retries that honour Retry-After (with a
cap) and back off on 5xx, gated / missing / disabled models recorded with reasons, a LICENSE file
read when the card names none, and an incremental second crawl: conditional requests only, 304s,
no paging past known models, no new extraction rows."""

from __future__ import annotations

import json

import pytest

from compare import mirror, stages
from compare.crawl import crawl_progress, run_crawl
from compare.db import Store
from compare.ingest import ingest_files

HUB = "huggingface.co"
LISTING = "api/models?sort=createdAt&direction=-1&limit=4&full=true&cardData=true"
PAGE_2 = "api/models?sort=createdAt&direction=-1&limit=4&full=true&cardData=true&cursor=p2"


def _model(model_id: str, sha: str, **extra) -> dict:
    return {"id": model_id, "sha": sha, "downloads": 10, "likes": 1, "pipeline_tag": "text-generation", **extra}


MODELS = {
    "acme/alpha-7b": _model("acme/alpha-7b", "a1", cardData={"license": "apache-2.0"}),
    "acme/beta-2b": _model("acme/beta-2b", "b1", gated="manual", cardData={"license": "llama3.1"}),
    "acme/gamma-1b": _model("acme/gamma-1b", "c1", cardData={}, siblings=[{"rfilename": "LICENSE"}]),
    "acme/delta-3b": _model("acme/delta-3b", "d1", disabled=True),
    "acme/old-1b": _model("acme/old-1b", "e1", cardData={"license": "mit"}),
}
README = "---\nlicense: {license}\npipeline_tag: text-generation\n---\n\n# {name}\n\n{name} is a small test model that answers questions about the weather in short sentences.\n"


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    root = tmp_path_factory.mktemp("web")
    hub = root / HUB
    first_page = [MODELS[m] for m in ("acme/alpha-7b", "acme/beta-2b", "acme/gamma-1b", "acme/delta-3b")]
    _write(hub / LISTING, json.dumps(first_page))
    _write(hub / (LISTING + ".headers"), f'Link: <https://{HUB}/{PAGE_2}>; rel="next"\n')
    _write(hub / PAGE_2, json.dumps([MODELS["acme/old-1b"]]))
    for model_id, model in MODELS.items():
        _write(hub / "api/models" / model_id, json.dumps(model))
        license_id = (model.get("cardData") or {}).get("license", "other")
        name = model_id.split("/")[1]
        if model_id != "acme/gamma-1b":  # gamma has no README
            _write(hub / model_id / "raw/main/README.md", README.format(license=license_id, name=name))
    _write(
        hub / "acme/gamma-1b/raw/main/LICENSE",
        "MIT License\n\nCopyright (c) 2026 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n",
    )
    # Faults: alpha's README is rate limited once (Retry-After 1 s), delta's JSON fails once with
    # a 503, beta's README is gated, and old's README asks for an hour's wait (above the cap).
    _write(hub / "acme/alpha-7b/raw/main/README.md.headers", "Status: 429\nStatus-Times: 1\nRetry-After: 1\n")
    _write(hub / "api/models/acme/delta-3b.headers", "Status: 503\nStatus-Times: 1\n")
    _write(hub / "acme/beta-2b/raw/main/README.md.headers", "Status: 401\n")
    _write(hub / "acme/old-1b/raw/main/README.md.headers", "Status: 429\nRetry-After: 3600\n")
    sources = root / "sources.toml"
    sources.write_text(f'[[source]]\nkind = "hf_hub"\nurl = "https://{HUB}/{LISTING}"\n')
    return root, sources


def _crawl(root, sources, store, out):
    log: list[dict] = []
    with mirror.serve(root, log=log) as base:
        result = run_crawl(sources, out, base, timeout_s=120, state=store.crawl_state())
    assert result.ok, result.log_tail
    ingested = ingest_files(store, result.outputs)
    extracted = stages.extract_pages(store)
    return log, ingested, extracted


@pytest.fixture(scope="module")
def crawled(web, tmp_path_factory):
    root, sources = web
    tmp = tmp_path_factory.mktemp("hubcrawl")
    store = Store(tmp / "c.db")
    first = _crawl(root, sources, store, tmp / "crawl")
    extraction_rows = store.db["extractions"].count
    second = _crawl(root, sources, store, tmp / "crawl")
    return store, first, second, extraction_rows


def _requests(log, path_part):
    return [entry for entry in log if path_part in entry["path"]]


def test_rate_limit_waits_for_retry_after_then_succeeds(crawled):
    store, (log, *_), *_ = crawled
    tries = _requests(log, "/acme/alpha-7b/raw/main/README.md")
    assert [t["status"] for t in tries] == [429, 200]
    assert tries[1]["at"] - tries[0]["at"] >= 0.9
    page = store.get_page(f"https://{HUB}/acme/alpha-7b/raw/main/README.md")
    assert page["body"] and page["status"] in (200, 304)  # 304: confirmed by the second crawl


def test_retry_after_above_the_cap_is_recorded_not_waited_for(crawled):
    store, (log, *_), *_ = crawled
    assert [t["status"] for t in _requests(log, "/acme/old-1b/raw/main/README.md")] == [429]
    page = store.get_page(f"https://{HUB}/acme/old-1b/raw/main/README.md")
    assert page["status"] == 429 and "rate limited" in page["error"]


def test_server_errors_are_retried(crawled):
    _, (log, *_), *_ = crawled
    assert [t["status"] for t in _requests(log, "/api/models/acme/delta-3b")] == [503, 200]


def test_gated_missing_and_disabled_models_are_recorded_with_reasons(crawled):
    store, *_ = crawled
    gated = store.get_page(f"https://{HUB}/acme/beta-2b/raw/main/README.md")
    assert gated["status"] == 401 and "gated" in gated["error"]
    missing = store.get_page(f"https://{HUB}/acme/gamma-1b/raw/main/README.md")
    assert missing["status"] == 404 and "no README" in missing["error"]
    reasons = {row["url"]: (row["status"], row["reason"]) for row in store.db["extractions"].rows}
    assert reasons[f"https://{HUB}/api/models/acme/delta-3b"] == ("empty", "model disabled on the Hub")
    assert "gated" in reasons[f"https://{HUB}/api/models/acme/beta-2b"][1]
    assert "no README" in " ".join(stages.summary(store)["fetch_failures"])


def test_license_file_is_read_when_the_card_names_none(crawled):
    store, *_ = crawled
    records = [r for r in store.current_records(stages.EXTRACTOR_VERSION) if r.get("extractor") == "hub_license"]
    assert [(r["hub_id"], r["license"], r["commercial_use"]) for r in records] == [("acme/gamma-1b", "MIT", "yes")]
    assert records[0]["evidence"]["license"]["url"] == f"https://{HUB}/acme/gamma-1b/raw/main/LICENSE"


def test_second_crawl_asks_only_for_changes(crawled):
    store, (first_log, *_), (log, ingested, extracted), extraction_rows = crawled
    assert _requests(first_log, "cursor=p2"), "the first crawl pages through the listing"
    assert not _requests(log, "cursor=p2"), "a date-ordered listing stops at models seen unchanged"
    # A model listed with the sha seen last time costs no request at all (nor its LICENSE); beta,
    # whose README answered 401 (gated), is asked again, conditionally where it had content.
    for unchanged in ("alpha-7b", "gamma-1b", "delta-3b"):
        assert not [e for e in log if f"/acme/{unchanged}" in e["path"]], unchanged
    asked = {entry["path"].removeprefix(f"/{HUB}"): entry for entry in log if "/acme/beta-2b" in entry["path"]}
    assert set(asked) == {"/api/models/acme/beta-2b", "/acme/beta-2b/raw/main/README.md"}
    assert asked["/api/models/acme/beta-2b"]["status"] == 304
    assert "If-None-Match" in asked["/api/models/acme/beta-2b"]["headers"]
    assert ingested["unchanged"] == 2  # the listing and beta's model JSON, same content
    assert "new" not in ingested and "changed" not in ingested
    assert extracted == {} and store.db["extractions"].count == extraction_rows


def test_a_budgeted_crawl_keeps_to_its_budget_and_reports_progress(web, tmp_path):
    root, sources = web
    log: list[dict] = []
    budget = {HUB: [4, 1.0]}
    with mirror.serve(root, log=log) as base:
        result = run_crawl(
            sources, tmp_path / "crawl", base, timeout_s=120, settings={"HOST_BUDGETS": json.dumps(budget)}
        )
    assert result.ok, result.log_tail
    arrivals = sorted(entry["at"] for entry in log)
    assert len(arrivals) > 8
    assert all(arrivals[i + 4] - arrivals[i] >= 0.9 for i in range(len(arrivals) - 4)), arrivals
    stats = json.loads((tmp_path / "crawl" / "stats.json").read_text())["hf_hub"]
    assert stats["host_budget/huggingface.co/waits"] >= 1
    assert crawl_progress(tmp_path / "crawl", ["hf_hub"]) == (stats["response_received_count"],) * 2


def test_a_crawl_at_its_time_limit_stops_cleanly_and_keeps_what_it_fetched(web, tmp_path):
    root, sources = web
    budget = {HUB: [1, 1.0]}  # one request a second: the crawl cannot finish in 8 s (12 requests)
    with mirror.serve(root) as base:
        result = run_crawl(
            sources, tmp_path / "crawl", base, timeout_s=8, settings={"HOST_BUDGETS": json.dumps(budget)}
        )
    assert result.timed_out and not result.ok
    lines = (tmp_path / "crawl" / "hf_hub.jsonl").read_text().splitlines()
    assert 2 <= len(lines) < 12, len(lines)  # some pages, not all of them
    assert all(json.loads(line)["url"] for line in lines)  # every line whole: Scrapy closed its feed
    assert result.requests()["requests"] >= len(lines)  # stats written on the way out
