"""Benchmark: the refresh's extract and embed stages in one process, on one Dask worker and on
two (prefect-dask, a local cluster), over one synthetic Hub mirror (`bench/scale.py`'s), each
from an empty database. Prints the stage seconds side by side and the speed-up of two workers
over one; the last line is one JSON object.

    python bench/dask.py [--models 500] [--embedder real|fake]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import CORPUS, refresh, synthetic

from evals.hub_catalogue import hub_models, write_mirror

SETTINGS = {"in-process": "", "1 worker": "local:1", "2 workers": "local:2"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=500)
    parser.add_argument("--embedder", default="real", help="real (the bundled MiniLM) or fake (hashing, no model)")
    args = parser.parse_args()
    if not (CORPUS / "hf_cards").is_dir():
        raise SystemExit(f"needs the real card shapes in {CORPUS / 'hf_cards'}")
    figures: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="compare-dask-") as tmp:
        work = Path(tmp)
        mirror = work / "mirror"
        sources = write_mirror(synthetic(hub_models(CORPUS), args.models), mirror, sort="lastModified")
        for label, dask in SETTINGS.items():
            run = work / label.replace(" ", "-")
            env = {**os.environ, "COMPARE_DB": str(run / "compare.db"), "COMPARE_INDEX_DIR": str(run / "index"),
                   "COMPARE_CRAWL_DIR": str(run / "crawl"), "COMPARE_EMBEDDER": args.embedder,
                   "COMPARE_DASK": dask, "COMPARE_PROGRESS": "0"}  # fmt: skip
            seconds, result = refresh(env, sources, mirror)
            stages = result["stage_seconds"]
            figures[label] = {"total_s": round(seconds, 1), "extract_s": stages["extract"], "embed_s": stages["embed"]}
            extract, embed = stages["extract"], stages["embed"]
            print(f"{label:12s} total {seconds:6.1f} s  extract {extract:6.1f} s  embed {embed:6.1f} s")
    one, two = figures["1 worker"], figures["2 workers"]
    speedup = {f"two_over_one_{k}": round(one[k] / max(two[k], 1e-9), 2) for k in ("extract_s", "embed_s")}
    print(
        f"two workers over one: extract {speedup['two_over_one_extract_s']}x, embed {speedup['two_over_one_embed_s']}x"
    )
    print(json.dumps({"models": args.models, "embedder": args.embedder, "cpu_count": os.cpu_count(),
                      **{k.replace(" ", "_"): v for k, v in figures.items()}, **speedup}))  # fmt: skip


if __name__ == "__main__":
    main()
