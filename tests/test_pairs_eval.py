"""Suggested pairings on the demo, judged by editors' labels written blind (the demo's
suggestions mixed with random pairs): the top 20 are sensible far more often than the mix."""

from __future__ import annotations

import json
import shutil

import pytest
from prefect.testing.utilities import prefect_test_harness

from compare import stages
from compare.db import Store
from conftest import DEMO, FIXTURES
from evals.similar import pair_sensibility
from flows.refresh import refresh


@pytest.fixture(scope="module")
def demo_pairs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pairs")
    shutil.copy(DEMO / "sources.toml", tmp / "sources.toml")
    with prefect_test_harness():
        refresh(db=str(tmp / "compare.db"), index_dir=str(tmp / "index"), sources=str(tmp / "sources.toml"),
                crawl_dir=str(tmp / "crawl"), mirror_dir=str(DEMO), embedder="real")  # fmt: skip
    return stages.pairs_with_cards(Store(tmp / "compare.db"), 20)


def test_top_twenty_pairs_are_sensible(demo_pairs):
    labels = json.loads((FIXTURES / "pairs" / "labels.json").read_text())
    result = pair_sensibility(demo_pairs, labels)
    assert result["top"] == 20 and result["labelled"] >= 18
    assert result["share"] >= 0.9 > result["share_of_all_labelled"]


def test_every_pair_is_explained_and_no_family_pairs(demo_pairs):
    for pair in demo_pairs:
        assert pair["a"]["family"] != pair["b"]["family"]
        assert pair["why"].startswith(f"{pair['a']['name']} and {pair['b']['name']} both target")
        assert pair["reasons"]["similarity"] > 0
