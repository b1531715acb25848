"""A local snapshot of the web: serves `DIR/HOST/PATH` files on 127.0.0.1 (DESIGN section 6).

A request for `https://HOST/PATH?QUERY` arrives here as `GET /HOST/PATH?QUERY` (the Scrapy
middleware `crawlers.middlewares.MirrorMiddleware` rewrites it) and is answered from the file
`DIR/HOST/PATH?QUERY` if it exists, else `DIR/HOST/PATH`; a path ending in `/` reads `index.html`;
a missing file is a 404. `FILE.headers` adds response headers; a `Status: N` line there sets the
status, which is how tests inject 429s and 5xx.
"""

from __future__ import annotations

import mimetypes
import threading
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


def _extra_headers(file: Path) -> tuple[int, dict[str, str]]:
    status, headers = 200, {}
    side = file.with_name(file.name + ".headers")
    if side.is_file():
        for line in side.read_text().splitlines():
            name, sep, value = line.partition(":")
            if not sep:
                continue
            if name.strip().lower() == "status":
                status = int(value.strip())
            else:
                headers[name.strip()] = value.strip()
    return status, headers


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


def make_handler(root: Path) -> type[BaseHTTPRequestHandler]:
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
            status, headers = _extra_headers(file)
            headers.setdefault("Content-Type", _content_type(file, body))
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self._reply(304, headers, b"")
                return
            self._reply(status, headers, body)

        def _reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

    return SnapshotHandler


@contextmanager
def serve(root: Path, port: int = 0) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 in a background thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(Path(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
