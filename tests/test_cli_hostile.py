"""Hostile arguments through the real `bulkhead` command: each is a usage error (exit 2) on one line, never a
traceback, and nothing is created."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HUGE = "99999999999999999999"  # over 2^63: argparse's int takes it, no host's registry does
NOT_UTF8 = os.fsdecode(b"\xff")  # what Python makes of an argument that is not UTF-8: a lone surrogate


def bulkhead(home: Path, *args, cwd: Path | None = None, timeout: float = 120, **environ):
    env = dict(os.environ, BULKHEAD_HOME=str(home), PYTHONPATH=str(ROOT), **environ)
    env.pop("BULKHEAD_DEBUG", None)
    env.pop("BULKHEAD_CONNECT", None)
    return subprocess.run([sys.executable, "-m", "core.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd or ROOT, errors="backslashreplace")


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    yield home
    bulkhead(home, "host", "stop", timeout=180)


def _refused(r) -> str | None:
    """Why ``r`` is not a one-line usage error, or None."""
    lines = r.stderr.strip().splitlines()
    if r.returncode != 2:
        return f"exit {r.returncode}"
    if "Traceback" in r.stderr:
        return "a traceback"
    if len(lines) != 1:
        return f"{len(lines)} lines"
    return None


@pytest.mark.parametrize("args, message", [
    (("vm", "new", "a", "--memory", "inf"), "--memory: 'inf' is not a size"),
    (("vm", "new", "a", "--memory", "1e400"), "--memory: '1e400' is not a size"),
    (("vm", "new", "a", "--memory", "nan"), "--memory: 'nan' is not a size"),
    (("vm", "set", "a", "--memory", "inf"), "not a size"),
    (("disk", "new", "{tmp}/x.vhd", "--size", "inf"), "--size: 'inf' is not a size"),
    (("job", "show", HUGE), "a job id must be between 1 and 9223372036854775807"),
    (("alert", "ack", HUGE), "an alert id must be between 1 and 9223372036854775807"),
    (("switch", "new", NOT_UTF8), r"'\xff' is not valid text (bytes that are not UTF-8)"),
])
def test_named_hostile_input_is_a_usage_error(home, tmp_path, args, message):
    r = bulkhead(home, *(a.replace("{tmp}", str(tmp_path)) for a in args))
    assert _refused(r) is None, (args, r.returncode, r.stderr)
    assert message in r.stderr, r.stderr
    assert not (tmp_path / "x.vhd").exists()


def test_a_sweep_of_hostile_arguments(home, tmp_path):
    loop = tmp_path / "loop"
    os.symlink(loop.name, loop)
    (tmp_path / "file").write_text("")
    sweep = [
        # sizes
        ("vm", "new", "a", "--memory", "-5M"), ("vm", "new", "a", "--memory", "0"),
        ("vm", "new", "a", "--memory", "1e3M"), ("vm", "new", "a", "--memory", "9" * 30 + "T"),
        ("vm", "new", "a", "--memory", "-inf"), ("vm", "new", "a", "--memory", "0x10M"),
        ("vm", "new", "a", "--disk-size", "inf"), ("disk", "new", str(tmp_path / "y.vhd"), "--size", "-1"),
        ("disk", "new", str(tmp_path / "y.vhd"), "--size", "0"),
        ("disk", "new", str(tmp_path / "y.vhd"), "--size", "nan"),
        ("run", "--memory", "inf"),
        # numbers and ids
        ("job", "show", HUGE), ("job", "show", "-" + HUGE), ("job", "show", "0"), ("job", "show", "1e3"),
        ("job", "cancel", HUGE), ("job", "wait", HUGE), ("job", "wait", "1", "--timeout", "nan"),
        ("job", "wait", "1", "--timeout", "inf"), ("job", "wait", "1", "--timeout", "-1"),
        ("job", "list", "--limit", HUGE), ("job", "list", "--limit", "0"),
        ("alert", "ack", HUGE), ("alert", "clear", HUGE), ("alert", "ack", "-1"), ("alert", "clear", "x"),
        ("alert", "rules", "--set", "cpu_high.threshold=nan"), ("alert", "rules", "--set", "cpu_high.duration=inf"),
        ("alert", "rules", "--set", "cpu_high.threshold=1e400"), ("alert", "rules", "--set", "nonsense"),
        ("vm", "new", "a", "--vcpus", "many"), ("vm", "measure", "a", "--window", "inf"),
        ("vm", "measure", "a", "--window", "nan"), ("vm", "measure", "a", "--window", "-1h"),
        ("vm", "measure", "a", "--window", "1e400s"), ("host", "list", "--timeout", "nan"),
        ("host", "list", "--timeout", "-1"), ("run", "--vcpus", "x"),
        # text that is not text
        ("switch", "new", NOT_UTF8), ("switch", "remove", NOT_UTF8), ("vm", "new", NOT_UTF8),
        ("vm", "show", "a" + NOT_UTF8), ("vm", "start", NOT_UTF8), ("vm", "new", "a", "--notes", NOT_UTF8),
        ("vm", "kvp", "a", "--set", NOT_UTF8 + "=1"), ("job", "list", "--vm", NOT_UTF8),
        ("alert", "list", "--vm", NOT_UTF8), ("--connect", NOT_UTF8, "vm", "list"),
        ("vm", "new", "a", "--disk", str(tmp_path / NOT_UTF8)), ("host", "add", NOT_UTF8),
        # paths that can never be reached
        ("vm", "new", "a", "--disk", str(loop)), ("vm", "new", "a", "--image", str(loop)),
        ("vm", "set", "a", "--disk", str(loop / "x.vhd")), ("vm", "new", "a", "--disk", str(tmp_path / "file" / "x")),
        ("vm", "new", "a", "--image", "x" * 5000), ("disk", "new", str(loop / "x.vhd"), "--size", "8M"),
        ("disk", "new", str(loop), "--size", "8M"), ("run", "--image", str(loop)),
        # wrong shapes
        ("vm", "set", "a"), ("vm", "kvp", "a", "--set", "=x"), ("vm", "new", "a", "--start-action", "often"),
        ("vm", "new"), ("vm", "stop", "a", "--save", "--turn-off"), ("disk", "new", "x.vhd"),
        ("completion", "zsh"), ("frobnicate",), ("vm", "frobnicate"),
    ]
    wrong = []
    for args in sweep:
        r = bulkhead(home, *args, cwd=tmp_path)
        why = _refused(r)
        if why:
            wrong.append(f"bulkhead {' '.join(args)[:80]!r}: {why}: {r.stderr.strip()[-300:]}")
    assert not wrong, "\n".join(wrong)
    assert not (tmp_path / "y.vhd").exists() and not (tmp_path / "x.vhd").exists()
    store = home / "vms"
    assert not store.exists() or not any(p for p in store.iterdir() if not p.name.startswith("."))


def test_hostile_input_the_host_refuses_is_a_usage_error_too(home):
    """Arguments only the host can judge (its limits, its parameter declarations) come back as usage errors."""
    for args in (("vm", "new", "a", "--vcpus", HUGE), ("vm", "new", "a", "--vcpus", "-1"),
                 ("vm", "new", "a", "--memory", "100T"), ("vm", "new", "a", "--notes", "x" * 20_000),
                 ("vm", "new", "a", "--cmdline", "y" * 5000), ("vm", "new", "a\u202eb"), ("vm", "new", "a\u200bb"),
                 ("vm", "new", "a", "--disk-size", "16M"), ("vm", "show", "x" * 5000)):
        r = bulkhead(home, *args)
        assert _refused(r) is None, (args[:4], r.returncode, r.stderr)
