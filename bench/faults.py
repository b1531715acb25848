"""Fault campaign: what the hourly refresh meets on sites it does not control, each fault against
a database that already holds a good demo refresh.

For every fault a small snapshot (host `faults.example`) is served by the mirror, whose
`.headers` lines inject statuses, stalls and dropped connections; the refresh runs as an editor
would run it (`compare refresh --sources ... --mirror ... --json`, the fake embedder, so torch
is not what is measured) on a copy of the good database. A fault is survived when the refresh
exits 0 without a traceback; its reason must be stored on the fault's page or extraction row
and shown on `/runs`; the refresh's process tree must stay under 2 GiB; and every card, fact,
price and page row that was there before must be there unchanged.

    python bench/faults.py            # every fault (about 10 minutes on 2 cores)
    python bench/faults.py --quick    # the CI subset (tests/test_faults.py)
    python bench/faults.py --only gzip-bomb,redirect-loop

Prints a table (fault, outcome, reason recorded, seconds, peak RSS, earlier data intact) and,
last, one JSON line with the totals.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from scale import TreeMemory  # noqa: E402
from serve import free_port, wait_ready  # noqa: E402

from compare.config import Settings  # noqa: E402
from compare.web import create_app  # noqa: E402

HOST = "faults.example"
BASE = f"https://{HOST}"
LISTING = "https://huggingface.co/api/models?sort=createdAt&direction=-1&fault=1"  # a listing is told by its URL
LISTING_FILE = "/huggingface.co/api/models?sort=createdAt&direction=-1&fault=1"
MEMORY_LIMIT_MB = 2048
PAGE = (
    "<html><head><title>Acme Vision 2 launches</title></head><body><article><h1>Introducing Acme Vision 2</h1>"
    + "<p>Acme Vision 2 is an open-weights vision language model from Acme, released under the Apache 2.0"
    " license. It reads documents and charts.</p>" * 20 + "</article></body></html>"
)


@dataclass
class Fault:
    """One fault: the snapshot files it serves (path under the host -> bytes), the sources that
    lead the crawler to it, and what must follow: `stored` (the page arrives after all) or the
    words its recorded reason must contain."""

    name: str
    files: dict[str, bytes]
    sources: list[tuple[str, str]]  # (kind, path under the host)
    expect_reason: str = ""
    stored: str = ""  # a path under the host (or a whole URL) whose page must be stored with content
    # Files are paths under the host, or under the snapshot's root where they start with "/";
    # a source is (kind, a path under the host or a whole URL).
    quick: bool = False
    notes: list[str] = field(default_factory=list)


def headers(**lines: object) -> bytes:
    return "".join(f"{name.replace('_', '-')}: {value}\n" for name, value in lines.items()).encode()


def page_fault(name: str, extra: dict[str, bytes], **expect: object) -> Fault:
    return Fault(name, {"page.html": PAGE.encode(), **extra}, [("page", "page.html")], **expect)


def gzip_bomb(inflated_gb: int = 4) -> bytes:
    """A few MB on the wire that inflate to `inflated_gb` GB: identical gzip members, each 256 MB
    of zeros (a gzip file may hold several members, and decoders read them all)."""
    member = gzip.compress(b"\0" * (256 * 2**20), compresslevel=9)
    return member * (inflated_gb * 4)


def rss(items: int, truncated: bool = False) -> bytes:
    body = "".join(f"<item><link>/p/{n}</link></item>" for n in range(items))  # 3 MB at 100k
    text = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Faults</title>{body}</channel></rss>'
    return text.encode()[: len(text) // 2] if truncated else text.encode()


def hub_model(hub_id: str, readme: str) -> dict[str, bytes]:
    """A Hub listing of one model (on faults.example) and the model's API JSON and README, which
    the crawler asks huggingface.co for."""
    api = {"id": hub_id, "modelId": hub_id, "author": hub_id.split("/")[0], "pipeline_tag": "text-generation",
           "createdAt": "2026-12-01T00:00:00.000Z", "lastModified": "2026-12-01T00:00:00.000Z", "downloads": 10,
           "likes": 1, "tags": ["transformers"], "cardData": {"license": "apache-2.0"}}  # fmt: skip
    return {
        LISTING_FILE: json.dumps([api]).encode(),
        f"/huggingface.co/api/models/{hub_id}": json.dumps(api).encode(),
        f"/huggingface.co/{hub_id}/raw/main/README.md": readme.encode(),
    }


def faults() -> list[Fault]:
    bad_yaml = "---\nlicense: [apache-2.0\ntags: {oops\n---\n# Broken\n\nA model whose front matter does not parse.\n"
    return [
        page_fault(
            "429 Retry-After 1, then OK",
            {"page.html.headers": headers(Status=429, Status_Times=1, Retry_After=1)},
            stored="page.html",
            quick=True,
        ),
        page_fault(
            "429 Retry-After 100000",
            {"page.html.headers": headers(Status=429, Retry_After=100000)},
            expect_reason="429",
            quick=True,
        ),
        page_fault(
            "500 twice, then OK", {"page.html.headers": headers(Status=500, Status_Times=2)}, stored="page.html"
        ),
        page_fault("503 every time", {"page.html.headers": headers(Status=503)}, expect_reason="503"),
        page_fault(
            "stall past the timeout, then OK",
            {"page.html.headers": headers(Delay=35, Delay_Times=1)},
            stored="page.html",
        ),
        page_fault(
            "stall past the timeout, every time", {"page.html.headers": headers(Delay=35)}, expect_reason="timeout"
        ),
        page_fault(
            "truncated body", {"page.html.headers": headers(Truncate_At=300)}, expect_reason="truncated", quick=True
        ),
        page_fault(
            "body over DOWNLOAD_MAXSIZE", {"page.html": b"<html><body>" + b"x" * (6 * 2**20)}, expect_reason="size"
        ),
        page_fault(
            "50 MB single-line page", {"page.html": b"<html><body><p>" + b"word " * (10 * 2**20)}, expect_reason="size"
        ),
        page_fault(
            "gzip bomb (4 MB -> 4 GB)",
            {"page.html": gzip_bomb(), "page.html.headers": headers(Content_Encoding="gzip", Content_Type="text/html")},
            expect_reason="size",
            quick=True,
        ),
        Fault(
            "redirect loop",
            {
                "a.html": b"",
                "a.html.headers": headers(Status=301, Location=f"{BASE}/b.html"),
                "b.html": b"",
                "b.html.headers": headers(Status=301, Location=f"{BASE}/a.html"),
            },
            [("page", "a.html")],
            expect_reason="redirect",
            quick=True,
        ),
        Fault(
            "redirect to another host",
            {
                "moved.html": b"",
                "moved.html.headers": headers(Status=301, Location="https://elsewhere.example/page.html"),
                "../elsewhere.example/page.html": PAGE.encode(),
            },
            [("page", "moved.html")],
            stored="https://elsewhere.example/page.html",
        ),
        Fault(
            "redirect to a private address",
            {
                "meta.html": b"",
                "meta.html.headers": headers(Status=302, Location="http://169.254.169.254/latest/meta-data/"),
            },
            [("page", "meta.html")],
            expect_reason="refused:",
            quick=True,
        ),
        Fault(
            "malformed RSS",
            {"rss.xml": rss(3, truncated=True)},
            [("feed", "rss.xml")],
            expect_reason="malformed",
            quick=True,
        ),
        Fault(
            "malformed Atom",
            {
                "atom.xml": b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                b"<title>x</title><entry><title>Half"
            },
            [("feed", "atom.xml")],
            expect_reason="malformed",
        ),
        Fault(
            "malformed JSON Feed",
            {
                "feed.json": b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"u',
                "feed.json.headers": headers(Content_Type="application/feed+json"),
            },
            [("feed", "feed.json")],
            expect_reason="malformed",
        ),
        Fault("feed of 100k items", {"big.xml": rss(100_000)}, [("feed", "big.xml")], stored="big.xml"),
        Fault(
            "Hub listing of the wrong shape",
            {LISTING_FILE: b'{"models": "not a list"}'},
            [("hf_hub", LISTING)],
            expect_reason="not a JSON array",
            quick=True,
        ),
        Fault(
            "Hub listing of wrong types",
            {
                LISTING_FILE: json.dumps(
                    [{"id": 7, "tags": "x", "likes": "many"}, "a string", None, {"id": ["x"]}]
                ).encode()
            },
            [("hf_hub", LISTING)],
            expect_reason="entries skipped",
        ),
        Fault(
            "broken YAML front matter",
            hub_model("acme/broken-yaml-7b", bad_yaml),
            [("hf_hub", LISTING)],
            expect_reason="YAML",
            quick=True,
        ),
        page_fault(
            "invalid UTF-8",
            {"page.html": PAGE.encode().replace(b"documents", b"\xff\xfe\xc3(docs")},
            stored="page.html",
        ),
        page_fault(
            "200k nested elements",
            {
                "page.html": b"<html><head><title>Deep page</title></head><body>"
                + b"<div>" * 200_000
                + b"deep"
                + b"</div>" * 200_000
                + b"</body></html>"
            },
            stored="page.html",
        ),
        page_fault(
            "robots.txt forbids everything", {"robots.txt": b"User-agent: *\nDisallow: /\n"}, expect_reason="robots"
        ),
    ]


def run(command: list[str], env: dict[str, str], timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def cli(folder: Path, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "compare.cli",
        "--db",
        str(folder / "compare.db"),
        "--index-dir",
        str(folder / "index"),
        *args,
    ]


def environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "COMPARE_EMBEDDER": "fake",
        "COMPARE_CRAWL_DIR": str(folder / "crawl"),
        "COMPARE_PROGRESS": "0",
        "HF_HUB_OFFLINE": "1",
    }


def earlier_rows(db: Path, before: dict[str, int] | None = None) -> tuple[str, dict[str, int]]:
    """A checksum of the rows a good refresh left (cards' facts, prices, pages), and the row ids
    it ends at; given `before`, only rows up to those ids count, so new rows do not."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ends = before or {
            table: connection.execute(f"SELECT coalesce(max(rowid), 0) FROM {table}").fetchone()[0]
            for table in ("cards", "facts", "prices", "pages")
        }
        digest = hashlib.sha256()
        queries = {
            "cards": "SELECT id, key, name, vendor, license, entry, pricing_text, prices, content_hash, active "
            "FROM cards WHERE rowid <= ? ORDER BY rowid",
            "facts": "SELECT * FROM facts WHERE rowid <= ? ORDER BY rowid",
            "prices": "SELECT * FROM prices WHERE rowid <= ? ORDER BY rowid",
            "pages": "SELECT url, content_hash, body FROM pages WHERE rowid <= ? ORDER BY rowid",
        }
        for table, sql in queries.items():
            for row in connection.execute(sql, [ends[table]]):
                digest.update(repr(row).encode())
        ok = connection.execute("PRAGMA integrity_check").fetchone()[0]
        digest.update(ok.encode())
        return digest.hexdigest(), ends
    finally:
        connection.close()


def recorded_reasons(db: Path) -> set[tuple[str, str]]:
    """Every (url, reason) stored on a page or extraction row: fetch errors, extraction failures
    and skips (a fault's reasons are those its refresh added)."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        found = set(connection.execute("SELECT url, error FROM pages WHERE error IS NOT NULL"))
        found |= set(connection.execute("SELECT url, reason FROM extractions WHERE reason IS NOT NULL"))
        return found
    finally:
        connection.close()


def stored_page(db: Path, path: str) -> bool:
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        url = path if "://" in path else f"{BASE}/{path}"
        row = connection.execute(
            "SELECT 1 FROM pages WHERE url = ? AND error IS NULL AND length(body) > 0", [url]
        ).fetchone()
        return row is not None
    finally:
        connection.close()


def runs_page(folder: Path) -> str:
    settings = Settings(db_path=folder / "compare.db", index_dir=folder / "index", web_cache=False)
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as client:
        return client.get("/runs").text


def try_fault(fault: Fault, good: Path, work: Path) -> dict[str, object]:
    folder = work / "run"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(good, folder, ignore=shutil.ignore_patterns("crawl"))
    snapshot = folder / "snapshot"
    for path, body in fault.files.items():
        target = snapshot / path.lstrip("/") if path.startswith("/") else snapshot / HOST / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    sources = folder / "sources.toml"
    urls = [(kind, path if "://" in path else f"{BASE}/{path}") for kind, path in fault.sources]
    sources.write_text("".join(f'[[source]]\nkind = "{kind}"\nurl = "{url}"\n\n' for kind, url in urls))
    checksum, ends = earlier_rows(folder / "compare.db")
    earlier_reasons = recorded_reasons(folder / "compare.db")
    started = time.monotonic()
    process = subprocess.Popen(
        cli(folder, "refresh", "--sources", str(sources), "--mirror", str(snapshot), "--json"),
        env=environment(folder),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    memory = TreeMemory(process.pid)
    try:
        stdout, stderr = process.communicate(timeout=900)
    finally:
        memory.stop()
    seconds = time.monotonic() - started
    try:
        status = json.loads(stdout)["status"]
    except (ValueError, KeyError, TypeError):
        status = f"exit {process.returncode}"
    survived = process.returncode == 0 and "Traceback" not in stderr and status in ("ok", "partial")
    reasons = sorted(reason for _, reason in recorded_reasons(folder / "compare.db") - earlier_reasons)
    if fault.stored:
        matched = "stored" if stored_page(folder / "compare.db", fault.stored) else ""
    else:
        matched = next((reason for reason in reasons if fault.expect_reason.lower() in reason.lower()), "")
    shown = True
    if matched and matched != "stored":
        shown = " ".join(matched.removeprefix("problem: ").split())[:40] in _words(runs_page(folder))
    intact = earlier_rows(folder / "compare.db", ends)[0] == checksum
    peak = memory.peak_sum_mb
    return {
        "fault": fault.name,
        "outcome": status if survived else f"DIED ({status}): {stderr.strip().splitlines()[-1:] or ''}",
        "survived": survived,
        "reason": matched,
        "reason_ok": bool(matched) and shown,
        "seconds": round(seconds, 1),
        "peak_rss_mb": round(peak),
        "memory_ok": peak < MEMORY_LIMIT_MB,
        "intact": intact,
    }


def _words(text: str) -> str:
    """Text as a page shows it, for a containment check: entities and spacing evened out."""
    import html
    import re

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


HOSTILE = (
    "<html><head><title>Introducing Evil Model</title></head><body><article><h1>Introducing Evil Model</h1>"
    '<p>Evil Model "><img src=x onerror=alert(1)> is a <script>alert(2)</script> language model from Evil Labs, '
    'released under the MIT license. <a href="javascript:alert(3)">Try it</a>.</p>' * 3 + "</article></body></html>"
)
FTS_QUERIES = ('"unbalanced', "NEAR(", "col:value", "*", "AND OR NOT", "name:gpt*", ")(", "^")


def web_campaign(good: Path, work: Path, p95_limit_s: float | None = 2.0) -> list[dict[str, object]]:
    """The editors' server under attack and load, on the good database plus one hostile page:
    one row per check."""
    import threading

    import httpx

    folder = work / "web"
    shutil.copytree(good, folder, ignore=shutil.ignore_patterns("crawl"))
    snapshot = folder / "snapshot"
    (snapshot / HOST).mkdir(parents=True)
    (snapshot / HOST / "evil.html").write_text(HOSTILE)
    sources = folder / "sources.toml"
    sources.write_text(f'[[source]]\nkind = "page"\nurl = "{BASE}/evil.html"\n')
    run(cli(folder, "refresh", "--sources", str(sources), "--mirror", str(snapshot), "--json"), environment(folder))
    port = free_port()
    env = environment(folder)
    server = subprocess.Popen(cli(folder, "serve", "--port", str(port)), env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, cwd=ROOT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    rows: list[dict[str, object]] = []

    def check(name: str, test: Callable[[httpx.Client], str]) -> None:
        started = time.monotonic()
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                verdict = test(client)
        except Exception as error:  # a check that breaks is a failed row, not a dead campaign
            verdict = f"FAILED: {type(error).__name__}: {error}"
        rows.append({"fault": name, "survived": not verdict.startswith("FAILED"), "reason": verdict,
                     "seconds": round(time.monotonic() - started, 2)})  # fmt: skip

    try:
        wait_ready(base, server)
        connection = sqlite3.connect(folder / "compare.db")
        evil_slug = connection.execute(
            "SELECT c.slug FROM cards c JOIN card_sources s ON s.card_id = c.id WHERE s.url = ?", [f"{BASE}/evil.html"]
        ).fetchone()
        slugs = [row[0] for row in connection.execute("SELECT slug FROM cards WHERE active ORDER BY id")]
        connection.close()

        def hostile(client: httpx.Client) -> str:
            if not evil_slug:
                return "FAILED: the hostile page made no card"
            page = client.get(f"/cards/{evil_slug[0]}").text
            live = [bad for bad in ("<script>alert", "<img src=x", 'href="javascript:') if bad in page]
            return f"FAILED: live markup {live}" if live else "inert: shown as text, no javascript: link"

        def csrf(client: httpx.Client) -> str:
            pair = client.get("/api/pairs").json()[0]
            body = {"a": pair["a"]["slug"], "b": pair["b"]["slug"], "decision": "reject"}
            token = client.get("/api/csrf").json()["token"]
            answers = [client.post("/api/pairs/decision", json=body).status_code,
                       client.post("/api/pairs/decision", json=body, headers={"X-CSRF-Token": "guess"}).status_code,
                       client.post("/api/pairs/decision", json=body, headers={"X-CSRF-Token": token,
                                   "Origin": "https://evil.example"}).status_code]  # fmt: skip
            return f"refused {answers}" if answers == [403, 403, 403] else f"FAILED: {answers}"

        def foreign_host(client: httpx.Client) -> str:
            status = client.get("/", headers={"Host": "evil.example"}).status_code
            return f"refused {status}" if status in (400, 421) else f"FAILED: {status}"

        def long_query(client: httpx.Client) -> str:
            started = time.monotonic()
            status = raw_get(port, "/search?q=" + "x" * 100_000)
            took = time.monotonic() - started
            verdict = f"{status} in {took * 1000:.0f} ms"
            return verdict if status == 414 and took < 1 else f"FAILED: {verdict}"

        def fts_syntax(client: httpx.Client) -> str:
            statuses = {query: client.get("/search", params={"q": query}).status_code for query in FTS_QUERIES}
            bad = {query: status for query, status in statuses.items() if status >= 500}
            return f"FAILED: {bad}" if bad else f"answered {sorted(set(statuses.values()))}, no 5xx"

        def flood(client: httpx.Client) -> str:
            other: dict[str, float] = {}

            def meanwhile() -> None:
                time.sleep(0.05)
                started = time.monotonic()
                with httpx.Client(base_url=base, timeout=60) as second:
                    second.get(f"/cards/{slugs[1]}")
                other["s"] = time.monotonic() - started

            thread = threading.Thread(target=meanwhile)
            thread.start()
            started = time.monotonic()
            status = raw_get(port, "/search?" + "&".join(f"p{n}=x" for n in range(14_000)))
            took = time.monotonic() - started
            thread.join()
            verdict = f"{status} in {took * 1000:.0f} ms; a page asked meanwhile took {other['s'] * 1000:.0f} ms"
            return verdict if status == 414 and took < 1 and other["s"] < 2 else f"FAILED: {verdict}"

        def concurrent(client: httpx.Client) -> str:
            paths = [f"/cards/{slug}" for slug in slugs] + [f"/like?q={slug}" for slug in slugs]
            paths += [f"/search?q=open+model+{n}" for n in range(40)] + [f"/api/search?q=speech+{n}" for n in range(40)]
            paths = paths[:200]  # every one asked once: none answered from the server's cache
            timings, statuses = asyncio.run(all_at_once(base, paths))
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            errors = sum(status >= 500 for status in statuses)
            verdict = f"{len(statuses)} answered, {errors} server errors, p95 {p95:.2f} s"
            fast_enough = p95_limit_s is None or p95 < p95_limit_s
            return verdict if errors == 0 and fast_enough and len(statuses) == 200 else f"FAILED: {verdict}"

        def decisions_during_refresh(client: httpx.Client) -> str:
            return decide_while_refreshing(client, folder, slugs)

        check("hostile crawled text", hostile)
        check("POST without or with a wrong CSRF token, foreign Origin", csrf)
        check("a foreign Host", foreign_host)
        check("a 100 KB query string", long_query)
        check("FTS5 syntax in search", fts_syntax)
        check("14,000 query parameters", flood)
        check("200 concurrent uncached GETs", concurrent)
        check("decisions posted while a refresh writes", decisions_during_refresh)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def decide_while_refreshing(client: object, folder: Path, slugs: list[str]) -> str:
    """Post review statuses and pair decisions through the API while a refresh rewrites every
    stage of the same database; each must be there after it."""
    connection = sqlite3.connect(folder / "compare.db")
    with connection:
        connection.execute("DELETE FROM extractions")  # extract, cards, categories and pairs all rewrite
        connection.execute("DELETE FROM stage_inputs")
    connection.close()
    token = client.get("/api/csrf").json()["token"]
    headers = {"X-CSRF-Token": token}
    pairs = [(p["a"]["slug"], p["b"]["slug"]) for p in client.get("/api/pairs", params={"limit": 200}).json()]
    snapshot = folder / "snapshot"
    refresh = subprocess.Popen(cli(folder, "refresh", "--sources", str(folder / "sources.toml"), "--mirror",
                                   str(snapshot), "--json"), env=environment(folder), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
    reviews: dict[str, str] = {}
    decided: dict[tuple[str, str], str] = {}
    made = 0
    while refresh.poll() is None:
        slug, review = slugs[made % len(slugs)], ("reviewed", "skipped")[made % 2]
        if client.post(f"/api/cards/{slug}/review", json={"status": review}, headers=headers).status_code == 200:
            reviews[slug] = review
        (a, b), word = pairs[made % len(pairs)], ("accept", "reject", "publish")[made % 3]
        answer = client.post("/api/pairs/decision", json={"a": a, "b": b, "decision": word}, headers=headers)
        if answer.status_code == 200:
            decided[(a, b)] = answer.json()["status"]
        made += 1
    refresh.communicate()
    connection = sqlite3.connect(folder / "compare.db")
    review_of = "SELECT review_status FROM cards WHERE slug = ?"
    lost = [slug for slug, status in reviews.items() if connection.execute(review_of, [slug]).fetchone()[0] != status]
    for (a, b), status in decided.items():
        ids = [connection.execute("SELECT id FROM cards WHERE slug = ?", [slug]).fetchone()[0] for slug in (a, b)]
        row = connection.execute("SELECT status FROM pairs WHERE a = ? AND b = ?", [min(ids), max(ids)]).fetchone()
        if not row or row[0] != status:
            lost.append(f"{a} vs {b}")
    connection.close()
    verdict = f"{len(reviews) + len(decided)} decisions during the refresh, {len(lost)} lost"
    return verdict if not lost and refresh.returncode == 0 and made >= 10 else f"FAILED: {verdict} {lost[:3]}"


async def all_at_once(base: str, paths: list[str]) -> tuple[list[float], list[int]]:
    """GET every path at the same moment (one connection each) from one event loop: 200 client
    threads on a 2-core machine would take the CPU the server is being measured on."""
    import httpx

    limits = httpx.Limits(max_connections=len(paths), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:

        async def get(path: str) -> tuple[float, int]:
            started = time.monotonic()
            status = (await client.get(path)).status_code
            return time.monotonic() - started, status

        answers = await asyncio.gather(*(get(path) for path in paths))
    return [took for took, _ in answers], [status for _, status in answers]


def raw_get(port: int, path: str) -> int:
    """A GET of any length (httpx refuses URLs past 64 KB before sending them)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def good_database(work: Path) -> Path:
    good = work / "good"
    good.mkdir()
    result = run(cli(good, "demo", "--json"), environment(good))
    if result.returncode != 0:
        raise SystemExit(f"the good demo refresh failed: {result.stderr[-2000:]}")
    return good


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the CI subset")
    parser.add_argument("--only", help="comma-separated fault names (or the start of one)")
    parser.add_argument("--no-web", action="store_true", help="leave out the web server's checks")
    args = parser.parse_args(argv)
    chosen: list[Fault] = [fault for fault in faults() if fault.quick or not args.quick]
    if args.only:
        wanted = [name.strip().lower() for name in args.only.split(",")]
        chosen = [fault for fault in chosen if any(fault.name.lower().startswith(name) for name in wanted)]
    with tempfile.TemporaryDirectory(prefix="compare-faults-") as tmp:
        work = Path(tmp)
        good = good_database(work)
        results = []
        print(f"{'fault':40} {'outcome':9} {'reason recorded':52} {'s':>6} {'MB':>5} intact", flush=True)
        for fault in chosen:
            result = try_fault(fault, good, work)
            results.append(result)
            reason = str(result["reason"]).replace("\n", " ")[:50] or "(none)"
            mark = "" if result["reason_ok"] else "  <- no reason on the row or /runs"
            print(
                f"{fault.name[:40]:40} {str(result['outcome'])[:9]:9} {reason:52} {result['seconds']:6.1f} "
                f"{result['peak_rss_mb']:5d} {'yes' if result['intact'] else 'NO'}{mark}",
                flush=True,
            )
        # The quick subset (CI, a machine of unknown speed) reports the p95 but does not judge it.
        web = [] if args.no_web or args.only else web_campaign(good, work, None if args.quick else 2.0)
        for row in web:
            print(f"web: {row['fault'][:55]:55} {row['reason']}  ({row['seconds']} s)", flush=True)
    summary = {
        "tried": len(results),
        "survived": sum(bool(r["survived"]) for r in results),
        "reasons_recorded": sum(bool(r["reason_ok"]) for r in results),
        "data_lost": sum(not r["intact"] for r in results),
        "over_memory": sum(not r["memory_ok"] for r in results),
        "peak_rss_mb": max((int(r["peak_rss_mb"]) for r in results), default=0),
        "seconds": round(sum(float(r["seconds"]) for r in results), 1),
        "failed": [
            r["fault"] for r in results if not (r["survived"] and r["reason_ok"] and r["intact"] and r["memory_ok"])
        ]
        + [f"web: {row['fault']}" for row in web if not row["survived"]],
        "web_checks": len(web),
        "web_passed": sum(bool(row["survived"]) for row in web),
    }
    print(json.dumps(summary))
    return 0 if not summary["failed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
