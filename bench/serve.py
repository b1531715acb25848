"""Benchmark: page and API latency of `compare serve` on the demo data, 20 concurrent clients on
loopback, while a refresh runs against the same database.

Builds the demo (real embedding model) in a temporary folder, starts the server, then starts a
second demo refresh and keeps 20 clients busy (each one request after another, no pause) with
card pages, tools-like pages and search pages and their API twins until the refresh ends (after
one pass over every card's pages, as a server that has been up a while has seen them).
Prints p50/p95 per kind against the 100 ms target, errors (must be 0) and how long the clients
overlapped the refresh. Run: `make bench-serve`; `--no-cache` computes every answer afresh, and
`--no-refresh` runs the same load with nothing writing.
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import httpx

CLIENTS, TARGET_MS = 20, 100.0
QUERIES = [
    "on-device OCR model", "open weights reasoning model", "text to speech", '"image generation"',
    "cheap embedding API", "coding assistant for teams", "vision language model", "speech recognition",
]  # fmt: skip


def compare(folder: Path, *args: str, background: bool = False) -> subprocess.Popen | None:
    env = {**os.environ, "COMPARE_CRAWL_DIR": str(folder / "crawl"), "HF_HUB_OFFLINE": "1"}
    if "--no-cache" in sys.argv:  # every answer computed afresh, to see what the cache saves
        env["COMPARE_WEB_CACHE"] = "0"
    command = [sys.executable, "-m", "compare.cli", "--db", str(folder / "compare.db"), "--index-dir",
               str(folder / "index"), *args]  # fmt: skip
    if background:
        return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=900)
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_ready(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"server died: {server.stderr.read().decode()[-2000:]}")
        try:
            if httpx.get(f"{base}/api/search", params={"q": "warm"}, timeout=30).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("server not ready in 120 s")


def requests_for(names: list[str], other: str | None = None) -> list[tuple[str, str]]:
    """(kind, path) for one client's next request, picked at random: card, like, search and
    comparison pages and their API twins, What's new sorted and filtered, the pairings tabs."""
    name = random.choice(names)
    slug_or_name = urllib.parse.quote(name)
    rival = urllib.parse.quote(other or random.choice([n for n in names if n != name] or names))
    query = urllib.parse.quote(random.choice(QUERIES))
    return [
        ("card page", f"/cards/{slug_or_name}"),
        ("card api", f"/api/cards/{slug_or_name}"),
        ("like page", f"/like?q={slug_or_name}"),
        ("like api", f"/api/like?name={slug_or_name}&explain=true"),
        ("search page", f"/search?q={query}"),
        ("search api", f"/api/search?q={query}"),
        ("comparison page", f"/pairs/{slug_or_name}/vs/{rival}"),
        ("comparison api", f"/api/pairs/{slug_or_name}/vs/{rival}"),
        ("whats new page", random.choice(["/", "/?sort=-released", "/?kind=model&page=1", "/?weights=open"])),
        ("pairs page", random.choice(["/pairs", "/pairs?status=accepted"])),
    ]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.monotonic()
        compare(folder, "demo")
        print(f"demo built in {time.monotonic() - started:.1f}s")
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = compare(folder, "serve", "--port", str(port), background=True)
        try:
            wait_ready(base, server)
            names = [card["slug"] for card in httpx.get(f"{base}/api/cards", timeout=30).json()]
            with httpx.Client(base_url=base, timeout=30) as http:  # a server that has been up a while
                for name, rival in zip(names, names[1:] + names[:1], strict=True):
                    for _, path in requests_for([name], rival):
                        http.get(path)
            timings: dict[str, list[float]] = {}
            errors: list[str] = []
            hits: list[bool] = []
            lock = threading.Lock()
            quiet = "--no-refresh" in sys.argv  # the same load with nothing writing, for comparison
            refresh = compare(folder, "index", background=True) if quiet else compare(folder, "demo", background=True)
            refresh_started = time.monotonic()
            stop = threading.Event()

            def client() -> None:
                with httpx.Client(base_url=base, timeout=30) as http:
                    while not stop.is_set():
                        kind, path = random.choice(requests_for(names))
                        began = time.perf_counter()
                        hit = False
                        try:
                            answer = http.get(path)
                            status, hit = answer.status_code, answer.headers.get("x-cache") == "hit"
                        except httpx.HTTPError as error:
                            status = repr(error)
                        took = (time.perf_counter() - began) * 1000
                        with lock:
                            timings.setdefault(kind, []).append(took)
                            hits.append(hit)
                            if status != 200:
                                errors.append(f"{path}: {status}")

            threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
            for thread in threads:
                thread.start()
            refresh.wait(900)
            if quiet:
                time.sleep(20)
            refresh_seconds = time.monotonic() - refresh_started
            stop.set()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(10)
    report = {
        "cpu_count": os.cpu_count(),
        "clients": CLIENTS,
        "refresh_seconds": round(refresh_seconds, 1),
        "refresh_ok": refresh.returncode == 0,
        "requests": sum(map(len, timings.values())),
        "served_from_cache": round(sum(hits) / max(len(hits), 1), 3),
        "errors": len(errors),
        "first_errors": errors[:5],
        "latency_ms": {
            kind: {
                "n": len(values),
                "p50": round(statistics.median(values), 1),
                "p95": round(statistics.quantiles(values, n=20)[-1], 1),
            }
            for kind, values in sorted(timings.items())
        },
    }
    print(json.dumps(report, indent=2))
    worst = max(v["p95"] for v in report["latency_ms"].values())
    print(f"worst p95 {worst:.1f} ms / target {TARGET_MS:.0f} ms = {worst / TARGET_MS:.2f}x (below 1 meets it); "
          f"errors {len(errors)}")  # fmt: skip


if __name__ == "__main__":
    main()
