"""Reading a parsed HTML page: its text outside site chrome, and its tables and <div> grids as
text grids (row and column spans expanded, stacked header rows joined per column), each with the
heading and notes above it. What the grids price is read in `price_rows`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import html as lxml_html

from compare.extract.pricing import item_of, money, scale_to_million
from compare.extract.text import sentences

# Site chrome and invisible parts: no offer or link of the page's own is read from them.
PAGE_CHROME = {"script", "style", "noscript", "template", "head", "nav", "header", "footer", "form"}
BLOCK = {"p", "div", "li", "dt", "dd", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "br"}


def chrome_elements(doc: Any) -> set[Any]:
    """Every element inside site chrome (PAGE_CHROME), the chrome elements included: one pass
    over the chrome, where asking each element for its ancestors costs a pass per element."""
    return {element for chrome in doc.iter(*PAGE_CHROME) for element in chrome.iter()}


def parse_html(body: str) -> Any:
    return lxml_html.fromstring(body)


def longer_than(element: Any, limit: int) -> bool:
    """Whether the element's text is longer than `limit`, reading no more of it than needed."""
    total = 0
    for piece in element.itertext():
        total += len(piece.strip())
        if total > limit:
            return True
    return False


def text_of(element: Any) -> str:
    return " ".join(" ".join(element.itertext()).split())


@dataclass
class Grid:
    """A price table as text: one header per column, body rows of equal width."""

    header: list[str]
    body: list[list[str]]
    lines: list[str]  # each body row's text as the page writes it (spanned cells once)
    heading: str = ""
    context: str = ""


def grids(doc: Any, skip: set[Any]) -> Iterator[tuple[Any, Grid]]:
    """(element, grid) for each price table and <div> grid, with the heading and notes above it."""
    heading, notes = "", []
    for element in doc.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("h1", "h2", "h3", "h4"):
            heading, notes = text_of(element), []
        elif tag == "p" and len(notes) < 3:
            notes.append(text_of(element))
        elif tag == "table" or (tag in ("div", "section", "ul") and element not in skip):
            grid = _html_grid(element) if tag == "table" else _div_grid(element)
            if grid:
                caption = " ".join(text_of(c) for c in element.iter("caption"))
                grid.heading, grid.context = heading, f"{heading} {caption} {' '.join(notes)}"
                yield element, grid


def _html_grid(table: Any) -> Grid | None:
    """Rows with row and column spans expanded; leading header rows joined per column."""
    rows: list[list[str]] = []
    lines: list[str] = []
    header_rows = 0
    carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows still covered)
    for tr in table.iter("tr"):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        if not cells:
            continue
        in_head = tr.getparent() is not None and tr.getparent().tag == "thead"
        if (in_head or all(c.tag == "th" for c in cells)) and header_rows == len(rows):
            header_rows += 1
        row: list[str] = []
        queue = list(cells)
        while queue or len(row) in carried:
            column = len(row)
            if column in carried:
                text, left = carried.pop(column)
                row.append(text)
                if left > 1:
                    carried[column] = (text, left - 1)
                continue
            cell = queue.pop(0)
            text = text_of(cell)
            for _ in range(_span(cell, "colspan")):
                if _span(cell, "rowspan") > 1:
                    carried[len(row)] = (text, _span(cell, "rowspan") - 1)
                row.append(text)
        rows.append(row)
        lines.append(text_of(tr))
    header_rows = max(header_rows, 1)
    if len(rows) <= header_rows:
        return None
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    header = [" ".join(dict.fromkeys(rows[r][c] for r in range(header_rows) if rows[r][c])) for c in range(width)]
    return Grid(header, rows[header_rows:], lines[header_rows:])


def _span(cell: Any, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, 1)), 50))
    except ValueError:
        return 1


def _div_grid(element: Any) -> Grid | None:
    """A table built from <div>s: a header row, then rows whose cells carry the header cells'
    classes; rows of another shape (group titles) are skipped."""
    if len(element) < 3:  # fewer than three children of any kind
        return None
    children = [child for child in element if isinstance(child.tag, str)]
    if len(children) < 3:
        return None
    shape = [_cell_classes(child) for child in children]
    head = shape[0]
    if len(head) < 2 or not any(head):
        return None
    header = [text_of(cell) for cell in children[0] if isinstance(cell.tag, str)]
    if any(money(cell) for cell in header) or not any(
        item_of(cell) or scale_to_million(cell) or re.search(r"(?i)price|prix|preis", cell) for cell in header
    ):
        return None
    rows = [child for child, classes in zip(children[1:], shape[1:], strict=True) if classes == head]
    body = [[text_of(cell) for cell in row if isinstance(cell.tag, str)] for row in rows]
    if len(body) < 2 or not any(money(cell) for row in body for cell in row):
        return None
    return Grid(header, body, [text_of(row) for row in rows])


def _cell_classes(element: Any) -> list[str]:
    return [str(cell.get("class", "")) for cell in element if isinstance(cell.tag, str)]


def is_leaf_block(element: Any) -> bool:
    """A block that holds no other block: a list item, a paragraph, a "label  value" row."""
    return not any(isinstance(child.tag, str) and child.tag in BLOCK for child in element.iterdescendants())


def sentences_outside(doc: Any, skip: set[Any]) -> list[str]:
    blocks: list[str] = []
    parts: list[str] = []

    def walk(element: Any) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if element in skip or tag in PAGE_CHROME or not tag:
            return
        if tag in BLOCK:
            blocks.append(" ".join(parts))
            parts.clear()
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")
        if tag in BLOCK:
            blocks.append(" ".join(parts))
            parts.clear()

    walk(doc)
    blocks.append(" ".join(parts))
    return [sentence for block in blocks for sentence in sentences(block)]
