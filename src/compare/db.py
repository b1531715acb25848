"""The only module that touches SQLite: schema migrations and every query the stages need.

Tables follow the data flow: pages -> extractions -> cards (+ card_sources, facts, prices)
-> embeddings -> pairs; `runs` records each refresh.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from compare.errors import InvalidInput
from compare.feeds import feed_items
from compare.records import CARD_FIELDS, name_key


def utc_now() -> str:
    """ISO-8601 UTC timestamp, second precision (what every *_at column holds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _schema_v1(db: sqlite_utils.Database) -> None:
    db["pages"].create(
        {
            "url": str,
            "final_url": str,
            "source": str,
            "kind": str,
            "status": int,
            "content_type": str,
            "headers": str,
            "body": str,
            "content_hash": str,
            "error": str,
            "first_seen": str,
            "fetched_at": str,
            "changed_at": str,
            "misses": int,
        },
        pk="url",
    )
    db["extractions"].create(
        {
            "id": int,
            "url": str,
            "content_hash": str,
            "extractor_version": str,
            "status": str,
            "reason": str,
            "records": str,
            "extracted_at": str,
        },
        pk="id",
    )
    db["extractions"].create_index(["url", "content_hash", "extractor_version"], unique=True)
    db["cards"].create(
        {
            "id": int,
            "key": str,
            "slug": str,
            "name": str,
            "vendor": str,
            "kind": str,
            "category": str,
            "category_reason": str,
            "tagline": str,
            "description": str,
            "entry": str,
            "pricing_text": str,
            "prices": str,
            "license": str,
            "open_weights": int,
            "modality": str,
            "params_b": float,
            "hub_id": str,
            "family": str,
            "is_variant": int,
            "urls": str,
            "evidence": str,
            "popularity": int,
            "first_seen": str,
            "updated_at": str,
            "active": int,
            "content_hash": str,
        },
        pk="id",
    )
    db["cards"].create_index(["key"], unique=True)
    db["cards"].create_index(["slug"], unique=True)
    db["cards"].enable_fts(["name", "vendor", "tagline", "description", "category"], create_triggers=True)
    db["card_sources"].create({"card_id": int, "url": str}, pk=("card_id", "url"))
    db["facts"].create(
        {
            "id": int,
            "card_id": int,
            "field": str,
            "value": str,
            "url": str,
            "snippet": str,
            "extractor": str,
            "observed_at": str,
        },
        pk="id",
    )
    db["facts"].create_index(["card_id", "field"])
    db["prices"].create(
        {
            "id": int,
            "card_id": int,
            "item": str,
            "amount": float,
            "currency": str,
            "unit": str,
            "tier": str,
            "url": str,
            "observed_at": str,
        },
        pk="id",
    )
    db["prices"].create_index(["card_id"])
    db["embeddings"].create(
        {"card_id": int, "model": str, "text_hash": str, "vector": bytes, "created_at": str},
        pk=("card_id", "model"),
    )
    db["pairs"].create(
        {
            "a": int,
            "b": int,
            "score": float,
            "reasons": str,
            "why": str,
            "status": str,
            "suggested_at": str,
            "decided_at": str,
        },
        pk=("a", "b"),
    )
    db["runs"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "counts": str,
            "failures": str,
        },
        pk="id",
    )


def _schema_v2(db: sqlite_utils.Database) -> None:
    """Cards say whether the license allows commercial use: 'yes' / 'no' / NULL (unknown)."""
    db["cards"].add_column("commercial_use", str)


def _schema_v3(db: sqlite_utils.Database) -> None:
    """Extractions of feeds keep each item's launch verdict and reason (JSON list)."""
    db["extractions"].add_column("items", str)


def _schema_v4(db: sqlite_utils.Database) -> None:
    """Facts to review: where a second opinion (a public price database) disagrees with a card."""
    db["reviews"].create(
        {
            "id": int,
            "card_id": int,
            "field": str,
            "ours": float,
            "ours_url": str,
            "theirs": float,
            "source": str,
            "reference": str,
            "status": str,
            "first_seen": str,
        },
        pk="id",
        foreign_keys=[("card_id", "cards", "id")],
    )
    db["reviews"].create_index(["card_id", "field", "source", "reference", "ours", "theirs"], unique=True)


def _schema_v5(db: sqlite_utils.Database) -> None:
    """Cards keep what launch posts and pricing pages add: release date, docs and pricing links
    (JSON), batch discount, and whether there is a free tier or a "contact sales" offer."""
    for name, kind in (("released", str), ("links", str), ("batch_discount", float)):
        db["cards"].add_column(name, kind)
    for name in ("free_tier", "contact_sales"):
        db["cards"].add_column(name, int)


def _schema_v6(db: sqlite_utils.Database) -> None:
    """Editors' decisions, applied by every refresh: `merge` (card `other` is the same tool as card
    `key`) and `split` (the records of page `url` are not the tool of card `key`); and each card's
    review status (new / reviewed / skipped)."""
    db["decisions"].create({"id": int, "kind": str, "key": str, "other": str, "url": str, "decided_at": str}, pk="id")
    db["decisions"].create_index(["kind", "key", "other", "url"], unique=True)
    db["cards"].add_column("review_status", str, not_null_default="new")
    db["cards"].add_column("reviewed_at", str)


def _schema_v7(db: sqlite_utils.Database) -> None:
    """Every name a card answers to (its name, the names and API ids its sources use, its Hub id)
    as order-free keys, so `like` and `show` find a card by alias without reading every card; and
    the full-text index's vocabulary (documents per term) for BM25 over a few candidates."""
    db["cards"].add_column("aliases", str)
    db["card_names"].create({"card_id": int, "name_key": str}, pk=("card_id", "name_key"))
    db["card_names"].create_index(["name_key"])
    db.execute("CREATE VIRTUAL TABLE cards_fts_vocab USING fts5vocab('cards_fts', 'row')")
    db.execute("CREATE INDEX idx_cards_lower_name ON cards(lower(name))")
    db.execute("CREATE INDEX idx_cards_lower_hub_id ON cards(lower(hub_id))")


def _schema_v8(db: sqlite_utils.Database) -> None:
    """Hub cards name their task (the pipeline tag), so pairings keep to one job."""
    db["cards"].add_column("task", str)


def _schema_v9(db: sqlite_utils.Database) -> None:
    """Each run keeps its seconds per stage."""
    db["runs"].add_column("stage_seconds", str)


def _schema_v10(db: sqlite_utils.Database) -> None:
    """What the categorise and pairs stages last ran on (a fingerprint), so a rerun over the same
    cards, vectors and decisions can skip them."""
    db["stage_inputs"].create({"stage": str, "fingerprint": str, "recorded_at": str}, pk="stage")


# What `compare changes` lists: what an editor republishes a card for.
CHANGE_FIELDS = ("license", "entry", "commercial_use", "open_weights", "status")


MIGRATIONS = [
    _schema_v1, _schema_v2, _schema_v3, _schema_v4, _schema_v5, _schema_v6, _schema_v7, _schema_v8, _schema_v9,
    _schema_v10,
]  # fmt: skip
REVIEW_STATUSES = ("new", "reviewed", "skipped")
# An editor's word on a suggested pairing, and the status it gives the pair.
PAIR_DECISIONS = {"accept": "accepted", "reject": "rejected", "publish": "published"}
PAIR_STATUSES = ("suggested", "accepted", "published", "rejected")  # the tabs, in the order editors work
# A page that answered 404 or 410 this many times in a row is gone: its records stop counting.
GONE_AFTER_MISSES = 2


class Store:
    """A compare database. Opening it applies pending migrations and turns on WAL."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
        self.db = sqlite_utils.Database(conn)
        if str(path) != ":memory:":
            self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self._vocabulary: tuple[int, dict[str, int]] | None = None
        self._light_columns: str | None = None  # see cards_by_ids; the schema is fixed once opened
        self._migrate()

    def _migrate(self) -> None:
        """Each pending migration in one transaction with its version number (sqlite-utils'
        `atomic`: its own writes nest as savepoints), so one that fails leaves nothing behind
        and the next open tries it again."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.db.atomic():
                migration(self.db)
                self.db.conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        self.db.close()

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One transaction that takes the write lock first (BEGIN IMMEDIATE): an editor's decision
        waits for a refresh's write to finish (busy timeout) instead of failing on a stale read."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.conn.rollback()
            raise
        self.db.conn.commit()

    # -- pages ---------------------------------------------------------------------------------

    def get_page(self, url: str) -> dict[str, Any] | None:
        rows = list(self.db["pages"].rows_where("url = ?", [url]))
        return rows[0] if rows else None

    def upsert_page(self, page: dict[str, Any]) -> str:
        """Store one fetched page. Returns 'new', 'changed', 'unchanged' or 'failed'.

        A failed fetch (non-200 or network error) never overwrites a stored body: the page keeps
        its last good content and counts the miss.
        """
        now = page["fetched_at"]
        old = self.get_page(page["url"])
        ok = page["status"] == 200 and page.get("body") is not None
        if page["status"] == 304 and old is not None and old["body"] is not None:
            # A conditional request confirmed the stored copy: unchanged, nothing to extract.
            self.db["pages"].update(page["url"], {"fetched_at": now, "status": 304, "misses": 0, "error": None})
            return "unchanged"
        if not ok:
            if old is None:
                self.db["pages"].insert({**page, "first_seen": now, "misses": 1, "body": None})
            else:
                self.db["pages"].update(
                    page["url"],
                    {
                        "status": page["status"],
                        "error": page.get("error"),
                        "fetched_at": now,
                        "misses": (old["misses"] or 0) + 1,
                    },
                )
            return "failed"
        if old is not None and old["content_hash"] == page["content_hash"]:
            self.db["pages"].update(page["url"], {"fetched_at": now, "status": 200, "misses": 0, "error": None})
            return "unchanged"
        row = {**page, "changed_at": now, "misses": 0, "error": None}
        row["first_seen"] = old["first_seen"] if old else now
        self.db["pages"].upsert(row, pk="url")
        return "changed" if old else "new"

    def record_redirect(self, row: dict[str, Any]) -> None:
        """A URL that redirected: a row with its status and where it led, no body (content it had
        before the move lives at the new URL now) and no error (a redirect is no failure)."""
        old = self.get_page(row["url"])
        fields = {**row, "body": None, "content_hash": None, "error": None, "misses": 0, "headers": "{}"}
        if old is None:
            self.db["pages"].insert({**fields, "first_seen": row["fetched_at"]})
        else:
            self.db["pages"].update(row["url"], fields)

    def crawl_state(self) -> dict[str, dict[str, Any]]:
        """What the next crawl needs to ask only for changes: per URL the validators of its
        stored copy (ETag, Last-Modified), per Hub model the sha of its stored API JSON (where its
        README was fetched too; a model whose README fetch failed is asked for again), per
        source the articles it led to (revisited so a removed page is noticed), per feed the links
        of its stored copy."""
        validators = {
            row["url"]: {k: row[k] for k in ("etag", "last_modified") if row[k]}
            for row in self.db.query(
                """
                SELECT url, json_extract(headers, '$.ETag') AS etag,
                       json_extract(headers, '$."Last-Modified"') AS last_modified
                FROM pages WHERE body IS NOT NULL AND json_valid(headers)
                """
            )
            if row["etag"] or row["last_modified"]
        }
        hub_versions = {
            row["id"]: row["sha"]
            for row in self.db.query(
                """
                SELECT json_extract(api.body, '$.id') AS id, json_extract(api.body, '$.sha') AS sha
                FROM pages api JOIN pages readme
                  ON readme.url = 'https://huggingface.co/' || json_extract(api.body, '$.id') || '/raw/main/README.md'
                WHERE api.kind = 'hub_api' AND api.body IS NOT NULL AND json_valid(api.body)
                  AND (readme.status IN (200, 304, 404, 410))
                """
            )
            if isinstance(row["id"], str) and isinstance(row["sha"], str)
        }
        known_articles: dict[str, list[str]] = {}
        for row in self.db.query(
            "SELECT source, url FROM pages WHERE kind = 'article' AND NOT (status IN (404, 410) AND misses >= ?)"
            " ORDER BY url",
            [GONE_AFTER_MISSES],
        ):
            known_articles.setdefault(row["source"], []).append(row["url"])
        feed_links = {  # what a feed answering 304 still leads to (a crawl killed before its articles)
            row["url"]: [item["link"] for item in feed_items(row["body"])[0] if item.get("link")]
            for row in self.db.query("SELECT url, body FROM pages WHERE kind = 'feed' AND body IS NOT NULL")
        }
        failing = {  # URLs whose last fetches failed: when and how many times in a row (the crawl backs off)
            row["url"]: [row["fetched_at"], row["misses"]]
            for row in self.db.query("SELECT url, fetched_at, misses FROM pages WHERE error IS NOT NULL AND misses > 0")
        }
        return {"validators": validators, "hub_versions": hub_versions, "known_articles": known_articles,
                "feed_links": feed_links, "failing": failing}  # fmt: skip

    def pages_to_extract(self, extractor_version: str) -> list[int]:
        """Row ids of the pages with a body whose current content has no extraction by this
        extractor version (ids, not bodies: 100k pages' bodies would not fit in memory)."""
        return [
            row[0]
            for row in self.db.execute(
                """
                SELECT p.rowid FROM pages p
                WHERE p.body IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM extractions e
                    WHERE e.url = p.url AND e.content_hash = p.content_hash
                      AND e.extractor_version = ?)
                ORDER BY p.rowid
                """,
                [extractor_version],
            )
        ]

    def pages_for_extraction(self, rowids: list[int]) -> list[dict[str, Any]]:
        """What extraction reads of these pages: url, body, content type and content hash."""
        marks = ",".join("?" * len(rowids))
        sql = f"SELECT url, body, content_type, content_hash FROM pages WHERE rowid IN ({marks}) ORDER BY rowid"
        return [dict(row) for row in self.db.query(sql, rowids)]

    def fetch_failures(self, since: str | None = None) -> dict[str, int]:
        """Pages whose last fetch brought no content (fetched `since` a time, if given), counted
        by reason."""
        sql = "SELECT error, count(*) AS n FROM pages WHERE error IS NOT NULL AND fetched_at >= ? GROUP BY error"
        return {row["error"]: row["n"] for row in self.db.query(sql + " ORDER BY n DESC", [since or ""])}

    def page_counts(self) -> dict[str, int]:
        return {row["kind"]: row["n"] for row in self.db.query("SELECT kind, count(*) AS n FROM pages GROUP BY kind")}

    # -- extractions ---------------------------------------------------------------------------

    def add_extraction(self, row: dict[str, Any]) -> None:
        self.db["extractions"].insert(
            {**row, "records": json.dumps(row["records"]), "items": json.dumps(row.get("items") or [])},
            replace=True,
        )

    def current_records(self, extractor_version: str) -> Iterator[dict[str, Any]]:
        """Every card record from the extraction of each page's current content, except pages
        that are gone (404 or 410 on GONE_AFTER_MISSES fetches in a row)."""
        for row in self.db.query(
            """
            SELECT e.records FROM extractions e JOIN pages p
              ON p.url = e.url AND p.content_hash = e.content_hash
            WHERE e.extractor_version = ? AND e.status = 'ok'
              AND NOT (p.status IN (404, 410) AND p.misses >= ?)
            ORDER BY e.url
            """,
            [extractor_version, GONE_AFTER_MISSES],
        ):
            yield from json.loads(row["records"])

    def feed_items(self, extractor_version: str, launches_only: bool = False) -> list[dict[str, Any]]:
        """Items of the current feeds with their launch verdicts, newest feed extraction first."""
        items = []
        for row in self.db.query(
            """
            SELECT e.url AS feed, e.items FROM extractions e JOIN pages p
              ON p.url = e.url AND p.content_hash = e.content_hash
            WHERE e.extractor_version = ? AND e.items IS NOT NULL AND e.items != '[]'
            ORDER BY e.url
            """,
            [extractor_version],
        ):
            for item in json.loads(row["items"]):
                if item["launch"] or not launches_only:
                    items.append({"feed": row["feed"], **item})
        return items

    def add_review(self, row: dict[str, Any]) -> int:
        """Record a disagreement once (1 if new, 0 if already recorded); cards are not touched."""
        before = self.db["reviews"].count
        self.db["reviews"].insert({**row, "status": "open"}, ignore=True)
        return self.db["reviews"].count - before

    def reviews(self, status: str = "open") -> list[dict[str, Any]]:
        return list(
            self.db.query(
                """
                SELECT r.*, c.name AS card_name, c.slug AS card_slug FROM reviews r
                JOIN cards c ON c.id = r.card_id WHERE r.status = ? ORDER BY c.name, r.field, r.source
                """,
                [status],
            )
        )

    def extraction_summary(self) -> dict[str, int]:
        return {
            f"{row['status']}: {row['reason'] or '-'}": row["n"]
            for row in self.db.query("SELECT status, reason, count(*) AS n FROM extractions GROUP BY status, reason")
        }

    # -- cards ---------------------------------------------------------------------------------

    def cards_by_key(self) -> dict[str, dict[str, Any]]:
        return {row["key"]: row for row in self.db["cards"].rows}

    @contextlib.contextmanager
    def card_writer(self, observed_at: str | None = None) -> Iterator[CardWriter]:
        """A CardWriter whose rows are all written when the block ends; outside a transaction the
        block is one."""
        writer = CardWriter(self, observed_at or utc_now())
        with contextlib.nullcontext() if self.db.conn.in_transaction else self.db.conn:
            yield writer
            writer.flush()

    def save_card(self, key: str, card: dict[str, Any], content_hash: str) -> tuple[int, bool]:
        """Insert or update the card with this key. Returns (card id, whether it changed)."""
        with self.card_writer() as writer:
            return writer.save(key, card, content_hash)

    def find_card_ids(self, name: str) -> list[int]:
        """Active cards named `name` exactly (name, slug, Hub id), else by an order-free key of a
        name or alias they answer to; variants last."""
        wanted = name.strip().lower()
        exact = self.db.execute(
            "SELECT id FROM cards WHERE active = 1 AND (lower(name) = ? OR slug = ? OR lower(hub_id) = ?)"
            " ORDER BY is_variant, id",
            [wanted, wanted, wanted],
        ).fetchall()
        if exact:
            return [row[0] for row in exact]
        keyed = self.db.execute(
            "SELECT DISTINCT c.id FROM card_names n JOIN cards c ON c.id = n.card_id"
            " WHERE n.name_key = ? AND c.active = 1 ORDER BY c.is_variant, c.id",
            [name_key(name)],
        ).fetchall()
        return [row[0] for row in keyed]

    def card_names(self) -> list[tuple[int, str, bool]]:
        """(id, name, is variant) of every active card, for fuzzy matching."""
        return [
            (r[0], r[1], bool(r[2])) for r in self.db.execute("SELECT id, name, is_variant FROM cards WHERE active = 1")
        ]

    def carry_over_keys(self, sources_by_key: dict[str, list[str]]) -> int:
        """A tool whose key changes (a Hub page joined it, a naming rule changed) keeps its card,
        id and history: each new key takes over the card that is no longer produced and shares
        the most source URLs with it. Returns how many cards changed key."""
        rows = {row["key"]: (row["id"], row["active"]) for row in self.db.query("SELECT key, id, active FROM cards")}
        orphans: dict[int, set[str]] = {
            card_id: set() for key, (card_id, active) in rows.items() if active and key not in sources_by_key
        }
        for row in self.db.query("SELECT card_id, url FROM card_sources"):
            if row["card_id"] in orphans:
                orphans[row["card_id"]].add(row["url"])
        moved = 0
        for key, urls in sorted(sources_by_key.items()):
            if key in rows or not orphans:
                continue
            card_id, shared = max(
                ((i, len(have & set(urls))) for i, have in orphans.items()), key=lambda t: (t[1], -t[0])
            )
            if shared:
                self.db["cards"].update(card_id, {"key": key})
                del orphans[card_id]
                moved += 1
        return moved

    def free_slug(self, slug: str, handed_out: set[str] | frozenset[str] = frozenset()) -> str:
        """The slug, or slug-2, slug-3 ... where taken (or `handed_out` to rows not written yet);
        reads only the slugs that start so (by the slug index: "x-" <= slug < "x.")."""
        query = "SELECT slug FROM cards WHERE slug = ? OR (slug >= ? AND slug < ?)"
        taken = {row[0] for row in self.db.execute(query, [slug, f"{slug}-", f"{slug}."])} | handed_out
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        return candidate

    def deactivate_cards_except(self, keep_ids: Iterable[int], merged_into: dict[str, str] | None = None) -> int:
        """Mark cards no source mentions any more; never delete them (their history stays). The
        status fact says why: the source pages that are gone, or the card an editor merged it into."""
        keep, merged_into = set(keep_ids), merged_into or {}
        gone = [row for row in self.db["cards"].rows_where("active = 1") if row["id"] not in keep]
        now = utc_now()
        for row in gone:
            self.db["cards"].update(row["id"], {"active": 0, "updated_at": now})
            status, evidence = "gone", self._gone_evidence(row["id"])
            if row["key"] in merged_into:
                target = self.db.execute("SELECT slug FROM cards WHERE key = ?", [merged_into[row["key"]]]).fetchone()
                into = target[0] if target else merged_into[row["key"]]
                status, evidence = "merged", {"snippet": f"merged into {into} by an editor"}
            self.record_fact(row["id"], "status", status, evidence, now)
        return len(gone)

    def _gone_evidence(self, card_id: int) -> dict[str, str]:
        pages = list(
            self.db.query(
                """SELECT p.url, p.status, p.misses FROM card_sources s JOIN pages p ON p.url = s.url
                WHERE s.card_id = ? AND p.status IN (404, 410) AND p.misses >= ? ORDER BY p.url""",
                [card_id, GONE_AFTER_MISSES],
            )
        )
        if not pages:
            return {"snippet": "no source mentions this tool any more"}
        snippet = "; ".join(f"{p['url']} answered {p['status']} on {p['misses']} fetches in a row" for p in pages)
        return {"url": pages[0]["url"], "snippet": snippet}

    def card_sources(self, card_id: int) -> list[str]:
        return [row["url"] for row in self.db["card_sources"].rows_where("card_id = ?", [card_id], order_by="url")]

    def set_card_sources(self, card_id: int, urls: Iterable[str]) -> None:
        with self.card_writer() as writer:
            writer.set_sources(card_id, urls)

    def cards(self, active_only: bool = True, since: str | None = None) -> list[dict[str, Any]]:
        where, params = ["1 = 1"], []
        if active_only:
            where.append("active = 1")
        if since:
            where.append("first_seen >= ?")
            params.append(since)
        return [
            decode_card(row)
            for row in self.db["cards"].rows_where(" AND ".join(where), params, order_by="first_seen DESC, id")
        ]

    def card(self, card_id: int) -> dict[str, Any] | None:
        rows = list(self.db["cards"].rows_where("id = ?", [card_id]))
        return decode_card(rows[0]) if rows else None

    def distinct_values(self, column: str) -> list[str]:
        """The values active cards have in one of the card columns, sorted."""
        if column not in ("category", "entry", "license", "modality", "vendor", "kind"):
            raise InvalidInput(f"not a card column with few values: {column!r}")
        sql = f"SELECT DISTINCT {column} FROM cards WHERE active = 1 AND {column} IS NOT NULL ORDER BY {column}"
        return [row[0] for row in self.db.execute(sql).fetchall()]

    def card_by_slug(self, slug: str) -> dict[str, Any] | None:
        rows = list(self.db["cards"].rows_where("slug = ? AND active = 1", [slug], limit=1))
        return decode_card(rows[0]) if rows else None

    def family_cards(self, family: str | None) -> list[dict[str, Any]]:
        """Active cards of one family (a model line, or a product and its plans)."""
        if not family:
            return []
        return [
            decode_card(row)
            for row in self.db["cards"].rows_where("active = 1 AND family = ?", [family], order_by="name")
        ]

    def cards_by_ids(self, ids: Iterable[int], light: bool = False) -> dict[int, dict[str, Any]]:
        """Cards by id. `light` cards leave out what no ranking reads (evidence, urls, links and
        aliases: most of a card's bytes and of its decoding), for ranking many to show a few."""
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        if light and self._light_columns is None:
            self._light_columns = ", ".join(c for c in self.db["cards"].columns_dict if c not in LIGHT_OMITS)
        columns = self._light_columns if light else "*"
        rows = self.db.query(f"SELECT {columns} FROM cards WHERE id IN ({marks})", ids)
        return {row["id"]: decode_card(row) for row in rows}

    def fts_search(self, query: str, limit: int) -> list[tuple[int, float]]:
        """(card id, bm25 rank) best first; `query` must already be a safe FTS5 expression."""
        sql = """
            SELECT cards.id AS id, bm25(cards_fts) AS rank FROM cards_fts
            JOIN cards ON cards.rowid = cards_fts.rowid
            WHERE cards_fts MATCH ? AND cards.active = 1
            ORDER BY rank LIMIT ?
        """
        return [(row["id"], row["rank"]) for row in self.db.query(sql, [query, limit])]

    def uncategorised_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM cards WHERE active = 1 AND category IS NULL").fetchone()[0]

    def category_rows(self) -> dict[int, dict[str, Any]]:
        """{id: {name, category, category_reason}} of every active card, without decoding cards."""
        query = "SELECT id, name, category, category_reason FROM cards WHERE active = 1"
        return {row["id"]: row for row in self.db.query(query)}

    def set_categories(self, changes: list[tuple[int, str | None, str | None]], extractor: str, now: str) -> None:
        """Categories decided after the cards stage (card id, category or None, reason): each
        card's category, reason and category evidence (its first source, the reason as the
        snippet), and a fact for each category given. The caller holds the write lock."""
        if not changes:
            return
        evidence_of: dict[int, dict[str, Any]] = {}
        sources: dict[int, str] = {}
        for start in range(0, len(changes), 500):
            ids = [card_id for card_id, _, _ in changes[start : start + 500]]
            marks = ",".join("?" * len(ids))
            for card_id, evidence in self.db.execute(f"SELECT id, evidence FROM cards WHERE id IN ({marks})", ids):
                evidence_of[card_id] = json.loads(evidence or "{}")
            query = f"SELECT card_id, min(url) FROM card_sources WHERE card_id IN ({marks}) GROUP BY card_id"
            sources.update(self.db.execute(query, ids).fetchall())
        updates = []
        with self.card_writer(now) as writer:
            for card_id, category, reason in changes:
                evidence = {"url": sources.get(card_id), "snippet": reason, "extractor": extractor}
                kept = evidence_of.get(card_id, {})
                if category:
                    kept["category"] = {"url": evidence["url"], "snippet": reason}
                    writer.record_facts(card_id, [("category", category, evidence)])
                else:
                    kept.pop("category", None)
                updates.append((category, reason, json.dumps(kept), card_id))
        self.db.conn.executemany(
            "UPDATE cards SET category = ?, category_reason = ?, evidence = ? WHERE id = ?", updates
        )

    def set_review_status(self, card_id: int, status: str) -> None:
        if status not in REVIEW_STATUSES:
            raise InvalidInput(f"review status must be one of {', '.join(REVIEW_STATUSES)}, not {status!r}")
        with self.writing():
            self.db["cards"].update(card_id, {"review_status": status, "reviewed_at": utc_now()})

    # -- editors' decisions (merge / split), applied by every refresh ---------------------------

    def add_decision(self, kind: str, key: str, other: str | None = None, url: str | None = None) -> int:
        row = {"kind": kind, "key": key, "other": other or "", "url": url or "", "decided_at": utc_now()}
        self.db["decisions"].insert(row, ignore=True)
        found = self.db.execute(
            "SELECT id FROM decisions WHERE kind = ? AND key = ? AND other = ? AND url = ?",
            [kind, key, row["other"], row["url"]],
        ).fetchone()
        return int(found[0])

    def decisions(self) -> list[dict[str, Any]]:
        return list(self.db["decisions"].rows_where(order_by="id"))

    def remove_decision(self, decision_id: int) -> None:
        if not self.db["decisions"].count_where("id = ?", [decision_id]):
            raise InvalidInput(f"no decision {decision_id}")
        self.db["decisions"].delete(decision_id)

    def term_documents(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """In how many cards the full-text index holds each term, and about how many cards there
        are (the highest id): the collection statistics BM25 needs. The vocabulary is read once
        per store and again when cards are added (a scan of it costs as much as a search)."""
        total = self.db.execute("SELECT max(rowid) FROM cards").fetchone()[0] or 0
        if self._vocabulary is None or self._vocabulary[0] != total:
            docs = dict(self.db.execute("SELECT term, doc FROM cards_fts_vocab").fetchall())
            self._vocabulary = (total, docs)
        docs = self._vocabulary[1]
        return {term: docs[term] for term in terms if term in docs}, total

    # -- facts and prices (history: a row only when the value changes) --------------------------

    def record_fact(self, card_id: int, field: str, value: Any, evidence: dict[str, Any], observed_at: str) -> bool:
        return self.record_facts(card_id, [(field, value, evidence)], observed_at) == 1

    def record_facts(self, card_id: int, facts: list[tuple[str, Any, dict[str, Any]]], observed_at: str) -> int:
        """Append a fact row for each (field, value, evidence) whose value differs from the
        card's last recorded one. Returns the rows added."""
        with self.card_writer(observed_at) as writer:
            return writer.record_facts(card_id, facts)

    def last_facts(self, card_id: int) -> dict[str, str]:
        """The card's last recorded value (JSON) of each field."""
        query = (
            "SELECT field, value FROM facts WHERE id IN (SELECT max(id) FROM facts WHERE card_id = ? GROUP BY field)"
        )
        return dict(self.db.execute(query, [card_id]).fetchall())

    def record_prices(self, card_id: int, prices: list[dict[str, Any]], observed_at: str) -> bool:
        """Append the card's price list when it differs from the last one recorded."""
        with self.card_writer(observed_at) as writer:
            return writer.record_prices(card_id, prices)

    def price_history(self, card_id: int) -> list[dict[str, Any]]:
        """The card's price lists as observed, newest first: {observed_at, prices}."""
        lists: dict[str, list[dict[str, Any]]] = {}
        for row in self.db["prices"].rows_where("card_id = ?", [card_id], order_by="observed_at DESC, id"):
            lists.setdefault(row["observed_at"], []).append(row)
        return [{"observed_at": at, "prices": rows} for at, rows in lists.items()]

    def current_prices(self, card_id: int) -> list[dict[str, Any]]:
        last = next(iter(self.db.query("SELECT max(observed_at) AS at FROM prices WHERE card_id = ?", [card_id])))["at"]
        if last is None:
            return []
        return list(self.db["prices"].rows_where("card_id = ? AND observed_at = ?", [card_id, last]))

    def changes(self, since: str | None = None, fields: tuple[str, ...] = CHANGE_FIELDS) -> list[dict[str, Any]]:
        """Price, license, entry and status changes observed since `since` (ISO date or time), each
        with the old and new value and both evidence URLs; a card's first value is no change."""
        found = []
        for row in self.db.query(
            f"""SELECT c.slug, c.name, f.field, f.value, f.url, f.observed_at,
                   lag(f.value) OVER w AS old_value, lag(f.url) OVER w AS old_url
            FROM facts f JOIN cards c ON c.id = f.card_id
            WHERE f.field IN ({", ".join("?" * len(fields))})
            WINDOW w AS (PARTITION BY f.card_id, f.field ORDER BY f.id)""",
            list(fields),
        ):
            if row["old_value"] is not None and (since is None or row["observed_at"] >= since):
                found.append(_change(row, row["field"], json.loads(row["old_value"]), json.loads(row["value"])))
        found += self._price_changes(since)
        return sorted(found, key=lambda change: (change["observed_at"], change["name"], change["field"]))

    def _price_changes(self, since: str | None) -> list[dict[str, Any]]:
        """Differences between consecutive price lists of a card, one per item (and tier)."""
        snapshots: dict[int, dict[str, dict[tuple, dict]]] = {}
        for row in self.db.query(
            "SELECT p.*, c.slug, c.name FROM prices p JOIN cards c ON c.id = p.card_id"
            " ORDER BY p.card_id, p.observed_at"
        ):
            key = (row["item"], row["unit"], row["tier"], row["currency"])
            snapshots.setdefault(row["card_id"], {}).setdefault(row["observed_at"], {})[key] = row
        found = []
        for lists in snapshots.values():
            times = list(lists)
            for before, after in itertools.pairwise(times):
                if since is not None and after < since:
                    continue
                old, new = lists[before], lists[after]
                for key in sorted(set(old) | set(new), key=str):
                    was, now = old.get(key), new.get(key)
                    if was and now and was["amount"] == now["amount"]:
                        continue
                    row = now or {**was, "observed_at": after, "url": None}
                    field = "price " + " ".join(str(part) for part in (key[0], key[2]) if part)
                    change = _change(row, field, was and was["amount"], now and now["amount"])
                    change.update(old_url=was and was["url"], currency=key[3], unit=key[1])
                    found.append(change)
        return found

    def facts(self, card_id: int) -> list[dict[str, Any]]:
        return [
            {**row, "value": json.loads(row["value"])}
            for row in self.db["facts"].rows_where("card_id = ?", [card_id], order_by="id")
        ]

    # -- embeddings ----------------------------------------------------------------------------

    def embedding_hashes(self, model: str) -> dict[int, str]:
        return {row["card_id"]: row["text_hash"] for row in self.db["embeddings"].rows_where("model = ?", [model])}

    def save_embeddings(self, rows: list[dict[str, Any]]) -> None:
        self.db["embeddings"].upsert_all(rows, pk=("card_id", "model"))

    def embedding_entries(self, model: str) -> list[tuple[int, str]]:
        """(card id, text hash) of the active cards' vectors, without the vectors."""
        sql = "SELECT e.card_id, e.text_hash FROM embeddings e JOIN cards c ON c.id = e.card_id"
        return self.db.execute(sql + " WHERE e.model = ? AND c.active = 1 ORDER BY e.card_id", [model]).fetchall()

    def inputs_fingerprint(self, model: str, *parameters: object) -> str:
        """Identity of what the stages after embed read: active cards (content, category),
        their vectors for `model`, editors' decisions on cards and pairs, and `parameters`."""
        digest = hashlib.sha256(repr(parameters).encode())
        queries = (
            "SELECT id, content_hash, category, category_reason FROM cards WHERE active = 1 ORDER BY id",
            "SELECT kind, key, other, url FROM decisions ORDER BY id",
            "SELECT a, b, status FROM pairs WHERE status != 'suggested' ORDER BY a, b",
        )
        for row in itertools.chain(*(self.db.execute(sql) for sql in queries), self.embedding_entries(model)):
            digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()

    def records_fingerprint(self, extractor_version: str, *parameters: object) -> str:
        """Identity of what the cards stage reads: which extractions give the current records
        (their row ids, gone pages left out as current_records leaves them), editors' merge and
        split decisions, and `parameters`."""
        digest = hashlib.sha256(repr(parameters).encode())
        extractions = """
            SELECT e.rowid FROM extractions e JOIN pages p ON p.url = e.url AND p.content_hash = e.content_hash
            WHERE e.extractor_version = ? AND e.status = 'ok' AND NOT (p.status IN (404, 410) AND p.misses >= ?)
            ORDER BY e.rowid"""
        rows = self.db.execute(extractions, [extractor_version, GONE_AFTER_MISSES])
        for row in itertools.chain(rows, self.db.execute("SELECT kind, key, other, url FROM decisions ORDER BY id")):
            digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()

    def stage_inputs(self, stage: str) -> str | None:
        found = self.db.execute("SELECT fingerprint FROM stage_inputs WHERE stage = ?", [stage]).fetchone()
        return found[0] if found else None

    def record_stage_inputs(self, stage: str, fingerprint: str) -> None:
        with self.writing():
            self.db["stage_inputs"].upsert(
                {"stage": stage, "fingerprint": fingerprint, "recorded_at": utc_now()}, pk="stage"
            )

    def embeddings(self, model: str, active_only: bool = True) -> Iterator[dict[str, Any]]:
        sql = "SELECT e.* FROM embeddings e JOIN cards c ON c.id = e.card_id WHERE e.model = ?"
        if active_only:
            sql += " AND c.active = 1"
        yield from self.db.query(sql + " ORDER BY e.card_id", [model])

    # -- pairs ---------------------------------------------------------------------------------

    def pair_statuses(self) -> dict[tuple[int, int], str]:
        return {(row["a"], row["b"]): row["status"] for row in self.db["pairs"].rows}

    def replace_suggestions(self, pairs: list[dict[str, Any]]) -> None:
        """Swap the set of suggested pairs; decided pairs (accepted, rejected...) stay as they are."""
        with self.writing():
            self.db["pairs"].delete_where("status = 'suggested'")
            self.db["pairs"].insert_all(
                (
                    {
                        **p,
                        "reasons": json.dumps(p["reasons"], sort_keys=True),
                        "status": "suggested",
                    }
                    for p in pairs
                ),
                ignore=True,
            )

    def suggestion_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM pairs WHERE status = 'suggested'").fetchone()[0]

    def pairs_with_status(self, status: str, limit: int) -> list[dict[str, Any]]:
        """Pairs with one status: suggestions best first, decided pairs latest decision first."""
        if status not in PAIR_STATUSES:
            raise InvalidInput(f"pair status must be one of {', '.join(PAIR_STATUSES)}, not {status!r}")
        order = "score DESC" if status == "suggested" else "decided_at DESC"
        return [
            {**row, "reasons": json.loads(row["reasons"] or "{}")}
            for row in self.db["pairs"].rows_where("status = ?", [status], order_by=order, limit=limit)
        ]

    def pair_row(self, a: int, b: int) -> dict[str, Any] | None:
        rows = list(self.db["pairs"].rows_where("a = ? AND b = ?", [min(a, b), max(a, b)]))
        return {**rows[0], "reasons": json.loads(rows[0]["reasons"] or "{}")} if rows else None

    def pairs_of(self, card_id: int) -> list[dict[str, Any]]:
        """The pairings a card is in (any status), best suggestion first."""
        sql = "SELECT * FROM pairs WHERE a = ? OR b = ? ORDER BY status != 'suggested', score DESC"
        return [dict(row) for row in self.db.query(sql, [card_id, card_id])]

    def decide_pair(self, a: int, b: int, status: str) -> None:
        a, b = min(a, b), max(a, b)
        with self.writing():
            self.db["pairs"].upsert({"a": a, "b": b, "status": status, "decided_at": utc_now()}, pk=("a", "b"))

    def undo_pair_decision(self, a: int, b: int) -> str | None:
        """Take back a decision: a pair that was suggested is a suggestion again (until the next
        pairs stage says otherwise), one decided without a suggestion is gone. The old status."""
        a, b = min(a, b), max(a, b)
        with self.writing():
            row = self.pair_row(a, b)
            if row is None or row["status"] == "suggested":
                return None
            if row["score"] is None:
                self.db["pairs"].delete((a, b))
            else:
                self.db["pairs"].update((a, b), {"status": "suggested", "decided_at": None})
            return row["status"]

    # -- runs ----------------------------------------------------------------------------------

    def start_run(self) -> int:
        """A new run's row. Runs go one at a time (the refresh lock), so a row still `running`
        is a run that was killed: it is closed as `interrupted`."""
        with self.writing():
            self.db.execute(
                "UPDATE runs SET status = 'interrupted', finished_at = ? WHERE status = 'running'", [utc_now()]
            )
            return int(self.db["runs"].insert({"started_at": utc_now(), "status": "running"}).last_pk)

    def finish_run(self, run_id: int, status: str, counts: dict, failures: dict, stage_seconds: dict) -> None:
        self.db["runs"].update(
            run_id,
            {
                "finished_at": utc_now(),
                "status": status,
                "counts": json.dumps(counts, sort_keys=True),
                "failures": json.dumps(failures, sort_keys=True),
                "stage_seconds": json.dumps(stage_seconds),
            },
        )

    def runs(self, limit: int) -> list[dict[str, Any]]:
        return list(self.db["runs"].rows_where(order_by="id DESC", limit=limit))

    def counts(self) -> dict[str, int]:
        return {
            table: self.db[table].count for table in ("pages", "extractions", "cards", "facts", "embeddings", "pairs")
        }


class CardWriter:
    """The cards stage's writes, batched: rows wait in memory and go out as one executemany per
    statement every FLUSH_EVERY cards and at the end (Store.card_writer), in the caller's
    transaction. New cards get their ids here (the caller holds the write lock), so nothing is
    read back, and a new card's empty history is not read at all. Per call (sqlite-utils'
    insert and delete) the same rows cost six times as much."""

    FLUSH_EVERY = 2000

    def __init__(self, store: Store, observed_at: str) -> None:
        self.store = store
        self.now = observed_at
        self.next_id = (store.db.execute("SELECT max(id) FROM cards").fetchone()[0] or 0) + 1
        self.new_ids: set[int] = set()  # inserted cards none of whose rows are written yet
        self.new_slugs: set[str] = set()
        self.touched: set[tuple[str, int | str]] = set()  # (what, card id or key) waiting in the queue
        self.queue: dict[str, list[tuple]] = {statement: [] for statement in _WRITE_ORDER}
        self.cards_queued = 0

    def _wait(self, what: str, ident: int | str) -> None:
        """A second write of one kind to one card before a flush: flush first, so reads see it."""
        if (what, ident) in self.touched:
            self.flush()
        self.touched.add((what, ident))

    def save(self, key: str, card: dict[str, Any], content_hash: str) -> tuple[int, bool]:
        """Insert or update the card with this key. Returns (card id, whether it changed)."""
        self._wait("card", key)
        found = self.store.db.execute("SELECT id, content_hash, active FROM cards WHERE key = ?", [key]).fetchone()
        columns = _card_columns(card)
        if found:
            card_id, old_hash, active = found
            if old_hash == content_hash and active:
                return card_id, False
            columns.pop("slug")
            self.queue[_UPDATE_CARD].append((*columns.values(), content_hash, self.now, card_id))
            self.queue[_DELETE_NAMES].append((card_id,))
        else:
            card_id, self.next_id = self.next_id, self.next_id + 1
            self.new_ids.add(card_id)
            columns["slug"] = self.store.free_slug(columns["slug"], self.new_slugs)
            self.new_slugs.add(columns["slug"])
            first_seen = card.get("first_seen") or self.now
            self.queue[_INSERT_CARD].append((card_id, key, *columns.values(), content_hash, first_seen, self.now, 1))
        names = [card["name"], *(card.get("aliases") or []), card.get("hub_id") or ""]
        keys = {name_key(n, vendor) for n in names if n for vendor in (None, card.get("vendor"))}
        self.queue[_INSERT_NAME].extend((card_id, name) for name in sorted(keys) if name)
        self.cards_queued += 1
        if self.cards_queued >= self.FLUSH_EVERY:
            self.flush()
        return card_id, True

    def set_sources(self, card_id: int, urls: Iterable[str]) -> None:
        self._wait("sources", card_id)
        if card_id not in self.new_ids:
            self.queue[_DELETE_SOURCES].append((card_id,))
        self.queue[_INSERT_SOURCE].extend((card_id, url) for url in sorted(set(urls)))

    def record_facts(self, card_id: int, facts: list[tuple[str, Any, dict[str, Any]]]) -> int:
        """Queue a fact row for each (field, value, evidence) whose value differs from the card's
        last recorded one. Returns the rows queued."""
        self._wait("facts", card_id)
        last = {} if card_id in self.new_ids else self.store.last_facts(card_id)
        rows = [
            (card_id, field, encoded, evidence.get("url"), evidence.get("snippet"), evidence.get("extractor"), self.now)
            for field, value, evidence in facts
            if last.get(field) != (encoded := _encode_fact(value))
        ]
        self.queue[_INSERT_FACT].extend(rows)
        return len(rows)

    def record_prices(self, card_id: int, prices: list[dict[str, Any]]) -> bool:
        """Queue the card's price list when it differs from the last one recorded."""
        self._wait("prices", card_id)
        current = [] if card_id in self.new_ids else self.store.current_prices(card_id)
        if sorted(map(_price_key, current)) == sorted(map(_price_key, prices)):
            return False
        self.queue[_INSERT_PRICE].extend(
            (card_id, p["item"], p["amount"], p["currency"], p["unit"], p.get("tier"), p.get("url"), self.now)
            for p in prices
        )
        return True

    def flush(self) -> None:
        for statement, rows in self.queue.items():
            if rows:
                self.store.db.conn.executemany(statement, rows)
                rows.clear()
        self.touched.clear()
        self.new_ids.clear()  # their rows are written now: from here on, read their history
        self.cards_queued = 0


_encode_fact = json.JSONEncoder(sort_keys=True).encode  # json.dumps(value, sort_keys=True), one encoder


def _statement(verb: str, table: str, columns: list[str]) -> str:
    return f"{verb} INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


JSON_COLUMNS = ("prices", "urls", "links", "evidence", "aliases")
LIGHT_OMITS = ("evidence", "urls", "links", "aliases")  # see Store.cards_by_ids
BOOL_COLUMNS = ("open_weights", "free_tier", "contact_sales")


def _empty(name: str) -> Any:
    return {} if name in ("links", "evidence") else []


def _change(row: dict[str, Any], field: str, old: Any, new: Any) -> dict[str, Any]:
    return {
        "slug": row["slug"],
        "name": row["name"],
        "field": field,
        "old": old,
        "new": new,
        "old_url": row.get("old_url"),
        "new_url": row["url"],
        "observed_at": row["observed_at"],
    }


def _card_columns(card: dict[str, Any]) -> dict[str, Any]:
    row = {name: card.get(name) for name in CARD_FIELDS if name not in ("first_seen",)}
    for name in JSON_COLUMNS:
        row[name] = json.dumps(card.get(name) or _empty(name))
    for name in BOOL_COLUMNS:
        if row.get(name) is not None:
            row[name] = int(bool(row[name]))
    row["category_reason"] = card.get("category_reason")
    row["is_variant"] = int(bool(card.get("is_variant")))
    row["popularity"] = card.get("popularity")
    return row


# The cards columns CardWriter writes: those of `_card_columns`, in its order.
_CARD_COLUMNS = list(_card_columns({}))
_INSERT_CARD = _statement(
    "INSERT", "cards", ["id", "key", *_CARD_COLUMNS, "content_hash", "first_seen", "updated_at", "active"]
)
_UPDATE_CARD = (
    "UPDATE cards SET "
    + ", ".join(f"{name} = ?" for name in _CARD_COLUMNS if name != "slug")
    + ", content_hash = ?, updated_at = ?, active = 1 WHERE id = ?"
)
_DELETE_NAMES = "DELETE FROM card_names WHERE card_id = ?"
_INSERT_NAME = _statement("INSERT OR IGNORE", "card_names", ["card_id", "name_key"])
_DELETE_SOURCES = "DELETE FROM card_sources WHERE card_id = ?"
_INSERT_SOURCE = _statement("INSERT OR IGNORE", "card_sources", ["card_id", "url"])
_INSERT_FACT = _statement(
    "INSERT", "facts", ["card_id", "field", "value", "url", "snippet", "extractor", "observed_at"]
)
_INSERT_PRICE = _statement(
    "INSERT", "prices", ["card_id", "item", "amount", "currency", "unit", "tier", "url", "observed_at"]
)
# Cards before what refers to them; a card's old names and sources out before its new ones.
_WRITE_ORDER = (_INSERT_CARD, _UPDATE_CARD, _DELETE_NAMES, _INSERT_NAME, _DELETE_SOURCES, _INSERT_SOURCE,
                _INSERT_FACT, _INSERT_PRICE)  # fmt: skip


def decode_card(row: dict[str, Any]) -> dict[str, Any]:
    """A cards row as the card record of the contract (JSON columns decoded)."""
    card = {name: row.get(name) for name in CARD_FIELDS}
    for name in JSON_COLUMNS:
        card[name] = json.loads(row[name]) if row.get(name) else _empty(name)
    for name in BOOL_COLUMNS:
        if card[name] is not None:
            card[name] = bool(card[name])
    card["id"] = row["id"]
    card["key"] = row.get("key")
    card["category_reason"] = row.get("category_reason")
    card["review_status"] = row.get("review_status") or "new"
    card["is_variant"] = bool(row.get("is_variant"))
    card["popularity"] = row.get("popularity")
    return card


def _price_key(price: dict[str, Any]) -> tuple:
    return (
        price["item"],
        float(price["amount"]),
        price["currency"],
        price["unit"],
        price.get("tier"),
    )
