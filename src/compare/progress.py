"""Progress of long stages on a terminal (done / total, rate, time left, by tqdm); silent when
stderr is not a terminal, under CI, or where COMPARE_PROGRESS=0 (`--json` sets it)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def shown() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI") and os.environ.get("COMPARE_PROGRESS", "1") != "0"


def progress(items: Iterable[T], total: int | None, what: str, min_total: int = 50) -> Iterator[T]:
    """`items`, with a progress bar on stderr where one is shown and there are `min_total` or more."""
    if not shown() or (total is not None and total < min_total):
        yield from items
        return
    yield from tqdm(items, total=total, desc=what, unit="", leave=False, dynamic_ncols=True, file=sys.stderr)


class ProgressBar:
    """A bar for work counted elsewhere (a crawl subprocess): `update(done, total)` as totals grow."""

    def __init__(self, what: str) -> None:
        self.bar = (
            tqdm(total=0, desc=what, unit="", leave=False, dynamic_ncols=True, file=sys.stderr) if shown() else None
        )

    def update(self, done: int, total: int) -> None:
        if self.bar is not None and (done, total) != (self.bar.n, self.bar.total):
            self.bar.total = max(total, done)
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
