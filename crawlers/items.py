"""The one item spiders yield: a raw page as fetched."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RawPage:
    url: str
    final_url: str
    status: int
    fetched_at: str
    source: str
    kind: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    content_type: str | None = None
    error: str | None = None
    # The URL asked for, where a redirect answered it (the page is stored under the URL it ended at).
    redirected_from: str | None = None
    redirect_status: int | None = None
