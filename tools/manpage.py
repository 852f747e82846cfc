#!/usr/bin/env python3
"""Write the ``bulkhead(1)`` man page from the command line's own argparse definitions.

Every noun and verb gets its synopsis, its help, its options (with their metavars and help) and its examples, in
the order ``bulkhead --help`` lists them; the page is English (the parser's source language). It is roff for
``man``'s -man macros, made without any dependency (argparse-manpage would do, but is one more package):

    tools/manpage.py            write resources/man/bulkhead.1 (the wheel installs it as share/man/man1/bulkhead.1)
    tools/manpage.py --check    exit 1 if the committed page is not what the parser makes now
    man -l resources/man/bulkhead.1
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "resources" / "man" / "bulkhead.1"
sys.path.insert(0, str(ROOT))


def _escape(text: str) -> str:
    """Text for roff: backslashes and hyphens escaped, a line that starts with . or ' protected."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line for line in text.split("\n"))


def _paragraph(text: str) -> str:
    return _escape(" ".join(text.split()))


def _subparsers(parser: argparse.ArgumentParser):
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def _help(action: argparse.Action, parser: argparse.ArgumentParser) -> str:
    if not action.help or action.help == argparse.SUPPRESS:
        return ""
    return parser._get_formatter()._expand_help(action)


def _option(action: argparse.Action, parser: argparse.ArgumentParser) -> str:
    """An option's term as ``.TP`` shows it: \\fB\\-\\-memory\\fR \\fISIZE\\fR."""
    formatter = parser._get_formatter()
    if not action.option_strings:
        return f"\\fI{_escape(formatter._metavar_formatter(action, action.dest)(1)[0])}\\fR"
    names = ", ".join(f"\\fB{_escape(o)}\\fR" for o in action.option_strings)
    if action.nargs == 0:
        return names
    metavar = formatter._format_args(action, formatter._get_default_metavar_for_optional(action))
    return f"{names} \\fI{_escape(metavar)}\\fR"


def _options(parser: argparse.ArgumentParser) -> list[str]:
    out = []
    for action in parser._actions:
        if isinstance(action, (argparse._SubParsersAction, argparse._HelpAction)) or action.help == argparse.SUPPRESS:
            continue
        out += [".TP", _option(action, parser)]
        helptext = _help(action, parser)
        if action.choices and not isinstance(action.choices, dict):
            choices = ", ".join(str(c) for c in action.choices)
            if choices not in helptext:
                helptext = (helptext + "; " if helptext else "") + f"one of: {choices}"
        out.append(_paragraph(helptext) if helptext else "")
    return out


def _usage(parser: argparse.ArgumentParser) -> str:
    usage = " ".join(parser.format_usage().split())
    return usage.removeprefix("usage: ")


def _examples(parser: argparse.ArgumentParser) -> list[str]:
    epilog = (parser.epilog or "").strip("\n")
    if not epilog:
        return []
    body = epilog.split("\n", 1)[1] if epilog.startswith("examples:") else epilog
    return [".PP", "Examples:", ".PP", ".nf", ".RS 4", _escape(body.rstrip()), ".RE", ".fi"]


def _command(parser: argparse.ArgumentParser, name: str, helptext: str, out: list[str], level: int) -> None:
    out += [".SS " + _escape(name) if level else ".SH COMMANDS"]
    if level:
        out += [f".B {_escape(_usage(parser))}", ".PP"]
        if helptext:
            out.append(_paragraph(helptext[0].upper() + helptext[1:]))
        if parser.description and parser.description != helptext:
            out += [".PP", _paragraph(parser.description)]
        options = _options(parser)
        if options:
            out += [".PP", "Options:", ".RS 4", *options, ".RE"]
        out += _examples(parser)
    sub = _subparsers(parser)
    if sub is None:
        return
    helps = {a.dest: a.help or "" for a in sub._choices_actions}
    seen = set()
    for verb, child in sub.choices.items():
        if id(child) in seen:  # an alias
            continue
        seen.add(id(child))
        _command(child, f"{name} {verb}".strip(), helps.get(verb, ""), out, level + 1)


def render() -> str:
    from core.cli import i18n
    from core.cli.parser import build, version

    i18n.activate("en")
    parser = build(None)
    out = [
        '.\\" Made by tools/manpage.py from the argparse definitions of core/cli; do not edit.',
        f'.TH BULKHEAD 1 "" "bulkhead {version()}" "User Commands"',
        ".SH NAME",
        "bulkhead \\- " + _paragraph(parser.description or "").removeprefix("Bulkhead: "),
        ".SH SYNOPSIS",
        f".B {_escape(_usage(parser))}",
        ".SH DESCRIPTION",
        _paragraph("One command per noun and verb, after Hyper-V's cmdlets: bulkhead vm list, bulkhead vm new, "
                   "bulkhead vm start ... The host service (bulkhead host serve) starts on first use and keeps the "
                   "VMs running after a command exits. Each command prints --help of its own; bulkhead console "
                   "opens the graphical console."),
        ".SH OPTIONS",
        *_options(parser),
    ]
    _command(parser, "bulkhead", "", out, 0)
    epilog = (parser.epilog or "").strip("\n").split("\n", 1)
    out += [".SH EXAMPLES", ".nf", _escape(epilog[-1].rstrip()), ".fi"]
    out += [
        ".SH ENVIRONMENT",
        ".TP", "\\fBBULKHEAD_HOME\\fR",
        _paragraph("where VMs, jobs and the host service's socket live (--home)"),
        ".TP", "\\fBBULKHEAD_CONNECT\\fR",
        _paragraph("the host to connect to instead of the local host service (--connect)"),
        ".TP", "\\fBBULKHEAD_LANG\\fR, \\fBLANGUAGE\\fR, \\fBLC_ALL\\fR, \\fBLC_MESSAGES\\fR, \\fBLANG\\fR",
        _paragraph("the language of help and messages, first to last (--lang); German (de) and English"),
        ".TP", "\\fBBULKHEAD_DEBUG\\fR",
        _paragraph("set: an unexpected error shows its traceback"),
        ".SH EXIT STATUS",
        _paragraph("0 success, 1 the operation failed, 2 a usage error (bad input, an unknown VM or job, a state "
                   "that does not allow the operation)."),
        ".SH SEE ALSO",
        "\\fBvirsh\\fR(1), \\fBqemu\\-img\\fR(1)",
    ]
    text = "\n".join(line for line in out if line is not None) + "\n"
    return re.sub(r"\n{2,}", "\n", text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed page is out of date")
    ap.add_argument("--output", type=Path, default=PAGE, help=f"where to write (default: {PAGE.relative_to(ROOT)})")
    args = ap.parse_args(argv)
    os.environ.pop("BULKHEAD_CONNECT", None)  # --connect's default would show this shell's host
    text = render()
    if args.check:
        if not args.output.exists() or args.output.read_text(encoding="utf-8") != text:
            print(f"out of date: {args.output} (run tools/manpage.py)", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
