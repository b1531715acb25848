"""Benchmark: refresh cost at Hub scale, and how it grows with change.

Builds a synthetic mirror of N Hub models from the real card shapes in ../shared/corpus/hf_cards
(each real card reused under distinct ids, with its own creation date, a license drawn from the
real ones, and a description sentence of its own; listings paged as the Hub pages them, newest
first), then times four refreshes through `compare refresh --mirror`: the first (empty database),
an unchanged rerun, a rerun with 1% of the models changed (new README and sha), and one with 1%
new models. The listing is sorted by last modification, as the Hub's `sort=lastModified` is.
The last line printed is one JSON object.

    python bench/scale.py --models 10000 [--embedder real|fake] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from evals.hub_catalogue import HubModel, hub_models, write_mirror  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
LICENSES = ["apache-2.0", "mit", "llama3.1", "cc-by-nc-4.0", "openrail", "gemma", "bigscience-bloom-rail-1.0"]
TASKS = ["chat", "code", "summarisation", "retrieval", "translation", "vision", "speech", "image generation"]


def synthetic(real: list[HubModel], count: int, start: int = 0, salt: str = "") -> list[HubModel]:
    """`count` models numbered from `start`, each a real card under an id, date, license and
    opening sentence of its own."""
    rng = random.Random(start * 7919 + len(salt))
    models = []
    for number in range(start, start + count):
        base = real[number % len(real)]
        org, name = base.hub_id.split("/", 1)
        hub_id = f"{org}-{number // len(real)}/{name}-n{number}"
        license_id = base.card_data.get("license") or LICENSES[number % len(LICENSES)]
        created = f"20{22 + number % 4}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        sentence = (f"{name}-n{number} is a {rng.choice(TASKS)} model published on {created}, "
                    f"checkpoint {number}{salt} of its line, under the {license_id} license.")  # fmt: skip
        card = {**base.card_data, "license": license_id}
        front = "---\n" + json.dumps(card, default=str) + "\n---\n"
        body = base.readme.split("\n---", 1)[-1] if base.readme.startswith("---") else base.readme
        models.append(replace(base, hub_id=hub_id, readme=f"{front}\n{sentence}\n\n{body}", card_data=card))
    return models


class TreeMemory:
    """The refresh's memory: every half second, the resident memory of its process and all its
    descendants (crawler, Prefect's server) summed, and each process's own high-water mark
    (VmHWM). getrusage(RUSAGE_CHILDREN) would not do: a child forked from this bench counts the
    bench's own memory (its synthetic mirror) until it execs."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_sum_mb, self.peak_process_mb = pid, 0.0, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._done.wait(0.5):
            try:
                root = psutil.Process(self.pid)
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            total = 0.0
            for process in tree:
                try:
                    total += process.memory_info().rss / 2**20
                    status = Path(f"/proc/{process.pid}/status").read_text()
                    hwm = next((line for line in status.splitlines() if line.startswith("VmHWM")), "")
                    self.peak_process_mb = max(self.peak_process_mb, int(hwm.split()[1]) / 1024 if hwm else 0.0)
                except (psutil.Error, OSError, ValueError, IndexError):
                    continue
            self.peak_sum_mb = max(self.peak_sum_mb, total)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def refresh(env: dict[str, str], sources: Path, mirror: Path) -> tuple[float, dict[str, Any]]:
    started = time.monotonic()
    command = [sys.executable, "-m", "compare.cli", "refresh", "--sources", str(sources), "--mirror", str(mirror),
               "--json"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    memory = TreeMemory(process.pid)
    stdout, stderr = process.communicate()
    memory.stop()
    if process.returncode != 0:
        raise SystemExit(f"refresh failed: {stderr[-2000:]}")
    out = json.loads(stdout)
    out["memory_mb"] = {"tree_peak": round(memory.peak_sum_mb), "process_peak": round(memory.peak_process_mb)}
    return time.monotonic() - started, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=1000)
    parser.add_argument("--embedder", default="real", help="real (the bundled MiniLM) or fake (hashing, no model)")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--workdir", type=Path, default=None, help="keep the mirror and database here")
    args = parser.parse_args()
    if not (CORPUS / "hf_cards").is_dir():
        raise SystemExit(f"needs the real card shapes in {CORPUS / 'hf_cards'}")
    real = hub_models(CORPUS)
    with tempfile.TemporaryDirectory(prefix="compare-scale-") as tmp:
        work = args.workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "COMPARE_DB": str(work / "compare.db"), "COMPARE_INDEX_DIR": str(work / "index"),
               "COMPARE_CRAWL_DIR": str(work / "crawl"), "COMPARE_EMBEDDER": args.embedder,
               "COMPARE_CRAWL_TIMEOUT_S": os.environ.get("COMPARE_CRAWL_TIMEOUT_S", "14400")}  # fmt: skip
        # The first crawl of a big mirror is measured whole (a live refresh stops at its time limit
        # and goes on next time; see Settings.crawl_timeout_s).
        models = synthetic(real, args.models)
        mirror = work / "mirror"
        built = time.monotonic()
        # Listed by last modification, newest first, as `sort=lastModified` pages the Hub: a
        # changed or new model moves to the top, where an incremental crawl stops reading.
        order: list[int] = list(range(len(models)))[::-1]
        sources = write_mirror([models[i] for i in order], mirror, sort="lastModified")
        log = print if not args.json else (lambda *a, **k: None)
        log(f"mirror of {len(models)} models written in {time.monotonic() - built:.0f} s")
        runs: dict[str, tuple[float, dict[str, Any]]] = {}
        runs["first"] = refresh(env, sources, mirror)
        log(f"first: {runs['first'][0]:.1f} s {runs['first'][1]['stage_seconds']}")
        runs["unchanged"] = refresh(env, sources, mirror)
        log(f"unchanged: {runs['unchanged'][0]:.1f} s {runs['unchanged'][1]['stage_seconds']}")
        step = max(len(models) // 100, 1)
        changed = {i for i in range(0, len(models), 100)}
        models = [synthetic(real, 1, i, salt=" (revised)")[0] if i in changed else m for i, m in enumerate(models)]
        order = sorted(changed, reverse=True) + [i for i in order if i not in changed]
        write_mirror([models[i] for i in order], mirror, sort="lastModified")
        runs["changed"] = refresh(env, sources, mirror)
        log(f"changed {len(changed)}: {runs['changed'][0]:.1f} s {runs['changed'][1]['stage_seconds']}")
        new = synthetic(real, step, len(models))
        order = list(range(len(models) + len(new) - 1, len(models) - 1, -1)) + order
        models += new
        write_mirror([models[i] for i in order], mirror, sort="lastModified")
        runs["new"] = refresh(env, sources, mirror)
        log(f"new {len(new)}: {runs['new'][0]:.1f} s {runs['new'][1]['stage_seconds']}")
    unchanged_requests = runs["unchanged"][1]["stages"].get("crawl", {}).get("requests", 0)
    new_requests = runs["new"][1]["stages"].get("crawl", {}).get("requests", 0)
    result = {
        "models": args.models,
        "cards": runs["new"][1]["counts"]["cards"],
        "embedder": args.embedder,
        **{f"{name}_s": round(seconds, 1) for name, (seconds, _) in runs.items()},
        "stage_s": {name: out["stage_seconds"] for name, (_, out) in runs.items()},
        "requests": {name: out["stages"].get("crawl", {}) for name, (_, out) in runs.items()},
        "embedded_on_unchanged": runs["unchanged"][1]["stages"]["embed"]["embedded"],
        "embedded_on_changed": runs["changed"][1]["stages"]["embed"]["embedded"],
        "embedded_on_new": runs["new"][1]["stages"]["embed"]["embedded"],
        "changed_models": len(changed),
        "new_models": len(new),
        "requests_per_new_model": round((new_requests - unchanged_requests) / max(len(new), 1), 2),
        "peak_rss_mb": max(out["memory_mb"]["tree_peak"] for _, out in runs.values()),
        "memory_mb": {name: out["memory_mb"] for name, (_, out) in runs.items()},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
