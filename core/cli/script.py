"""`bulkhead script run FILE.py`: automate with the Python API against the current connection."""

from __future__ import annotations

import argparse
import sys

from core.model.errors import UsageError

from .common import examples
from .i18n import _


def register(sub) -> None:
    script = sub.add_parser("script", help=_("run Python scripts against the current connection"))
    ss = script.add_subparsers(dest="verb", metavar="VERB")
    p = ss.add_parser("run", help=_("run FILE.py (it uses `from core import api; api.connect()`)"),
                      **examples(_("  bulkhead script run create-lab.py\n")))
    p.add_argument("file")
    p.add_argument("args", nargs=argparse.REMAINDER, help=_("arguments for the script (sys.argv[1:])"))
    p.set_defaults(func=script_run, raw=("file", "args"))  # the script's business, not a host's


def script_run(args) -> int:
    import os
    import runpy
    from pathlib import Path

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(_("{path}: no such script").format(path=path))
    if getattr(args, "home", None):
        os.environ["BULKHEAD_HOME"] = str(Path(args.home).resolve())
    saved = sys.argv
    sys.argv = [str(path), *args.args]
    try:
        runpy.run_path(str(path), run_name="__main__")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        sys.argv = saved
    return 0
