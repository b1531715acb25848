"""One refresh at a time per database, and which failures are worth a retry.

The hourly deployment and a manual `compare refresh` share the crawl folder and the database;
a second refresh started while one runs exits with a clear message instead of deleting the
first one's crawl files. Retries fire only on transient faults (a network fault, a locked
database, a crawl subprocess that died), never on a bug or bad input.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from compare.errors import CompareError

_HELD: dict[str, int] = {}  # lock path -> depth, so the CLI and the flow in one process nest


class RefreshBusyError(CompareError, RuntimeError):
    """Another refresh holds this database."""


class TransientError(RuntimeError):
    """A failure that may pass on its own: worth a retry."""


def lock_path(db: Path | str) -> Path:
    return Path(f"{Path(db).resolve()}.refresh.lock")


@contextmanager
def refresh_lock(db: Path | str, wait_s: float = 0) -> Iterator[None]:
    """Hold the database's refresh lock (waiting up to `wait_s`), or raise RefreshBusyError."""
    path = str(lock_path(db))
    if _HELD.get(path):
        _HELD[path] += 1
        try:
            yield
        finally:
            _HELD[path] -= 1
        return
    lock = FileLock(path, timeout=wait_s)
    try:
        lock.acquire()
    except Timeout:
        raise RefreshBusyError(f"another refresh is running on {db} (lock {path}); try again when it ends") from None
    _HELD[path] = 1
    try:
        yield
    finally:
        _HELD.pop(path, None)
        lock.release()


def is_transient(error: BaseException | None) -> bool:
    """A network fault, a locked or busy database, or a crawl subprocess that died."""
    if isinstance(error, TransientError | ConnectionError | TimeoutError):
        return True
    if isinstance(error, sqlite3.OperationalError):
        return any(word in str(error).lower() for word in ("database is locked", "database is busy"))
    return False


def retry_if_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Prefect's retry condition: retry a task only when it failed on a transient fault."""
    try:
        state.result()
    except Exception as error:  # the state's own exception, classified below
        return is_transient(error)
    return False
