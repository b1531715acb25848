"""The fault and crash campaigns' CI subset (bench/faults.py --quick, bench/kills.py --kills 4):
each fault against a good demo database is survived with its reason on the row and on /runs,
nothing earlier is lost; each kill -9 of the refresh's process group is followed by a rerun that
ends where a clean run does. The whole campaigns are `make faults`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def campaign(*args: str) -> tuple[dict, str]:
    result = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=900, cwd=ROOT)
    lines = result.stdout.strip().splitlines()
    assert lines, result.stderr[-3000:]
    return json.loads(lines[-1]), result.stdout


def test_quick_faults_are_survived_with_their_reasons_and_no_data_lost():
    summary, table = campaign("bench/faults.py", "--quick")
    assert summary["tried"] >= 7, table
    assert summary["survived"] == summary["reasons_recorded"] == summary["tried"], table
    assert summary["data_lost"] == 0 and summary["over_memory"] == 0, table


def test_kills_in_every_part_of_a_refresh_leave_a_database_a_rerun_makes_whole():
    summary, table = campaign("bench/kills.py", "--kills", "4", "--embedder", "fake")
    assert summary["kills"] == 4 and summary["consistent"] == 4, table
    assert summary["died_before_finishing"] >= 3, table  # the kills landed inside the refresh
