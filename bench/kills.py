"""Crash campaign: kill -9 the demo refresh's whole process group at moments spread over every
stage, rerun it normally, and check that nothing was lost, doubled or left locked.

A clean refresh of the demo gives the reference: a checksum of pages, cards, facts, prices and
pairs by their natural keys (no row ids or times), and the seconds of each stage. Each kill
starts the same refresh in a fresh folder, waits for its run row (the flow has begun), sleeps to
a moment inside the stage it aims at and sends SIGKILL to the process group (the CLI, the
crawler, Prefect's temporary server). What the killed run had stored shows where it died. Then a
normal rerun must end `ok` with: `PRAGMA integrity_check` ok; the clean checksum; no duplicate
rows; the index and the database agreeing (`compare like` answers, vectors = indexed cards); the
killed run's row closed as `interrupted`; the refresh lock free.

    python bench/kills.py                 # 20 kills over every stage, the real embedder
    python bench/kills.py --kills 4 --embedder fake   # the CI subset (tests/test_faults.py)

Prints a line per kill and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ("crawl", "ingest", "extract", "cards", "embed", "categorise", "index", "pairs")
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


def clean_run(folder: Path, embedder: str) -> tuple[dict[str, str], dict[str, float], dict[str, int], float]:
    """The reference: checksum, seconds per stage, rows stored, and seconds from the run row's
    appearance to the end (a kill's clock starts there too)."""
    folder.mkdir(parents=True)
    process = subprocess.Popen(command(folder, "demo", "--json"), env=environment(folder, embedder),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
    begun = wait_for_run_row(folder / "compare.db", process)
    _, err = process.communicate(timeout=900)
    flow_s = time.monotonic() - begun
    if process.returncode != 0:
        raise SystemExit(f"the clean refresh failed: {err[-2000:]}")
    seconds = json.loads(query(folder / "compare.db", "SELECT stage_seconds FROM runs ORDER BY id DESC")[0][0])
    return checksum(folder / "compare.db"), seconds, stored(folder / "compare.db"), flow_s


def wait_for_run_row(db: Path, process: subprocess.Popen) -> float:
    """When the refresh's run row appeared (the flow has begun)."""
    deadline = time.monotonic() + 300
    while not query(db, "SELECT id FROM runs WHERE status = 'running'"):
        if process.poll() is not None or time.monotonic() > deadline:
            break
        time.sleep(0.02)
    return time.monotonic()


def moments(seconds: dict[str, float], flow_s: float, kills: int) -> list[tuple[str, float]]:
    """`kills` (stage, seconds after the run row appeared) spread over every stage: each stage
    gets one kill, the rest go to stages by their length, each kill at an even spot inside its
    stage. What the flow spends outside the stages (Prefect's task runs) is spread evenly."""
    overhead = max(flow_s - sum(seconds.get(stage, 0.0) for stage in STAGES), 0.0) / (len(STAGES) + 1)
    starts, clock = {}, 0.0
    for stage in STAGES:
        clock += overhead
        starts[stage] = clock
        clock += seconds.get(stage, 0.0)
    share = dict.fromkeys(STAGES, 1)
    total = sum(seconds.get(stage, 0.0) for stage in STAGES) or 1.0
    for _ in range(max(kills - len(STAGES), 0)):
        stage = max(STAGES, key=lambda s: seconds.get(s, 0.0) / total - share[s] / kills)
        share[stage] += 1
    chosen = [(stage, starts[stage] + seconds.get(stage, 0.0) * (k + 0.5) / share[stage])
              for stage in STAGES for k in range(share[stage])]  # fmt: skip
    if kills < len(STAGES):  # a subset: spread over the stages in order
        step = len(chosen) / kills
        chosen = [chosen[int(n * step)] for n in range(kills)]
    return chosen


def kill_at(folder: Path, embedder: str, after_s: float) -> dict[str, object]:
    """Start the refresh, SIGKILL its process group `after_s` after its run row appears."""
    folder.mkdir(parents=True)
    db = folder / "compare.db"
    process = subprocess.Popen(command(folder, "demo", "--json"), env=environment(folder, embedder),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                               start_new_session=True)  # fmt: skip
    begun = wait_for_run_row(db, process)
    time.sleep(max(after_s - (time.monotonic() - begun), 0))
    finished_first = process.poll() is not None
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return {"finished_before_kill": finished_first, "stored_at_kill": stored(db)}


def rerun_and_check(folder: Path, embedder: str, clean: dict[str, str]) -> dict[str, object]:
    db = folder / "compare.db"
    result = subprocess.run(command(folder, "demo", "--json"), env=environment(folder, embedder), capture_output=True,
                            text=True, timeout=900, cwd=ROOT)  # fmt: skip
    status = json.loads(result.stdout)["status"] if result.returncode == 0 else f"exit {result.returncode}"
    problems = []
    if status != "ok":
        problems.append(f"rerun {status}: {result.stderr.strip()[-300:]}")
    if "Traceback" in result.stderr:
        problems.append("a traceback on the rerun")
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


def where(stored_at_kill: dict[str, int], clean: dict[str, int]) -> str:
    """The stage a killed run was in, read from what it had stored."""
    for name, stage in (("pages", "crawl/ingest"), ("extractions", "extract"), ("cards", "cards"),
                        ("vectors", "embed"), ("pairs", "categorise/index/pairs")):  # fmt: skip
        if stored_at_kill.get(name, 0) < clean.get(name, 0):
            return f"{stage} ({name} {stored_at_kill.get(name, 0)}/{clean[name]})"
    return "after pairs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--embedder", default="real", help="real (the demo's) or fake (faster, for CI)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="compare-kills-") as tmp:
        work = Path(tmp)
        clean, seconds, clean_counts, flow_s = clean_run(work / "clean", args.embedder)
        print(f"clean run: {clean_counts}; {flow_s:.1f} s from its run row; seconds per stage {seconds}", flush=True)
        results = []
        for n, (stage, after_s) in enumerate(moments(seconds, flow_s, args.kills), start=1):
            folder = work / f"kill-{n}"
            killed = kill_at(folder, args.embedder, after_s)
            checked = rerun_and_check(folder, args.embedder, clean)
            died_in = "finished before the kill" if killed["finished_before_kill"] else where(
                killed["stored_at_kill"], clean_counts)  # fmt: skip
            results.append({"aimed_at": stage, "after_s": round(after_s, 2), "died_in": died_in, **checked})
            verdict = "consistent" if not checked["problems"] else "; ".join(checked["problems"])
            print(f"kill {n:2d} aimed at {stage:10} +{after_s:5.2f}s  died in {died_in:38} rerun {checked['rerun']:7} "
                  f"runs {','.join(checked['runs'])}: {verdict}", flush=True)  # fmt: skip
    summary = {
        "kills": len(results),
        "consistent": sum(not r["problems"] for r in results),
        "stages_aimed": sorted({str(r["aimed_at"]) for r in results}),
        "died_before_finishing": sum(r["died_in"] != "finished before the kill" for r in results),
        "failed": [f"kill {n}: {r['problems']}" for n, r in enumerate(results, start=1) if r["problems"]],
    }
    print(json.dumps(summary))
    return 0 if not summary["failed"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
