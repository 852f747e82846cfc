"""bulkhead(1): made from the argparse definitions (tools/manpage.py), current, complete, renders, in the wheel."""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import manpage  # noqa: E402

PAGE = ROOT / "resources" / "man" / "bulkhead.1"


def _commands(parser: argparse.ArgumentParser, path: str = "bulkhead"):
    """(command, its parser) for bulkhead and every noun and verb under it."""
    yield path, parser
    sub = next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)
    if sub is not None:
        seen = set()
        for name, child in sub.choices.items():
            if id(child) not in seen:
                seen.add(id(child))
                yield from _commands(child, f"{path} {name}")


def test_the_committed_page_is_what_the_parser_makes():
    assert manpage.main(["--check"]) == 0, "run tools/manpage.py and commit resources/man/bulkhead.1"


def test_the_page_covers_every_noun_verb_option_and_example():
    from core.cli.parser import build

    page = PAGE.read_text(encoding="utf-8")
    plain = page.replace("\\-", "-").replace("\\e", "\\")
    commands = list(_commands(build(None)))
    assert len(commands) > 60
    for name, parser in commands[1:]:
        assert f".SS {name}\n" in plain, name
        for action in parser._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"\\fB{option}\\fR" in plain, (name, option)
        if parser.epilog:
            first = parser.epilog.split("\n")[1].strip()
            assert first in plain, (name, first)
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXAMPLES", "EXIT STATUS"):
        assert f".SH {section}\n" in page


def test_roff_escapes():
    assert manpage._escape("--memory") == "\\-\\-memory"
    assert manpage._escape(".hidden\n'quote") == "\\&.hidden\n\\&'quote"
    assert manpage._escape("a\\b") == "a\\eb"


@pytest.mark.skipif(not shutil.which("groff"), reason="groff is not installed")
def test_the_page_renders_without_warnings():
    r = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(PAGE)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0 and not r.stderr.strip(), r.stderr[:2000]
    shown = subprocess.run(["groff", "-man", "-Tascii", "-P", "-cbou", str(PAGE)], capture_output=True, text=True,
                           timeout=60).stdout
    assert "bulkhead vm new" in shown and "--memory" in shown and "EXIT STATUS" in shown


def test_the_wheel_installs_the_page():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    setuptools = pyproject["tool"]["setuptools"]
    assert setuptools["data-files"]["share/man/man1"] == ["resources/man/bulkhead.1"]
    assert "man/*.1" in setuptools["package-data"]["resources"]
