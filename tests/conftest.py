"""Shared fixtures: no test touches the network; most use the deterministic fake embedder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"

os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def demo_file(url: str) -> Path:
    """The demo snapshot file answering a real URL (the mirror's rule)."""
    from urllib.parse import urlsplit

    from compare.mirror import snapshot_file

    parts = urlsplit(url)
    found = snapshot_file(DEMO, parts.hostname, parts.path or "/", parts.query)
    assert found is not None, f"no demo file for {url}"
    return found


@pytest.fixture
def store(tmp_path):
    from compare.db import Store

    db = Store(tmp_path / "test.db")
    yield db
    db.close()


def corpus_or_skip(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real-data corpus not found at {path} (../shared/corpus is optional)")
    return path
