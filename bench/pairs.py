"""Benchmark: are the suggested pairings sensible? Runs the refresh over the bundled demo into a
temporary database (real embedding model) and prints the share of the top-20 suggestions that
the editors' labels (tests/fixtures/pairs/labels.json: 110 pairs, the demo's suggestions mixed
with random pairs, judged blind) mark sensible, beside the share among all labelled pairs.
Run: `make bench-pairs`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from compare import stages
from compare.config import PROJECT_ROOT
from compare.db import Store
from evals.similar import pair_sensibility


def main() -> None:
    labels = json.loads((PROJECT_ROOT / "tests" / "fixtures" / "pairs" / "labels.json").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "COMPARE_DB": f"{tmp}/compare.db", "COMPARE_INDEX_DIR": f"{tmp}/index"}
        compare = Path(sys.executable).with_name("compare")
        subprocess.run([str(compare), "demo", "--json"], env=env, check=True, capture_output=True, cwd=PROJECT_ROOT)
        pairs = stages.pairs_with_cards(Store(f"{tmp}/compare.db"), 20)
    result = pair_sensibility(pairs, labels)
    print(json.dumps(result, indent=2))
    verdicts = {frozenset((label["a"], label["b"])): label["sensible"] for label in labels}
    for pair in pairs:
        verdict = verdicts.get(frozenset((pair["a"]["name"], pair["b"]["name"])))
        mark = {True: "ok ", False: "NO ", None: "?  "}[verdict]
        print(f"  {mark} {pair['a']['name']} vs {pair['b']['name']}")


if __name__ == "__main__":
    main()
