"""The README's command table cannot go stale: every `compare COMMAND` it names exists, with every
option its row names, and every command the CLI has is in the table."""

from __future__ import annotations

import re

from compare.cli import main
from conftest import ROOT


def _table_rows() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Commands", 1)[1].split("\n## ", 1)[0]
    return [line.split("|")[1] for line in section.splitlines() if line.startswith("| `compare ")]


def _named(cell: str) -> list[str]:
    """The commands a row's first cell names: `compare crawl`, `ingest`, ..."""
    return re.findall(r"`compare ([a-z][a-z-]*)", cell) + re.findall(r"`([a-z][a-z-]*)`", cell)


def test_every_command_and_option_in_the_readme_exists():
    cells = _table_rows()
    assert len(cells) >= 15
    for cell in cells:
        names = _named(cell)
        for name in names:
            assert name in main.commands, f"README names `compare {name}`, which the CLI does not have"
        command = main.commands[names[0]]
        known = {opt for param in command.params for opt in param.opts + param.secondary_opts}
        for option in re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", cell):
            assert option in known, f"README gives `compare {names[0]}` the option {option}, which it does not take"


def test_every_cli_command_is_in_the_readme():
    missing = sorted(set(main.commands) - {name for cell in _table_rows() for name in _named(cell)})
    assert not missing, f"commands missing from the README's table: {missing}"
