"""Benchmark: `compare demo` from an empty database, then again with nothing changed.

Prints wall times, the second/first ratio, and the flow's own time (without Prefect's
temporary API start-up, which is a fixed cost per process). Run: `make bench`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMPARE = Path(sys.executable).with_name("compare")


def run_demo(env: dict[str, str]) -> tuple[float, dict]:
    started = time.monotonic()
    done = subprocess.run(
        [str(COMPARE), "demo", "--json"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return time.monotonic() - started, json.loads(done.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "COMPARE_DB": f"{tmp}/compare.db", "COMPARE_INDEX_DIR": f"{tmp}/index",
               "COMPARE_CRAWL_DIR": f"{tmp}/crawl"}  # fmt: skip
        first_s, first = run_demo(env)
        second_s, second = run_demo(env)
    print(f"machine: {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
    print(f"first run (empty db):     {first_s:6.1f} s wall, flow {first['stages']['seconds']:5.1f} s, "
          f"{first['counts']['cards']} cards, embedded {first['stages']['embed']['embedded']}")  # fmt: skip
    print(f"second run (no changes):  {second_s:6.1f} s wall, flow {second['stages']['seconds']:5.1f} s, "
          f"embedded {second['stages']['embed']['embedded']}")  # fmt: skip
    print(f"ratio second/first wall:  {second_s / first_s:.2f}  (target < 0.50; first run target < 90 s)")
    print(f"ratio second/first flow:  {second['stages']['seconds'] / first['stages']['seconds']:.2f}")


if __name__ == "__main__":
    main()
