"""The long-running service: a local Prefect server (its embedded SQLite database) and the
refresh deployment served hourly from this process, one run at a time. Flow runs then talk to
that server instead of each starting a temporary one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from compare.errors import CompareError

STARTUP_TIMEOUT_S = 180.0


class ServerStartError(CompareError, RuntimeError):
    """The Prefect server did not answer in time."""


def healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def prefect_server(port: int, log_path: Path, timeout_s: float = STARTUP_TIMEOUT_S) -> Iterator[str]:
    """Start `prefect server start` on loopback and yield its API URL once it answers; stop it
    on exit. Its log goes to `log_path`."""
    api_url = f"http://127.0.0.1:{port}/api"
    if healthy(api_url):
        raise ServerStartError(f"something already answers on port {port}; set PREFECT_API_URL={api_url} to use it")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ.copy())
        try:
            deadline = time.monotonic() + timeout_s
            while not healthy(api_url):
                if server.poll() is not None:
                    raise ServerStartError(f"the Prefect server exited with {server.returncode}; see {log_path}")
                if time.monotonic() > deadline:
                    raise ServerStartError(f"the Prefect server did not answer in {timeout_s:.0f} s; see {log_path}")
                time.sleep(0.5)
            yield api_url
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
