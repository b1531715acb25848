"""All settings in one place: documented defaults, overridable by `COMPARE_*` env vars and flags."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DATA = Path(__file__).resolve().parent / "data"


def _env(name: str, default: str) -> str:
    return os.environ.get(f"COMPARE_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Where things live and how the stages behave."""

    db_path: Path = field(default_factory=lambda: Path(_env("DB", "data/compare.db")))
    index_dir: Path = field(default_factory=lambda: Path(_env("INDEX_DIR", "index")))
    crawl_dir: Path = field(default_factory=lambda: Path(_env("CRAWL_DIR", "data/crawl")))
    sources: Path = field(default_factory=lambda: Path(_env("SOURCES", "data/sources.toml")))
    demo_dir: Path = PROJECT_ROOT / "data" / "demo"
    # "real" loads the bundled sentence-transformers model; "onnx" runs the same model with ONNX
    # Runtime (exported locally into COMPARE_MODEL_DIR, default data/models; vectors within 1e-4
    # cosine; on the 2-core build machine 0.8x torch's throughput, so not the default: see
    # bench/embed.py); "fake" is a deterministic hashing embedder for tests that must not pay for torch.
    embedder: str = field(default_factory=lambda: _env("EMBEDDER", "real"))
    embed_batch_size: int = 64
    # Neighbours considered per card when suggesting pairings, and at most how many suggestions
    # one tool may appear in (diversity).
    pair_neighbours: int = 12
    pair_max_per_card: int = 3
    # `compare serve` keeps answers to GET requests until the database or index changes (see
    # compare.web.ResponseCache); COMPARE_WEB_CACHE=0 turns that off, to measure without it.
    web_cache: bool = field(default_factory=lambda: _env("WEB_CACHE", "1") != "0")
    # Threads answering `compare serve`'s requests (COMPARE_WEB_THREADS), anyio's 40 by default.
    # Measured on 2 cores: `make bench-serve` (20 clients during a refresh), worst p95 179 ms with
    # 40 threads, 198 ms with 8, 318 ms with 2 (few threads let a slow comparison page hold up the
    # cached ones); 200 distinct requests at once, p95 7 s with 40, 3.7-4.0 s with 8, 2.2-3.1 s
    # with 2 (many threads fight over the GIL). Editors' steady use decides the default.
    web_threads: int = field(default_factory=lambda: int(_env("WEB_THREADS", "40")))
    # Where extract and embed run: "" in the refresh process; "local" on a local Dask cluster of
    # one worker per core ("local:N": N workers); or the scheduler at an address (tcp://host:8786),
    # whose workers have this project installed (see the README).
    dask: str = field(default_factory=lambda: _env("DASK", ""))
    # A crawl stops after this long (COMPARE_CRAWL_TIMEOUT_S), keeping what it fetched: the run is
    # "partial" and the next refresh goes on from there. Politeness lives in crawlers/settings.py.
    crawl_timeout_s: int = field(default_factory=lambda: int(_env("CRAWL_TIMEOUT_S", "1800")))

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the given non-None values replaced."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def demo_sources(self) -> Path:
        return self.demo_dir / "sources.toml"
