"""The `bulkhead` command line. Exit codes: 0 success, 1 the operation failed, 2 a usage error.

One module per noun (host, vm, alert, switch, disk, job, script, run, completion), assembled by ``parser.build``.
Start-up stays light: heavy modules (the engine, Qt, numpy) are imported by the command that needs them, and this
package imports nothing but the errors until a command runs.
"""

from __future__ import annotations

import os
import sys

from core.model.errors import BulkheadError, UsageError

from .i18n import _

__all__ = ["UsageError", "main"]


def _parser(argv: list[str] | None = None):
    from .parser import build

    return build(sys.argv[1:] if argv is None else argv)


def _one_line(message: object) -> str:
    """A message as one printable line: its lines joined, lone surrogates escaped."""
    text = " ".join(str(message).split("\n")).strip()
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _message(error: BulkheadError) -> str:
    """A host's or this command's refusal in the command line's language: German by its code where the catalog
    knows it (core.model.messages), else as it came."""
    from . import i18n

    if i18n.language() == "en":
        return str(error)
    from core.model.messages import localized

    return localized(error, i18n.language())


def main(argv: list[str] | None = None) -> int:
    import argparse

    from . import i18n
    from .common import check_text

    i18n.activate(i18n.language_of(sys.argv[1:] if argv is None else argv))

    if hasattr(sys.stdout, "reconfigure"):  # a name the host sends never breaks the output
        sys.stdout.reconfigure(errors="backslashreplace")
    parser = _parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse prints its own one-line message and uses 2 for usage errors
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    if not getattr(args, "func", None):
        # a noun without a verb: show that noun's help
        sub = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if args.noun and sub:
            sub[0].choices[args.noun].print_help()
        else:
            parser.print_help()
        return 2
    try:
        check_text(args)
        return int(args.func(args) or 0)
    except UsageError as e:
        print(f"bulkhead: {_one_line(_message(e))}", file=sys.stderr)
        return 2
    except BulkheadError as e:
        print(f"bulkhead: {_one_line(_message(e))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(_("bulkhead: interrupted"), file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (| head): stop quietly, as other commands do
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the interpreter's last flush finds no pipe
        except OSError:
            pass
        return 0
    except Exception as e:  # every failure is one readable line; the traceback only on request
        if os.environ.get("BULKHEAD_DEBUG"):
            raise
        print(f"bulkhead: {_one_line(e) or type(e).__name__}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
