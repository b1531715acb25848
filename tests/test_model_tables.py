"""Model tables give records whose API ids are aliases; in a launch post only the launched line counts."""

from __future__ import annotations

from compare.extract import extract_document
from compare.resolve import resolve

DOCS = """<html><head><title>Models overview</title></head><body><main><h1>Models overview</h1>
<table><thead><tr><th>Model</th><th>Anthropic API</th><th>AWS Bedrock</th><th>Best for</th></tr></thead><tbody>
<tr><td>Claude Opus 4</td><td><code>claude-opus-4-20250514</code></td>
    <td><code>anthropic.claude-opus-4-20250514-v1:0</code></td><td>Complex agent work</td></tr>
<tr><td>Claude Haiku 3.5</td><td><code>claude-3-5-haiku-20241022 (claude-3-5-haiku-latest)</code></td>
    <td><code>anthropic.claude-3-5-haiku-20241022-v1:0</code></td><td>Fast, cheap replies</td></tr>
</tbody></table></main></body></html>"""

LAUNCH = """<html><head><title>Introducing GPT-5</title><meta property="og:title" content="Introducing GPT-5"></head>
<body><article><h1>Introducing GPT-5</h1><p>Today we are releasing GPT-5, our best model for coding and agentic tasks.</p>
<table><thead><tr><th>Model</th><th>Best for</th><th>Context length</th></tr></thead><tbody>
<tr><td>gpt-5</td><td>Coding and agents</td><td>400K</td></tr>
<tr><td>gpt-5-mini</td><td>Well-defined tasks at lower cost</td><td>400K</td></tr></tbody></table>
<table><thead><tr><th>Model</th><th>Description</th></tr></thead><tbody>
<tr><td>Claude Opus 4</td><td>A competitor we compared against</td></tr></tbody></table>
</article></body></html>"""


def names(url, html):
    return {record["name"]: record for record in extract_document(url, html).records}


def test_docs_model_table_rows_carry_their_api_ids_not_the_clouds():
    found = names("https://docs.anthropic.com/en/docs/about-claude/models/overview", DOCS)
    assert found["Claude Opus 4"]["aliases"] == ["claude-opus-4-20250514"]
    assert found["Claude Haiku 3.5"]["aliases"] == ["claude-3-5-haiku-20241022", "claude-3-5-haiku-latest"]
    assert found["Claude Opus 4"]["tagline"] == "Complex agent work"
    assert found["Claude Opus 4"]["evidence"]["name"]["snippet"].startswith("Claude Opus 4 claude-opus-4-20250514")


def test_an_api_id_joins_the_pricing_row_that_uses_it():
    docs = extract_document("https://docs.anthropic.com/en/docs/about-claude/models/overview", DOCS).records
    row = {"name": "claude-3-5-haiku-latest", "vendor": "Anthropic", "page_kind": "pricing_row", "evidence": {},
           "source_url": "https://example.com/anthropic-prices", "urls": ["https://example.com/anthropic-prices"]}  # fmt: skip
    cards = [card for _, card in resolve([*docs, row])]
    haiku = next(card for card in cards if "https://example.com/anthropic-prices" in card["sources"])
    assert haiku["sources"] == sorted(
        ["https://docs.anthropic.com/en/docs/about-claude/models/overview", row["source_url"]]
    )


def test_launch_post_tables_add_only_the_launched_line():
    found = names("https://openai.com/index/introducing-gpt-5/", LAUNCH)
    assert set(found) == {"GPT-5", "gpt-5-mini"}
    assert found["gpt-5-mini"]["tagline"] == "Well-defined tasks at lower cost"
