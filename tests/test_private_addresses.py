"""In live mode the crawler never connects to a private address: loopback, private ranges,
link-local (cloud metadata), unspecified and IPv6 forms are refused with a reason that starts
with `refused:`, a redirect to one included. Run inside a network namespace (`unshare -n`), where
no packet can leave the machine; skipped, saying so, where one cannot be made."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from crawlers.addresses import refusal

CAN_UNSHARE = bool(shutil.which("unshare")) and subprocess.run(["unshare", "-n", "true"]).returncode == 0


@pytest.mark.parametrize(
    ("address", "kind"),
    [("127.0.0.1", "loopback"), ("10.0.0.1", "private"), ("192.168.1.9", "private"), ("172.16.0.3", "private"),
     ("169.254.169.254", "link-local"), ("0.0.0.0", "unspecified"), ("::1", "loopback"), ("fe80::1", "link-local"),
     ("::ffff:127.0.0.1", "loopback"), ("224.0.0.1", "multicast"), ("100.64.0.1", "non-public"),
     ("fd00::1", "private")],
)  # fmt: skip
def test_every_non_public_address_is_refused(address, kind):
    assert refusal("host.example", address).startswith(f"refused: host.example is a {kind} address")


def test_public_addresses_pass():
    assert refusal("huggingface.co", "18.239.50.16") is None and refusal("x", "2600:1f18::1") is None


SCRIPT = textwrap.dedent(
    """
    import http.server, json, subprocess, threading, tempfile
    from pathlib import Path
    from compare.crawl import run_crawl

    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(f"{self.server.server_address[0]}{self.path}")
            if self.path == "/hop":  # an allowed page that sends the crawler to cloud metadata
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><title>inside</title></html>")

        def log_message(self, *args):
            pass

    def serve(host):
        server = http.server.ThreadingHTTPServer((host, 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return server.server_address[1]

    inside, allowed = serve("127.0.0.1"), serve("127.0.0.2")
    targets = [f"http://127.0.0.1:{inside}/", f"http://localhost:{inside}/", "http://10.0.0.1/", "http://0.0.0.0/",
               "http://169.254.169.254/latest/meta-data/", f"http://[::1]:{inside}/",
               f"http://[::ffff:127.0.0.1]:{inside}/", f"http://127.0.0.2:{allowed}/hop"]
    tmp = Path(tempfile.mkdtemp())
    sources = tmp / "sources.toml"
    sources.write_text("".join(f'[[source]]\\nname = "t{i}"\\nkind = "page"\\nurl = "{url}"\\n\\n'
                               for i, url in enumerate(targets)))
    result = run_crawl(sources, tmp / "crawl", None, timeout_s=90,
                       settings={"ALLOWED_ADDRESSES": "127.0.0.2", "RETRY_TIMES": "0", "ROBOTSTXT_OBEY": "False",
                                 "DOWNLOAD_TIMEOUT": "10"})
    pages = [json.loads(line) for f in (tmp / "crawl").glob("*.jsonl") for line in f.read_text().splitlines()]
    print(json.dumps({"pages": pages, "inside": inside, "hits": hits, "log": result.log_tail}))
    """
)


@pytest.mark.skipif(not CAN_UNSHARE, reason="no network namespace here (`unshare -n` is refused)")
def test_a_live_crawl_refuses_every_private_target_and_redirect_inside_a_network_namespace():
    done = subprocess.run(["unshare", "-n", sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    errors = {page["url"]: page.get("error") or "" for page in report["pages"]}
    port = report["inside"]
    refused = [f"http://127.0.0.1:{port}/", f"http://localhost:{port}/", "http://10.0.0.1/", "http://0.0.0.0/",
               "http://169.254.169.254/latest/meta-data/", f"http://[::1]:{port}/", f"http://[::ffff:127.0.0.1]:{port}/"]  # fmt: skip
    for url in refused:
        assert errors.get(url, "").startswith("refused: "), (url, errors, report["log"][-1500:])
    assert [hit for hit in report["hits"] if hit.startswith("127.0.0.1")] == []  # never connected to
    assert report["hits"] == ["127.0.0.2/hop"]  # the allowed page was read; its redirect was not followed
    hop = [page for page in report["pages"] if "169.254.169.254" in page.get("final_url", "") or "/hop" in page["url"]]
    assert hop and any((page.get("error") or "").startswith("refused: ") for page in hop), hop
