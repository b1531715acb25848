"""History an editor can act on: two refreshes where one price changed on a pricing page give
exactly that change in `compare changes`, with old and new value and both evidence URLs."""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from click.testing import CliRunner
from prefect.testing.utilities import prefect_test_harness

from compare.cli import main
from compare.db import Store
from conftest import DEMO
from flows.refresh import refresh

PRICING = "https://www.anthropic.com/pricing"


@pytest.fixture(scope="module")
def two_refreshes(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("changes")
    shutil.copytree(DEMO / "www.anthropic.com", tmp / "mirror" / "www.anthropic.com")
    sources = tmp / "sources.toml"
    sources.write_text(f'[[source]]\nname = "anthropic-pricing"\nkind = "page"\nurl = "{PRICING}"\n')
    args = dict(
        db=str(tmp / "compare.db"), index_dir=str(tmp / "index"), sources=str(sources),
        crawl_dir=str(tmp / "crawl"), mirror_dir=str(tmp / "mirror"), embedder="fake",
    )  # fmt: skip
    page = tmp / "mirror" / "www.anthropic.com" / "pricing"
    with prefect_test_harness():
        first = refresh(**args)
        facts_before = Store(args["db"]).counts()["facts"]
        page.write_text(page.read_text().replace("<td>$4 / MTok</td>", "<td>$5 / MTok</td>"))
        later = time.time() + 60
        os.utime(page, (later, later))
        second = refresh(**args)
    return args, first, second, facts_before


def test_one_changed_price_is_exactly_one_change(two_refreshes):
    args, first, second, facts_before = two_refreshes
    assert first["status"] == second["status"] == "ok", (first["failures"], second["failures"])
    result = CliRunner().invoke(main, ["--db", args["db"], "--index-dir", args["index_dir"], "changes", "--json"])
    assert result.exit_code == 0, result.output
    [change] = json.loads(result.output)
    assert (change["name"], change["field"], change["old"], change["new"]) == (
        "Claude 3.5 Haiku",
        "price output",
        4.0,
        5.0,
    )
    assert change["old_url"] == change["new_url"] == PRICING
    assert Store(args["db"]).counts()["facts"] == facts_before  # no other fact row was added
