"""The CLI: every command documented, errors are one line, extract-file never shows a traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from compare.cli import main
from conftest import demo_file


def run(*words):
    return CliRunner().invoke(main, list(words))


def test_every_command_has_help_text():
    for name, command in main.commands.items():
        assert command.help or command.callback.__doc__, f"{name} has no help"
        assert run(name, "--help").exit_code == 0


def test_extract_file_on_hub_readme_api_json_and_launch_post():
    url = "https://huggingface.co/api/models/HuggingFaceTB/SmolVLM2-2.2B-Instruct"
    api = json.loads(run("extract-file", str(demo_file(url)), "--url", url, "--json").output)
    assert api[0]["hub_id"] == "HuggingFaceTB/SmolVLM2-2.2B-Instruct" and api[0]["license"] == "Apache-2.0"
    assert api[0]["evidence"]["license"]["url"] == url
    url = "https://huggingface.co/HuggingFaceTB/SmolVLM2-2.2B-Instruct/raw/main/README.md"
    card = json.loads(run("extract-file", str(demo_file(url)), "--url", url, "--json").output)
    assert card[0]["description"] and card[0]["evidence"]["description"]["url"] == url
    url = "https://www.anthropic.com/news/claude-opus-4"
    post = json.loads(run("extract-file", str(demo_file(url)), "--url", url, "--json").output)
    assert post[0]["name"] == "Claude Opus 4" and post[0]["evidence"]["prices"]["snippet"]


def test_extract_file_on_malformed_input_prints_a_reason_and_exits_zero(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "a/b", "license": ')
    result = CliRunner().invoke(
        main, ["extract-file", str(broken), "--url", "https://huggingface.co/api/models/a/b", "--json"]
    )
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "invalid JSON" in result.stderr
    garbage = tmp_path / "garbage.html"
    garbage.write_bytes(b"\x00\xff<html><body><h1>Intro\x00ducing</h1>" * 1000)
    result = CliRunner().invoke(main, ["extract-file", str(garbage), "--url", "https://x.example/p", "--json"])
    assert result.exit_code == 0 and isinstance(json.loads(result.stdout), list)


def test_unreadable_input_is_one_error_line(tmp_path):
    result = run("extract-file", str(tmp_path / "missing.html"), "--url", "https://x.example/p")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot read") and "Traceback" not in result.output
    result = run("--db", str(tmp_path / "x.db"), "--index-dir", str(tmp_path / "none"), "like", "GPT-5")
    assert result.exit_code == 1 and result.output.startswith("Error:")


def test_a_read_command_never_creates_a_database_and_a_wrong_file_is_one_clear_line(tmp_path):
    from click.testing import CliRunner

    from compare.cli import main

    run = CliRunner().invoke
    missing = tmp_path / "nope" / "sub" / "x.db"
    answer = run(main, ["--db", str(missing), "cards"])
    assert answer.exit_code == 1 and "no database" in answer.output and not (tmp_path / "nope").exists()
    text = tmp_path / "notes.txt"
    text.write_text("these are my notes, not a database\n" * 40)
    answer = run(main, ["--db", str(text), "cards"])
    assert answer.exit_code == 1 and "is not a compare database" in answer.output and "Traceback" not in answer.output
    assert text.read_text().startswith("these are my notes")  # untouched
    answer = run(main, ["--db", str(tmp_path), "show", "x"])
    assert answer.exit_code == 1 and "is a directory" in answer.output


def test_the_projects_errors_are_one_line_and_a_bug_keeps_its_traceback(tmp_path, monkeypatch):
    from compare import service
    from compare.db import Store

    Store(tmp_path / "c.db").close()
    db = ["--db", str(tmp_path / "c.db")]
    wrong = CliRunner().invoke(main, [*db, "pair", "maybe", "a", "b"])
    assert wrong.exit_code == 2 and "Traceback" not in wrong.output  # click names the valid words
    missing = CliRunner().invoke(main, [*db, "pair", "accept", "a", "b"])
    assert missing.exit_code == 1 and missing.output.startswith("Error: no tool named 'a'")

    def broken(*args, **kwargs):
        raise ValueError("a bug, not the user's doing")

    monkeypatch.setattr(service, "decide_pair", broken)
    bug = CliRunner().invoke(main, [*db, "pair", "accept", "a", "b"])
    assert isinstance(bug.exception, ValueError) and "Error:" not in bug.output  # never dressed as a user error


@pytest.mark.parametrize(
    ("text", "says"),
    [("[[source]\n", "invalid TOML"), ('[[source]]\nname = "x"\nkind = "ftp"\nurl = "https://x"\n', "kind must be"),
     ("source = 5\n", "must be [[source]] tables")],
)  # fmt: skip
def test_a_bad_sources_file_is_one_line_before_any_flow_starts(tmp_path, text, says):
    from click.testing import CliRunner

    from compare.cli import main

    sources = tmp_path / "sources.toml"
    sources.write_text(text)
    answer = CliRunner().invoke(main, ["--db", str(tmp_path / "x.db"), "refresh", "--sources", str(sources)])
    assert answer.exit_code == 1 and says in answer.output and "Traceback" not in answer.output
    assert answer.output.count("\n") == 1 and not (tmp_path / "x.db").exists()  # no run row, no database
