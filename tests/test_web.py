"""`compare serve` over HTTP: the JSON API answers what the library answers, decisions need POST
and a CSRF token, crawled text stays text, and pages read while a refresh writes."""

from __future__ import annotations

import json
import re
import threading
import time

import pytest
from fastapi.testclient import TestClient

from compare import service, stages
from compare.config import Settings
from compare.db import Store
from compare.embed import HashingEmbedder
from compare.extract.article import extract_article
from compare.resolve import card_hash, resolve
from compare.web import create_app, safe_url
from conftest import CARDS, FIXTURES

HOSTILE_URL = "https://evil.example/blog/pwn/"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def site(tmp_path):
    """A store with realistic cards, one from a hostile crawled page, vectors, pairs and a run."""
    store = Store(tmp_path / "web.db")
    for key, card in CARDS:
        store.save_card(key, {"slug": card["name"].lower().replace(".", "-"), **card}, key)
    azure = {**dict(CARDS)["name:openai:5 gpt"], "vendor": "Microsoft", "family": "azure-gpt-5", "slug": "gpt-5"}
    store.save_card("name:microsoft:5 gpt", azure, "azure")  # a second "GPT-5": slug gpt-5-2
    hostile = extract_article(HOSTILE_URL, (FIXTURES / "web" / "hostile_launch.html").read_text()).records
    for key, card in resolve(hostile):
        card["links"] = {"docs": "javascript:alert(3)"}  # as if an extractor let one through
        store.save_card(key, card, card_hash(card))
    stages.embed_cards(store, "fake")
    stages.build_index(store, tmp_path / "index", HashingEmbedder.model_id)
    stages.suggest_pairs(store, tmp_path / "index", 12, 3)
    run = store.start_run()
    store.finish_run(run, "ok", {"cards": {"cards": 8}}, {"http 404": 2}, {"crawl": 3.25, "cards": 0.5})
    settings = Settings().with_overrides(db_path=tmp_path / "web.db", index_dir=tmp_path / "index")
    with TestClient(create_app(settings), base_url=BASE) as client:
        yield client, store, tmp_path / "index"
    store.close()


def token(client: TestClient) -> str:
    return client.get("/api/csrf").json()["token"]


def test_the_api_answers_what_the_library_answers(site):
    client, store, index_dir = site
    assert [c["name"] for c in client.get("/api/cards").json()] == [c["name"] for c in service.whats_new(store)]
    card = client.get("/api/cards/moondream2").json()
    assert card["name"] == "moondream2" and [c["name"] for c in card["family_cards"]] == ["moondream2-0.5B"]
    like = client.get("/api/like", params={"name": "SmolVLM2-2B", "explain": "true"}).json()
    _, expected = service.tools_like(store, stages.load_index(store, index_dir), "SmolVLM2-2B", 10)
    assert like["matched"].startswith("fuzzy") and like["card"]["name"] == "SmolVLM2-2.2B-Instruct"
    assert [h["card"]["name"] for h in like["results"]] == [h["card"]["name"] for h in expected]
    assert all(h["why"]["sentence"] for h in like["results"])
    only_open = client.get("/api/like", params={"name": "GPT-5", "weights": "open"}).json()["results"]
    assert only_open and all(h["card"]["open_weights"] for h in only_open)
    hits = client.get("/api/search", params={"q": 'speech "transcribes audio"'}).json()
    assert hits[0]["card"]["name"] == "whisper-large-v3-turbo"
    assert client.get("/api/pairs").json() == service.pairs(store, 20)
    assert client.get("/api/runs").json()[0]["failures"] == {"http 404": 2}
    assert client.get("/api/runs").json()[0]["stage_seconds"] == {"crawl": 3.25, "cards": 0.5}
    assert "crawl 3.2 s" in client.get("/runs").text
    schema = client.get("/openapi.json").json()
    assert {"/api/cards", "/api/cards/{slug}", "/api/like", "/api/search", "/api/pairs", "/api/pairs/decision",
            "/api/cards/{slug}/review"} <= set(schema["paths"])  # fmt: skip
    assert client.get("/api/cards/no-such-tool").status_code == 404
    assert client.get("/api/like", params={"name": "GPT-5", "weights": "maybe"}).status_code == 422


def test_decisions_are_post_only_with_a_csrf_token(site):
    client, store, _ = site
    first = client.get("/api/pairs").json()[0]
    decision = {"a": first["a"]["slug"], "b": first["b"]["slug"], "decision": "reject"}
    assert client.get("/api/pairs/decision").status_code == 405
    assert client.post("/api/pairs/decision", json=decision).status_code == 403  # no token
    assert client.post("/api/pairs/decision", json=decision, headers={"X-CSRF-Token": "guess"}).status_code == 403
    good = {"X-CSRF-Token": token(client)}
    foreign = client.post("/api/pairs/decision", json=decision, headers={**good, "Origin": "https://evil.example"})
    assert foreign.status_code == 403
    answer = client.post("/api/pairs/decision", json=decision, headers=good)
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"
    assert (first["a"]["name"], first["b"]["name"]) not in {
        (p["a"]["name"], p["b"]["name"]) for p in client.get("/api/pairs").json()
    }
    # the page's form: token in a hidden field; the redirect stays on this site
    form = {"csrf": good["X-CSRF-Token"], "status": "reviewed", "next": "//evil.example/"}
    redirect = client.post("/cards/moondream2/review", data=form, follow_redirects=False)
    assert redirect.status_code == 303 and redirect.headers["location"] == "/cards/moondream2"
    assert service.card_details(store, "moondream2")["review_status"] == "reviewed"
    assert client.post("/cards/moondream2/review", data={**form, "csrf": "guess"}).status_code == 403
    assert client.post("/api/cards/moondream2/review", json={"status": "maybe"}, headers=good).status_code == 422


def test_crawled_text_is_shown_as_text_and_links_only_as_web_links(site):
    client, store, _ = site
    [hostile] = [c for c in store.cards() if c["vendor"] == "Evil Labs"]
    page = client.get(f"/cards/{hostile['slug']}")
    html = page.text
    assert page.status_code == 200 and "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'none'" in page.headers["content-security-policy"]  # no script may run at all
    assert "<script" not in html and "&lt;script&gt;alert(" in html  # the description, as text
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'onmouseover="alert' not in html and "&#34; onmouseover=&#34;alert(1)" in html
    assert "javascript:" not in html.replace("javascript:alert(3)</span>", "")  # shown, never a link
    assert 'href="javascript' not in html
    for path in ("/", "/pairs", f"/like?name={hostile['name']}", "/search?q=alert"):
        assert "<script" not in client.get(path).text
    assert safe_url("https://a.example/x") == "https://a.example/x"
    assert safe_url("javascript:alert(1)") is None and safe_url(" JaVaScRiPt:x") is None
    assert safe_url("data:text/html,x") is None and safe_url("//evil.example") is None


def test_every_page_renders_and_misses_are_clear(site):
    client, _, _ = site
    for path in ("/", "/?status=new", "/cards/gpt-5", "/like", "/like?name=moondream2&weights=open",
                 "/search?q=vision", "/pairs", "/runs", "/docs"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    missing = client.get("/cards/no-such-tool")
    assert missing.status_code == 404 and "no card" in missing.text
    assert "did you mean" in client.get("/like?name=SmolVLM2-2B").text
    odd = client.get("/pairs?limit=0")
    assert (
        odd.status_code == 422
        and "limit: Input should be greater than or equal to 1" in odd.text
        and "<h1>" in odd.text
    )
    assert "no tool named &#39;nothing-like-it&#39;" in client.get("/like?name=nothing-like-it").text


def test_pages_read_while_a_refresh_holds_the_write_lock(site, tmp_path):
    client, _, _ = site
    writer = Store(tmp_path / "web.db")
    locked, release = threading.Event(), threading.Event()

    def refresh_writes() -> None:
        writer.db.execute("BEGIN IMMEDIATE")
        writer.db.execute("UPDATE cards SET tagline = 'being rewritten' WHERE name = 'GPT-5'")
        locked.set()
        release.wait(10)
        writer.db.execute("COMMIT")

    thread = threading.Thread(target=refresh_writes)
    thread.start()
    try:
        assert locked.wait(5)
        for path in ("/", "/cards/gpt-5", "/api/like?name=GPT-5", "/api/search?q=reasoning", "/pairs", "/runs"):
            assert client.get(path).status_code == 200, path
        assert client.get("/api/cards/gpt-5").json()["tagline"] != "being rewritten"  # the last committed state
    finally:
        release.set()
        thread.join()
        writer.close()
    assert client.get("/api/cards/gpt-5").json()["tagline"] == "being rewritten"


def test_a_cached_page_carries_each_readers_own_token(site):
    client, _, _ = site
    other = TestClient(client.app, base_url=BASE)
    first_page, second_page = client.get("/pairs"), other.get("/pairs")
    assert second_page.headers["x-cache"] == "hit"  # one cached page, two readers
    mine, theirs = first_page.text, second_page.text
    mine_token, their_token = token(client), token(other)
    assert mine_token != their_token and f'value="{mine_token}"' in mine and f'value="{their_token}"' in theirs
    assert their_token not in mine
    first = client.get("/api/pairs").json()[0]
    decision = {"a": first["a"]["slug"], "b": first["b"]["slug"], "decision": "accept"}
    assert other.post("/api/pairs/decision", json=decision, headers={"X-CSRF-Token": their_token}).status_code == 200
    assert f"{first['a']['name']} vs {first['b']['name']}<" not in client.get("/pairs").text  # gone at once


def test_a_page_on_another_host_name_cannot_use_the_server(site):
    client, _, _ = site
    assert client.get("/api/pairs").status_code == 200  # now cached: the cache must not answer other hosts
    rebound = TestClient(client.app, base_url="http://rebind.evil.example:8000")  # DNS rebinding to 127.0.0.1
    assert rebound.get("/api/csrf").status_code == 400 and rebound.get("/api/pairs").status_code == 400
    assert TestClient(client.app, base_url="http://localhost:8000").get("/api/pairs").status_code == 200


def test_a_foreign_csrf_cookie_is_never_pasted_into_a_page(site):
    client, _, _ = site
    for planted in ('x"><form action=/pairs/decide method=post>', 'a"b'):
        visitor = TestClient(client.app, base_url=BASE, cookies={"compare_csrf": planted})
        page = visitor.get("/pairs")
        assert planted not in page.text and page.cookies.get("compare_csrf") not in (None, planted)
        assert len(visitor.get("/api/csrf").json()["token"]) == 43
        refused = visitor.post("/api/pairs/decision", json={"a": "x", "b": "y", "decision": "accept"},
                               headers={"X-CSRF-Token": planted})  # fmt: skip
        assert refused.status_code == 403
    odd = client.post("/api/pairs/decision", json={"a": "x", "b": "y", "decision": "accept"},
                      headers={"X-CSRF-Token": "é".encode("latin-1")})  # fmt: skip
    assert odd.status_code == 403


def test_decisions_name_cards_by_slug_where_names_repeat(site):
    client, store, _ = site
    assert {c["slug"] for c in store.cards() if c["name"] == "GPT-5"} == {"gpt-5", "gpt-5-2"}
    assert not any(p["a"]["name"] == p["b"]["name"] for p in client.get("/api/pairs").json())  # a resale is no pairing
    good = {"X-CSRF-Token": token(client)}
    assert client.get("/api/cards/gpt-5-2").json()["vendor"] == "Microsoft"
    answer = client.post(
        "/api/pairs/decision", json={"a": "claude opus 4", "b": "gpt-5-2", "decision": "reject"}, headers=good
    )
    assert answer.status_code == 200
    statuses = {
        (store.card(a)["vendor"], store.card(b)["vendor"]): s
        for (a, b), s in store.pair_statuses().items()
        if s != "suggested"
    }
    assert statuses == {("Anthropic", "Microsoft"): "rejected"}  # not OpenAI's GPT-5
    same_name = client.post(
        "/api/pairs/decision", json={"a": "gpt-5", "b": "gpt-5-2", "decision": "accept"}, headers=good
    )
    assert same_name.status_code == 200  # two cards, one name: still decidable
    assert client.get("/cards/" + "x" * 300).status_code == 422  # no card's slug, and no fuzzy search of it
    assert client.get("/api/like", params={"name": "x" * 300}).status_code == 422


def test_a_decision_waits_for_a_refresh_to_commit_instead_of_failing(site, tmp_path):
    client, store, _ = site
    writer = Store(tmp_path / "web.db")
    writer.db.execute("BEGIN IMMEDIATE")
    writer.db.execute("UPDATE cards SET tagline = 'being rewritten' WHERE slug = 'gpt-5'")  # a refresh mid-write
    threading.Timer(0.5, lambda: writer.db.execute("COMMIT")).start()
    started = time.monotonic()
    answer = client.post(
        "/cards/gpt-5-2/review", data={"csrf": token(client), "status": "skipped"}, follow_redirects=False
    )
    assert answer.status_code == 303 and time.monotonic() - started >= 0.4
    assert (
        store.card_by_slug("gpt-5-2")["review_status"] == "skipped"
        and store.card_by_slug("gpt-5")["review_status"] == "new"
    )
    writer.close()
    assert client.get("/pairs?x=1").headers["x-cache"] == client.get("/pairs?x=1").headers["x-cache"] == "miss"


# -- an editor's pairings: tabs by status, confirmation and undo, one comparison page, its draft


def _form(client, first, decision, next_path="/pairs?status=suggested"):
    return {"csrf": token(client), "a": first["a"]["slug"], "b": first["b"]["slug"], "decision": decision,
            "next": next_path}  # fmt: skip


def test_an_accepted_pairing_moves_to_its_tab_with_a_confirmation_and_undo_brings_it_back(site):
    client, store, _ = site
    first = client.get("/api/pairs").json()[0]
    title = f"{first['a']['name']} vs {first['b']['name']}"
    answer = client.post("/pairs/decide", data=_form(client, first, "accept"), follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/pairs?status=suggested&done=accepted&")
    confirmation = client.get(answer.headers["location"]).text
    assert re.search(rf"<strong>{re.escape(title)}</strong>: accepted\.", confirmation)
    assert 'value="undo"' in confirmation  # undo right in the confirmation
    accepted = client.get("/pairs?status=accepted").text
    assert title in accepted and 'class="here" id="tab-accepted"' in accepted
    assert [(p["a"]["slug"], p["b"]["slug"]) for p in client.get("/api/pairs?status=accepted").json()] == [
        (first["a"]["slug"], first["b"]["slug"])
    ]
    assert title not in [f"{p['a']['name']} vs {p['b']['name']}" for p in service.pairs(store, 50)]
    undo = client.post("/pairs/decide", data=_form(client, first, "undo", "/pairs?status=accepted"))
    assert undo.status_code == 200 and ": suggested." in undo.text
    assert client.get("/api/pairs?status=accepted").json() == []
    assert client.get("/api/pairs").json()[0]["a"]["slug"] == first["a"]["slug"]  # back, at its score


def test_the_api_takes_decision_words_either_way_and_answers_both(site):
    client, _, _ = site
    first = client.get("/api/pairs").json()[0]
    good = {"X-CSRF-Token": token(client)}
    body = {"a": first["a"]["slug"], "b": first["b"]["slug"], "decision": "Published"}
    answer = client.post("/api/pairs/decision", json=body, headers=good).json()
    assert (answer["decision"], answer["status"]) == ("published", "published")
    assert client.get("/api/pairs", params={"status": "PUBLISHED"}).json()[0]["status"] == "published"
    undone = client.post("/api/pairs/decision", json={**body, "decision": "undo"}, headers=good).json()
    assert undone["status"] == "suggested"
    again = client.post("/api/pairs/decision", json={**body, "decision": "undo"}, headers=good)
    assert again.status_code == 400 and "no decision to undo" in again.json()["detail"]
    assert client.get("/api/pairs", params={"status": "maybe"}).status_code == 422


def test_the_comparison_page_has_the_sites_layout_with_evidence_and_exports_a_draft(site):
    client, store, _ = site
    first = client.get("/api/pairs").json()[0]
    a, b = first["a"], first["b"]
    page = client.get(f"/pairs/{a['slug']}/vs/{b['slug']}")
    assert page.status_code == 200
    html = page.text
    assert f'<h1 id="comparison-title">{a["name"]} vs {b["name"]}</h1>' in html
    rows = re.findall(r'<th scope="row">([^<]+)</th>', html)
    assert rows == ["Pricing", "Best for", "Category", "Entry", "License", "Open weights", "Size", "Released"]
    card = service.card_details(store, a["slug"], by_slug=True)
    if card.get("license") and card["evidence"].get("license"):
        assert card["evidence"]["license"]["url"] in html  # the fact links to where it was read
    assert "Why this pairing" in html and "similar descriptions" in html
    assert "0." not in re.sub(r"<[^>]+>", "", html.split("Why this pairing")[1])  # words, not cosines
    rivals = html.split("Rivals named")[1]
    assert rivals.count("<li>") >= 2 and f">{b['name']}</a>" not in rivals.split("</div>")[0]
    draft = client.get(f"/pairs/{a['slug']}/vs/{b['slug']}.md")
    assert draft.headers["content-type"].startswith("text/markdown")
    text = draft.text
    assert text.startswith(f"# {a['name']} vs {b['name']}\n") and "## Decision" in text and "| Pricing |" in text
    assert f"/pairs/{a['slug']}/vs/{b['slug']}" in client.get(f"/cards/{a['slug']}").text  # linked from the card
    as_json = client.get(f"/api/pairs/{a['slug']}/vs/{b['slug']}").json()
    assert as_json["title"] == f"{a['name']} vs {b['name']}" and len(as_json["decision"]) == 8
    assert client.get(f"/pairs/{a['slug']}/vs/{a['slug']}").status_code == 400
    assert client.get(f"/pairs/{a['slug']}/vs/no-such-card").status_code == 404


@pytest.mark.parametrize("path", ["/like?q=moondream2", "/like?name=moondream2"])
def test_like_takes_q_as_search_does_and_the_old_name(site, path):
    client, _, _ = site
    html = client.get(path).text
    assert 'Like <a href="/cards/moondream2">moondream2</a>' in html and "did you mean" not in html


def test_a_card_opened_by_its_slug_is_no_closest_match_and_every_page_has_a_search_box(site):
    client, _, _ = site
    html = client.get("/cards/moondream2").text
    assert "closest card" not in html
    fields = html.split('id="fields"')[1].split("</table>")[0]
    assert "<td>Yes</td>" in fields and "True" not in fields  # words, not Python values
    for path in ("/", "/cards/moondream2", "/pairs", "/runs", "/like"):
        assert 'class="header-search"' in client.get(path).text


def test_the_cli_lists_decided_pairs_undoes_a_decision_and_drafts_a_comparison(site):
    from click.testing import CliRunner

    from compare.cli import main

    _, store, index_dir = site
    first = service.pairs(store, 1)[0]
    a, b = first["a"]["name"], first["b"]["name"]
    cli = ["--db", str(index_dir.parent / "web.db"), "--index-dir", str(index_dir)]
    run = CliRunner().invoke
    assert run(main, [*cli, "pair", "Accept", a, b]).output == f"{a} vs {b}: accepted\n"  # any case
    listed = run(main, [*cli, "pairs", "--status", "accepted"])
    assert listed.exit_code == 0 and f"{a} vs {b}" in listed.output
    assert f"{a} vs {b}" not in run(main, [*cli, "pairs"]).output
    draft = run(main, [*cli, "draft", a, b])
    assert draft.exit_code == 0 and draft.output.startswith(f"# {a} vs {b}\n") and "## Rivals named" in draft.output
    assert '"decision": [' in run(main, [*cli, "draft", a, b, "--format", "json"]).output
    assert run(main, [*cli, "pair", "undo", a, b]).output == f"{a} vs {b}: suggested\n"
    again = run(main, [*cli, "pair", "undo", a, b])
    assert again.exit_code != 0 and "no decision to undo" in again.output
    bad = run(main, [*cli, "pairs", "--status", "maybe"])
    assert bad.exit_code == 2 and "suggested" in bad.output and "accepted" in bad.output


# -- questions asked wrongly get one clear answer that says what is valid


def test_wrong_questions_get_one_clear_error_naming_the_valid_values(site):
    client, _, _ = site
    unknown = client.get("/api/like", params={"name": "moondream2", "category": "vision"})
    assert unknown.status_code == 422 and "Vision & Documents" in unknown.json()["detail"]
    assert client.get("/api/like", params={"name": "moondream2", "category": "vision & DOCUMENTS"}).status_code == 200
    assert client.get("/api/search", params={"q": "   "}).status_code == 422
    assert client.get("/api/like", params={"name": "moondream2", "k": 0}).status_code == 422
    page = client.get("/like", params={"q": "moondream2", "category": "vision"})
    assert page.status_code == 422 and 'id="query-error"' in page.text
    assert 'value="moondream2"' in page.text  # the form kept, to correct in place
    dated = client.get("/", params={"since": "last tuesday"})
    assert dated.status_code == 422 and "YYYY-MM-DD" in dated.text
    assert client.get("/", params={"since": "7d"}).status_code == 200


def test_the_cli_says_what_is_valid_takes_any_case_and_json_before_the_command(site):
    from click.testing import CliRunner

    from compare.cli import main

    _, _, index_dir = site
    cli = ["--db", str(index_dir.parent / "web.db"), "--index-dir", str(index_dir)]
    run = CliRunner().invoke
    for wrong, says in [
        (["like", "moondream2", "--category", "vision"], "Vision & Documents"),
        (["like", "moondream2", "-k", "0"], "0 is not in the range 1<=x<=50"),
        (["cards", "--since", "yesterdayish"], "YYYY-MM-DD"),
        (["search", "  "], "the search is empty"),
    ]:
        answer = run(main, [*cli, *wrong])
        assert answer.exit_code == 2 and says in answer.output, (wrong, answer.output)
    assert run(main, [*cli, "like", "moondream2", "--entry", "Free"]).exit_code == 0
    as_json = run(main, [*cli, "--json", "cards", "--since", "today"])
    assert as_json.exit_code == 0 and as_json.output.startswith("[")
    liked = run(main, [*cli, "--json", "like", "moondream2", "-k", "2"])
    assert json.loads(liked.output)["card"]["name"] == "moondream2"
    shown = run(main, [*cli, "show", "SmolVLM2-2B"])
    assert "no tool named 'SmolVLM2-2B'; closest match: SmolVLM2-2.2B-Instruct" in shown.output


def test_a_closed_pipe_ends_the_listing_silently(site):
    import subprocess
    import sys

    _, store, index_dir = site
    for n in range(300):  # enough lines that the pipe closes while the listing is written
        store.save_card(f"k:filler{n}", {"name": f"Filler Tool {n}", "slug": f"filler-{n}"}, str(n))
    command = f"{sys.executable} -m compare.cli --db {index_dir.parent / 'web.db'} cards | head -n 1"
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True, timeout=60)
    assert done.stderr == "" and len(done.stdout.splitlines()) == 1


def test_whats_new_filters_sorts_and_pages_and_says_how_it_ranks(site):
    client, store, _ = site
    for n in range(60):  # enough cards for two pages of 50
        store.save_card(f"k:extra{n}", {"name": f"Zeta Tool {n:02d}", "slug": f"zeta-{n}", "kind": "product",
                                        "category": "Coding", "released": f"2026-0{1 + n % 9}-01"}, str(n))  # fmt: skip
    first = client.get("/").text
    assert 'id="how"' in first and "novelty is half the release date" in first
    assert '<figure id="new-per-day"><svg class="chart"' in first  # every card here was first seen today
    assert first.count('class="card-row"') == 50 and "page 1 of 2" in first
    second = client.get("/?page=2").text
    assert "page 2 of 2" in second and 'rel="prev"' in second
    by_name = client.get("/?sort=name&kind=product").text
    names = re.findall(r'<td data-label="tool"><a href="/cards/[^"]+">([^<]+)</a>', by_name)
    assert names == sorted(names, key=str.lower) and names[0].startswith("Zeta Tool")
    released = client.get("/?sort=-released&category=coding").text
    days = re.findall(r'<td data-label="released" class="muted">([^<]+)</td>', released)
    assert days == sorted(days, reverse=True) and days[0] == "2026-09-01"  # newest first, any case of category
    assert re.search(r'href="\?[^"]*sort=released[^"]*" class="sort here">released ↓', released)  # click: reverse
    assert client.get("/?category=vision").status_code == 422
    assert client.get("/?page=9").status_code == 422 and client.get("/?sort=colour").status_code == 422


def test_a_request_with_thousands_of_parameters_is_refused_at_once(site):
    client, _, _ = site
    started = time.monotonic()
    flood = client.get("/search?" + "&".join(f"p{n}=x" for n in range(5_000)))
    assert flood.status_code == 414 and "at most" in flood.json()["detail"]
    assert client.get("/search", params={"q": "x" * 9000}).status_code == 414
    assert time.monotonic() - started < 1.0  # refused before anything parses it
    assert client.get("/search", params={"q": "speech"}).status_code == 200
