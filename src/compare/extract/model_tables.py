"""Model tables: a docs page or a launch post that lists models in a table, with their API ids
or what each is best for. Each row is a record; its API ids become aliases, which is how entity
resolution learns that "claude-opus-4-20250514" is Claude Opus 4."""

from __future__ import annotations

import re
from typing import Any

from compare.extract.grids import Grid, grids
from compare.records import RecordBuilder, name_key

_NAME_HEADER = re.compile(r"(?i)^(?:models?|model name|name)$")
# Columns of the vendor's own ids; a cloud's ids ("AWS Bedrock", "GCP Vertex AI") name the
# cloud's resale, which is another card.
_ID_HEADER = re.compile(r"(?i)\b(?:api|model)\s*(?:id|name|string|identifier)s?\b|^ids?$|\balias(?:es)?\b|\bAPI\b")
_CLOUD_HEADER = re.compile(r"(?i)bedrock|vertex|azure|aws|gcp")
_BLURB_HEADER = re.compile(r"(?i)best for|description|use cases?|ideal for|strengths?")
_API_ID = re.compile(r"\b[a-z][a-z0-9]*(?:[-.@_][a-z0-9]+)+\b")


def model_table_records(
    doc: Any,
    url: str,
    vendor: str | None,
    extractor: str,
    launch_name: str | None = None,
    page_grids: list[tuple[Any, Grid]] | None = None,
) -> list[dict[str, Any]]:
    """A record per model row. In a launch post only rows of the launched model's line count
    ("gpt-5-mini" beside GPT-5), so a table of competitors adds nothing. `page_grids`: the
    page's `grids(doc, set())` where the caller has them already."""
    records = []
    for _, grid in grids(doc, skip=set()) if page_grids is None else page_grids:
        if not grid.header or not _NAME_HEADER.match(grid.header[0]):
            continue
        columns = list(enumerate(grid.header))[1:]
        ids = [i for i, header in columns if _ID_HEADER.search(header) and not _CLOUD_HEADER.search(header)]
        blurbs = [i for i, header in columns if _BLURB_HEADER.search(header)]
        if not ids and not blurbs:
            continue
        for row, line in zip(grid.body, grid.lines, strict=True):
            name = row[0].strip()
            if not name or (launch_name and not _of_line(name, launch_name, vendor)):
                continue
            rec = RecordBuilder(url, extractor)
            rec.set("name", name, line)
            rec.set("vendor", vendor, None)
            for i in blurbs:
                rec.set("tagline", row[i].strip(), line)
            aliases = sorted({alias for i in ids for alias in _API_ID.findall(row[i])} - {name})
            rec.extra["aliases"] = aliases
            rec.extra["page_kind"] = "model_table"
            records.append(rec.build())
    return records


def _of_line(name: str, launch_name: str, vendor: str | None) -> bool:
    """'gpt-5-mini' is of GPT-5's line; GPT-5 itself is the launch record, not another row."""
    row, launched = set(name_key(name, vendor).split()), set(name_key(launch_name, vendor).split())
    return bool(launched) and launched < row
