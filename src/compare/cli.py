"""The `compare` command: a thin shell over the library. Domain errors become `Error: ...`
and exit 1 here, and only here."""

from __future__ import annotations

import functools
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from compare.config import Settings
from compare.db import PAIR_DECISIONS, PAIR_STATUSES, REVIEW_STATUSES

# Quiet, offline Prefect unless the user asks otherwise (set before prefect is imported).
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Without PREFECT_API_URL each refresh starts a temporary API server; 20 s (Prefect's default)
# is too short for a busy 2-core machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


DAY_FORMS = "YYYY-MM-DD, today, yesterday or 7d"


def domain_errors(command: Callable) -> Callable:
    """The project's errors (compare.errors) are one clear line and exit 1 (2 for a question
    asked wrongly), never a traceback; any other exception is a bug and keeps its traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from compare.errors import CompareError
        from compare.search import InvalidQuery

        try:
            return command(*args, **kwargs)
        except BrokenPipeError:  # `compare cards | head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except InvalidQuery as error:  # asked wrongly: a usage error (exit 2) saying what is valid
            raise click.UsageError(str(error)) from error
        except (CompareError, OSError) as error:  # the project's own errors and the machine's (a full disk)
            raise click.ClickException(str(error.args[0]) if error.args else str(error)) from error

    return wrapper


def json_option(command: Callable) -> Callable:
    help_text = "Print JSON to stdout and nothing else there."
    return click.option("--json", "as_json", is_flag=True, callback=_quiet_when_json, help=help_text)(command)


def _quiet_when_json(ctx: click.Context, param: click.Parameter, as_json: bool) -> bool:
    as_json = as_json or getattr(ctx.find_object(Context), "as_json", False)  # `compare --json cards`
    if as_json:  # no progress bars beside machine-read output
        os.environ["COMPARE_PROGRESS"] = "0"
    return as_json


def emit(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))


class Context:
    def __init__(self, settings: Settings, as_json: bool = False) -> None:
        self.settings = settings
        self.as_json = as_json

    def store(self, create: bool = False):
        """The database; a command that only reads (or decides about cards) never creates one,
        and a path that is no SQLite database is one clear error."""
        import sqlite3

        from compare.db import Store

        path = Path(self.settings.db_path)
        if not create and str(path) != ":memory:" and not path.is_file():
            what = "a directory" if path.is_dir() else "no database"
            raise click.ClickException(f"{path} is {what}: run `compare demo` or `compare refresh` first, or pass --db")
        try:
            store = Store(path)
            store.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as error:
            raise click.ClickException(f"{path} is not a compare database ({error})") from None
        click.get_current_context().call_on_close(store.close)  # closed when the command ends
        return store


pass_ctx = click.make_pass_decorator(Context)


@click.group()
@click.option(
    "--db",
    type=click.Path(path_type=Path),
    envvar="COMPARE_DB",
    default=None,
    help="SQLite database (default data/compare.db, env COMPARE_DB).",
)
@click.option(
    "--index-dir",
    type=click.Path(path_type=Path),
    envvar="COMPARE_INDEX_DIR",
    default=None,
    help="FAISS index directory (default index/, env COMPARE_INDEX_DIR).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (as the command's own --json does).")
@click.version_option(package_name="compare")
@click.pass_context
def main(ctx: click.Context, db: Path | None, index_dir: Path | None, as_json: bool) -> None:
    """compare: a fresh, evidence-backed index of AI tools.

    Crawl launch posts, feeds, pricing pages and the Hugging Face Hub; merge what they say into
    one card per tool; find tools like X; suggest head-to-head pairings.
    """
    ctx.obj = Context(Settings().with_overrides(db_path=db, index_dir=index_dir), as_json)


# -- the whole pipeline ----------------------------------------------------------------------------


def _check_sources(path: Path) -> None:
    """A bad sources file is one line, before any flow (or run row) starts."""
    from compare.sources import SourcesError, load_sources

    try:
        load_sources(path)
    except SourcesError as error:
        raise click.ClickException(str(error)) from None


def _refresh_parameters(settings: Settings, sources: Path, mirror_dir: Path | None, embedder: str | None) -> dict:
    return {
        "db": str(settings.db_path),
        "index_dir": str(settings.index_dir),
        "sources": str(sources),
        "crawl_dir": str(settings.crawl_dir),
        "mirror_dir": str(mirror_dir) if mirror_dir else None,
        "embedder": embedder or settings.embedder,
        "batch_size": settings.embed_batch_size,
        "neighbours": settings.pair_neighbours,
        "max_per_card": settings.pair_max_per_card,
        "crawl_timeout_s": settings.crawl_timeout_s,
        "dask": settings.dask or None,
    }


def _refresh(settings: Settings, sources: Path, mirror_dir: Path | None, embedder: str | None) -> dict:
    """The refresh flow, under the database's refresh lock (taken before Prefect starts, so a
    busy database is one line), on the server at PREFECT_API_URL or a temporary one."""
    from compare.refresh_guard import RefreshBusyError, refresh_lock

    try:
        with refresh_lock(settings.db_path):
            from flows.refresh import refresh_flow

            parameters = _refresh_parameters(settings, sources, mirror_dir, embedder)
            return refresh_flow(parameters["dask"])(**parameters)
    except RefreshBusyError as error:
        raise click.ClickException(str(error)) from None
    except RuntimeError as error:
        if "ephemeral Prefect API server" not in str(error):
            raise
        timeout = os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]
        raise click.ClickException(
            f"the temporary Prefect API server did not start within {timeout} s; run `compare service` "
            "(or `prefect server start`) and set PREFECT_API_URL, "
            "or raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
        ) from None


def _print_summary(ctx: Context, result: dict, seconds: float, as_json: bool) -> None:
    from compare import service, stages

    store = ctx.store()
    top = service.pairs(store, 5)
    info = {**result, "seconds": round(seconds, 1), **stages.summary(store)}
    if as_json:
        info["top_pairs"] = [
            {"a": p["a"]["name"], "b": p["b"]["name"], "score": p["score"], "why": p["why"]} for p in top
        ]
        emit(info)
        return
    counts = info["counts"]
    click.echo(f"refresh {result['status']} in {seconds:.1f}s (run {result['run']})")
    click.echo(f"  pages:   {counts['pages']} ({', '.join(f'{k} {v}' for k, v in sorted(info['pages'].items()))})")
    click.echo(f"  cards:   {counts['cards']}   facts: {counts['facts']}   vectors: {counts['embeddings']}")
    click.echo(f"  this run: {json.dumps({k: v for k, v in result['stages'].items()}, default=str)}")
    for reason, n in sorted(result["failures"].items()):
        click.echo(f"  failure: {reason} (x{n})" if isinstance(n, int) else f"  failure: {reason}")
    click.echo("  top pairs:")
    for pair in top:
        click.echo(f"    {pair['score']:.3f}  {pair['a']['name']} vs {pair['b']['name']}")
        click.echo(f"           {pair['why']}")


@main.command()
@click.option(
    "--embedder",
    type=click.Choice(["real", "fake"]),
    default=None,
    help="Embedding model (default real).",
)
@json_option
@pass_ctx
@domain_errors
def demo(ctx: Context, embedder: str | None, as_json: bool) -> None:
    """Run the full refresh flow over the bundled demo web (data/demo) through the mirror."""
    started = time.monotonic()
    settings = ctx.settings
    result = _refresh(settings, settings.demo_sources, settings.demo_dir, embedder)
    _print_summary(ctx, result, time.monotonic() - started, as_json)


@main.command()
@click.option(
    "--sources",
    type=click.Path(path_type=Path, exists=True, dir_okay=False),
    default=None,
    help="Sources file (default data/sources.toml).",
)
@click.option(
    "--mirror",
    "mirror_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
    help="Crawl a snapshot directory (HOST/PATH files) instead of the live web.",
)
@click.option(
    "--embedder",
    type=click.Choice(["real", "fake"]),
    default=None,
    help="Embedding model (default real).",
)
@click.option(
    "--dask",
    default=None,
    help="Run extract and embed on Dask: 'local' (one worker per core), 'local:N', or a scheduler "
    "address such as tcp://host:8786 (default: in this process, env COMPARE_DASK).",
)
@json_option
@pass_ctx
@domain_errors
def refresh(
    ctx: Context, sources: Path | None, mirror_dir: Path | None, embedder: str | None, dask: str | None, as_json: bool
) -> None:
    """Run the refresh flow: crawl, ingest, extract, cards, embed, index, pairs."""
    started = time.monotonic()
    settings = ctx.settings.with_overrides(dask=dask)
    _check_sources(sources or settings.sources)
    result = _refresh(settings, sources or settings.sources, mirror_dir, embedder)
    _print_summary(ctx, result, time.monotonic() - started, as_json)


# -- stage commands (each can be rerun alone) --------------------------------------------------------


@main.command()
@click.option("--sources", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None)
@click.option(
    "--mirror",
    "mirror_dir",
    type=click.Path(path_type=Path, exists=True, file_okay=False),
    default=None,
)
@pass_ctx
@domain_errors
def crawl(ctx: Context, sources: Path | None, mirror_dir: Path | None) -> None:
    """Crawl the sources into JSONL files of raw pages (one Scrapy subprocess per kind)."""
    from contextlib import nullcontext

    from compare import mirror
    from compare.crawl import run_crawl

    server = mirror.serve(mirror_dir) if mirror_dir else nullcontext(None)
    with server as mirror_url:
        state = ctx.store(create=True).crawl_state()
        result = run_crawl(sources or ctx.settings.sources, ctx.settings.crawl_dir, mirror_url, state=state)
    for output in result.outputs:
        click.echo(f"{output}: {sum(1 for _ in output.open()) if output.exists() else 0} pages")
    if not result.ok:
        raise click.ClickException(
            f"the crawl failed (exit {result.returncode}); see {ctx.settings.crawl_dir}/crawl.log"
        )


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@pass_ctx
@domain_errors
def ingest(ctx: Context, files: tuple[Path, ...]) -> None:
    """Store crawled pages (JSONL files; default: the last crawl's) keyed by URL and content hash."""
    from compare.ingest import ingest_files

    files = files or tuple(sorted(ctx.settings.crawl_dir.glob("*.jsonl")))
    click.echo(json.dumps(dict(ingest_files(ctx.store(create=True), list(files)))))


def _stage_command(name: str, help_text: str, call: Callable[[Context, Any], dict]) -> None:
    @main.command(name=name, help=help_text)
    @pass_ctx
    @domain_errors
    def command(ctx: Context) -> None:
        click.echo(json.dumps(dict(call(ctx, ctx.store(create=True)))))


def _embed(ctx: Context, store: Any) -> dict:
    from compare import stages

    return stages.embed_cards(store, ctx.settings.embedder, ctx.settings.embed_batch_size)


def _categorise(ctx: Context, store: Any) -> dict:
    from compare import stages

    return stages.categorise_cards(store, ctx.settings.embedder)


def _index(ctx: Context, store: Any) -> dict:
    from compare import stages
    from compare.embed import get_embedder

    return stages.build_index(store, ctx.settings.index_dir, get_embedder(ctx.settings.embedder).model_id)


def _suggest(ctx: Context, store: Any) -> dict:
    from compare import stages

    s = ctx.settings
    return stages.suggest_pairs(store, s.index_dir, s.pair_neighbours, s.pair_max_per_card)


def _extract(ctx: Context, store: Any) -> dict:
    from compare import stages

    return stages.extract_pages(store)


def _resolve(ctx: Context, store: Any) -> dict:
    from compare import stages

    return stages.build_cards(store)


_stage_command("extract", "Extract card records from pages whose content changed.", _extract)
_stage_command("resolve", "Merge records into cards (entity resolution); changed values add facts.", _resolve)
_stage_command("embed", "Embed cards whose text changed (env COMPARE_EMBEDDER=real|fake).", _embed)
_stage_command(
    "categorise", "Categories from the nearest categorised cards where the taxonomy's rules are silent.", _categorise
)
_stage_command("index", "Rebuild the FAISS index when the vectors changed.", _index)
_stage_command("suggest", "Recompute suggested pairings (editors' decisions are kept).", _suggest)


@main.command("extract-file")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--url", required=True, help="The document's real URL; it tells what the document is.")
@json_option
@domain_errors
def extract_file(file: Path, url: str, as_json: bool) -> None:
    """Extract one stored document without a database; print its card records."""
    from compare.extract import extract_document

    try:
        body = file.read_bytes()
    except OSError as error:
        raise click.ClickException(f"cannot read {file}: {error.strerror or error}") from error
    result = extract_document(url, body)
    if result.status != "ok":
        click.echo(f"{result.status}: {result.reason}", err=True)
    if as_json:
        emit(result.records)
        return
    for record in result.records:
        click.echo(f"{record.get('name')} ({record.get('vendor')})")
        for field, value in record.items():
            if field not in ("evidence", "name") and value not in (None, [], ""):
                click.echo(f"  {field}: {value}")
        for field, evidence in record.get("evidence", {}).items():
            click.echo(f"  evidence {field}: {evidence['snippet'][:100]!r} <{evidence['url']}>")


# -- reading the index ---------------------------------------------------------------------------


def _card_line(card: dict, score: float | None = None) -> str:
    head = f"{score:.3f}  " if score is not None else ""
    price = card.get("pricing_text") or "price unknown"
    return f"{head}{card['name']} ({card.get('vendor') or '?'}; {card.get('category') or '-'}) - {price}"


def _print_hits(hits: list[dict], as_json: bool) -> None:
    if as_json:
        emit(hits)
        return
    for hit in hits:
        click.echo(_card_line(hit["card"], hit["score"]))
        if hit.get("why"):
            click.echo(f"       {hit['why']['sentence']}")


@main.command()
@click.argument("name")
@click.option("-k", default=10, show_default=True, type=click.IntRange(1, 50), help="How many tools.")
@click.option("--category", default=None, help='Only this category, e.g. "Vision & Documents" (any case).')
@click.option("--entry", type=click.Choice(["free", "freemium", "paid", "contact"], case_sensitive=False), default=None)
@click.option("--license", "license_id", default=None, help="Only this license id, e.g. Apache-2.0.")
@click.option("--open-weights/--closed", "open_weights", default=None, help="Only open (or only closed) weights.")
@click.option("--modality", default=None, help="Only this modality, e.g. vision-language.")
@click.option("--vendor", default=None)
@click.option("--explain", is_flag=True, help="Say why each tool matched.")
@json_option
@pass_ctx
@domain_errors
def like(
    ctx: Context, name: str, k: int, category: str | None, entry: str | None, license_id: str | None,
    open_weights: bool | None, modality: str | None, vendor: str | None, explain: bool, as_json: bool,
) -> None:  # fmt: skip
    """Tools like NAME, best first (NAME, its own variants and other vendors' resales of it
    excluded). NAME may be a name, an alias or API id, a Hub id, or close to one ("did you mean"
    is said on stderr)."""
    from compare import search, service, stages

    store = ctx.store()
    filters = search.Filters(category, entry, license_id, modality, vendor, open_weights)
    card, hits = service.tools_like(store, stages.load_index(store, ctx.settings.index_dir), name, k, filters, explain)
    if card["matched"].startswith("fuzzy"):
        click.echo(f"no tool named {name!r}; did you mean {card['name']!r}? Showing tools like it.", err=True)
    if as_json:
        emit({"card": card, "matched": card["matched"], "results": hits})
        return
    for hit in hits:
        click.echo(_card_line(hit["card"], hit["score"]))
        if explain:
            click.echo(f"       {hit['why']['sentence']} (cosine {hit['why']['similarity']:.2f})")


@main.command("search")
@click.argument("text")
@click.option("-k", default=10, show_default=True, type=click.IntRange(1, 50), help="How many tools.")
@json_option
@pass_ctx
@domain_errors
def search_command(ctx: Context, text: str, k: int, as_json: bool) -> None:
    """Free-text search: BM25 and vectors fused by reciprocal rank fusion."""
    from compare import service, stages

    store = ctx.store()
    _print_hits(service.free_text(store, stages.load_index(store, ctx.settings.index_dir), text, k), as_json)


@main.command()
@click.option("--limit", default=20, show_default=True, help="How many pairs.")
@click.option(
    "--status", default="suggested", show_default=True, type=click.Choice(PAIR_STATUSES, case_sensitive=False),
    help="Suggested pairs (best first), or those decided so (latest first).",
)  # fmt: skip
@json_option
@pass_ctx
@domain_errors
def pairs(ctx: Context, limit: int, status: str, as_json: bool) -> None:
    """Head-to-head pairings with their reasons and a sentence: suggested, or decided."""
    from compare import service

    results = service.pairs(ctx.store(), limit, status)
    if as_json:
        emit(results)
        return
    for pair in results:
        lead = f"{pair['score']:.3f}" if status.lower() == "suggested" else (pair["decided_at"] or "")[:10]
        click.echo(f"{lead}  {pair['a']['name']} vs {pair['b']['name']}\n       {pair['why'] or ''}")


@main.command()
@click.argument("decision", type=click.Choice([*PAIR_DECISIONS, "undo"], case_sensitive=False))
@click.argument("a")
@click.argument("b")
@pass_ctx
@domain_errors
def pair(ctx: Context, decision: str, a: str, b: str) -> None:
    """Decide the pairing of A and B: accept, reject or publish; or undo its decision. Decided
    pairs leave the suggestions until undone; a decision survives refreshes."""
    from compare import service

    first, second, status = service.decide_pair(ctx.store(), a, b, decision)
    click.echo(f"{first['name']} vs {second['name']}: {status}")


@main.command()
@click.argument("a")
@click.argument("b")
@click.option("--format", "fmt", type=click.Choice(["md", "json"], case_sensitive=False), default="md",
              show_default=True, help="Markdown draft of the site's page, or its data as JSON.")  # fmt: skip
@pass_ctx
@domain_errors
def draft(ctx: Context, a: str, b: str, fmt: str) -> None:
    """The comparison page of A and B as a draft for the site: panels, the Decision table with
    each fact's source, rivals named and why the pair was suggested."""
    from compare import comparison, service, stages
    from compare.vectors import StaleIndexError

    store = ctx.store()
    try:
        index = stages.load_index(store, ctx.settings.index_dir)
    except StaleIndexError as error:  # no index yet: a draft without rivals
        click.echo(f"no rivals named: {error}", err=True)
        index = None
    found = service.comparison(store, index, a, b)
    if fmt.lower() == "json":
        emit(comparison.as_json(found))
        return
    click.echo(comparison.as_markdown(found), nl=False)


@main.command()
@click.option(
    "--since", default=None, help="Only cards first seen on or after this day (YYYY-MM-DD, today, yesterday, 7d)."
)
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice(REVIEW_STATUSES),
    help="Only cards with this review status (repeatable; default all).",
)  # fmt: skip
@json_option
@pass_ctx
@domain_errors
def cards(ctx: Context, since: str | None, statuses: tuple[str, ...], as_json: bool) -> None:
    """What's new: cards ranked for editors (unreviewed first, then by score: novelty, independent
    sources, Hub popularity; see compare.whats_new)."""
    from compare import service

    results = service.whats_new(ctx.store(), since, statuses)
    if as_json:
        emit(results)
        return
    for card in results:
        parts = " ".join(f"{name} {value:.2f}" for name, value in card["score_parts"].items())
        click.echo(f"{card['review_status']:<8} {_card_line(card, card['score'])}\n{'':<16}{parts}")


@main.command()
@click.argument("name")
@click.argument("status", type=click.Choice(REVIEW_STATUSES))
@pass_ctx
@domain_errors
def review(ctx: Context, name: str, status: str) -> None:
    """Set a card's review status (kept across refreshes)."""
    from compare import service

    card = service.set_review(ctx.store(), name, status)
    click.echo(f"{card['name']}: {status}")


def _apply_decision(store: Any, message: str) -> None:
    from compare import stages

    counts = stages.build_cards(store)
    click.echo(f"{message}; cards rebuilt ({counts['changed']} changed, {counts['deactivated']} retired).")
    click.echo("Run `compare embed`, `compare index` and `compare suggest` (or a refresh) to update search and pairs.")


@main.command()
@click.argument("name")
@click.argument("other")
@pass_ctx
@domain_errors
def merge(ctx: Context, name: str, other: str) -> None:
    """OTHER is the same tool as NAME: its sources join NAME's card, now and in every refresh."""
    from compare.search import find_card

    store = ctx.store()
    card, duplicate = find_card(store, name, fuzzy=False), find_card(store, other, fuzzy=False)
    if card["id"] == duplicate["id"]:
        raise click.ClickException(f"{name!r} and {other!r} are one card already")
    number = store.add_decision("merge", card["key"], other=duplicate["key"])
    _apply_decision(store, f"decision {number}: {duplicate['name']} merged into {card['name']}")


@main.command()
@click.argument("name")
@click.option("--source", "url", required=True, help="A source URL of the card whose tool is another one.")
@pass_ctx
@domain_errors
def split(ctx: Context, name: str, url: str) -> None:
    """The page URL is not about NAME: its records leave NAME's card for one of their own, now and
    in every refresh."""
    from compare.search import find_card

    store = ctx.store()
    card = find_card(store, name, fuzzy=False)
    sources = store.card_sources(card["id"])
    if url not in sources or len(sources) < 2:
        raise click.ClickException(f"{url} is not one of several sources of {card['name']}: {', '.join(sources)}")
    number = store.add_decision("split", card["key"], url=url)
    _apply_decision(store, f"decision {number}: {url} split off {card['name']}")


@main.command()
@click.option("--undo", "undo", type=int, default=None, help="Remove the decision with this number.")
@json_option
@pass_ctx
@domain_errors
def decisions(ctx: Context, undo: int | None, as_json: bool) -> None:
    """Editors' merge and split decisions (applied by every refresh)."""
    store = ctx.store()
    if undo is not None:
        store.remove_decision(undo)
        _apply_decision(store, f"decision {undo} removed")
        return
    rows = store.decisions()
    if as_json:
        emit(rows)
        return
    for row in rows:
        target = f"{row['other']} into {row['key']}" if row["kind"] == "merge" else f"{row['url']} off {row['key']}"
        click.echo(f"{row['id']:>4}  {row['decided_at'][:10]}  {row['kind']} {target}")


@main.command()
@click.option(
    "--since", default=None, help="Only changes observed on or after this day (YYYY-MM-DD, today, yesterday, 7d)."
)
@json_option
@pass_ctx
@domain_errors
def changes(ctx: Context, since: str | None, as_json: bool) -> None:
    """Price, license, entry and status changes, with old and new value and both evidence URLs."""
    from compare.service import since_date

    results = ctx.store().changes(since=since_date(since))
    if as_json:
        emit(results)
        return
    for change in results:
        click.echo(
            f"{change['observed_at'][:10]}  {change['name']}: {change['field']} {change['old']!r} -> {change['new']!r}"
            f"\n      was {change['old_url'] or '-'}\n      now {change['new_url'] or '-'}"
        )


@main.command("second-opinions")
@click.option(
    "--truth", type=click.Path(path_type=Path, file_okay=False, exists=True), required=True,
    help="Pricing databases (LiteLLM json, models.dev, genai-prices, llm-prices), e.g. ../shared/corpus/pricing_truth.",
)  # fmt: skip
@json_option
@pass_ctx
@domain_errors
def second_opinions(ctx: Context, truth: Path, as_json: bool) -> None:
    """Compare card token prices with public pricing databases; disagreements become reviews
    (cards are never changed). Prints the open reviews."""
    from compare.second_opinion import check_prices

    store = ctx.store()
    counts = check_prices(store, truth)
    reviews = store.reviews()
    if as_json:
        emit({"counts": dict(counts), "reviews": reviews})
        return
    click.echo(", ".join(f"{key} {value}" for key, value in counts.items()))
    for review in reviews:
        click.echo(
            f"{review['card_name']}: {review['field']} ours {review['ours']} <{review['ours_url']}>,"
            f" {review['source']} says {review['theirs']} ({review['reference']})"
        )


@main.command()
@click.option("--all", "show_all", is_flag=True, help="Also the items that are not launches.")
@json_option
@pass_ctx
@domain_errors
def leads(ctx: Context, show_all: bool, as_json: bool) -> None:
    """Feed items with their launch verdicts and reasons (launches only, unless --all)."""
    from compare.extract import EXTRACTOR_VERSION

    items = ctx.store().feed_items(EXTRACTOR_VERSION, launches_only=not show_all)
    if as_json:
        emit(items)
        return
    for item in items:
        mark = "launch" if item["launch"] else "other "
        click.echo(f"{mark}  {item['title']}\n        {item['reason']}  <{item['url']}>")


@main.command()
@click.option("--sources", type=click.Path(path_type=Path, exists=True, dir_okay=False), default=None,
              help="Sources file (default data/sources.toml).")  # fmt: skip
@click.option("--mirror", "mirror_dir", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
              help="Serve a snapshot instead of the live web.")  # fmt: skip
@click.option("--port", default=4200, show_default=True, type=int, help="Port of the local Prefect server and UI.")
@click.option("--cron", default="0 * * * *", show_default=True, help="When the refresh runs.")
@pass_ctx
def service(ctx: Context, sources: Path | None, mirror_dir: Path | None, port: int, cron: str) -> None:
    """Run the service: a local Prefect server (UI and API) and the refresh deployment, hourly,
    one run at a time. Uses the server at PREFECT_API_URL where that is set. Ctrl-C stops."""
    from contextlib import nullcontext

    from compare.scheduler import ServerStartError, prefect_server

    _check_sources(sources or ctx.settings.sources)
    parameters = _refresh_parameters(ctx.settings, sources or ctx.settings.sources, mirror_dir, None)
    given = os.environ.get("PREFECT_API_URL")
    server = nullcontext(given) if given else prefect_server(port, ctx.settings.crawl_dir / "prefect-server.log")
    try:
        with server as url:
            os.environ["PREFECT_API_URL"] = url
            from flows.refresh import serve as serve_refresh

            ui = url.removesuffix("/api")
            click.echo(f"Prefect server at {ui} (API {url}); refresh deployment 'refresh/refresh-hourly' on '{cron}', "
                       "one run at a time. Ctrl-C stops.", err=True)  # fmt: skip
            serve_refresh(parameters, cron)
    except ServerStartError as error:
        raise click.ClickException(str(error)) from None
    except KeyboardInterrupt:
        click.echo("stopped", err=True)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (loopback unless told).")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--allowed-host", "allowed_hosts", multiple=True,
              help="A name the server may be reached by besides --host and loopback (repeatable).")  # fmt: skip
@pass_ctx
def serve(ctx: Context, host: str, port: int, allowed_hosts: tuple[str, ...]) -> None:
    """Editors' web pages and JSON API (OpenAPI at /docs) over this database and index."""
    import uvicorn

    from compare.web import create_app

    ctx.store()  # there must be a database to serve: never an empty one made here
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"serving on {host}: anyone who can reach it can read and decide (no login); it answers requests "
            f"addressed to {host}, loopback and --allowed-host names only",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"compare serving {ctx.settings.db_path} at http://{shown}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(create_app(ctx.settings, host, allowed_hosts), host=host, port=port, log_level="warning")


@main.command()
@click.argument("name")
@json_option
@pass_ctx
@domain_errors
def show(ctx: Context, name: str, as_json: bool) -> None:
    """One card with its evidence and history (--json: also its price lists over time, sources
    and family)."""
    from compare import service

    card = service.card_details(ctx.store(), name)
    if card["matched"].startswith("fuzzy"):
        click.echo(f"no tool named {name!r}; closest match: {card['name']}", err=True)
    if as_json:
        emit(card)
        return
    for field in ("name", "vendor", "kind", "category", "tagline", "description", "entry", "pricing_text",
                  "license", "open_weights", "modality", "params_b", "hub_id", "family", "first_seen"):  # fmt: skip
        if card.get(field) is not None:
            evidence = card["evidence"].get(field)
            source = f"  <{evidence['url']}>" if evidence else ""
            click.echo(f"{field:>12}: {card[field]}{source}")
    for url in card["urls"]:
        click.echo(f"{'url':>12}: {url}")


if __name__ == "__main__":
    sys.exit(main())
