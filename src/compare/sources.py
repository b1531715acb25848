"""The sources file (TOML): `[[source]]` tables with kind, url, optional name and max_items."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from compare.errors import InvalidInput

KINDS = ("hf_hub", "feed", "sitemap", "page")


class SourcesError(InvalidInput):
    """The sources file cannot be used; the message says why."""


@dataclass(frozen=True)
class Source:
    kind: str
    url: str
    name: str
    max_items: int | None = None


def load_sources(path: str | Path) -> list[Source]:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError as error:
        raise SourcesError(f"sources file not found: {path}") from error
    except tomllib.TOMLDecodeError as error:
        raise SourcesError(f"{path}: invalid TOML: {error}") from error
    tables = data.get("source", [])
    if not isinstance(tables, list) or not all(isinstance(table, dict) for table in tables):
        raise SourcesError(f"{path}: `source` must be [[source]] tables, each with a kind and a url")
    sources = []
    for number, table in enumerate(tables, start=1):
        kind, url = table.get("kind"), table.get("url")
        if kind not in KINDS:
            raise SourcesError(f"{path}: source {number}: kind must be one of {', '.join(KINDS)}")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise SourcesError(f"{path}: source {number}: url must be an http(s) URL")
        max_items = table.get("max_items")
        if max_items is not None and (not isinstance(max_items, int) or max_items < 1):
            raise SourcesError(f"{path}: source {number}: max_items must be a positive integer")
        sources.append(Source(kind, url, table.get("name") or f"{kind}:{url}", max_items))
    if not sources:
        raise SourcesError(f"{path}: no [[source]] tables")
    return sources
