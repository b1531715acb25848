"""Shared fixtures: no test touches the network; most use the deterministic fake embedder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus"

# Realistic cards for search, pairing and web tests: (key, card); the GGUF copy and the smaller
# moondream share their family with another card.
CARDS = [
    ("hub:a/smolvlm2-2.2b-instruct", dict(name="SmolVLM2-2.2B-Instruct", vendor="Hugging Face", hub_id="a/SmolVLM2-2.2B-Instruct",
        description="A small open vision language model that reads images and video on device.", modality="vision-language",
        category="Vision & Documents", open_weights=True, entry="free", license="Apache-2.0", params_b=2.2,
        family="a/SmolVLM2-2.2B-Instruct")),
    ("hub:b/smolvlm2-gguf", dict(name="SmolVLM2-2.2B-Instruct-GGUF", vendor="ggml-org", hub_id="b/SmolVLM2-GGUF",
        description="GGUF quantized small open vision language model that reads images.", modality="vision-language",
        category="Vision & Documents", open_weights=True, family="a/SmolVLM2-2.2B-Instruct", is_variant=True)),
    ("hub:c/moondream2", dict(name="moondream2", vendor="moondream", hub_id="c/moondream2",
        description="A tiny open vision language model that reads images and answers questions on device.",
        modality="vision-language", category="Vision & Documents", open_weights=True, entry="free", params_b=1.9,
        family="c/moondream2")),
    # another size of the moondream line: same family, not a variant; never paired with moondream2
    ("hub:c/moondream2-0.5b", dict(name="moondream2-0.5B", vendor="moondream", hub_id="c/moondream2-0.5B",
        description="A tiny open vision language model that reads images and answers questions on small devices.",
        modality="vision-language", category="Vision & Documents", open_weights=True, entry="free", params_b=0.5,
        family="c/moondream2")),
    ("name:openai:5 gpt", dict(name="GPT-5", vendor="OpenAI", description="A frontier closed reasoning model for coding and agents.",
        modality="text", category="Language Models", open_weights=False, entry="paid", license="proprietary", family="gpt-5")),
    ("name:anthropic:4 claude opus", dict(name="Claude Opus 4", vendor="Anthropic",
        description="A frontier closed reasoning model for coding and long agents.", modality="text",
        category="Language Models", open_weights=False, entry="paid", license="proprietary", family="claude-opus-4")),
    ("hub:d/whisper", dict(name="whisper-large-v3-turbo", vendor="OpenAI", hub_id="d/whisper",
        description="An open speech recognition model that transcribes audio.", modality="speech", category="Audio & Voice",
        open_weights=True, entry="free", family="d/whisper")),
]  # fmt: skip

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
