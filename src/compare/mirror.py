"""A local snapshot of the web: serves `DIR/HOST/PATH` files on 127.0.0.1 (DESIGN section 6).

A request for `https://HOST/PATH?QUERY` arrives here as `GET /HOST/PATH?QUERY` (the Scrapy
middleware `crawlers.middlewares.MirrorMiddleware` rewrites it) and is answered from the file
`DIR/HOST/PATH?QUERY` if it exists, else `DIR/HOST/PATH`; a path ending in `/` reads `index.html`;
a missing file is a 404. `FILE.headers` adds response headers, and a few lines there inject
faults: `Status: N` sets the status (429s, 5xx, redirects with a `Location:`), `Delay: S` stalls
S seconds before answering, `Truncate-At: N` announces the whole body but sends N bytes and
closes the connection; `Status-Times: K` and `Delay-Times: K` limit those to the first K
requests (a server that recovers). Like a real server, every file has an ETag (its content hash)
and a Last-Modified date (its mtime), and a conditional request for an unchanged file gets a 304.
"""

from __future__ import annotations

import email.utils
import hashlib
import mimetypes
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit


def snapshot_file(root: Path, host: str, path: str, query: str) -> Path | None:
    """The snapshot file answering https://host/path?query, or None."""
    root = root.resolve()
    relative = unquote(path).lstrip("/")
    if not relative or relative.endswith("/"):
        relative += "index.html"
    candidates = []
    if query:
        candidates.append(root / host / f"{relative}?{unquote(query)}")
    candidates.append(root / host / relative)
    for candidate in candidates:
        resolved = candidate.resolve()
        if not resolved.is_relative_to(root):  # no ../ escapes from the snapshot
            return None
        if resolved.is_dir():
            resolved = resolved / "index.html"
        if resolved.is_file():
            return resolved
    return None


def snapshot_pages(root: Path) -> Iterator[tuple[str, Path]]:
    """(real URL, file) for every page of a snapshot directory: the inverse of snapshot_file
    (`index.html` answers its folder's URL; `.headers` files and robots.txt are not pages)."""
    for file in sorted(root.rglob("*")):
        if not file.is_file() or file.suffix == ".headers" or file.name == "robots.txt":
            continue
        relative = file.relative_to(root).as_posix()
        if relative.endswith("/index.html") or relative == "index.html":
            relative = relative.removesuffix("index.html")
        host, _, path = relative.partition("/")
        yield f"https://{host}/{path}", file


FAULT_LINES = ("status", "status-times", "delay", "delay-times", "truncate-at")


def _extra_headers(file: Path) -> tuple[dict[str, float], dict[str, str]]:
    """(fault settings by lower-case name (see FAULT_LINES), response headers) from FILE.headers."""
    faults: dict[str, float] = {}
    headers: dict[str, str] = {}
    side = file.with_name(file.name + ".headers")
    if side.is_file():
        for line in side.read_text().splitlines():
            name, sep, value = line.partition(":")
            if not sep:
                continue
            key = name.strip().lower()
            if key in FAULT_LINES:
                faults[key] = float(value.strip())
            else:
                headers[name.strip()] = value.strip()
    return faults, headers


def _validators(file: Path, body: bytes) -> dict[str, str]:
    return {
        "ETag": '"' + hashlib.sha1(body).hexdigest()[:16] + '"',
        "Last-Modified": email.utils.formatdate(int(file.stat().st_mtime), usegmt=True),
    }


def _not_modified(request_headers, headers: dict[str, str]) -> bool:
    """RFC 9110: If-None-Match decides when present, else If-Modified-Since."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match:
        return headers["ETag"] in [tag.strip() for tag in if_none_match.split(",")]
    since = request_headers.get("If-Modified-Since")
    try:
        since_dt = email.utils.parsedate_to_datetime(since) if since else None
        modified = email.utils.parsedate_to_datetime(headers["Last-Modified"])
    except (TypeError, ValueError):
        return False
    return since_dt is not None and modified <= since_dt


def _content_type(file: Path, body: bytes) -> str:
    guessed = mimetypes.guess_type(file.name.split("?")[0])[0]
    if guessed:
        return guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")
    head = body.lstrip()[:1]
    if head in (b"{", b"["):
        return "application/json; charset=utf-8"
    if head == b"<":
        return "text/html; charset=utf-8"
    return "application/octet-stream"


def make_handler(root: Path, log: list[dict] | None = None) -> type[BaseHTTPRequestHandler]:
    """A handler serving `root`; each request is appended to `log` (path, headers, status)."""
    served: Counter = Counter()  # requests per file, for Status-Times
    lock = threading.Lock()

    class SnapshotHandler(BaseHTTPRequestHandler):
        server_version = "compare-mirror/1"

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            host, _, path = parts.path.lstrip("/").partition("/")
            file = snapshot_file(root, host, "/" + path, parts.query) if host else None
            if file is None:
                self._reply(404, {"Content-Type": "text/plain"}, b"not in snapshot\n")
                return
            body = file.read_bytes()
            faults, headers = _extra_headers(file)
            with lock:
                served[file] += 1
                count = served[file]
            status = int(faults.get("status", 200))
            if count > faults.get("status-times", count):
                status = 200
            if faults.get("delay") and count <= faults.get("delay-times", count):
                time.sleep(faults["delay"])
            headers.setdefault("Content-Type", _content_type(file, body))
            for name, value in _validators(file, body).items():
                headers.setdefault(name, value)
            if status == 200 and _not_modified(self.headers, headers):
                self._reply(304, headers, b"")
                return
            cut = faults.get("truncate-at")
            self._reply(status, headers, body, None if cut is None else int(cut))

        def _reply(self, status: int, headers: dict[str, str], body: bytes, cut: int | None = None) -> None:
            if log is not None:
                headers_sent = dict(self.headers.items())
                log.append({"path": self.path, "headers": headers_sent, "status": status, "at": time.monotonic()})
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            try:
                self.end_headers()
                self.wfile.write(body if cut is None else body[:cut])
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout): as a server would
                self.close_connection = True
            if cut is not None:  # a connection that drops mid-body
                self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return SnapshotHandler


@contextmanager
def serve(root: Path, port: int = 0, log: list[dict] | None = None) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 in a background thread; yields the base URL. Requests are
    appended to `log` when one is given."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(Path(root), log))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
