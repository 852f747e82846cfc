"""What the nouns of the command line share: the parser class (usage errors on one line), argument types checked
against the host methods' declarations, paths resolved for the host, the connection, tables, job outcomes."""

from __future__ import annotations

import argparse
import errno
import json
import math
import os
import sys

from core.model.errors import UsageError
from core.model.names import short

from .i18n import _, host_text, job_title, state_word

SURROGATES = range(0xD800, 0xE000)


class Parser(argparse.ArgumentParser):
    """argparse with its usage errors on one line, "bulkhead vm new: ... (see bulkhead vm new --help)", exit 2."""

    def error(self, message: str):
        text = " ".join(message.split())
        self.exit(2, _("{prog}: {message} (see {prog} --help)").format(prog=self.prog, message=text) + "\n")


def examples(text: str) -> dict:
    return {"epilog": _("examples:") + "\n" + text, "formatter_class": argparse.RawDescriptionHelpFormatter}


def declared(method: str, name: str):
    """The Param ``name`` of host method ``method`` as core.model.methods declares it."""
    from core.model.methods import METHODS

    return next(p for p in METHODS[method].params if p.name == name)


def _number(text: str, whole: bool, what: str):
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        message = _("{text} is not a whole number ({what})") if whole else _("{text} is not a number ({what})")
        raise argparse.ArgumentTypeError(message.format(text=short(text), what=what)) from None
    if not whole and not math.isfinite(value):
        raise argparse.ArgumentTypeError(_("{what} must be a finite number (got {text})").format(
            what=what, text=short(text)))
    return value


def _converter(what: str, param, whole: bool):
    def convert(text: str):
        value = _number(text, whole, what)
        if param is not None and not _in_range(value, param):
            raise argparse.ArgumentTypeError(_("{what} must be between {min} and {max} (got {text})").format(
                what=what, min=_num(param.min), max=_num(param.max), text=short(text)))
        return value

    convert.__name__ = what  # argparse names the type in its messages
    return convert


def whole(what: str, param=None):
    """An argparse type: a whole number, in the range ``param`` (a declared host parameter) allows if given."""
    return _converter(what, param, True)


def number(what: str, param=None):
    """An argparse type: a finite number, in the range ``param`` allows if given."""
    return _converter(what, param, False)


def _in_range(value, param) -> bool:
    return (param.min is None or value >= param.min) and (param.max is None or value <= param.max)


def _num(value) -> str:
    return "any" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def seconds(text: str, what: str, low: float = 0.0, high: float = 30 * 86400.0) -> float:
    """Seconds from 60, 60s, 10m, 1h or 1d; UsageError naming ``what`` (one line) for anything else, NaN, infinity
    or a value out of range."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    raw = text.strip().lower()
    try:
        value = float(raw[:-1]) * units[raw[-1]] if raw and raw[-1] in units else float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UsageError(_("{what}: {text} is not a duration (try 60s, 10m, 1h)").format(what=what, text=short(text)))
    if not low <= value <= high:
        raise UsageError(_("{what} must be between {low:g} and {high:g} seconds (got {text})").format(
            what=what, low=low, high=high, text=short(text)))
    return value


def text(value: str) -> str:
    """``value`` if it is text a host can take; bytes that are not UTF-8 reach Python as lone surrogates, which no
    host takes and no list could show: a UsageError."""
    if isinstance(value, str) and any(ord(c) in SURROGATES for c in value):
        try:  # shown as the bytes that were given: '\xff'
            shown = "'" + value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")[:40] + "'"
        except UnicodeEncodeError:
            shown = short(value)
        raise UsageError(_("{shown} is not valid text (bytes that are not UTF-8); give names and "
                           "paths in UTF-8").format(shown=shown))
    return value


def check_text(args) -> None:
    """Every argument is ``text``, but those ``args.raw`` names: local file names, which may hold any bytes."""
    raw = set(getattr(args, "raw", ()))
    for key, value in vars(args).items():
        if key not in raw:
            for item in value if isinstance(value, list) else [value]:
                text(item)


def is_remote(args) -> bool:
    """The connection is another machine (a remote Bulkhead host, a libvirt host that is not this machine): its
    paths are its own. libvirt's test driver runs in this process: its paths are this machine's."""
    uri = getattr(args, "connect", None)
    if not uri:
        return False
    from core.api import is_local_uri

    return not is_local_uri(uri) and not uri.strip().lower().startswith("test:")


def host_path(value: str | None, args, option: str) -> str | None:
    """``value`` as the host needs it: ``~`` expanded with the caller's home, a relative path made absolute against
    the caller's folder (the host refuses relative paths). On a host that is another machine the path is sent as
    typed, and one that is not absolute there is a UsageError (this machine's folder and home mean nothing there).
    A path that can never be reached (a symlink loop, a name too long, a file used as a folder) is a UsageError."""
    if not value:
        return value
    if is_remote(args):
        if not value.startswith("/"):
            raise UsageError(_("{option} {value}: give an absolute path on the remote host "
                               "({connect}); relative paths and ~ are not resolved here").format(
                                   option=option, value=short(value), connect=_host_of(args.connect)))
        return value
    try:
        path = os.path.abspath(os.path.expanduser(value))
    except FileNotFoundError:
        raise UsageError(_("{option} {value}: the current folder no longer exists; give an "
                           "absolute path").format(option=option, value=short(value))) \
            from None
    except (OSError, ValueError) as e:
        raise UsageError(f"{option} {short(value)}: {_why(e)}") from None
    try:
        os.stat(path)
    except FileNotFoundError:
        pass  # the host says what a missing file means for this operation
    except (OSError, ValueError) as e:
        raise UsageError(f"{option} {short(value)}: {_why(e)}") from None
    return path


def _host_of(uri: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(uri.strip()).hostname or uri
    except ValueError:
        return uri


def _why(e: Exception) -> str:
    if isinstance(e, OSError) and e.errno == errno.ELOOP:
        return "a symbolic link loop (too many levels of symbolic links)"
    if isinstance(e, OSError) and e.strerror:
        return e.strerror[0].lower() + e.strerror[1:]
    return str(e)


def connect(args):
    from core import api

    return api.connect(getattr(args, "home", None), uri=getattr(args, "connect", None))


def table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


def print_list(args, items: list, empty: str, header: list[str], row, as_json=None) -> int:
    """A list command's output: the items as JSON with --json (each through ``as_json`` if given), ``empty`` where
    there are none, else a table of ``row(item)``."""
    if args.json:
        print(json.dumps([as_json(i) for i in items] if as_json else items, indent=2))
    elif not items:
        print(empty)
    else:
        table(header, [row(i) for i in items])
    return 0


def pairs(rows: list[tuple[str, object]]) -> None:
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


def job_options(p) -> None:
    p.add_argument("--no-wait", action="store_true", help=_("print the job id and return at once"))
    p.add_argument("--json", action="store_true", help=_("print the job(s) as JSON"))


def job_end(args, job, json_ok: bool) -> int | None:
    """The exit code where the job as JSON (``json_ok``: whether that is a success) or its failure is all there is
    to print; None where the caller goes on to print how the job ended."""
    if args.json:
        print(json.dumps(job.to_dict(), indent=2))
        return 0 if json_ok else 1
    if job.state == "Failed":
        print(f"bulkhead: {host_text(job.error)}", file=sys.stderr)
        return 1
    return None


def job_outcome(args, job, cancelled: str) -> int | None:
    """The exit code where the job's JSON (a success unless it failed or was cancelled), its failure, its
    cancellation (``cancelled``: what is said of it) or its id and state (--no-wait, or not finished) is all there is
    to print; None where it completed and the caller prints its result."""
    code = job_end(args, job, json_ok=job.state in ("Completed", "Queued", "Running"))
    if code is not None:
        return code
    if job.state == "Cancelled":
        print(f"{job_title(job.name)}: {cancelled}")
        return 1
    if args.no_wait or job.state != "Completed":
        print(_("job {id}: {name} {target_name} ({state})").format(
            id=job.id, name=job_title(job.name), target_name=job.target_name, state=state_word(job.state)))
        return 0
    return None


def run_job(args, start, cancelled: str) -> tuple[int | None, object, dict]:
    """Start a host job (``start(conn)`` gives it), wait for it unless --no-wait: (job_outcome's exit code, the job,
    its result dict); the code is None where it completed and the caller prints its result."""
    with connect(args) as conn:
        job = start(conn)
        if not args.no_wait:
            job = job.wait()
    return job_outcome(args, job, cancelled), job, job.result if isinstance(job.result, dict) else {}


def finish(args, jobs) -> int:
    """Wait for jobs unless --no-wait; print outcome; exit 1 if any failed."""
    if not args.no_wait:
        jobs = [j.wait() for j in jobs]
    if args.json:
        print(json.dumps([j.to_dict() for j in jobs], indent=2))
    failed = 0
    for j in jobs:
        if j.state == "Failed":
            failed += 1
            if not args.json:
                print(f"bulkhead: {host_text(j.error)}", file=sys.stderr)
        elif not args.json:
            if args.no_wait:
                print(_("job {id}: {name} {target_name} ({state})").format(
                    id=j.id, name=job_title(j.name), target_name=j.target_name, state=state_word(j.state)))
            else:
                result = j.result if isinstance(j.result, dict) else {}
                what = _("VM '{name}'").format(name=result.get("name", j.target_name))
                state = result.get("state")
                print(_("{name}: {what} is {state}").format(name=job_title(j.name), what=what,
                                                             state=state_word(state)) if state
                      else _("{name}: {what} done").format(name=job_title(j.name), what=what))
    return 1 if failed else 0
