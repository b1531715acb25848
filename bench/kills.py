"""Crash campaign: kill -9 the demo refresh's whole process group at moments spread over every
stage, rerun it normally, and check that nothing was lost, doubled or left locked.

A clean refresh of the demo gives the reference: a checksum of pages, cards, facts, prices and
pairs by their natural keys (no row ids or times), and the seconds of each stage. Each kill
starts the same refresh in a fresh folder, watches what it stores (run row, pages, extractions,
cards, vectors, index manifest, pairs), and at the moment its stage has reached (a share of a
table filled, then a share of that stage's clean seconds) sends SIGKILL to the process group
(the CLI, the crawler, Prefect's temporary server). What the killed run had stored shows where
it died. Then a
normal rerun must end `ok` with: `PRAGMA integrity_check` ok; the clean checksum; no duplicate
rows; the index and the database agreeing (`compare like` answers, vectors = indexed cards); the
killed run's row closed as `interrupted`; the refresh lock free.

    python bench/kills.py                 # 20 kills over every stage, the real embedder
    python bench/kills.py --kills 4 --embedder fake   # the CI subset (make faults-quick)

Prints a line per kill and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Natural keys only: a rerun may number rows differently and stamp other times.
CHECKSUM = {
    "pages": "SELECT url, content_hash, error FROM pages ORDER BY url",  # status: 304 once seen
    "cards": "SELECT key, slug, name, vendor, category, entry, license, pricing_text, prices, content_hash, active "
    "FROM cards ORDER BY key",
    "facts": "SELECT c.key, f.field, f.value, f.url, f.snippet FROM facts f JOIN cards c ON c.id = f.card_id "
    "ORDER BY 1, 2, 3, 4, 5",
    "prices": "SELECT c.key, p.item, p.amount, p.currency, p.unit, p.tier, p.url FROM prices p "
    "JOIN cards c ON c.id = p.card_id ORDER BY 1, 2, 3, 4, 5, 6, 7",
    "pairs": "SELECT ca.key, cb.key, round(p.score, 6), p.status FROM pairs p JOIN cards ca ON ca.id = p.a "
    "JOIN cards cb ON cb.id = p.b ORDER BY 1, 2",
}
DUPLICATES = {
    "facts": "SELECT count(*) FROM (SELECT card_id, field, value, observed_at FROM facts GROUP BY 1, 2, 3, 4 "
    "HAVING count(*) > 1)",
    "prices": "SELECT count(*) FROM (SELECT card_id, item, unit, tier, amount, observed_at FROM prices "
    "GROUP BY 1, 2, 3, 4, 5, 6 HAVING count(*) > 1)",
    "extractions": "SELECT count(*) FROM (SELECT url, content_hash, extractor_version FROM extractions "
    "GROUP BY 1, 2, 3 HAVING count(*) > 1)",
    "card names": "SELECT count(*) FROM (SELECT lower(name), vendor FROM cards WHERE active GROUP BY 1, 2 "
    "HAVING count(*) > 1)",
}


def command(folder: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "compare.cli", "--db", str(folder / "compare.db"), "--index-dir",
            str(folder / "index"), *args]  # fmt: skip


def environment(folder: Path, embedder: str) -> dict[str, str]:
    return {**os.environ, "COMPARE_EMBEDDER": embedder, "COMPARE_CRAWL_DIR": str(folder / "crawl"),
            "COMPARE_PROGRESS": "0", "HF_HUB_OFFLINE": "1"}  # fmt: skip


def query(db: Path, sql: str) -> list[tuple]:
    if not db.exists():
        return []
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return connection.execute(sql).fetchall()
    except sqlite3.OperationalError:  # a table not made yet
        return []
    finally:
        connection.close()


def checksum(db: Path) -> dict[str, str]:
    return {table: hashlib.sha256(repr(query(db, sql)).encode()).hexdigest()[:16] for table, sql in CHECKSUM.items()}


def stored(db: Path) -> dict[str, int]:
    """How far a run got: rows of each stage's table."""
    counts = {
        "pages": "SELECT count(*) FROM pages",
        "extractions": "SELECT count(*) FROM extractions",
        "cards": "SELECT count(*) FROM cards",
        "vectors": "SELECT count(*) FROM embeddings",
        "pairs": "SELECT count(*) FROM pairs",
    }
    return {name: (query(db, sql) or [(0,)])[0][0] for name, sql in counts.items()}


def clean_run(folder: Path, embedder: str) -> tuple[dict[str, str], dict[str, float], dict[str, int]]:
    """The reference: checksum, seconds per stage and rows stored of a refresh left alone."""
    folder.mkdir(parents=True)
    result = subprocess.run(command(folder, "demo", "--json"), env=environment(folder, embedder), capture_output=True,
                            text=True, timeout=900, cwd=ROOT)  # fmt: skip
    if result.returncode != 0:
        raise SystemExit(f"the clean refresh failed: {result.stderr[-2000:]}")
    seconds = json.loads(query(folder / "compare.db", "SELECT stage_seconds FROM runs ORDER BY id DESC")[0][0])
    return checksum(folder / "compare.db"), seconds, stored(folder / "compare.db")


@dataclass(frozen=True)
class Kill:
    """Kill when `ready(stored, total)` first holds (what the refresh has stored so far against
    the clean run's totals), `delay(seconds)` later (the clean run's seconds per stage)."""

    stage: str
    ready: Callable[[dict[str, int], dict[str, int]], bool]
    delay: Callable[[dict[str, float]], float] = lambda seconds: 0.0


def at(stage: str, table: str, share: float = 1.0, after: float = 0.0) -> Kill:
    """Once `table` holds `share` of its clean count, `after` of the stage's own seconds later."""
    return Kill(stage, lambda now, total: now[table] >= max(1, int(total[table] * share)),
                lambda seconds: seconds.get(stage, 0.0) * after)  # fmt: skip


RUN_ROW = "run"  # a pseudo-table: 1 once the flow has written its run row
# Twenty moments over every stage, each triggered by what the refresh has just stored (a timer
# alone misses stages of a few milliseconds): the tables fill in flow order.
KILLS = [
    at("crawl", RUN_ROW, after=0.15), at("crawl", RUN_ROW, after=0.5), at("crawl", RUN_ROW, after=0.85),
    at("ingest", "pages", 0.01), at("ingest", "pages", 0.6),
    at("extract", "pages", after=0.3), at("extract", "extractions", 0.4),
    at("cards", "extractions"), at("cards", "extractions", after=0.5),
    at("embed", "cards", after=0.1), at("embed", "cards", after=0.4), at("embed", "cards", after=0.7),
    at("embed", "cards", after=0.95),
    at("categorise", "vectors"), at("categorise", "vectors", after=0.5),
    at("index", "vectors", after=2.0), Kill("index", lambda now, total: now["vectors"] >= total["vectors"],
                                            lambda seconds: seconds.get("categorise", 0) + seconds.get("index", 0) / 2),
    at("pairs", "manifest"), at("pairs", "manifest", after=0.5),
    at("finishing", "pairs"),
]  # fmt: skip


def progress(folder: Path) -> dict[str, int]:
    """What a refresh has stored so far: rows per stage table, its run row, its index manifest."""
    counts = stored(folder / "compare.db")
    counts[RUN_ROW] = len(query(folder / "compare.db", "SELECT id FROM runs WHERE status = 'running'"))
    counts["manifest"] = int((folder / "index" / "manifest.json").exists())
    return counts


def kill_when(folder: Path, embedder: str, kill: Kill, seconds: dict[str, float], total: dict[str, int]) -> dict:
    """Start the refresh and SIGKILL its process group (CLI, crawler, Prefect's server) at the
    kill's moment."""
    folder.mkdir(parents=True)
    process = subprocess.Popen(command(folder, "demo", "--json"), env=environment(folder, embedder),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                               start_new_session=True)  # fmt: skip
    totals = {**total, RUN_ROW: 1, "manifest": 1}
    deadline = time.monotonic() + 600
    while process.poll() is None and time.monotonic() < deadline and not kill.ready(progress(folder), totals):
        time.sleep(0.005)
    time.sleep(kill.delay(seconds))
    finished_first = process.poll() is not None
    with contextlib.suppress(ProcessLookupError):  # it finished before its moment came
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return {"finished_before_kill": finished_first, "stored_at_kill": progress(folder)}


def rerun_and_check(folder: Path, embedder: str, clean: dict[str, str]) -> dict[str, object]:
    db = folder / "compare.db"
    result = subprocess.run(command(folder, "demo", "--json"), env=environment(folder, embedder), capture_output=True,
                            text=True, timeout=900, cwd=ROOT)  # fmt: skip
    status = json.loads(result.stdout)["status"] if result.returncode == 0 else f"exit {result.returncode}"
    problems = []
    if status != "ok":
        problems.append(f"rerun {status}: {result.stderr.strip()[-300:]}")
    if "Traceback" in result.stderr:
        last = [line for line in result.stderr.strip().splitlines() if line.strip()][-2:]
        problems.append(f"a traceback on the rerun: {' / '.join(last)[-300:]}")
    integrity = query(db, "PRAGMA integrity_check")
    if integrity != [("ok",)]:
        problems.append(f"integrity_check {integrity[:3]}")
    differs = [table for table, digest in checksum(db).items() if clean.get(table) != digest]
    if differs:
        problems.append(f"differs from the clean run: {', '.join(differs)}")
    doubled = [name for name, sql in DUPLICATES.items() if (query(db, sql) or [(0,)])[0][0]]
    if doubled:
        problems.append(f"duplicates in {', '.join(doubled)}")
    left_running = query(db, "SELECT count(*) FROM runs WHERE status = 'running'")[0][0]
    if left_running:
        problems.append(f"{left_running} run rows left running")
    problems += index_problems(folder, embedder)
    lock = subprocess.run([sys.executable, "-c", LOCK_FREE, str(db)], capture_output=True, text=True, cwd=ROOT)
    if lock.returncode != 0:
        problems.append(f"refresh lock still held: {lock.stderr.strip()[-200:]}")
    statuses = [row[0] for row in query(db, "SELECT status FROM runs ORDER BY id")]
    return {"rerun": status, "runs": statuses, "problems": problems}


LOCK_FREE = """
import sqlite3, sys
from compare.refresh_guard import refresh_lock
with refresh_lock(sys.argv[1]):
    connection = sqlite3.connect(sys.argv[1], timeout=1)
    connection.execute("BEGIN IMMEDIATE")  # no writer left holding the database
    connection.rollback()
"""


def index_problems(folder: Path, embedder: str) -> list[str]:
    manifest = json.loads((folder / "index" / "manifest.json").read_text())
    vectors = query(folder / "compare.db", "SELECT count(*) FROM embeddings e JOIN cards c ON c.id = e.card_id "
                                           "WHERE c.active")[0][0]  # fmt: skip
    problems = [] if manifest.get("count") == vectors else [f"index holds {manifest.get('count')}, db {vectors}"]
    like = subprocess.run(command(folder, "--json", "like", "GPT-5", "-k", "3"), env=environment(folder, embedder),
                          capture_output=True, text=True, timeout=300, cwd=ROOT)  # fmt: skip
    if like.returncode != 0 or "Traceback" in like.stderr:
        problems.append(f"like failed: {like.stderr.strip()[-200:]}")
    return problems


def where(now: dict[str, int], total: dict[str, int]) -> str:
    """The stage a killed run was in, read from what it had stored."""
    if not now["pages"]:
        return "crawl" if now[RUN_ROW] else "before its run row"
    for table, stage in (("pages", "ingest"), ("extractions", "extract"), ("cards", "cards"), ("vectors", "embed")):
        if now[table] < total[table]:
            return f"{stage} ({table} {now[table]}/{total[table]})"
    if not now["manifest"]:
        return "categorise or index"
    if now["pairs"] < total["pairs"]:
        return "pairs"
    return "finishing the run" if now[RUN_ROW] else "after the run"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--embedder", default="real", help="real (the demo's) or fake (faster, for CI)")
    parser.add_argument("--stage", help="only the kills aimed at this stage")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-kills-") as tmp:
        work = Path(tmp)
        clean, seconds, clean_counts = clean_run(work / "clean", args.embedder)
        print(f"clean run: {clean_counts}; seconds per stage {seconds}", flush=True)
        kills = [kill for kill in KILLS if args.stage in (None, kill.stage)]
        step = len(kills) / min(args.kills, len(kills))  # a subset: spread over the stages in order
        chosen = [kills[int(n * step)] for n in range(min(args.kills, len(kills)))]
        results = []
        for n, kill in enumerate(chosen, start=1):
            folder = work / f"kill-{n}"
            killed = kill_when(folder, args.embedder, kill, seconds, clean_counts)
            checked = rerun_and_check(folder, args.embedder, clean)
            died_in = "finished before the kill" if killed["finished_before_kill"] else where(
                killed["stored_at_kill"], clean_counts)  # fmt: skip
            results.append({"aimed_at": kill.stage, "died_in": died_in, **checked})
            verdict = "consistent" if not checked["problems"] else "; ".join(checked["problems"])
            print(f"kill {n:2d} aimed at {kill.stage:10} died in {died_in:30} rerun {checked['rerun']:7} "
                  f"runs {','.join(checked['runs'])}: {verdict}", flush=True)  # fmt: skip
    summary = {
        "kills": len(results),
        "consistent": sum(not r["problems"] for r in results),
        "stages_aimed": sorted({str(r["aimed_at"]) for r in results}),
        "died_in": sorted({str(r["died_in"]).split(" (")[0] for r in results}),
        "died_before_finishing": sum(not str(r["died_in"]).startswith(("finished", "after")) for r in results),
        "failed": [f"kill {n}: {r['problems']}" for n, r in enumerate(results, start=1) if r["problems"]],
    }
    print(json.dumps(summary))
    return 0 if not summary["failed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
