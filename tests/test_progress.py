"""Progress bars show on a terminal only."""

from __future__ import annotations

import io

from compare import progress as progress_module
from compare.progress import ProgressBar, progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_on_a_terminal_and_nothing_under_ci_or_json(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(progress_module.sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("COMPARE_PROGRESS", raising=False)
    assert list(progress(range(60), 60, "extract")) == list(range(60))
    assert "extract" in terminal.getvalue() and "/60 [" in terminal.getvalue()  # done / total, rate, time left
    for name, value in (("CI", "true"), ("COMPARE_PROGRESS", "0")):
        quiet = Terminal()
        monkeypatch.setattr(progress_module.sys, "stderr", quiet)
        monkeypatch.setenv(name, value)
        assert list(progress(range(60), 60, "extract")) == list(range(60)) and quiet.getvalue() == ""
        monkeypatch.delenv(name)
    short = Terminal()
    monkeypatch.setattr(progress_module.sys, "stderr", short)
    assert list(progress(range(5), 5, "extract")) == list(range(5)) and short.getvalue() == ""


def test_a_bar_for_work_counted_elsewhere_follows_its_growing_total(monkeypatch):
    terminal = Terminal()
    monkeypatch.setattr(progress_module.sys, "stderr", terminal)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("COMPARE_PROGRESS", raising=False)
    bar = ProgressBar("crawl")
    bar.update(3, 10)
    bar.update(12, 40)
    bar.close()
    assert "3/10" in terminal.getvalue() and "12/40" in terminal.getvalue()
    monkeypatch.setenv("CI", "true")
    quiet = Terminal()
    monkeypatch.setattr(progress_module.sys, "stderr", quiet)
    ProgressBar("crawl").update(1, 2)
    assert quiet.getvalue() == ""
