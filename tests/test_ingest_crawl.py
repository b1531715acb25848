"""Ingest reads crawl output defensively; spiders follow the Hub's Link header."""

from __future__ import annotations

import json

import pytest

from compare.ingest import ingest_files
from compare.sources import SourcesError, load_sources
from crawlers.spiders.hf_hub import next_page


def test_truncated_and_malformed_lines_are_counted_not_fatal(store, tmp_path):
    good = {"url": "https://a.example/x", "status": 200, "body": "<p>x</p>", "fetched_at": "2026-11-01T00:00:00+00:00"}
    file = tmp_path / "page.jsonl"
    file.write_text(json.dumps(good) + "\n" + '{"url": "https://a.example/y", "bo' + "\n" + '{"no_url": 1}\n')
    counts = ingest_files(store, [file, tmp_path / "missing.jsonl"])
    assert counts == {"new": 1, "unreadable_line": 2, "missing_file": 1}


def test_link_header_pagination():
    header = '<https://huggingface.co/api/models?cursor=abc>; rel="next", <https://x>; rel="prev"'
    assert next_page(header) == "https://huggingface.co/api/models?cursor=abc"
    assert next_page('<https://x>; rel="prev"') is None and next_page(None) is None


def test_sources_file_errors_are_clear(tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[[source]]\nkind = "ftp"\nurl = "https://x"\n')
    with pytest.raises(SourcesError, match="kind must be one of"):
        load_sources(bad)
    bad.write_text("[[source]\n")
    with pytest.raises(SourcesError, match="invalid TOML"):
        load_sources(bad)
    with pytest.raises(SourcesError, match="not found"):
        load_sources(tmp_path / "none.toml")
