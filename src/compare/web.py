"""`compare serve`: the editors' pages and JSON API, over the same library calls as the CLI
(`compare.service`); no answer is computed in a handler.

Pages are rendered on the server (Jinja2, every value escaped, links only to http(s) URLs) and
need no script; the Content-Security-Policy forbids scripts anyway, so crawled text can never
run. Decisions are POST-only and carry a CSRF token (double submit: a random SameSite=Strict
cookie that the form or the `X-CSRF-Token` header must repeat; a foreign Origin is refused).
Each server thread reads through its own SQLite connection, in WAL mode, so a refresh writing
the database never blocks or breaks a page. The API is described at /openapi.json and /docs.
"""

from __future__ import annotations

import contextlib
import hmac
import importlib.resources
import logging
import os
import re
import secrets
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import anyio.to_thread
from fastapi import Body, FastAPI, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from compare import charts, service
from compare.comparison import as_json, as_markdown
from compare.comparison import words as fact_words
from compare.config import Settings
from compare.db import PAIR_DECISIONS, PAIR_STATUSES, REVIEW_STATUSES, Store
from compare.errors import InvalidInput
from compare.search import Filters, InvalidQuery, NotFoundError
from compare.vectors import MANIFEST_FILE, StaleIndexError
from compare.whats_new import HOW

HERE = Path(__file__).resolve().parent
CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER = "compare_csrf", "csrf", "x-csrf-token"
# Pages are rendered with this in place of the reader's CSRF token, which goes in as the page is
# sent, so one cached page serves every reader; random per process, so no crawled text holds it.
TOKEN_SLOT = f"csrf-{secrets.token_hex(16)}"
TOKEN_FORM = re.compile(r"[A-Za-z0-9_-]{43}")
# Only answers to these query parameters are cached: `?x=1`, `?x=2`... cannot flush the cache.
CACHED_PARAMS = frozenset({"name", "category", "entry", "license", "weights", "modality", "vendor", "k", "q",
                           "limit", "since", "status", "explain", "kind", "sort", "page"})  # fmt: skip
PAGE_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# /docs alone runs a script: Swagger UI from the installed swagger-ui-bundle, never inline or remote.
DOCS_POLICY = PAGE_POLICY.replace("img-src 'self'", "img-src 'self' data:") + "; script-src 'self'; connect-src 'self'"
SECURITY_HEADERS = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # "no-referrer" would make browsers send "Origin: null" on our own forms
}


DOCS_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>compare API</title>
<link rel="stylesheet" href="/docs-assets/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/docs-assets/swagger-ui-bundle.js"></script><script src="/static/docs-init.js"></script></body></html>"""


def safe_url(url: Any) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no `javascript:` or `data:` link
    from a crawled page is ever rendered as a link)."""
    text = str(url or "").strip()
    return text if urlsplit(text).scheme in ("http", "https") and urlsplit(text).netloc else None


def with_query(request: Request, **changes: Any) -> str:
    """This page's query string with some parameters changed ('' drops one), encoded."""
    merged = {**dict(request.query_params), **{k: str(v) for k, v in changes.items()}}
    return "?" + urlencode({k: v for k, v in merged.items() if v != ""})


class Readers:
    """One database connection per server thread (SQLite connections are not shared across
    threads), and one vector index for all, reloaded when a refresh writes a new one."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._local = threading.local()
        self._index = service.IndexCache(settings.index_dir)
        self._index_lock = threading.Lock()

    def store(self) -> Store:
        if getattr(self._local, "store", None) is None:
            self._local.store = Store(self.settings.db_path)
        return self._local.store

    def index(self) -> Any:
        with self._index_lock:
            return self._index.get(self.store())

    def warm(self) -> None:
        """Load the index and the query model before the first search asks for them. One torch
        thread per query: requests run side by side, and two threads each would fight for cores."""
        import torch

        torch.set_num_threads(1)
        try:
            service.query_embedder(self.index().manifest.model).encode(["warm up"])
        except (StaleIndexError, OSError, ValueError) as error:  # no index yet: the first search says so
            logging.getLogger(__name__).warning("not warmed: %s", error)


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")
_STATUS_PATTERN = f"(?i)^({'|'.join([*PAIR_STATUSES, *PAIR_DECISIONS])})$"
_DECISION_PATTERN = f"(?i)^({'|'.join([*PAIR_DECISIONS, *PAIR_DECISIONS.values(), 'undo'])})$"
NAME_LIMIT = 200  # a longer name or query is no tool's (and fuzzy matching it would cost seconds)


def create_app(settings: Settings, host: str = "127.0.0.1", allowed_hosts: tuple[str, ...] = ()) -> FastAPI:
    """The web app over the database and index that `settings` name, answering only requests
    addressed to `host`, a loopback name or one of `allowed_hosts` (a DNS-rebinding page on
    another name is refused)."""
    readers = Readers(settings)
    cache = ResponseCache([settings.db_path, Path(f"{settings.db_path}-wal"), settings.index_dir / MANIFEST_FILE])
    env = Environment(  # the templates are the package's: compiled once, here, not by the first burst of requests
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True, lstrip_blocks=True,
        auto_reload=False,
    )  # fmt: skip
    env.filters["safe_url"] = safe_url
    env.globals["with_query"] = with_query
    env.globals["charts"] = charts
    env.globals["fact_words"] = fact_words
    templates = Jinja2Templates(env=env)
    for name in env.list_templates(extensions=["html"]):
        env.get_template(name)
    menus: dict[tuple, dict[str, list[str]]] = {}

    def choices(store: Store) -> dict[str, list[str]]:
        """The filter menus' values, read once per data generation (five DISTINCT scans a page)."""
        generation = cache.generation()
        found = menus.get(generation)
        if found is None:
            found = _choices(store)
            menus.clear()
            menus[generation] = found
        return found

    @contextlib.asynccontextmanager
    async def warm_in_background(_: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=readers.warm, daemon=True).start()
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        yield

    app = FastAPI(
        lifespan=warm_in_background,
        title="compare",
        description="Editors' API over the AI tools index: cards, tools like X, search, pairings and decisions. "
        "POST requests need the CSRF token from GET /api/csrf in the X-CSRF-Token header.",
        version="1",
        docs_url=None,
        redoc_url=None,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    docs_assets = importlib.resources.files("fastapi_offline") / "static"  # Swagger UI 5, installed
    app.mount("/docs-assets", StaticFiles(directory=str(docs_assets)), name="docs-assets")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    @app.middleware("http")
    async def csrf_cache_and_headers(request: Request, call_next: Any) -> Response:
        request.state.csrf = TOKEN_SLOT
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            refused = await _refused(request)
            if refused:
                return JSONResponse({"detail": refused}, status_code=403)
        key = _cache_key(request, settings.web_cache)
        generation = cache.generation()  # before computing: a commit meanwhile makes the answer stale
        response = await call_next(request)
        body = b"".join([chunk async for chunk in response.body_iterator])
        answer = (response.status_code, {k: v for k, v in response.headers.items() if k != "content-length"}, body)
        if key and response.status_code == 200:
            cache.put(key, answer, generation)
        elif request.method == "POST" and response.status_code < 400:
            cache.clear()  # a decision changes what pages say
        return _sent(request, answer, hit=False)

    # Outermost first: a query too long to be a question, the host check, then cached answers (no
    # routing at all), then the above.
    app.add_middleware(CachedAnswers, cache=cache, enabled=settings.web_cache)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=sorted({host, *LOOPBACK_NAMES, *allowed_hosts}))
    app.add_middleware(QueryLimit)

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, error: NotFoundError) -> Response:
        return _error(request, templates, 404, str(error.args[0] if error.args else error))

    @app.exception_handler(StaleIndexError)
    async def stale(request: Request, error: StaleIndexError) -> Response:
        return _error(request, templates, 503, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return await request_validation_exception_handler(request, error)
        wrong = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in error.errors())
        return _error(request, templates, 422, f"invalid request ({wrong})")

    @app.exception_handler(sqlite3.OperationalError)
    async def busy(request: Request, error: sqlite3.OperationalError) -> Response:
        if "locked" not in str(error) and "busy" not in str(error):
            raise error
        return _error(request, templates, 503, "the database is busy (a refresh is writing): try again in a moment")

    @app.exception_handler(InvalidQuery)
    async def invalid_query(request: Request, error: InvalidQuery) -> Response:
        return _error(request, templates, 422, str(error))

    @app.exception_handler(InvalidInput)
    async def bad_value(request: Request, error: InvalidInput) -> Response:  # any other error is a bug: a 500
        return _error(request, templates, 400, str(error))

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(
            request, name, {"csrf": request.state.csrf, **context}, status_code=status_code
        )

    # -- pages -------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def whats_new_page(
        request: Request, since: str = "", status: str = "", category: str = "", entry: str = "",
        license: str = "", weights: str = "", kind: str = "", vendor: str = "", sort: str = "rank",
        page_number: int = Query(1, alias="page", ge=1),
    ) -> HTMLResponse:  # fmt: skip
        store = readers.store()
        form = {"since": since, "status": status, "category": category, "entry": entry, "license": license,
                "weights": weights, "kind": kind, "vendor": vendor}  # fmt: skip
        context = {"form": form, "statuses": REVIEW_STATUSES, "choices": choices(store), "how": HOW, "sort": sort}
        try:
            found = service.whats_new_page(store, since or None, (status,) if status else (), _filters(form),
                                           kind or None, sort, page_number)  # fmt: skip
        except InvalidQuery as invalid:
            return page(request, "whats_new.html", 422, **context, found=None, error=str(invalid))
        return page(request, "whats_new.html", **context, found=found)

    @app.get("/cards/{slug}", response_class=HTMLResponse, include_in_schema=False)
    def card_page(request: Request, slug: str = PathParam(max_length=NAME_LIMIT)) -> HTMLResponse:
        card = service.card_details(readers.store(), slug, by_slug=True)
        like = _like_or_none(readers, card["slug"], 8)
        return page(request, "card.html", card=card, like=like, statuses=REVIEW_STATUSES)

    @app.get("/like", response_class=HTMLResponse, include_in_schema=False)
    def like_page(
        request: Request, q: str = Query("", max_length=NAME_LIMIT), name: str = Query("", max_length=NAME_LIMIT),
        category: str = "", entry: str = "", license: str = "", weights: str = "", modality: str = "",
        vendor: str = "", k: int = Query(10, ge=1, le=50),
    ) -> HTMLResponse:  # fmt: skip
        name = q or name  # `q` as on /search; the old `name` still works
        form = {"name": name, "category": category, "entry": entry, "license": license, "weights": weights,
                "modality": modality, "vendor": vendor}  # fmt: skip
        card, hits, error = None, [], None
        if name.strip() or any(form[field] for field in form if field != "name"):
            try:
                card, hits = service.tools_like(readers.store(), readers.index(), name, k, _filters(form), explain=True)
            except InvalidQuery as invalid:  # the form stays as typed, to correct in place
                error = str(invalid)
        return page(request, "like.html", 422 if error else 200, form=form, card=card, hits=hits, error=error,
                    choices=choices(readers.store()))  # fmt: skip

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(
        request: Request, q: str = Query("", max_length=NAME_LIMIT), k: int = Query(10, ge=1, le=50)
    ) -> HTMLResponse:
        hits, error = [], None
        if q:
            try:
                hits = service.free_text(readers.store(), readers.index(), q, k)
            except InvalidQuery as invalid:
                error = str(invalid)
        return page(request, "search.html", 422 if error else 200, q=q, hits=hits, error=error)

    @app.get("/pairs", response_class=HTMLResponse, include_in_schema=False)
    def pairs_page(
        request: Request, limit: int = Query(20, ge=1, le=200), status: str = "suggested",
        done: str = "", a: str = "", b: str = "",
    ) -> HTMLResponse:  # fmt: skip
        store = readers.store()
        decided = None
        if done and a and b and (first := store.card_by_slug(a)) and (second := store.card_by_slug(b)):
            decided = {"a": first, "b": second, "status": done}  # the confirmation, with its undo
        return page(request, "pairs.html", pairs=service.pairs(store, limit, status), status=status.lower(),
                    statuses=PAIR_STATUSES, decided=decided)  # fmt: skip

    nearest_cache: OrderedDict[tuple, list[dict[str, Any]]] = OrderedDict()
    nearest_lock = threading.Lock()

    def compared(slug_a: str, slug_b: str) -> dict[str, Any]:
        """The comparison, each card's nearest cards kept while the data they came from is the
        same (N cards make N squared comparison pages, but only N lists of rivals)."""
        store, index, generation = readers.store(), _index_or_none(readers), cache.generation()

        def nearest_of(card: dict[str, Any]) -> list[dict[str, Any]]:
            key = (generation, card["id"])
            with nearest_lock:
                if key in nearest_cache:
                    return nearest_cache[key]
            found = service.nearest(store, index, card)
            with nearest_lock:
                nearest_cache[key] = found
                while len(nearest_cache) > 4096:
                    nearest_cache.popitem(last=False)
            return found

        return service.comparison(store, index, slug_a, slug_b, by_slug=True, nearest_of=nearest_of)

    @app.get("/pairs/{slug_a}/vs/{slug_b}.md", include_in_schema=False)
    def comparison_markdown(slug_a: str, slug_b: str) -> Response:
        return Response(as_markdown(compared(slug_a, slug_b)), media_type="text/markdown; charset=utf-8")

    @app.get("/pairs/{slug_a}/vs/{slug_b}", response_class=HTMLResponse, include_in_schema=False)
    def comparison_page(request: Request, slug_a: str, slug_b: str) -> HTMLResponse:
        return page(request, "comparison.html", c=compared(slug_a, slug_b))

    @app.get("/runs", response_class=HTMLResponse, include_in_schema=False)
    def runs_page(request: Request) -> HTMLResponse:
        store = readers.store()
        return page(request, "runs.html", runs=service.runs(store), fetch_failures=store.fetch_failures())

    # Form handlers are plain functions: FastAPI runs them on worker threads, so a write that
    # waits for a refresh's lock never holds up the other requests.
    @app.post("/cards/{slug}/review", include_in_schema=False)
    def review_form(slug: str, status: str = Form(""), next: str = Form("")) -> Response:
        service.set_review(readers.store(), slug, status, by_slug=True)
        return RedirectResponse(_local_path(next, f"/cards/{slug}"), status_code=303)

    @app.post("/pairs/decide", include_in_schema=False)
    def decide_form(a: str = Form(""), b: str = Form(""), decision: str = Form(""), next: str = Form("")) -> Response:
        first, second, status = service.decide_pair(readers.store(), a, b, decision, by_slug=True)
        back = _local_path(next, "/pairs")
        joiner = "&" if "?" in back else "?"
        return RedirectResponse(f"{back}{joiner}{urlencode({'done': status, 'a': first['slug'], 'b': second['slug']})}",
                                status_code=303)  # fmt: skip

    # -- JSON API ----------------------------------------------------------------------------

    @app.get("/api/csrf", tags=["decisions"])
    def csrf_token(request: Request) -> dict[str, str]:
        """The CSRF token that POST requests must send in the X-CSRF-Token header (with the cookie
        this response sets)."""
        return {"token": request.state.csrf}

    @app.get("/api/cards", tags=["cards"])
    def api_cards(since: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        """What's new: cards first seen since a date, ranked (unreviewed first, then by score)."""
        return service.whats_new(readers.store(), since, (status,) if status else ())

    @app.get("/api/cards/{slug}", tags=["cards"])
    def api_card(slug: str = PathParam(max_length=NAME_LIMIT)) -> dict[str, Any]:
        """One card by its slug: fields with evidence, fact and price history, sources, family."""
        return service.card_details(readers.store(), slug, by_slug=True)

    @app.get("/api/like", tags=["search"])
    def api_like(
        name: str = Query(max_length=NAME_LIMIT), k: int = Query(10, ge=1, le=50), category: str = "",
        entry: str = "", license: str = "",
        weights: str = Query("", pattern="^(open|closed|)$"), modality: str = "", vendor: str = "",
        explain: bool = False,
    ) -> dict[str, Any]:  # fmt: skip
        """Tools like NAME (found by name, alias, Hub id or a close match, which `matched` says)."""
        form = {"category": category, "entry": entry, "license": license, "weights": weights,
                "modality": modality, "vendor": vendor}  # fmt: skip
        card, hits = service.tools_like(readers.store(), readers.index(), name, k, _filters(form), explain)
        return {"card": card, "matched": card["matched"], "results": hits}

    @app.get("/api/search", tags=["search"])
    def api_search(q: str = Query(max_length=NAME_LIMIT), k: int = Query(10, ge=1, le=50)) -> list[dict[str, Any]]:
        """Free text: BM25 and vectors fused by reciprocal rank fusion."""
        return service.free_text(readers.store(), readers.index(), q, k)

    @app.get("/api/pairs", tags=["pairs"])
    def api_pairs(
        limit: int = Query(20, ge=1, le=200), status: str = Query("suggested", pattern=_STATUS_PATTERN)
    ) -> list[dict[str, Any]]:
        """Pairings of one status (suggested, accepted, published, rejected) with reasons and
        sentence: suggestions best first, decided pairs latest first."""
        return service.pairs(readers.store(), limit, status)

    @app.get("/api/pairs/{slug_a}/vs/{slug_b}", tags=["pairs"])
    def api_comparison(slug_a: str, slug_b: str) -> dict[str, Any]:
        """The comparison of two cards: panels, Decision table with evidence, rivals, reasons."""
        return as_json(compared(slug_a, slug_b))

    @app.get("/api/runs", tags=["runs"])
    def api_runs(limit: int = Query(20, ge=1, le=200)) -> list[dict[str, Any]]:
        """Recent refreshes with counts and failures by reason."""
        return service.runs(readers.store(), limit)

    @app.post("/api/pairs/decision", tags=["decisions"])
    def api_decide(a: str = Body(), b: str = Body(), decision: str = Body(pattern=_DECISION_PATTERN)) -> dict[str, Any]:
        """Accept, reject or publish the pairing of the cards with slugs `a` and `b` (as /api/pairs
        gives them), or `undo` its decision; decided pairs leave the suggestions until undone.
        Answers the decision as sent and the pair's status now."""
        first, second, status = service.decide_pair(readers.store(), a, b, decision, by_slug=True)
        return {"a": first["name"], "b": second["name"], "decision": decision.lower(), "status": status}

    @app.post("/api/cards/{slug}/review", tags=["decisions"])
    def api_review(
        slug: str, status: str = Body(embed=True, pattern=f"^({'|'.join(REVIEW_STATUSES)})$")
    ) -> dict[str, Any]:
        """Set a card's review status (kept across refreshes)."""
        card = service.set_review(readers.store(), slug, status, by_slug=True)
        return {"name": card["name"], "slug": card["slug"], "review_status": status}

    return app


def _valid_token(value: str | None) -> str | None:
    """A CSRF cookie as this server mints them (43 URL-safe characters), else None: a cookie set
    by anything else is never pasted into a page."""
    return value if value and TOKEN_FORM.fullmatch(value) else None


def _cache_key(request: Request, enabled: bool) -> str | None:
    """The cache key of a GET request whose answer may be cached, else None: only the known
    query parameters (`?x=1`, `?x=2`... cannot flush the cache), never the CSRF token."""
    path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    if not enabled or request.method != "GET" or path.startswith(("/api/csrf", "/static/", "/docs-assets/")):
        return None
    return f"{path}?{request.url.query}" if set(request.query_params) <= CACHED_PARAMS else None


def _sent(request: Request, answer: tuple[int, dict, bytes], hit: bool) -> Response:
    """The answer as sent to this reader: its own CSRF token in the page's slot (a new token
    and cookie if it has none of ours), and the security headers."""
    token = _valid_token(request.cookies.get(CSRF_COOKIE)) or secrets.token_urlsafe(32)
    status, headers, body = answer
    if request.url.path.startswith("/api/csrf") or headers.get("content-type", "").startswith("text/html"):
        body = body.replace(TOKEN_SLOT.encode(), token.encode())
    response = Response(body, status_code=status, headers={**headers, **SECURITY_HEADERS})
    if request.url.path == "/docs":
        response.headers["Content-Security-Policy"] = DOCS_POLICY
    response.headers["x-cache"] = "hit" if hit else "miss"
    if request.cookies.get(CSRF_COOKIE) != token:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


class QueryLimit:
    """ASGI middleware: a query string of more than MAX_BYTES or MAX_PARAMS parameters is no
    editor's question; it is answered 414 at once, before anything parses it (14,000 parameters
    took FastAPI 45 s, and held other requests meanwhile)."""

    MAX_BYTES, MAX_PARAMS = 8192, 64

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if len(query) > self.MAX_BYTES or query.count(b"&") + query.count(b";") >= self.MAX_PARAMS:
            detail = f"query string too long: at most {self.MAX_BYTES} bytes and {self.MAX_PARAMS} parameters"
            await JSONResponse({"detail": detail}, status_code=414, headers=SECURITY_HEADERS)(scope, receive, send)
            return
        await self.app(scope, receive, send)


class CachedAnswers:
    """ASGI middleware: a GET whose answer is in the cache is answered here, without routing,
    validation or rendering, which is most of what a cached page would cost."""

    def __init__(self, app: Any, cache: ResponseCache, enabled: bool) -> None:
        self.app, self.cache, self.enabled = app, cache, enabled

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and self.enabled:
            request = Request(scope)
            key = _cache_key(request, self.enabled)
            answer = self.cache.get(key) if key else None
            if answer is not None:
                await _sent(request, answer, hit=True)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _refused(request: Request) -> str | None:
    """Why a POST is refused: a foreign Origin, or a CSRF token (form field or header) that does
    not repeat the cookie; None when it may go on."""
    origin = request.headers.get("origin")
    if origin and urlsplit(origin).netloc != request.headers.get("host"):
        return "cross-site request refused"
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith("application/x-www-form"):
        # the body, not request.form(): a body read here is replayed to the handler, a form is not
        sent = next(iter(parse_qs((await request.body()).decode("utf-8", "replace")).get(CSRF_FIELD, [])), None)
    cookie = _valid_token(request.cookies.get(CSRF_COOKIE))
    if not cookie or not sent or not hmac.compare_digest(str(sent).encode(), cookie.encode()):
        return "missing or wrong CSRF token"
    return None


class ResponseCache:
    """Answers to GET requests, kept while the data they were computed from is unchanged: the
    database file, its write-ahead log and the index manifest have the size and time they had
    before the answer was computed (any commit, by this server or by a refresh, changes them),
    and for at most MAX_AGE seconds in case two commits fall in one tick of the file clock. Pages
    are cached with a slot where each reader's own CSRF token goes."""

    MAX_AGE, MAX_BYTES = 30.0, 64 * 2**20

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self._entries: OrderedDict[str, tuple[tuple, float, Any]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def generation(self) -> tuple:
        stamps = []
        for path in self.files:
            try:
                stat = os.stat(path)
                stamps.append((stat.st_mtime_ns, stat.st_size))
            except FileNotFoundError:
                stamps.append(None)
        return tuple(stamps)

    def get(self, key: str) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            generation, stored, value = entry
            if generation != self.generation() or time.monotonic() - stored > self.MAX_AGE:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: str, value: tuple[int, dict, bytes], generation: tuple) -> None:
        with self._lock:
            self._drop(key)
            self._entries[key] = (generation, time.monotonic(), value)
            self._bytes += len(value[2])
            while self._bytes > self.MAX_BYTES:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        if (entry := self._entries.pop(key, None)) is not None:
            self._bytes -= len(entry[2][2])

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def _filters(form: dict[str, str]) -> Filters:
    weights = {"open": True, "closed": False}.get(form.get("weights", ""))
    return Filters(form.get("category") or None, form.get("entry") or None, form.get("license") or None,
                   form.get("modality") or None, form.get("vendor") or None, weights)  # fmt: skip


def _choices(store: Store) -> dict[str, list[str]]:
    """The values the filter menus offer: those the cards have."""
    return {field: store.distinct_values(field) for field in ("category", "entry", "license", "modality", "kind")}


def _index_or_none(readers: Readers) -> Any:
    """The vector index, or None while there is none (a comparison page then names no rivals)."""
    try:
        return readers.index()
    except (StaleIndexError, OSError, ValueError):
        return None


def _like_or_none(readers: Readers, slug: str, k: int) -> list[dict[str, Any]] | None:
    """Tools like the card, or None while it has no vector yet (a refresh is under way)."""
    try:
        return service.tools_like(readers.store(), readers.index(), slug, k)[1]
    except (NotFoundError, StaleIndexError):
        return None


def _local_path(value: Any, default: str) -> str:
    """A redirect target on this site only (never an open redirect)."""
    text = str(value or "")
    return text if text.startswith("/") and not text.startswith("//") and "\\" not in text else default


def _error(request: Request, templates: Jinja2Templates, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/") or request.method != "GET":
        return JSONResponse({"detail": message}, status_code=status)
    context = {"csrf": getattr(request.state, "csrf", ""), "status": status, "message": message}
    return templates.TemplateResponse(request, "error.html", context, status_code=status)
